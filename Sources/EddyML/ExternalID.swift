/// A user or item id as it appears in the input: a JSON integer or a JSON string. Models map these to
/// dense indices (``IDMap``) and back, so `42` and `"42"` are different ids.
///
/// ```swift
/// let user: ExternalID = .int(42)
/// print(user)            // 42
/// print(user.json)       // 42   ("\"u-7\"" for .string("u-7"))
/// ```
public enum ExternalID: Hashable, Sendable, CustomStringConvertible {
    case int(Int64)
    case string(String)

    public var description: String {
        switch self {
        case .int(let value): return String(value)
        case .string(let value): return value
        }
    }

    /// The id as a JSON value: a number for integer ids, a quoted and escaped string otherwise.
    public var json: String {
        switch self {
        case .int(let value): return String(value)
        case .string(let value): return JSONText.quoted(value)
        }
    }

    /// Parses a command-line id: an integer when it reads as one, else a string.
    public init(parsing text: String) {
        if let value = Int64(text) { self = .int(value) } else { self = .string(text) }
    }
}
