import ArgumentParser
import EddyBenchmarks
import Foundation

/// `eddy bench sql FILE`: each query of FILE by `eddy sql` and by DuckDB over the same events, side by side.
///
/// ```text
/// eddy bench sql examples/sql/bench.sql --events 1000000 --runs 3
/// ```
struct BenchSQLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Time each query of a SQL file: eddy sql --trigger once against DuckDB, results compared.",
        discussion: """
            Fills a temporary directory with seeded motion readings (topic motion) and sales orders (topic \
            ecommerce_sales), and writes the same events as JSON lines. Each query (after a '-- query: NAME' \
            line; '-- duckdb:' lines give DuckDB's spelling when it differs) runs as `eddy sql … --trigger \
            once --format json` (this binary) and as a Python process with DuckDB from .build/venv (created \
            when missing); both are timed whole, their rows compared. Also reports the median time to parse \
            and plan the query in process.
            """)

    @Argument(help: ArgumentHelp("The benchmark file (see examples/sql/bench.sql).", valueName: "file"))
    var file: String

    @Option(help: "Motion readings in topic motion.")
    var events: Int = 1_000_000

    @Option(help: "Sales orders in topic ecommerce_sales (default: events / 5).")
    var orders: Int?

    @Option(help: "Timed runs of each engine per query; the best is reported.")
    var runs: Int = 3

    @Option(help: ArgumentHelp("The Python virtual environment for DuckDB.", valueName: "path"))
    var venv: String = ".build/venv"

    @Option(
        help: ArgumentHelp("Directory for the temporary data (default: the system's).", valueName: "path"))
    var workDir: String?

    func validate() throws {
        guard events > 0, runs > 0, (orders ?? 1) > 0 else {
            throw ValidationError("--events, --orders and --runs must be positive")
        }
    }

    func run() async throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw CLIError.invalidArgument("cannot read benchmark file '\(file)'")
        }
        let python = try DuckDBRetailQuery.prepareEnvironment(at: venv) { message in
            FileHandle.standardError.write(Data((message + "\n").utf8))
        }
        let report = try SQLBenchmark.run(
            eddy: BenchProduceCommand.currentExecutable(), file: text, events: events,
            orders: orders ?? max(1, events / 5), python: python, runs: runs, workDirectory: workDir)
        print(report, terminator: "")
    }
}
