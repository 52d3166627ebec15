/// Kafka's topic-name rule: 1 to 249 characters from `[a-zA-Z0-9._-]`, and not `.` or `..`.
///
/// ```swift
/// try TopicName.validate("motion")          // ok
/// try TopicName.validate("vendas/2024")     // throws LogError.invalidTopicName
/// ```
public enum TopicName {
    public static let maxLength = 249

    public static func validate(_ name: String) throws(LogError) {
        if name.isEmpty { throw .invalidTopicName(name, reason: "the name is empty") }
        if name == "." || name == ".." {
            throw .invalidTopicName(name, reason: "'.' and '..' are not allowed")
        }
        let utf8 = name.utf8
        if utf8.count > maxLength {
            throw .invalidTopicName(
                name, reason: "the name has \(utf8.count) characters; at most \(maxLength) allowed")
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "-"):
                continue
            default:
                throw .invalidTopicName(
                    name, reason: "only letters, digits, '.', '_' and '-' are allowed (Kafka's rule)")
            }
        }
    }

    /// Partition counts a topic may have.
    static let partitionRange = 1...10_000

    static func validate(partitions: Int) throws(LogError) {
        guard partitionRange.contains(partitions) else { throw .invalidPartitionCount(partitions) }
    }
}
