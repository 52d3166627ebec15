/// Why ratings input was refused. Each case names the line (1-based) so the user can fix the file.
public enum RatingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not a JSON object, or broken JSON.
    case malformed(line: Int, reason: String)
    case missingField(line: Int, field: String)
    case invalidField(line: Int, field: String, reason: String)
    case unreadable(path: String, reason: String)
    case empty(source: String)

    public var description: String {
        switch self {
        case .malformed(let line, let reason):
            return "line \(line): not a JSON object of a rating: \(reason)"
        case .missingField(let line, let field):
            return
                "line \(line): missing field \"\(field)\" (expected {\"user_id\", \"item_id\", \"rating\"})"
        case .invalidField(let line, let field, let reason):
            return "line \(line): field \"\(field)\" \(reason)"
        case .unreadable(let path, let reason):
            return "cannot read '\(path)': \(reason)"
        case .empty(let source):
            return "no ratings in \(source)"
        }
    }
}
