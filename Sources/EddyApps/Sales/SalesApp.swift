import EddyConnectors
import EddyLog
import EddyServer
import EddyStream
import Foundation

/// Seed 003 as an app: orders on topic `ecommerce_sales`, totals per product exactly once into a database
/// (``SalesPipeline``; SQLite by default, PostgreSQL with the `sink` setting), mirrored in a live table for
/// the endpoints and the dashboard.
public struct SalesApp: EddyApp {
    public init() {}

    public var name: String { "sales" }
    public var summary: String {
        "Sales totals per product from e-commerce orders (seed 003), into SQLite or PostgreSQL"
    }
    public var topics: [AppTopic] { [AppTopic(SalesPipeline.defaultTopic, partitions: 3)] }

    public var settings: [AppSetting] {
        [
            AppSetting(
                "sink",
                help:
                    "sqlite:PATH, postgres://USER[:PASSWORD]@HOST:PORT/DB, parquet:DIR or csv:DIR (default: sqlite:<data-dir>/sales.sqlite)"
            ) { text in _ = try SinkURL(parsing: text) }
        ]
    }

    public var demoFeeds: [DemoFeed] {
        [
            DemoFeed(topic: SalesPipeline.defaultTopic, unit: "orders", defaultRate: 100) {
                SalesSimulator(seed: nil, clock: .wall)
            }
        ]
    }

    public func launch(_ context: AppLaunchContext) throws -> LaunchedApp {
        let store = CheckpointStore(dataDirectory: context.dataDirectory, pipeline: name)
        if context.reset { try store.reset() }
        let sales = SalesPipeline(name: name, topic: context.settings["topic"] ?? SalesPipeline.defaultTopic)
        let url =
            try context.settings["sink"].map(SinkURL.init(parsing:))
            ?? .sqlite(path: context.dataDirectory + "/sales.sqlite")
        if context.reset, case .sqlite(let database) = url {
            try? FileManager.default.removeItem(atPath: database)
        }
        // The database is the exactly-once record; the live table is its in-memory mirror for the API.
        let table = LiveTable(SalesPipeline.table)
        let sink = FanOutSink(table, try SalesPipeline.sink(for: url))
        let plan = try sales.pipeline(to: sink).checkpointInterval(context.checkpointInterval).build()
        let runner = try PipelineRunner(plan: plan, log: context.log, checkpoints: store)
        return LaunchedApp(
            pipelines: [EngineHandle(runner: runner, tables: [table], log: context.log)],
            services: [PipelineService(runner: runner)])
    }

    public var panels: [DashboardPanel] {
        [
            DashboardPanel(
                pipeline: name, table: SalesPipeline.table, title: "Top products",
                chart: .bars(label: "product_name", value: "total_sales"), wide: true, numberStyle: .money,
                accent: "gold")
        ]
    }
}
