import EddyLog
import EddyStream
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

// Lower layers say what went wrong; the CLI says what to do about it with its own commands and flags.
// Matched by error type and case, never by message text.

extension LogError {
    /// The CLI's next step for this error, if there is one.
    var hint: String? {
        switch self {
        case .topicNotFound(let name): "create it with: eddy topics create \(name)"
        case .topicAlreadyExists(let name): "see it with: eddy topics describe \(name)"
        case .recordTooLarge: "raise it with --max-record-bytes"
        case .locked: "stop it or use another --data-dir"
        case .io(_, _, let errno) where errno == ENOSPC: DiskFull.hint
        default: nil
        }
    }

    /// The message and the hint, as one line.
    var withHint: String {
        hint.map { "\(description); \($0)" } ?? description
    }
}

extension PipelineError {
    var hint: String? {
        switch self {
        case .checkpointMismatch, .checkpointNotResumable:
            "start over with --reset (deletes the checkpoint) or use another pipeline name"
        case .checkpointCorrupt: "start over with --reset"
        case .checkpointIO(_, _, let errno) where errno == ENOSPC: DiskFull.hint
        case .pipelineRunning: "stop it first, or give this run another pipeline name (--name)"
        case .log(let error): error.hint
        default: nil
        }
    }

    var withHint: String {
        hint.map { "\(description); \($0)" } ?? description
    }
}

/// A full disk stops the command (rather than pausing it): what was acknowledged is stored and a pipeline's
/// checkpoint is its last complete one, so once there is space a rerun continues exactly (README "Disk full").
enum DiskFull {
    /// The data directory this process opened, for the hint (set by ``DataDirOptions/openLog(flush:maxRecordBytes:)``).
    static let dataDirectory = Mutex<String?>(nil)

    static func remember(_ path: String) { dataDirectory.withLock { $0 = path } }

    static var hint: String {
        let directory = dataDirectory.withLock { $0 }.map { "data directory \($0)" } ?? "the data directory"
        return "the disk holding \(directory) is full (ENOSPC); free space there and run again"
    }
}
