import ArgumentParser
import EddyApps
import EddyConnectors
import EddyLog
import EddyStream
import Foundation

/// `eddy run sales`: seed 003's job — explode each order's products and total the sales per product into a
/// database table, exactly once.
///
/// ```text
/// eddy run sales                                             # → <data-dir>/sales.sqlite, table product_sales
/// eddy run sales --sink postgres://eddy@127.0.0.1:5432/shop  # → PostgreSQL (numeric columns)
/// eddy run sales --sink console --trigger 5s                 # Spark-style Batch: N tables
/// ```
struct RunSales: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sales",
        abstract: "Sales totals per product from e-commerce orders (seed 003), into SQLite or PostgreSQL.",
        discussion: """
            Reads the orders topic, explodes products and keeps per product: total_sales (Σ quantity × price, \
            exact decimal), units, orders and updated_at, upserted into product_sales each batch. Invalid \
            orders (non-positive quantity or price, no products, total_value ≠ Σ quantity × price, unreadable \
            sale_datetime) go to <topic>.dlq with the reason. With a database sink each batch's rows and the \
            topic offsets commit in one transaction: after a crash the run resumes exactly after the last \
            committed batch. Query the result with: sqlite3 <data-dir>/sales.sqlite 'SELECT * FROM product_sales'.
            """)

    @OptionGroup var dataDir: DataDirOptions

    @Option(help: "Topic to read.")
    var topic: String = SalesPipeline.defaultTopic

    @Option(
        help: ArgumentHelp(
            "Where totals go: sqlite:PATH, postgres://USER[:PASSWORD]@HOST:PORT/DB, parquet:DIR, csv:DIR or console "
                + "(default: sqlite:<data-dir>/sales.sqlite).",
            valueName: "sink"))
    var sink: String?

    @Option(help: "continuous, once, or a micro-batch interval such as 1s or 500ms.")
    var trigger: String = "continuous"

    @Option(help: "Seconds between engine checkpoints while running (they are also written on stop).")
    var checkpointInterval: Double = 5

    @Option(help: "Name of the pipeline (its checkpoint folder and its rows in eddy_offsets).")
    var name: String = "sales"

    @Option(help: "Cap on the orders one batch (one database transaction) reads; default: the engine's.")
    var maxBatchRecords: Int?

    func run() async throws {
        guard let trigger = Trigger(parsing: trigger) else {
            throw ValidationError(
                "--trigger must be continuous, once, or an interval such as 1s (got '\(self.trigger)')")
        }
        try RunRetail.checkInterval(checkpointInterval)
        if let maxBatchRecords, maxBatchRecords < 1 {
            throw ValidationError(
                "--max-batch-records must be at least 1 (got \(maxBatchRecords)); omit it for the engine's default"
            )
        }
        let directory = dataDir.path
        let log = try dataDir.openLog(flush: .default)
        let sales = SalesPipeline(name: name, topic: topic)

        let target: String
        let pipeline: Pipeline
        if sink == "console" {
            target = "console"
            pipeline = sales.pipeline(to: ConsoleSink(), mode: .complete)
        } else {
            let url: SinkURL
            do {
                url = try SinkURL(parsing: sink ?? "sqlite:\(directory)/sales.sqlite")
            } catch {
                throw ValidationError("--sink: \(error)")
            }
            target = url.description
            pipeline = sales.pipeline(to: try SalesPipeline.sink(for: url))
        }
        let runner = try PipelineRunner(
            plan: pipeline.trigger(trigger).checkpointInterval(
                .milliseconds(Int64(checkpointInterval * 1000))
            )
            .maxRecordsPerBatch(maxBatchRecords)
            .build(),
            log: log, checkpoints: CheckpointStore(dataDirectory: directory, pipeline: name))
        FileHandle.standardError.write(
            Data(
                "sales: reading '\(topic)' → \(target) (table \(SalesPipeline.table)), trigger \(trigger)\n"
                    .utf8))
        let signals = RunRetail.stopOnSignals(runner)
        defer { signals.forEach { $0.cancel() } }
        try await runner.run()
        let status = runner.status
        FileHandle.standardError.write(
            Data(
                "sales: stopped after \(status.recordsIn) orders; \(status.deadLetters) sent to '\(topic).dlq'\n"
                    .utf8))
    }
}
