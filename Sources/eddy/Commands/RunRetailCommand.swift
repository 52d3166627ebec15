import ArgumentParser
import Dispatch
import EddyApps
import EddyBenchmarks
import EddyLog
import EddyStream
import Foundation

/// `eddy run retail`: seed 002's job on topic `motion`, printed like Spark's console sink.
///
/// ```text
/// eddy run retail                                  # continuous, Batch: N tables of areas
/// eddy run retail --trigger once --format json     # process what is there, one JSON object per row
/// eddy run retail --output top --trigger 5s        # busiest areas every 5 seconds
/// ```
struct RunRetail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retail",
        abstract: "Traffic and dwell time per store area from motion-sensor readings (seed 002).",
        discussion: """
            Reads the topic, drops readings without duration or location, and keeps four live tables: areas \
            (total_duration, total_traffic, avg_duration per location, the seed's query), windows (traffic per \
            location per 1-minute window), customers (dwell time per customer and location) and top (busiest \
            areas). --output chooses the one printed. State and offsets are checkpointed under \
            <data-dir>/checkpoints/<pipeline>/; a restart resumes there (--reset starts over).
            """)

    @OptionGroup var dataDir: DataDirOptions

    @Option(help: "Topic to read.")
    var topic: String = "motion"

    @Option(help: "continuous, once, or a micro-batch interval such as 1s or 500ms.")
    var trigger: String = "continuous"

    @Option(help: "table (Spark-style Batch: N tables) or json (one object per result row, with its batch).")
    var format: Format = .table

    @Option(help: "Table to print: areas, windows, customers or top.")
    var output: RetailPipeline.Output = .areas

    @Option(help: "Rows in the top table.")
    var top: Int = 3

    @Option(help: "Seconds between checkpoints while running (they are also written on stop).")
    var checkpointInterval: Double = 5

    @Option(
        help: "Cap on records per batch (bounds batch size and lets --trigger once checkpoint as it goes).")
    var maxRecordsPerBatch: Int?

    @Option(help: "Name of the pipeline (its checkpoint folder).")
    var name: String = "retail"

    @Option(help: "Parallel workers (partitions, or slices of them, are shared among them).")
    var workers: Int = 2

    @Flag(help: "Run only the seed's query (the areas table), as the benchmark does.")
    var seedQueryOnly = false

    @Flag(help: "Delete the pipeline's checkpoint and start from the beginning of the topic.")
    var reset = false

    @Flag(help: "Start at the end of the topic instead of the beginning (when there is no checkpoint).")
    var latest = false

    @Option(help: .hidden)
    var benchmarkEvents: Int?

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    func run() async throws {
        if let benchmarkEvents {
            // The same measurement `eddy bench retail` makes, reachable before that command exists.
            let me = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
            print(try await RetailBenchmark.run(eddy: me, events: benchmarkEvents, workers: workers))
            return
        }
        guard let trigger = Trigger(parsing: trigger) else {
            throw ValidationError(
                "--trigger must be continuous, once, or an interval such as 1s (got '\(self.trigger)')")
        }
        try Self.checkInterval(checkpointInterval)
        if let maxRecordsPerBatch, maxRecordsPerBatch < 1 {
            throw ValidationError(
                "--max-records-per-batch must be at least 1 (got \(maxRecordsPerBatch)); omit it for no cap")
        }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1 (got \(workers))") }
        guard top >= 1 else { throw ValidationError("--top must be at least 1 (got \(top))") }
        let directory = dataDir.path
        let log = try dataDir.openLog(flush: .default)
        let store = CheckpointStore(dataDirectory: directory, pipeline: name)
        if reset { try store.reset() }

        let retail = RetailPipeline(name: name, topic: topic, topN: top)
        let sink: any Sink = format == .json ? JSONLinesSink() : ConsoleSink()
        if seedQueryOnly && output != .areas {
            throw ValidationError(
                "--seed-query-only produces the areas table only; drop --output \(output.rawValue)")
        }
        let base =
            seedQueryOnly
            ? retail.areasPipeline(to: FanOutSink(retail.areas, sink)).workers(workers)
            : retail.pipeline(display: output, to: sink).workers(workers)
        var pipeline =
            base
            .trigger(trigger)
            .checkpointInterval(.milliseconds(Int64(checkpointInterval * 1000)))
            .maxRecordsPerBatch(maxRecordsPerBatch)
        if latest {
            pipeline = pipeline.source(topic: topic, schema: RetailPipeline.schema, startingOffsets: .latest)
        }
        let runner = try PipelineRunner(plan: pipeline.build(), log: log, checkpoints: store)
        let signals = Self.stopOnSignals(runner)
        defer { signals.forEach { $0.cancel() } }
        try await runner.run()
    }

    /// Refuses a checkpoint interval that is negative, not a number, or beyond a year (it becomes milliseconds).
    static func checkInterval(_ seconds: Double) throws {
        guard !(seconds < 0) else {
            throw ValidationError("--checkpoint-interval must not be negative (got \(seconds))")
        }
        guard seconds.isFinite, seconds <= 366 * 86_400 else {
            throw ValidationError(
                "--checkpoint-interval must be a number of seconds up to 31622400 (got \(seconds))")
        }
    }

    /// SIGINT/SIGTERM finish the current batch, checkpoint and exit; a second signal exits at once.
    static func stopOnSignals(_ runner: PipelineRunner) -> [any DispatchSourceSignal] {
        let seen = SignalCount()
        return [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if seen.increment() > 1 { _exit(130) }
                runner.stop()
            }
            source.resume()
            return source
        }
    }
}

extension RetailPipeline.Output: ExpressibleByArgument {}

private final class SignalCount: @unchecked Sendable {
    private var count = 0
    private let lock = NSLock()

    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
}
