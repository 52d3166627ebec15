import ArgumentParser
import EddyBenchmarks
import Foundation

/// `eddy bench parquet`: Eddy's Parquet writer and reader against pyarrow and DuckDB.
struct BenchParquetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parquet",
        abstract: "Measure Parquet writing and reading of motion readings against pyarrow and DuckDB.",
        discussion: """
            Generates seed 002 readings, writes them with ZSTD and dictionary encoding, reads them back, and \
            runs pyarrow's write_table / read_table(use_threads=False) and DuckDB's COPY … TO on the same \
            table when --python has pyarrow and duckdb (scripts/test installs them into .build/venv).
            """)

    @Option(help: "Readings to write.")
    var records: Int = 5_000_000

    @Option(help: "Python with pyarrow and duckdb (skipped when missing).")
    var python: String = ".build/venv/bin/python"

    @Option(help: "Timed runs of each step; the best counts.")
    var repeats: Int = 3

    func validate() throws {
        guard records > 0 else { throw ValidationError("--records must be positive") }
        guard repeats > 0 else { throw ValidationError("--repeats must be positive") }
    }

    func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "eddy-bench-parquet-\(getpid())"
        ).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let python = FileManager.default.isExecutableFile(atPath: python) ? python : nil
        print(try ParquetBenchmark.run(records: records, python: python, repeats: repeats, folder: folder))
    }
}
