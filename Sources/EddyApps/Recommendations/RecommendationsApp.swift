import EddyLog
import EddyML
public import EddyServer
import EddyStream

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

    public var simulators: [AppSimulator] { [Self.ratings] }

    public var demoFeeds: [DemoFeed] { [DemoFeed(Self.ratings, defaultRate: 200)] }

    public var settings: [AppSetting] {
        [
            AppSetting("retrainEvery", help: "retrain after this many new ratings", defaultValue: "5000") {
                guard let n = Int($0), n >= 1 else { throw SettingError("must be a whole number, 1 or more") }
            },
            AppSetting(
                "requests", help: "topic of recommendation requests (a user id, or {\"user_id\", \"n\"})",
                defaultValue: RecommendationResponder.requestsTopic),
            AppSetting(
                "responses", help: "topic the answers go to, keyed by user id",
                defaultValue: RecommendationResponder.responsesTopic),
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
        let topic = context.settings["topic"] ?? Self.defaultTopic
        let trainer = RecommendationTrainer(log: context.log, topic: topic, settings: settings)
        // Seed 001's streaming job: user ids on a request topic answered on a response topic, exactly once.
        let responder = RecommendationResponder(
            log: context.log, models: trainer.models,
            requests: context.settings["requests"] ?? RecommendationResponder.requestsTopic,
            responses: context.settings["responses"] ?? RecommendationResponder.responsesTopic,
            once: context.trigger == .once, modelsMayCome: { [trainer] in trainer.isRunning })
        return LaunchedApp(
            pipelines: [RecommendationHandle(name: context.instance ?? name, trainer: trainer)],
            services: [trainer, responder],
            summary: "reading '\(topic)'; a model every \(settings.retrainEvery) ratings or \(seconds) s")
    }

    public var panels: [DashboardPanel] {
        [
            DashboardPanel(
                pipeline: name, table: "models", title: "Models (newest first)",
                chart: .table(orderBy: "version"), limit: 10, wide: true)
        ]
    }
}
