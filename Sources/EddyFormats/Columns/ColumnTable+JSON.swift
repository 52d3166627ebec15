extension ColumnTable {
    /// Row `row` as one JSON object: integers stay integers, decimals keep their digits (a JSON number with
    /// `scale` decimals), timestamps are ISO-8601 (`Z` when UTC-adjusted), dates `YYYY-MM-DD`, binary base64.
    ///
    /// ```swift
    /// for row in 0..<table.rowCount { print(String(decoding: table.jsonObject(row: row), as: UTF8.self)) }
    /// ```
    public func jsonObject(row: Int) -> [UInt8] {
        var out: [UInt8] = []
        appendJSONObject(row: row, to: &out)
        return out
    }

    public func appendJSONObject(row: Int, to out: inout [UInt8]) {
        JSONObjectWriter(self).append(row: row, to: &out)
    }
}

/// Renders a table's rows as JSON objects (``ColumnTable/jsonObject(row:)``), with the keys escaped once for
/// all rows: make one per table when writing many rows.
///
/// ```swift
/// let writer = JSONObjectWriter(table)
/// for row in 0..<table.rowCount { var value: [UInt8] = []; writer.append(row: row, to: &value) }
/// ```
public struct JSONObjectWriter {
    private let table: ColumnTable
    /// `{"a":`, `,"b":`, … : what precedes each field's value.
    private let prefixes: [[UInt8]]

    public init(_ table: ColumnTable) {
        self.table = table
        prefixes = table.fields.enumerated().map { i, field in
            var prefix: [UInt8] = [UInt8(ascii: i == 0 ? "{" : ",")]
            JSONRendering.string(field.name, to: &prefix)
            prefix.append(UInt8(ascii: ":"))
            return prefix
        }
    }

    public func append(row: Int, to out: inout [UInt8]) {
        if prefixes.isEmpty { out.append(UInt8(ascii: "{")) }
        for i in prefixes.indices {
            out.append(contentsOf: prefixes[i])
            JSONRendering.value(table.columns[i], table.fields[i].type, row, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }
}

enum JSONRendering {
    static func value(_ column: ColumnArray, _ type: FieldType, _ row: Int, to out: inout [UInt8]) {
        if column.isNull(row) {
            out.append(contentsOf: "null".utf8)
            return
        }
        switch column.storage {
        case .list(let offsets, let element):
            guard case .list(let elementField) = type else { return out.append(contentsOf: "null".utf8) }
            out.append(UInt8(ascii: "["))
            for (k, i) in (Int(offsets[row])..<Int(offsets[row + 1])).enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                value(element, elementField.type, i, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .structure(let children):
            guard case .structure(let fields) = type else { return out.append(contentsOf: "null".utf8) }
            out.append(UInt8(ascii: "{"))
            for (i, field) in fields.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                string(field.name, to: &out)
                out.append(UInt8(ascii: ":"))
                value(children[i], field.type, row, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .values(let values):
            scalar(values, type, row, to: &out)
        }
    }

    static func scalar(_ values: ColumnValues, _ type: FieldType, _ row: Int, to out: inout [UInt8]) {
        switch (values, type) {
        case (.boolean(let v), _): out.append(contentsOf: (v[row] ? "true" : "false").utf8)
        case (.int32(let v), .date): out.append(contentsOf: TimeText.date(days: Int64(v[row])).utf8)
        case (.int32(let v), .time(let unit)):
            out.append(contentsOf: "\"\(TimeText.time(Int64(v[row]), unit))\"".utf8)
        case (.int64(let v), .time(let unit)):
            out.append(contentsOf: "\"\(TimeText.time(v[row], unit))\"".utf8)
        case (.int32(let v), .decimal(_, let scale)):
            out.append(contentsOf: Decimal.text(Int64(v[row]), scale: scale).utf8)
        case (.int64(let v), .decimal(_, let scale)):
            out.append(contentsOf: Decimal.text(v[row], scale: scale).utf8)
        case (.bytes, .decimal(_, let scale)), (.fixed, .decimal(_, let scale)):
            out.append(contentsOf: Decimal.text(bigEndian: Array(values.bytes(at: row)), scale: scale).utf8)
        case (.int32(let v), .int(let bits, false)) where bits <= 32:
            out.append(contentsOf: String(UInt32(bitPattern: v[row])).utf8)
        case (.int32(let v), _): out.append(contentsOf: String(v[row]).utf8)
        case (.int64(let v), .timestamp(let unit, let utc)):
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: TimeText.timestamp(v[row], unit, utc: utc).utf8)
            out.append(UInt8(ascii: "\""))
        case (.int64(let v), .int(_, false)): out.append(contentsOf: String(UInt64(bitPattern: v[row])).utf8)
        case (.int64(let v), _): out.append(contentsOf: String(v[row]).utf8)
        case (.float(let v), _): number(Double(v[row]), float: v[row].description, to: &out)
        case (.double(let v), _): number(v[row], float: nil, to: &out)
        case (.bytes, .string): string(values.bytes(at: row), to: &out)
        case (.bytes, _), (.fixed, _):
            out.append(UInt8(ascii: "\""))
            Base64.append(values.bytes(at: row), to: &out)
            out.append(UInt8(ascii: "\""))
        }
    }

    static func number(_ value: Double, float: String?, to out: inout [UInt8]) {
        guard value.isFinite else { return out.append(contentsOf: "null".utf8) }
        if value == value.rounded(), abs(value) < 1e15 {
            out.append(contentsOf: String(Int64(value)).utf8)
            out.append(contentsOf: ".0".utf8)
        } else {
            out.append(contentsOf: (float ?? value.description).utf8)
        }
    }

    static func string(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { string($0, to: &out) }
    }

    static func string(_ bytes: ArraySlice<UInt8>, to out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { string($0, to: &out) }
    }

    /// A JSON string literal of `bytes` (UTF-8): runs that need no escape are copied whole.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var start = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
            start = i + 1
            out.append(92)
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(b)
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            default:
                let hex = Int(b & 15)
                out.append(contentsOf: [UInt8(ascii: "u"), 48, 48, 48 + (b >> 4)])
                out.append(UInt8(hex < 10 ? 48 + hex : 87 + hex))
            }
        }
        if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
        out.append(UInt8(ascii: "\""))
    }
}

