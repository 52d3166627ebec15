import EddyConnectors
import EddyLog
import EddyML
public import EddyServer
import EddyStream
import Foundation

/// Seed 001 as an app: ratings on topic `ratings`, ALS retrained as they arrive (``RecommendationTrainer``),
/// each user's top-N served from memory at `GET /api/users/{id}/recommendations`.
public struct RecommendationsApp: EddyApp {
    public static let defaultTopic = "ratings"

    public init() {}

    public var name: String { "recommendations" }
    public var summary: String {
        "Collaborative filtering by ALS over a ratings stream, served per user (seed 001)"
    }
    public var topics: [AppTopic] {
        [
            AppTopic(Self.defaultTopic, partitions: 3),
            AppTopic(RecommendationResponder.requestsTopic, partitions: 1),
        ]
    }

    /// `eddy simulate ratings N`: star ratings with a planted low-rank structure ALS can recover.
    public static let ratings = AppSimulator(
        "ratings", summary: "Star ratings in seed 001's shape, one JSON object per line.",
        details: """
            Fields: user_id (1…users), item_id (1…items), rating (whole stars 1-5), drawn from a planted \
            rank-4 taste model plus noise, so ALS has something to find. With --to, records are keyed by \
            user_id.

            Examples:
              eddy simulate ratings 20000 --seed 1 > ratings.jsonl
              eddy simulate ratings 100000 --rate 200 --to ratings
            """,
        topic: defaultTopic, unit: "ratings",
        settings: [
            AppSetting("users", help: "how many users rate", defaultValue: "500", check: Self.checkCount),
            AppSetting(
                "items", help: "how many items there are", defaultValue: "200", check: Self.checkCount),
        ]
    ) { run in
        RatingSimulator(
            users: Int(try run.double("users", default: 500)),
            items: Int(try run.double("items", default: 200)),
            seed: run.seed)
    }

    @Sendable private static func checkCount(_ text: String) throws {
        guard let n = Int(text), (1...10_000_000).contains(n) else {
            throw SettingError("must be a whole number from 1 to 10000000")
        }
    }

    /// `eddy simulate requests N`: user ids asking for their recommendations.
    public static let requests = AppSimulator(
        "requests", summary: "Recommendation requests in seed 001's shape, one JSON value per line.",
        details: """
            Mostly a bare user id (42), a fifth {"user_id": 42, "n": 5}, one in twenty a user no model has \
            seen ("guest-42", answered with "error": "unknown_user"). With --to, records are keyed by user.

            Examples:
              eddy simulate requests 1000 --seed 1
              eddy simulate requests 10000 --rate 20 --to recommendation-requests
            """,
        topic: RecommendationResponder.requestsTopic, unit: "requests",
        settings: [
            AppSetting("users", help: "how many users ask", defaultValue: "500", check: Self.checkCount)
        ]
    ) { run in
        RecommendationRequestSimulator(users: Int(try run.double("users", default: 500)), seed: run.seed)
    }

    public var simulators: [AppSimulator] { [Self.ratings, Self.requests] }

    public var demoFeeds: [DemoFeed] {
        [DemoFeed(Self.ratings, defaultRate: 200), DemoFeed(Self.requests, defaultRate: 20)]
    }

    public var settings: [AppSetting] {
        [
            AppSetting("retrainEvery", help: "retrain after this many new ratings", defaultValue: "5000") {
                guard let n = Int($0), n >= 1 else { throw SettingError("must be a whole number, 1 or more") }
            },
            AppSetting(
                "sink",
                help:
                    "where every user's top-N goes after each model: sqlite:PATH, postgres://USER@HOST:PORT/DB, "
                    + "parquet:DIR, csv:DIR, or none",
                defaultValue: "sqlite:<data-dir>/recommendations.sqlite"
            ) { text in if text != "none" { _ = try SinkURL(parsing: text) } },
            AppSetting("topN", help: "items per user in that table", defaultValue: "10") {
                guard let n = Int($0), (1...1000).contains(n) else {
                    throw SettingError("must be from 1 to 1000")
                }
            },
            AppSetting(
                "requests", help: "topic of recommendation requests (a user id, or {\"user_id\", \"n\"})",
                defaultValue: RecommendationResponder.requestsTopic),
            AppSetting(
                "responses", help: "topic the answers go to, keyed by user id",
                defaultValue: RecommendationResponder.responsesTopic),
            AppSetting(
                "items",
                help:
                    "a file of item titles the API adds to its answers: MovieLens's u.item, JSON lines "
                    + "{\"item_id\", \"title\"}, or CSV item_id,title",
                defaultValue: "none"),
            AppSetting(
                "retrainSeconds", help: "or this many seconds after the last model", defaultValue: "10"
            ) {
                guard let n = Double($0), n > 0, n.isFinite else {
                    throw SettingError("must be a positive number")
                }
            },
        ]
    }

