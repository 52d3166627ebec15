public import ArgumentParser
import EddyBenchmarks
import Foundation

/// `eddy bench retail`: the seed 002 query over events already in the log, against DuckDB side by side.
///
/// ```text
/// eddy bench retail                              # 5M events, 3 partitions, 2 workers
/// eddy bench retail --compare-duckdb --runs 3    # plus DuckDB over the same events as JSON lines
/// eddy bench retail --job seed-query             # the seed query alone (--seed-query-only)
/// ```
struct BenchRetailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retail",
        abstract:
            "Time `eddy run retail --trigger once` (the full job, or the seed query) over events in the log.",
        discussion: """
            Fills a temporary data directory with seeded motion readings (topic motion), runs this same eddy \
            binary as a child process and checks its totals against the generator's. With --compare-duckdb, \
            DuckDB runs the same query over the same readings written as JSON lines, in a Python process from \
            .build/venv (created with `python3 -m venv` and `pip install duckdb` when missing), and its totals \
            are checked too. Reports events/s, whole-process time, CPU time and peak RSS.
            """)

    @Option(
        help: "What to time: full (the four tables of `eddy run retail`) or seed-query (--seed-query-only).")
    var job: RetailBenchmark.Job = .full

    @Option(help: "Events in the topic.")
    var events: Int = 5_000_000

    @Option(help: "Partitions of the topic.")
    var partitions: Int = 3

    @Option(help: "Workers of the compiled path (--workers of eddy run retail).")
    var workers: Int = 2

    @Option(help: "Timed runs of each engine; best and median are reported.")
    var runs: Int = 3

    @Flag(help: "Also run DuckDB on the same events (needs python3; installs duckdb into .build/venv).")
    var compareDuckdb = false

    @Option(help: ArgumentHelp("The Python virtual environment for DuckDB.", valueName: "path"))
    var venv: String = ".build/venv"

    @Option(help: "Seconds of the append-to-live-table latency measurement (0: skip it).")
    var latencySeconds: Double = 3

    @Option(
        help: ArgumentHelp(
            "Directory for the temporary data directory (default: the system temporary directory).",
            valueName: "path"))
    var workDir: String?

    func validate() throws {
        guard events > 0, partitions > 0, workers > 0, runs > 0 else {
            throw ValidationError("--events, --partitions, --workers and --runs must be positive")
        }
        guard latencySeconds >= 0 else { throw ValidationError("--latency-seconds must not be negative") }
    }

    func run() async throws {
        var python: String? = nil
        if compareDuckdb {
            python = try DuckDBRetailQuery.prepareEnvironment(at: venv) { message in
                FileHandle.standardError.write(Data((message + "\n").utf8))
            }
        }
        let report = try await RetailBenchmark.run(
            eddy: BenchProduceCommand.currentExecutable(), job: job, events: events, partitions: partitions,
            workers: workers, runs: runs, duckDBPython: python, latencySeconds: latencySeconds,
            workDirectory: workDir)
        print(report, terminator: "")
    }
}

extension RetailBenchmark.Job: ExpressibleByArgument {}
