import EddyLog

/// A failure the CLI reports as one line on stderr (`error: …`) before exiting non-zero. Each case says
/// what to do about it.
enum CLIError: Error, CustomStringConvertible {
    case dataDirectory(path: String, reason: String)
    case recordTooLarge(line: Int, size: Int, max: Int, written: Int)
    case invalidArgument(String)
    case input(reason: String, written: Int)
    /// The log refused a batch (disk full, the topic locked by another writer, …).
    case appendFailed(LogError, written: Int)
    case output(reason: String)

    var description: String {
        switch self {
        case .dataDirectory(let path, let reason):
            return
                "cannot use data directory '\(path)': \(reason); pass a writable one with --data-dir or EDDY_DATA_DIR"
        case .recordTooLarge(let line, let size, let max, let written):
            return
                "line \(line) is \(size) bytes, over the maximum record size of \(max) bytes; raise it with --max-record-bytes (\(written) records before it were written)"
        case .invalidArgument(let message):
            return message
        case .input(let reason, let written):
            return "reading stdin failed: \(reason) (\(written) records before it were written)"
        case .appendFailed(let error, let written):
            return "\(error.withHint) (\(written) records before it were written)"
        case .output(let reason):
            return "writing output failed: \(reason)"
        }
    }
}
