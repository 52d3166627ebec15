import EddyConnectors
import EddyLog
public import EddyServer
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
                    "sqlite:PATH, postgres://USER[:PASSWORD]@HOST:PORT/DB, or console (Spark's console sink, "
                    + "complete mode)",
                defaultValue: "sqlite:<data-dir>/sales.sqlite"
            ) { text in if text != "console" { _ = try SinkURL(parsing: text) } }
        ]
    }

    /// `eddy simulate sales N`: seed 003's orders.
    public static let orders = AppSimulator(
        "sales", summary: "E-commerce orders in seed 003's shape, one JSON object per line.",
        details: """
            Fields: order_id (UUID v4), client_document (11-digit CPF with valid check digits), products \
            (1-5 items of {product_name, quantity 1-5, price}), total_value (the sum of quantity x price, \
            exact to the cent), sale_datetime (ISO-8601 UTC). With --to, records are keyed by \
            client_document.

            Examples:
              eddy simulate sales 1000 --seed 7
              eddy simulate sales 5000 --rate 50 --to ecommerce_sales
            """,
        topic: SalesPipeline.defaultTopic, unit: "orders"
    ) { run in SalesSimulator(seed: run.seed, clock: run.clock) }

    public var simulators: [AppSimulator] { [Self.orders] }

    public var demoFeeds: [DemoFeed] { [DemoFeed(Self.orders, defaultRate: 100)] }

    public func launch(_ context: AppLaunchContext) throws -> LaunchedApp {
        let instance = context.instance ?? name
        let store = CheckpointStore(dataDirectory: context.dataDirectory, pipeline: instance)
        if context.reset { try store.reset() }
        let topic = context.settings["topic"] ?? SalesPipeline.defaultTopic
        let sales = SalesPipeline(name: instance, topic: topic)
        // The database is the exactly-once record; the live table is its in-memory mirror for the API.
        let table = LiveTable(SalesPipeline.table)
        let pipeline: Pipeline
        let target: String
        if context.settings["sink"] == "console" {
            target = "console"
            pipeline = sales.pipeline(
                to: FanOutSink(table, context.consoleSink ?? ConsoleSink()), mode: .complete)
        } else {
            let url =
                try context.settings["sink"].map(SinkURL.init(parsing:))
                ?? .sqlite(path: context.dataDirectory + "/sales.sqlite")
            if context.reset, case .sqlite(let database) = url {
                try? FileManager.default.removeItem(atPath: database)
            }
            target = url.description
            pipeline = sales.pipeline(to: FanOutSink(table, try SalesPipeline.sink(for: url)))
        }
        let runner = try PipelineRunner(
            plan: context.configure(pipeline).build(), log: context.log, checkpoints: store)
        return LaunchedApp(
            pipelines: [EngineHandle(runner: runner, tables: [table], log: context.log)],
            services: [PipelineService(runner: runner)],
            summary:
                "reading '\(topic)' → \(target) (table \(SalesPipeline.table)); invalid orders → '\(topic).dlq'"
        )
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
