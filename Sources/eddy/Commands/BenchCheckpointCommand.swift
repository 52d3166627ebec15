import ArgumentParser
import EddyBenchmarks

/// `eddy bench checkpoint`: bytes and time of a full checkpoint against a delta of the changed groups.
///
/// ```text
/// eddy bench checkpoint --groups 1000000 --changed 1000
/// ```
struct BenchCheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Measure a full checkpoint against an incremental one (only the changed groups).",
        discussion: """
            Builds a state of N groups (one record each, through a real pipeline on an in-memory log), updates \
            --changed of them, and prints bytes written and time of a full snapshot and of a delta, and the \
            time to restore base + delta into a new runner. Checkpoints go to a temporary directory.
            """)

    @Option(help: "Groups in the state.")
    var groups: Int = 1_000_000

    @Option(help: "Groups changed before each checkpoint.")
    var changed: Int = 1_000

    func validate() throws {
        guard groups > 0 else { throw ValidationError("--groups must be positive") }
        guard changed > 0, changed <= groups else {
            throw ValidationError("--changed must be between 1 and --groups")
        }
    }

    func run() async throws {
        print(try await CheckpointBenchmark.run(groups: groups, changed: changed))
    }
}
