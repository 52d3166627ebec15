/// Why bytes are not a valid Kafka message: what the broker logs before closing the connection.
public enum KafkaCodecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message ended before a field it declares.
    case truncated(field: String)
    /// A length or count that cannot be right (negative, or larger than the bytes left).
    case invalidLength(field: String, length: Int)
    /// A string that is not UTF-8.
    case invalidString(field: String)
    /// A varint longer than its type allows.
    case invalidVarint
    /// A null where the schema allows none.
    case unexpectedNull(field: String)

    public var description: String {
        switch self {
        case .truncated(let field): "message truncated in \(field)"
        case .invalidLength(let field, let length): "invalid length \(length) for \(field)"
        case .invalidString(let field): "\(field) is not valid UTF-8"
        case .invalidVarint: "malformed varint"
        case .unexpectedNull(let field): "\(field) is null where the schema forbids it"
        }
    }
}
