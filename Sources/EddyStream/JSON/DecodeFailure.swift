/// Why a record cannot become a row at all; such a record goes to the dead-letter topic with ``reason``
/// (and ``description``) in its headers.
///
/// A problem with one field is *not* a failure: following Spark's `from_json`, that field is null and the row
/// still flows. Only a document that is not valid UTF-8, not a JSON object, or not well-formed JSON fails.
///
/// ```swift
/// switch decoder.decode(bytes) {
/// case .success(let row): emit(row)
/// case .failure(let failure): deadLetter(bytes, headers: ["eddy.dlq.reason": failure.reason,
///                                                         "eddy.dlq.detail": failure.description])
/// }
/// ```
public enum DecodeFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bytes are not valid UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF);
    /// `byteOffset` is where the first bad sequence starts.
    case invalidUTF8(byteOffset: Int)
    /// The document is valid JSON-ish text but its top-level value is not an object (`found` names what it
    /// is: "array", "string", "number", "boolean", "null", "empty document" or the unexpected byte).
    case notAnObject(found: String)
    /// The document starts as an object but is not well-formed JSON (truncated, bad token, nesting too
    /// deep, trailing characters); `byteOffset` is where the problem was seen.
    case malformedJSON(byteOffset: Int, detail: String)

    /// A short machine-readable code for dead-letter headers and metrics labels.
    public var reason: String {
        switch self {
        case .invalidUTF8: "invalid_utf8"
        case .notAnObject: "not_an_object"
        case .malformedJSON: "malformed_json"
        }
    }

    /// Where in the document the problem was seen, when that is meaningful.
    public var byteOffset: Int? {
        switch self {
        case .invalidUTF8(let offset), .malformedJSON(let offset, _): offset
        case .notAnObject: nil
        }
    }

    public var description: String {
        switch self {
        case .invalidUTF8(let offset):
            "record is not valid UTF-8 (bad byte sequence at offset \(offset)); producers must send UTF-8 JSON"
        case .notAnObject(let found):
            "record is not a JSON object (found \(found)); each record must be one JSON object"
        case .malformedJSON(let offset, let detail):
            "record is not well-formed JSON at byte \(offset): \(detail)"
        }
    }
}
