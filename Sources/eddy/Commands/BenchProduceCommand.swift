import ArgumentParser
import EddyBenchmarks
import Foundation

/// `eddy bench produce`: times `eddy produce` on a file of a million motion readings.
struct BenchProduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract:
            "Time `eddy produce` appending a file of seeded motion readings (1M lines by default), and `eddy consume` reading them back.",
        discussion:
            "Runs this same eddy binary as a child process, stdin from the file, each run on a fresh data directory, and checks afterwards that every record is in the topic."
    )

    @Option(help: "Lines in the input file.")
    var records: Int = 1_000_000

    @Option(help: "Timed runs; the best and the median are reported.")
    var runs: Int = 3

    @Option(help: FlushChoice.help)
    var flush: FlushChoice = .interval

    @Option(help: ArgumentHelp("Also key records by this JSON field (e.g. id_sensor).", valueName: "field"))
    var keyField: String?

    @Option(
        help: ArgumentHelp(
            "Directory for the input file and data directories (default: the system temporary directory).",
            valueName: "path"))
    var workDir: String?

    func validate() throws {
        guard records > 0 else { throw ValidationError("--records must be positive") }
        guard runs > 0 else { throw ValidationError("--runs must be positive") }
    }

    func run() async throws {
        let report = try await ProduceBenchmark.run(
            eddy: Self.currentExecutable(), records: records, runs: runs, flush: flush.rawValue,
            keyField: keyField, workDirectory: workDir)
        print(report, terminator: "")
    }

    /// This process's own binary, so the benchmark measures the build it was run from.
    static func currentExecutable() -> String {
        #if os(Linux)
            if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
                return resolved
            }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }
}
