/// Why training did not start.
public enum ALSError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidParameter(String)
    case noRatings

    public var description: String {
        switch self {
        case .invalidParameter(let message): return message
        case .noRatings: return "no ratings to train on"
        }
    }
}
