/// Why a ``FileSink`` could not open its folder, write a batch or read its commit log; each case names the
/// path it is about.
public enum FileSinkError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A system call failed (`operation` is what was attempted, `reason` the system's message).
    case io(operation: String, path: String, reason: String)
    /// A commit-log entry exists but cannot be decoded: the folder was edited by hand or the disk is damaged.
    case corruptLogEntry(path: String, reason: String)
    /// The folder's commit log belongs to another table; each output needs its own folder.
    case otherTable(directory: String, logTable: String, batchTable: String)
    /// A value does not fit its column's declared type.
    case valueMismatch(column: String, expected: String, value: String)
    /// The file writer refused the data (its message names file and column).
    case format(String)
    /// A `parquet:DIR?…` / `csv:DIR?…` option is unknown or has a bad value.
    case option(url: String, reason: String)

    public var description: String {
        switch self {
        case .io(let operation, let path, let reason): "\(path): cannot \(operation): \(reason)"
        case .corruptLogEntry(let path, let reason): "\(path): unreadable commit-log entry: \(reason)"
        case .otherTable(let directory, let logTable, let batchTable):
            "\(directory) holds table '\(logTable)'; table '\(batchTable)' needs a folder of its own"
        case .valueMismatch(let column, let expected, let value):
            "column '\(column)': expected \(expected), got \(value)"
        case .format(let message): message
        case .option(let url, let reason): "\(url): \(reason)"
        }
    }
}
