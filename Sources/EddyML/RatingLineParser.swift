/// Reads one rating from a JSON object `{"user_id": 1, "item_id": "tt01", "rating": 4.5, …}` without
/// building a dictionary: the training input has millions of lines and three fields matter. Other fields
/// (any JSON value) are skipped; ids are JSON integers or strings; the rating is a finite number.
struct RatingLineParser {
    struct Parsed {
        var user: ExternalID
        var item: ExternalID
        var rating: Float
    }

    private enum Value {
        case id(ExternalID)
        case number(Double)
        case other(String)  // what it was, for the error message
    }

    private let bytes: UnsafeRawBufferPointer
    private let line: Int
    private var position = 0

    private init(bytes: UnsafeRawBufferPointer, line: Int) {
        self.bytes = bytes
        self.line = line
    }

    static func parse(_ bytes: UnsafeRawBufferPointer, line: Int) throws(RatingsError) -> Parsed {
        var parser = RatingLineParser(bytes: bytes, line: line)
        return try parser.object()
    }

    private mutating func object() throws(RatingsError) -> Parsed {
        skipSpace()
        guard peek() == UInt8(ascii: "{") else { throw fail("expected '{'") }
        position += 1
        var user: Value?
        var item: Value?
        var rating: Value?
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipSpace()
                guard peek() == UInt8(ascii: "\"") else { throw fail("expected a field name") }
                let key = try string()
                skipSpace()
                guard peek() == UInt8(ascii: ":") else { throw fail("expected ':' after \"\(key)\"") }
                position += 1
                skipSpace()
                switch key {
                case "user_id": user = try value()
                case "item_id": item = try value()
                case "rating": rating = try value()
                default: try skipValue(depth: 0)
                }
                skipSpace()
                if peek() == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                guard peek() == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
                position += 1
                break
            }
        }
        skipSpace()
        guard position == bytes.count else { throw fail("unexpected text after the object") }
        return Parsed(
            user: try id(user, field: "user_id"), item: try id(item, field: "item_id"),
            rating: try number(rating, field: "rating"))
    }

    private func id(_ value: Value?, field: String) throws(RatingsError) -> ExternalID {
        switch value {
        case nil: throw .missingField(line: line, field: field)
        case .id(let id): return id
        case .number(let number):
            throw .invalidField(line: line, field: field, reason: "is \(number), not an integer or a string")
        case .other(let kind):
            throw .invalidField(line: line, field: field, reason: "is \(kind), not an integer or a string")
        }
    }

    private func number(_ value: Value?, field: String) throws(RatingsError) -> Float {
        switch value {
        case nil: throw .missingField(line: line, field: field)
        case .number(let number):
            guard number.isFinite, Float(number).isFinite else {
                throw .invalidField(line: line, field: field, reason: "is out of range")
            }
            return Float(number)
        case .id(.int(let integer)): return Float(integer)
        case .id(.string): throw .invalidField(line: line, field: field, reason: "is a string, not a number")
        case .other(let kind):
            throw .invalidField(line: line, field: field, reason: "is \(kind), not a number")
        }
    }

    // MARK: - Values

    private mutating func value() throws(RatingsError) -> Value {
        guard let byte = peek() else { throw fail("expected a value") }
        switch byte {
        case UInt8(ascii: "\""): return .id(.string(try string()))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try numberValue()
        case UInt8(ascii: "n"):
            try literal("null")
            return .other("null")
        case UInt8(ascii: "t"):
            try literal("true")
            return .other("a boolean")
        case UInt8(ascii: "f"):
            try literal("false")
            return .other("a boolean")
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipValue(depth: 0)
            return .other(byte == UInt8(ascii: "{") ? "an object" : "an array")
        default: throw fail("unexpected character")
        }
    }

    private mutating func numberValue() throws(RatingsError) -> Value {
        let start = position
        var negative = false
        if peek() == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        var integer: UInt64 = 0
        var digits = 0
        var overflow = false
        while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            let (times10, o1) = integer.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            overflow = overflow || o1 || o2
            integer = sum
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw fail("malformed number") }
        var isInteger = true
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            var fraction = 0
            while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                position += 1
                fraction += 1
            }
            guard fraction > 0 else { throw fail("malformed number") }
        }
        if let byte = peek(), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            var exponent = 0
            while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                position += 1
                exponent += 1
            }
            guard exponent > 0 else { throw fail("malformed number") }
        }
        if isInteger, !overflow, integer <= UInt64(Int64.max) {
            let value = Int64(integer)
            return .id(.int(negative ? -value : value))
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let double = Double(text) else { throw fail("malformed number") }
        return .number(double)
    }

    private mutating func string() throws(RatingsError) -> String {
        position += 1  // the opening quote
        let start = position
        var escaped = false
        while let byte = peek() {
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
                position += 1
                return escaped ? try unescape(raw) : String(decoding: raw, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                position += 1
            } else if byte < 0x20 {
                throw fail("control character in a string")
            }
            position += 1
        }
        throw fail("unterminated string")
    }

    private func unescape(_ raw: UnsafeRawBufferPointer) throws(RatingsError) -> String {
        var scalars = String.UnicodeScalarView()
        var utf8: [UInt8] = []
        var i = 0
        func flush() {
            if !utf8.isEmpty {
                scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars)
                utf8.removeAll()
            }
        }
        while i < raw.count {
            let byte = raw[i]
            guard byte == UInt8(ascii: "\\") else {
                utf8.append(byte)
                i += 1
                continue
            }
            guard i + 1 < raw.count else { throw fail("bad escape in a string") }
            let code = raw[i + 1]
            i += 2
            switch code {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(code)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                guard i + 4 <= raw.count,
                    let value = UInt32(
                        String(decoding: UnsafeRawBufferPointer(rebasing: raw[i..<i + 4]), as: UTF8.self),
                        radix: 16)
                else { throw fail("bad \\u escape in a string") }
                i += 4
                flush()
                // Surrogate pairs are rare in ids; a lone or paired surrogate becomes U+FFFD.
                scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
            default: throw fail("bad escape in a string")
            }
        }
        flush()
        return String(scalars)
    }

    private mutating func literal(_ word: StaticString) throws(RatingsError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw fail("unexpected end") }
        for k in 0..<count where bytes[position + k] != word.utf8Start[k] {
            throw fail("unexpected character")
        }
        position += count
    }

    /// Skips any JSON value (objects and arrays by bracket depth, strings honouring escapes).
    private mutating func skipValue(depth: Int) throws(RatingsError) {
        guard depth < 64 else { throw fail("nested too deeply") }
        guard let byte = peek() else { throw fail("expected a value") }
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            position += 1
            skipSpace()
            if peek() == close {
                position += 1
                return
            }
            while true {
                skipSpace()
                if close == UInt8(ascii: "}") {
                    guard peek() == UInt8(ascii: "\"") else { throw fail("expected a field name") }
                    _ = try string()
                    skipSpace()
                    guard peek() == UInt8(ascii: ":") else { throw fail("expected ':'") }
                    position += 1
                    skipSpace()
                }
                try skipValue(depth: depth + 1)
                skipSpace()
                if peek() == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                guard peek() == close else { throw fail("expected ',' or a closing bracket") }
                position += 1
                return
            }
        default:
            _ = try value()
        }
    }

    // MARK: - Bytes

    @inline(__always) private func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private mutating func skipSpace() {
        while let byte = peek(),
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\n")
        {
            position += 1
        }
    }

    private func fail(_ reason: String) -> RatingsError {
        .malformed(line: line, reason: "\(reason) at byte \(position + 1)")
    }
}
