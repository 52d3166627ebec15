import EddyLog
import EddyStream

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
        case .pipelineRunning: "stop it first, or give this run another pipeline name (--name)"
        case .log(let error): error.hint
        default: nil
        }
    }

    var withHint: String {
        hint.map { "\(description); \($0)" } ?? description
    }
}
