// How cells print: Spark's `show()` text (Java's Double.toString, `yyyy-MM-dd HH:mm:ss` timestamps) and JSON
// (through JSONWriter, the one JSON rule).

extension Value {
    /// The text Spark's `show()` prints for this cell.
    public var renderedForDisplay: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let v): return String(v)
        case .double(let d): return Value.javaDoubleString(d)
        case .decimal(let d): return d.description
        case .string(let s): return s
        case .timestamp(let t): return Timestamp.format(t)
        case .array(let values): return "[" + values.map(\.renderedForDisplay).joined(separator: ", ") + "]"
        case .object(let fields):
            return "{" + fields.keys.sorted().map { fields[$0]!.renderedForDisplay }.joined(separator: ", ")
                + "}"
        }
    }

    /// The cell as JSON text (``JSONWriter/value(_:)``'s rule).
    public var jsonText: String {
        var json = JSONWriter(capacity: 32)
        json.value(self)
        return String(decoding: json.bytes, as: UTF8.self)
    }

    /// Java's `Double.toString` layout (what Spark prints): plain notation with at least one fraction digit for
    /// 10⁻³ ≤ |d| < 10⁷, otherwise `d.dddE±n`. Digits are the shortest that round-trip.
    static func javaDoubleString(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        // Decompose Swift's shortest representation into digits and a decimal exponent.
        let swift = "\(abs(d))"
        var mantissa = swift
        var exponent = 0
        if let e = swift.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(swift[..<e])
            exponent = Int(swift[swift.index(after: e)...]) ?? 0
        }
        var digits = ""
        var pointPosition = 0
        if let dot = mantissa.firstIndex(of: ".") {
            let intPart = mantissa[..<dot]
            let fracPart = mantissa[mantissa.index(after: dot)...]
            digits = String(intPart) + String(fracPart)
            pointPosition = intPart.count
        } else {
            digits = mantissa
            pointPosition = mantissa.count
        }
        pointPosition += exponent
        // Strip leading zeros (adjusting the point) and trailing zeros.
        while digits.count > 1, digits.first == "0" {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        let sign = d < 0 ? "-" : ""
        let magnitude = abs(d)
        if magnitude >= 1e-3 && magnitude < 1e7 {
            if pointPosition <= 0 {
                return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
            }
            if pointPosition >= digits.count {
                return sign + digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
            }
            let split = digits.index(digits.startIndex, offsetBy: pointPosition)
            return sign + digits[..<split] + "." + digits[split...]
        }
        let first = digits.prefix(1)
        let rest = digits.dropFirst()
        return sign + first + "." + (rest.isEmpty ? "0" : rest) + "E" + String(pointPosition - 1)
    }
}
