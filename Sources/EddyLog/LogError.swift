/// Errors from the log. Each says what went wrong; the CLI adds how to fix it with its own commands and
/// flags (`Sources/eddy/Support/CLIHints.swift`), so this layer never names them.
public enum LogError: Error, Sendable, Equatable, CustomStringConvertible {
    case topicNotFound(String)
    case topicAlreadyExists(String)
    case invalidTopicName(String, reason: String)
    case invalidPartitionCount(Int)
    case partitionNotFound(TopicPartition, partitions: Int)
    case recordTooLarge(size: Int, max: Int)
    case offsetOutOfRange(TopicPartition, requested: Offset, start: Offset, end: Offset)
    /// Another process holds the write lock of this data directory or topic.
    case locked(path: String, holder: String)
    case io(path: String, operation: String, errno: Int32)
    case corrupt(path: String, detail: String)
    /// Client-encoded record batches that are malformed (not v2, truncated, inconsistent counts).
    case invalidBatch(TopicPartition, reason: String)
    /// Client-encoded record batches whose CRC-32C does not match: damaged in transit.
    case corruptBatch(TopicPartition, reason: String)
    /// A compressed batch whose codec is unknown or whose library is not installed.
    case unsupportedCompression(String)
    /// The data directory was removed, or replaced by another directory of the same name, while the log had
    /// it open: nothing more is written, so nothing lands in the wrong place.
    case dataDirectoryLost(path: String, detail: String)

    public var description: String {
        switch self {
        case .topicNotFound(let name):
            return "topic '\(name)' does not exist"
        case .topicAlreadyExists(let name):
            return "topic '\(name)' already exists"
        case .invalidTopicName(let name, let reason):
            return "invalid topic name '\(name)': \(reason)"
        case .invalidPartitionCount(let n):
            return "invalid partition count \(n): a topic needs between 1 and 10000 partitions"
        case .partitionNotFound(let tp, let partitions):
            return
                "partition \(tp.partition) does not exist: topic '\(tp.topic)' has partitions 0...\(partitions - 1)"
        case .recordTooLarge(let size, let max):
            return
                "record of \(size) bytes is over the maximum of \(max) bytes"
        case .offsetOutOfRange(let tp, let requested, let start, let end):
            return "offset \(requested) is out of range for \(tp): valid offsets are \(start)..<\(end)"
        case .locked(let path, let holder):
            return "\(path) is in use by another eddy process (\(holder))"
        case .io(let path, let operation, let errno):
            return "\(operation) \(path) failed: \(String(cString: strerror(errno))) (errno \(errno))"
        case .corrupt(let path, let detail):
            return "\(path) is damaged: \(detail)"
        case .invalidBatch(let tp, let reason):
            return "invalid record batch for \(tp): \(reason)"
        case .corruptBatch(let tp, let reason):
            return "corrupt record batch for \(tp): \(reason); the producer should resend it"
        case .unsupportedCompression(let detail):
            return detail
        case .dataDirectoryLost(let path, let detail):
            return "data directory \(path) \(detail) while in use; stopped writing to it"
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
