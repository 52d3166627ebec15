extension JSONParse {
    /// The common short number — `-?digits(.digits)?` with at most 15 digits in all, no exponent, followed
    /// by a non-number byte — in one pass; nil (cursor unmoved) for anything else, which then goes through
    /// ``scanNumber()`` (and its grammar errors). `fractionDigits` is -1 without a point.
    @inline(__always)
    mutating func scanShortNumber() -> (mantissa: Int64, fractionDigits: Int, negative: Bool)? {
        var q = p
        let negative = q.pointee == UInt8(ascii: "-")
        if negative { q += 1 }
        let digitsStart = q
        var mantissa: Int64 = 0
        while q < end {
            let d = q.pointee &- UInt8(ascii: "0")
            guard d < 10 else { break }
            mantissa = mantissa &* 10 &+ Int64(d)
            q += 1
        }
        let integerDigits = q - digitsStart
        guard integerDigits > 0, integerDigits <= 15,
            integerDigits == 1 || digitsStart.pointee != UInt8(ascii: "0")
        else { return nil }
        var fractionDigits = -1
        if q < end && q.pointee == UInt8(ascii: ".") {
            q += 1
            let fractionStart = q
            while q < end {
                let d = q.pointee &- UInt8(ascii: "0")
                guard d < 10 else { break }
                mantissa = mantissa &* 10 &+ Int64(d)
                q += 1
            }
            fractionDigits = q - fractionStart
            guard fractionDigits > 0, integerDigits + fractionDigits <= 15 else { return nil }
        }
        if q < end && (q.pointee | 0x20) == UInt8(ascii: "e") { return nil }
        p = q
        return (negative ? -mantissa : mantissa, fractionDigits, negative)
    }

    @inline(__always)
    static func exactPowerOfTen(_ k: Int) -> Double {
        switch k {
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        default: 1
        }
    }

    /// A number (cursor at `-` or a digit), validated against JSON's grammar:
    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    @inline(__always)
    mutating func scanNumber() throws(ScanError) -> JSONNumber {
        let numberStart = p
        var negative = false
        if p.pointee == UInt8(ascii: "-") {
            if end - p >= 2 && p[1] == UInt8(ascii: "I") {
                guard let value = scanNonFinite() else { throw fail(.badNumber) }
                return JSONNumber(
                    start: numberStart, end: p, negative: true, mantissa: 0, exponent: 0, truncated: false,
                    isInteger: false, nonFinite: value)
            }
            negative = true
            p += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var truncated = false
        var isInteger = true
        guard p < end else { throw fail(.truncated) }
        var d = p.pointee &- UInt8(ascii: "0")
        guard d < 10 else { throw fail(.badNumber) }
        if d == 0 {
            p += 1
        } else {
            repeat {
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    significant += 1
                } else {
                    exponent += 1
                    truncated = true
                }
                p += 1
                guard p < end else { break }
                d = p.pointee &- UInt8(ascii: "0")
            } while d < 10
        }
        if p < end && p.pointee == UInt8(ascii: ".") {
            isInteger = false
            p += 1
            guard p < end else { throw fail(.truncated) }
            d = p.pointee &- UInt8(ascii: "0")
            guard d < 10 else { throw fail(.badNumber) }
            repeat {
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    if mantissa != 0 { significant += 1 }
                    exponent -= 1
                } else if d != 0 {
                    truncated = true
                }
                p += 1
                guard p < end else { break }
                d = p.pointee &- UInt8(ascii: "0")
            } while d < 10
        }
        if p < end && (p.pointee | 0x20) == UInt8(ascii: "e") {
            isInteger = false
            p += 1
            guard p < end else { throw fail(.truncated) }
            var exponentNegative = false
            if p.pointee == UInt8(ascii: "-") || p.pointee == UInt8(ascii: "+") {
                exponentNegative = p.pointee == UInt8(ascii: "-")
                p += 1
                guard p < end else { throw fail(.truncated) }
            }
            d = p.pointee &- UInt8(ascii: "0")
            guard d < 10 else { throw fail(.badNumber) }
            var explicit = 0
            repeat {
                if explicit < 100_000_000 { explicit = explicit * 10 + Int(d) }
                p += 1
                guard p < end else { break }
                d = p.pointee &- UInt8(ascii: "0")
            } while d < 10
            exponent += exponentNegative ? -explicit : explicit
        }
        return JSONNumber(
            start: numberStart, end: p, negative: negative, mantissa: mantissa, exponent: exponent,
            truncated: truncated, isInteger: isInteger)
    }
}
