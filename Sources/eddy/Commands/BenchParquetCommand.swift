import ArgumentParser
import EddyBenchmarks
import Foundation

/// `eddy bench parquet`: Eddy's Parquet writer and reader against pyarrow and DuckDB.
struct BenchParquetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parquet",
        abstract: "Measure Parquet writing and reading of motion readings against pyarrow and DuckDB.",
        discussion: """
            Generates seed 002 readings, writes them with ZSTD and dictionary encoding, reads them back, and \
            runs pyarrow's write_table / read_table(use_threads=False) and DuckDB's COPY … TO on the same \
            table when --python has pyarrow and duckdb (scripts/test installs them into .build/venv). \
            With --sink, measures the Parquet sink instead: the readings as result rows in append batches \
            through FileSink (commit log and all), against the retail pipeline's 1M events/s.
            """)

    @Option(help: "Readings to write.")
    var records: Int = 5_000_000

    @Option(help: "Python with pyarrow and duckdb (skipped when missing).")
    var python: String = ".build/venv/bin/python"

    @Option(help: "Timed runs of each step; the best counts.")
    var repeats: Int = 3

    @Flag(help: "Measure the Parquet sink (FileSink, parquet:DIR) instead of the reader and writer.")
    var sink = false

    @Option(help: "Rows per sink batch (with --sink).")
    var batchRows: Int = 100_000

    func validate() throws {
        guard records > 0 else { throw ValidationError("--records must be positive") }
        guard repeats > 0 else { throw ValidationError("--repeats must be positive") }
        guard batchRows > 0 else { throw ValidationError("--batch-rows must be positive") }
    }

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "eddy-bench-parquet-\(getpid())"
        ).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        if sink {
            print(
                try await ParquetSinkBenchmark.run(
                    records: records, batchRows: batchRows, repeats: repeats, folder: folder))
            return
        }
        let python = FileManager.default.isExecutableFile(atPath: python) ? python : nil
        print(try ParquetBenchmark.run(records: records, python: python, repeats: repeats, folder: folder))
    }
}
