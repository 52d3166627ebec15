import ArgumentParser
import EddyApps
import EddyLog
import EddySQL
import EddyServer
import EddyStream
import Foundation

/// `eddy sql "SELECT …"`: one streaming SQL query over a topic, planned into the same pipeline the Swift API
/// builds and run in the foreground.
///
/// ```text
/// eddy sql "SELECT location, count(*) AS n FROM motion GROUP BY location" --trigger once --format json
/// eddy sql "SELECT * FROM motion WHERE duration > 250" --explain
/// ```
struct SQLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run a streaming SQL query over a topic (results printed as they change).",
        discussion: """
            FROM names a source declared in the text (CREATE SOURCE name (…) WITH (topic = '…') ; SELECT …) \
            or a topic, whose schema is then inferred from a sample of its records (ISO-8601 strings are \
            TIMESTAMP, integers BIGINT, other numbers DOUBLE; --explain shows it). Aggregations default to \
            complete mode, other queries to append. Without --name nothing is checkpointed: each run reads \
            the topic from the beginning. For files of queries with sinks, use eddy run --file FILE.sql.
            """)

    @Argument(
        help: ArgumentHelp(
            "The query (CREATE SOURCE statements may come first, separated by ';').", valueName: "query"))
    var query: String

    @OptionGroup var dataDir: DataDirOptions

    @Option(help: "continuous, once, or a micro-batch interval such as 1s or 500ms.")
    var trigger: String = "continuous"

    @Option(help: "table (Spark-style Batch: N tables) or json (one object per result row, with its batch).")
    var format: AppLaunchContext.Console = .table

    @Option(help: "append, update or complete (default: complete for an aggregation, else append).")
    var mode: String?

    @Flag(help: "Print the plan (schema, scanned columns, operators, state) instead of running.")
    var explain = false

    @Option(help: "Keep state and offsets under <data-dir>/checkpoints/<name>/ and resume there.")
    var name: String?

    func run() async throws {
        guard let trigger = Trigger(parsing: trigger) else {
            throw CLIError.invalidArgument(
                "--trigger must be continuous, once, or an interval such as 1s (got '\(self.trigger)')")
        }
        var outputMode: OutputMode?
        if let mode {
            guard let m = OutputMode(rawValue: mode) else {
                throw CLIError.invalidArgument("--mode must be append, update or complete (got '\(mode)')")
            }
            outputMode = m
        }
        let log = try dataDir.openLog(flush: .default)
        var catalog = SQLCommand.catalog(log: log)
        let planned: SQLQuery
        do {
            planned = try SQLPlanner.plan(query, catalog: &catalog, table: name ?? "sql", mode: outputMode)
        } catch {
            throw CLIError.invalidArgument(error.description)
        }
        let sink: any Sink = format == .json ? JSONLinesSink() : ConsoleSink()
        let pipeline = planned.pipeline(named: name ?? "sql", to: sink).trigger(trigger)
        let plan = try pipeline.build()
        if explain {
            print(SQLExplain.text(planned, plan: plan))
            return
        }
        let checkpoints = name.map { CheckpointStore(dataDirectory: dataDir.path, pipeline: $0) }
        let runner = try PipelineRunner(plan: plan, log: log, checkpoints: checkpoints)
        try await RunCommand.runUntilStopped([PipelineService(runner: runner)], log: log)
    }

    /// Sources a query names: declared in the text, else a topic of the log, its schema inferred from a sample.
    static func catalog(log: any Log) -> SQLCatalog {
        SQLCatalog { topic in try SchemaInference.sample(log: log, topic: topic) }
    }

    /// The sink a SQL file's output writes to: its `sink` option, or the console as `--format` says.
    static func sink(for output: SQLScript.Output, console: AppLaunchContext.Console, log: any Log) throws
        -> any Sink
    {
        let printed: any Sink = console == .json ? JSONLinesSink(includeTable: true) : ConsoleSink()
        do {
            return try SQLSinkFactory.sink(for: output, console: printed, log: log) ?? printed
        } catch let error as SQLSinkFactory.UnknownSink {
            let at = output.sink.map { " (sink '\($0.name)' at \($0.position))" } ?? ""
            throw CLIError.invalidArgument(error.description + at)
        }
    }
}
