/// Finds a top-level field of a JSON object in raw bytes without parsing the rest of the document, for
/// `eddy produce --key-field`. Nested objects and arrays are skipped by bracket counting (strings and their
/// escapes respected), so a field of the same name inside a nested value is never taken.
///
/// ```swift
/// let key = JSONField("id_sensor").value(in: lineBytes)   // Array("SM-123AB".utf8)
/// ```
struct JSONField {
    let name: [UInt8]

    init(_ name: String) {
        self.name = Array(name.utf8)
    }

    enum Lookup: Equatable {
        /// The field's value as key bytes: a string's contents (unescaped), or a number's or boolean's text.
        case found([UInt8])
        /// The field is present and `null`, or absent: the record gets no key (Kafka's null key).
        case absent
        /// The line is not a JSON object.
        case notAnObject
    }

    func lookup(in line: UnsafeRawBufferPointer) -> Lookup {
        var i = 0
        let n = line.count
        func skipSpace() {
            while i < n, line[i] == 0x20 || line[i] == 0x09 || line[i] == 0x0D || line[i] == 0x0A { i += 1 }
        }
        skipSpace()
        guard i < n, line[i] == UInt8(ascii: "{") else { return .notAnObject }
        i += 1
        while true {
            skipSpace()
            guard i < n else { return .notAnObject }
            if line[i] == UInt8(ascii: "}") { return .absent }
            guard line[i] == UInt8(ascii: "\"") else { return .notAnObject }
            guard let keyEnd = Self.endOfString(line, from: i) else { return .notAnObject }
            let keyBytes = UnsafeRawBufferPointer(rebasing: line[(i + 1)..<(keyEnd - 1)])
            let isMatch = keyBytes.elementsEqual(name) || Self.unescape(keyBytes) == name
            i = keyEnd
            skipSpace()
            guard i < n, line[i] == UInt8(ascii: ":") else { return .notAnObject }
            i += 1
            skipSpace()
            guard i < n else { return .notAnObject }
            let valueStart = i
            guard let valueEnd = Self.endOfValue(line, from: i) else { return .notAnObject }
            if isMatch {
                let raw = UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd])
                if raw.first == UInt8(ascii: "\"") {
                    return .found(Self.unescape(UnsafeRawBufferPointer(rebasing: raw[1..<(raw.count - 1)])))
                }
                if raw.elementsEqual("null".utf8) { return .absent }
                return .found(Array(raw))  // a number, boolean, object or array: its JSON text
            }
            i = valueEnd
            skipSpace()
            guard i < n else { return .notAnObject }
            if line[i] == UInt8(ascii: ",") {
                i += 1
            } else if line[i] == UInt8(ascii: "}") {
                return .absent
            } else {
                return .notAnObject
            }
        }
    }

    /// The index just past the closing quote of the string starting at `start`.
    private static func endOfString(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var i = start + 1
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\\"): i += 2
            case UInt8(ascii: "\""): return i + 1
            default: i += 1
            }
        }
        return nil
    }

    /// The index just past the value (string, number, literal, object or array) starting at `start`.
    private static func endOfValue(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        let first = bytes[start]
        if first == UInt8(ascii: "\"") { return endOfString(bytes, from: start) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            var depth = 0
            var i = start
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "\""):
                    guard let end = endOfString(bytes, from: i) else { return nil }
                    i = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return i + 1 }
                default: break
                }
                i += 1
            }
            return nil
        }
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == 0x20 || b == 0x09 || b == 0x0D
                || b == 0x0A
            {
                break
            }
            i += 1
        }
        return i > start ? i : nil
    }

    /// Decodes JSON string escapes (`\"`, `\\`, `\n`, `\uXXXX` with surrogate pairs) into UTF-8.
    static func unescape(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        guard bytes.contains(UInt8(ascii: "\\")) else { return Array(bytes) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for b in bytes[at..<(at + 4)] {
                guard let digit = Int(String(UnicodeScalar(b)), radix: 16) else { return nil }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while i < bytes.count {
            let b = bytes[i]
            guard b == UInt8(ascii: "\\"), i + 1 < bytes.count else {
                out.append(b)
                i += 1
                continue
            }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(i) else { return Array(bytes) }
                i += 4
                if (0xD800..<0xDC00).contains(scalar), i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"),
                    bytes[i + 1] == UInt8(ascii: "u"), let low = hex4(i + 2), (0xDC00..<0xE000).contains(low)
                {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                out.append(contentsOf: String(Character(UnicodeScalar(scalar) ?? "\u{FFFD}")).utf8)
            default: out.append(e)  // \" \\ \/
            }
        }
        return out
    }
}