/// Exact decimal text from an unscaled integer.
enum Decimal {
    static func text(_ unscaled: Int64, scale: Int) -> String {
        digits(negative: unscaled < 0, magnitude: String(unscaled.magnitude), scale: scale)
    }

    static func digits(negative: Bool, magnitude: String, scale: Int) -> String {
        guard scale > 0 else {
            return (negative ? "-" : "") + magnitude + String(repeating: "0", count: -scale)
        }
        var digits = magnitude
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        let point = digits.index(digits.endIndex, offsetBy: -scale)
        return (negative ? "-" : "") + digits[..<point] + "." + digits[point...]
    }

    /// Big-endian two's complement of any length (FIXED_LEN_BYTE_ARRAY / BYTE_ARRAY decimals).
    static func text(bigEndian bytes: [UInt8], scale: Int) -> String {
        guard !bytes.isEmpty else { return "0" }
        let negative = bytes[0] & 0x80 != 0
        var magnitude = bytes
        if negative {  // two's complement negate
            for i in magnitude.indices { magnitude[i] = ~magnitude[i] }
            var i = magnitude.count - 1
            while i >= 0 {
                magnitude[i] &+= 1
                if magnitude[i] != 0 { break }
                i -= 1
            }
        }
        var decimal: [UInt8] = []  // little-endian base-10 digits by repeated division
        var number = magnitude
        while number.contains(where: { $0 != 0 }) {
            var remainder = 0
            for i in number.indices {
                let current = remainder << 8 | Int(number[i])
                number[i] = UInt8(current / 10)
                remainder = current % 10
            }
            decimal.append(UInt8(remainder))
        }
        let text = decimal.isEmpty ? "0" : String(decimal.reversed().map { Character(String($0)) })
        return digits(negative: negative && text != "0", magnitude: text, scale: scale)
    }
}

enum Base64 {
    static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func append(_ bytes: ArraySlice<UInt8>, to out: inout [UInt8]) {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b0 = Int(bytes[i])
            let b1 = i + 1 < bytes.endIndex ? Int(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.endIndex ? Int(bytes[i + 2]) : 0
            out.append(alphabet[b0 >> 2])
            out.append(alphabet[(b0 & 3) << 4 | b1 >> 4])
            out.append(i + 1 < bytes.endIndex ? alphabet[(b1 & 15) << 2 | b2 >> 6] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.endIndex ? alphabet[b2 & 63] : UInt8(ascii: "="))
            i += 3
        }
    }
}
