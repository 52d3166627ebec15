import EddyStream
public import Hummingbird

/// A request's query parameters, parsed once, with validating readers: every failure names the parameter
/// and says what is allowed.
///
/// ```swift
/// let query = QueryParameters(request)
/// let top = try query.integer("top", in: 1...1000, default: 10)
/// ```
public struct QueryParameters: Sendable {
    /// The query's bytes and its `name=value` pairs as ranges into them, in order. A request has a
    /// handful, so a lookup is a short scan comparing bytes; only the value read is percent-decoded.
    private let bytes: [UInt8]
    private let pairs: [(name: Range<Int>, value: Range<Int>)]

    public init(_ request: Request) {
        self.init(query: request.uri.query ?? "")
    }

    /// `query` is the text after `?`: `&`-separated `name=value` pairs; a pair without `=` has an empty value.
    public init(query: String) {
        let bytes = Array(query.utf8)
        var pairs: [(name: Range<Int>, value: Range<Int>)] = []
        var start = 0
        while start < bytes.count {
            var end = start
            var equals: Int? = nil
            while end < bytes.count, bytes[end] != UInt8(ascii: "&") {
                if equals == nil, bytes[end] == UInt8(ascii: "=") { equals = end }
                end += 1
            }
            if end > start {
                if let equals {
                    pairs.append((start..<equals, equals + 1..<end))
                } else {
                    pairs.append((start..<end, end..<end))
                }
            }
            start = end + 1
        }
        self.bytes = bytes
        self.pairs = pairs
    }

    /// The first value given for `name`, percent-decoded (kept as sent when its escapes are invalid).
    public func string(_ name: String) -> String? {
        for pair in pairs where bytes[pair.name].elementsEqual(name.utf8) {
            let value = String(decoding: bytes[pair.value], as: UTF8.self)
            return PercentDecoding.decode(value) ?? value
        }
        return nil
    }

    public func integer(_ name: String, in range: ClosedRange<Int>, default fallback: Int?) throws(APIError)
        -> Int?
    {
        guard let text = string(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw .badParameter(
                name, "must be an integer \(range.lowerBound)…\(range.upperBound), got '\(Self.clip(text))'")
        }
        return value
    }

    public func bool(_ name: String, default fallback: Bool) throws(APIError) -> Bool {
        guard let text = string(name) else { return fallback }
        switch text.lowercased() {
        case "true", "1", "yes", "": return true
        case "false", "0", "no": return false
        default: throw .badParameter(name, "must be true or false, got '\(Self.clip(text))'")
        }
    }

    public func choice(_ name: String, of choices: [String], default fallback: String) throws(APIError)
        -> String
    {
        guard let text = string(name) else { return fallback }
        guard choices.contains(text) else {
            throw .badParameter(
                name, "must be one of \(choices.joined(separator: ", ")), got '\(Self.clip(text))'")
        }
        return text
    }

    /// An ISO-8601 time (`2024-05-01T10:00:00Z`) or epoch milliseconds; returns microseconds.
    public func timestamp(_ name: String) throws(APIError) -> Int64? {
        // An empty value (`?since=`, what a form sends for an empty field) is no value.
        guard let text = string(name), !text.isEmpty else { return nil }
        // Epoch milliseconds: all digits (at most 15, so the product cannot overflow).
        if !text.isEmpty, text.utf8.count <= 15, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            return Int64(text).map { $0 * 1000 }
        }
        guard let micros = Timestamp.parseISO8601(text) else {
            throw .badParameter(
                name,
                "must be an ISO-8601 time like 2024-05-01T10:00:00Z or epoch milliseconds, got '\(Self.clip(text))'"
            )
        }
        return micros
    }

    /// Echoed input is clipped so a huge parameter does not make a huge error.
    static func clip(_ text: String) -> String {
        text.count <= 64 ? text : String(text.prefix(64)) + "…"
    }
}

extension RequestContext {
    /// A path parameter the route guarantees is present.
    public func pathParameter(_ name: String) throws(APIError) -> String {
        guard let value = parameters.get(name) else { throw .badParameter(name, "is missing") }
        return PercentDecoding.decode(value) ?? value
    }
}

/// Decodes `%XX` escapes in a path segment (Hummingbird hands path parameters over still encoded).
enum PercentDecoding {
    static func decode(_ text: String) -> String? {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue)
            else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
