import EddyLog
import EddyML
import EddyServer
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
    public var topics: [AppTopic] { [AppTopic(Self.defaultTopic, partitions: 3)] }

    public var demoFeeds: [DemoFeed] {
        [
            DemoFeed(topic: Self.defaultTopic, unit: "ratings", defaultRate: 200) {
                RatingSimulator(users: 500, items: 200)
            }
        ]
    }

    public var settings: [AppSetting] {
        [
            AppSetting("retrainEvery", help: "retrain after this many new ratings (default 5000)") {
                guard let n = Int($0), n >= 1 else { throw SettingError("must be a whole number, 1 or more") }
            },
            AppSetting("retrainSeconds", help: "or this many seconds after the last model (default 10)") {
                guard let n = Double($0), n > 0, n.isFinite else {
                    throw SettingError("must be a positive number")
                }
            },
        ]
    }

    public func launch(_ context: AppLaunchContext) throws -> LaunchedApp {
        var settings = RecommendationTrainer.Settings()
        if let text = context.settings["retrainEvery"] {
            guard let n = Int(text), n >= 1 else { throw SettingError("retrainEvery must be 1 or more") }
            settings.retrainEvery = n
        }
        if let text = context.settings["retrainSeconds"] {
            guard let seconds = Double(text), seconds > 0, seconds.isFinite else {
                throw SettingError("retrainSeconds must be a positive number")
            }
            settings.retrainInterval = .milliseconds(Int64(seconds * 1000))
        }
        let trainer = RecommendationTrainer(
            log: context.log, topic: context.settings["topic"] ?? Self.defaultTopic, settings: settings)
        return LaunchedApp(
            pipelines: [RecommendationHandle(name: name, trainer: trainer)], services: [trainer])
    }

    public var panels: [DashboardPanel] {
        [
            DashboardPanel(
                pipeline: name, table: "models", title: "Models (newest first)",
                chart: .table(orderBy: "version"), limit: 10, wide: true)
        ]
    }
}

/// A setting's value that an app refuses, with why.
public struct SettingError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