    public func launch(_ context: AppLaunchContext) throws -> LaunchedApp {
        var settings = RecommendationTrainer.Settings()
        settings.retrainEvery = try context.setting("retrainEvery", default: settings.retrainEvery) {
            Int($0).flatMap { $0 >= 1 ? $0 : nil }
        }
        let seconds = try context.setting("retrainSeconds", default: 10.0) {
            Double($0).flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
        }
        settings.retrainInterval = .milliseconds(Int64(seconds * 1000))
        settings.once = context.trigger == .once
        settings.display = context.consoleSink
        settings.topN = try context.setting("topN", default: 10) {
            Int($0).flatMap { (1...1000).contains($0) ? $0 : nil }
        }
        // Every user's top-N after each model: a live table for the API and dashboard, and the database
        // table the seed keeps in MongoDB.
        var table: LiveTable?
        let target = context.settings["sink"] ?? "sqlite:\(context.dataDirectory)/recommendations.sqlite"
        if target != "none" {
            let url = try SinkURL(parsing: target)
            if context.reset, case .sqlite(let database) = url {
                try? FileManager.default.removeItem(atPath: database)
            }
            let database: any Sink =
                switch url {
                case .sqlite(let path): try SQLiteSink(path: path)
                case .postgres(let endpoint): PostgresSink(endpoint: endpoint)
                case .parquet(let directory): try FileSink(directory: directory, format: .parquet)
                case .csv(let directory): try FileSink(directory: directory, format: .csv)
                }
            let live = LiveTable("recommendations", maxRows: 10_000_000)
            table = live
            settings.recommendations = FanOutSink(live, database)
        }
        let topic = context.settings["topic"] ?? Self.defaultTopic
        let titles = try context.settings["items"].flatMap { path in
            path == "none" ? nil : try ItemTitles(contentsOf: path)
        }
        let trainer = RecommendationTrainer(log: context.log, topic: topic, settings: settings)
        // Seed 001's streaming job: user ids on a request topic answered on a response topic, exactly once.
        let responder = RecommendationResponder(
            log: context.log, models: trainer.models,
            requests: context.settings["requests"] ?? RecommendationResponder.requestsTopic,
            responses: context.settings["responses"] ?? RecommendationResponder.responsesTopic,
            once: context.trigger == .once, modelsMayCome: { [trainer] in trainer.isRunning })
        return LaunchedApp(
            pipelines: [
                RecommendationHandle(
                    name: context.instance ?? name, trainer: trainer, recommendations: table, titles: titles)
            ],
            services: [trainer, responder],
            summary: "reading '\(topic)'; a model every \(settings.retrainEvery) ratings or \(seconds) s")
    }

    public var panels: [DashboardPanel] {
        [
            DashboardPanel(
                pipeline: name, table: "models", title: "Models (newest first)",
                chart: .table(orderBy: "version"), limit: 10, wide: true),
            DashboardPanel(
                pipeline: name, table: "training", title: "Training RMSE per iteration, recent models",
                chart: .timeSeries(time: "iteration", series: "model", value: "training_rmse"), limit: 200,
                wide: true),
            DashboardPanel(
                pipeline: name, table: "recommendations", title: "A user's recommendations (item and score)",
                chart: .table(orderBy: "user_id"), limit: 5_000, wide: true, pick: "user_id"),
        ]
    }
}
