import ArgumentParser
import EddyBenchmarks
import Foundation

/// `eddy bench sales`: seed 003's job over orders already in the log, into SQLite, beside DuckDB.
///
/// ```text
/// eddy bench sales --orders 1000000 --compare-duckdb
/// ```
struct BenchSalesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sales",
        abstract: "Measure the sales pipeline (validate, explode, exact totals per product → SQLite).",
        discussion: """
            Writes N generated orders to a file log in a temporary directory, runs the sales pipeline over them \
            (--trigger once) several times and prints orders/s overall and for processing alone (the SQLite \
            sink's time is reported separately), plus the CPU time used; every run's table is checked against \
            the generator's totals. With --compare-duckdb, DuckDB runs the same aggregation over the same \
            orders as JSON lines, through a Python that has the duckdb package.
            """)

    @Option(help: "Orders to generate and process.")
    var orders: Int = 1_000_000

    @Option(help: "Partitions of the orders topic.")
    var partitions: Int = 2

    @Option(help: "Workers of the compiled path (at most one per partition).")
    var workers: Int = 2

    @Option(help: "Runs; the best and the median are reported.")
    var runs: Int = 3

    @Flag(help: "Also time DuckDB on the same orders.")
    var compareDuckdb = false

    @Option(help: "Python with the duckdb package, for --compare-duckdb.")
    var python: String = ".build/venv/bin/python"

    func validate() throws {
        guard orders > 0 else { throw ValidationError("--orders must be positive") }
        guard partitions > 0, workers > 0, runs > 0 else {
            throw ValidationError("--partitions, --workers and --runs must be positive")
        }
        if compareDuckdb && !FileManager.default.isExecutableFile(atPath: python) {
            throw ValidationError(
                "--compare-duckdb needs a Python with duckdb at \(python); create one with "
                    + "'python3 -m venv .build/venv && .build/venv/bin/pip install duckdb' or pass --python")
        }
    }

    func run() async throws {
        print(
            try await SalesBenchmark.run(
                orders: orders, partitions: partitions, workers: workers, runs: runs,
                python: compareDuckdb ? python : nil))
    }
}
