#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A JSON number as scanned: up to 19 significant digits in an integer mantissa and a power-of-ten exponent,
/// plus the raw text for the rare inputs the fast conversions cannot handle exactly.
struct JSONNumber {
    var start: UnsafePointer<UInt8>
    var end: UnsafePointer<UInt8>
    var negative: Bool
    /// The leading (at most 19) significant digits.
    var mantissa: UInt64
    /// value = ±mantissa × 10^exponent, when no digits were dropped.
    var exponent: Int
    /// Significant digits beyond the 19th were dropped (the mantissa is then not exact).
    var truncated: Bool
    /// No fraction and no exponent part: Jackson's `VALUE_NUMBER_INT`.
    var isInteger: Bool
    /// `-Infinity` / `-INF` (allowed like Spark's `allowNonNumericNumbers`): only a double takes it.
    var nonFinite: Double? = nil

    /// The value as a 64-bit integer; nil for a fraction or exponent (Spark: an int column given `4.5`, or
    /// even `4.0` / `4e0`, is null) or out of range.
    @inline(__always)
    var int64: Int64? {
        guard isInteger, !truncated else { return nil }
        if negative {
            guard mantissa <= UInt64(Int64.max) + 1 else { return nil }
            return Int64(bitPattern: 0 &- mantissa)
        }
        guard mantissa <= UInt64(Int64.max) else { return nil }
        return Int64(mantissa)
    }

    /// The nearest double. Exact fast path (Clinger): a mantissa below 2^53 and |exponent| ≤ 22 are both
    /// exactly representable, so one IEEE multiplication or division rounds correctly — this covers every
    /// typical input such as `152.34`. Anything else goes to the C library's `strtod` (correctly rounded),
    /// via a small stack copy because the input is not NUL-terminated.
    @inline(__always)
    var double: Double {
        if let nonFinite { return nonFinite }
        if !truncated && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            if exponent < 0 {
                value /= JSONNumber.powersOfTen[-exponent]
            } else if exponent > 0 {
                value *= JSONNumber.powersOfTen[exponent]
            }
            return negative ? -value : value
        }
        return JSONNumber.slowDouble(start, end - start)
    }

    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
        1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// `strtod` on a copy; the scanner has validated the JSON number grammar, which strtod accepts.
    /// (strtod honours LC_NUMERIC; Eddy never calls setlocale, so it is the "C" locale's '.')
    @inline(never)
    static func slowDouble(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
            let base = buffer.baseAddress!
            for i in 0..<count { base[i] = CChar(bitPattern: bytes[i]) }
            base[count] = 0
            return strtod(base, nil)
        }
    }

    /// The units of a decimal with `scale` fraction digits, exact from the text's digits, rounded HALF_UP
    /// like Spark's `Decimal.set(BigDecimal, precision, scale)` (`12.345` at scale 2 → 1235, `-12.345` →
    /// -1235). nil when the text is not a number or the result does not fit 64-bit units (Spark: precision
    /// exceeded → null).
    ///
    /// Accepts Java `BigDecimal` syntax, which is what Spark applies to a JSON *string* given for a decimal
    /// column: optional sign, digits with an optional point (`.5`, `5.`), optional exponent; with
    /// `allowGroupingCommas` the commas are ignored (Spark's en-US parser strips them: `"1,234.5"`).
    static func decimalUnits(
        _ bytes: UnsafePointer<UInt8>, _ count: Int, scale: Int, allowGroupingCommas: Bool = false
    ) -> Int64? {
        var i = 0
        var negative = false
        if i < count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        let mantissaStart = i
        var integerDigits = 0
        var totalDigits = 0
        var sawPoint = false
        while i < count {
            let c = bytes[i]
            if c &- UInt8(ascii: "0") < 10 {
                totalDigits += 1
                if !sawPoint { integerDigits += 1 }
            } else if c == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else if !(c == UInt8(ascii: ",") && allowGroupingCommas && !sawPoint) {
                break
            }
            i += 1
        }
        guard totalDigits > 0 else { return nil }
        let mantissaEnd = i
        var exponent = 0
        if i < count && (bytes[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            var exponentNegative = false
            if i < count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < count, bytes[i] &- UInt8(ascii: "0") < 10 else { return nil }
            while i < count, bytes[i] &- UInt8(ascii: "0") < 10 {
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(bytes[i] &- UInt8(ascii: "0")) }
                i += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        guard i == count else { return nil }

        // Digits [0, keep) form the units; digit `keep` decides the rounding.
        let keep = integerDigits + exponent + scale
        var units: UInt64 = 0
        var index = 0
        var roundUp = false
        for j in mantissaStart..<mantissaEnd {
            let d = bytes[j] &- UInt8(ascii: "0")
            guard d < 10 else { continue }
            if index < keep {
                let (times10, o1) = units.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(d))
                if o1 || o2 { return nil }
                units = sum
            } else if index == keep {
                roundUp = d >= 5
                break
            }
            index += 1
        }
        if keep > totalDigits && units != 0 {
            for _ in 0..<(keep - totalDigits) {
                let (times10, overflow) = units.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                units = times10
            }
        }
        if roundUp { units += 1 }
        guard units <= UInt64(Int64.max) else { return nil }
        return negative ? -Int64(units) : Int64(units)
    }
}
