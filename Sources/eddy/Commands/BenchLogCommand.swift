import ArgumentParser
import EddyBenchmarks

/// `eddy bench log`: the embedded log's own append and read throughput, in process.
struct BenchLogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Measure FileLog append throughput under each flush policy, and sequential reads.",
        discussion:
            "Appends fixed-size keyless records in batches to a one-partition topic in a temporary data directory, then reads them all back."
    )

    @Option(help: "Records appended under the interval and os policies.")
    var records: Int = 2_000_000

    @Option(help: "Records appended under the always policy (one fsync per batch, so the disk bounds it).")
    var alwaysRecords: Int = 200_000

    @Option(help: "Bytes per record value.")
    var recordBytes: Int = 200

    @Option(help: "Records per append call.")
    var batchSize: Int = 1000

    @Option(
        help: ArgumentHelp(
            "Directory for the temporary data directories (default: the system temporary directory).",
            valueName: "path"))
    var workDir: String?

    func validate() throws {
        guard records > 0, alwaysRecords > 0, recordBytes > 0, batchSize > 0 else {
            throw ValidationError(
                "--records, --always-records, --record-bytes and --batch-size must be positive")
        }
    }

    func run() async throws {
        let report = try await LogBenchmark.run(
            records: records, alwaysRecords: alwaysRecords, recordBytes: recordBytes, batchSize: batchSize,
            workDirectory: workDir)
        print(report)
    }
}
