/// A scanned string: where its content is in the input and whether it holds escapes.
struct StringToken {
    var start: UnsafePointer<UInt8>
    var count: Int
    var escaped: Bool
}

private let quote = UInt8(ascii: "\"")
private let backslash = UInt8(ascii: "\\")
private let ones: UInt64 = 0x0101_0101_0101_0101
private let highs: UInt64 = 0x8080_8080_8080_8080
private let quoteWord: UInt64 = 0x2222_2222_2222_2222
private let backslashWord: UInt64 = 0x5C5C_5C5C_5C5C_5C5C
private let spaceWord: UInt64 = 0x2020_2020_2020_2020

extension JSONParse {
    /// Scans a string (cursor at its opening quote) to just past its closing quote, checking escapes,
    /// control characters and UTF-8 on the way. Eight bytes at a time: a word is searched for a quote, a
    /// backslash, a control byte or a non-ASCII byte at once; plain ASCII text costs a few instructions
    /// per 8 bytes.
    @inline(__always)
    mutating func scanString() throws(ScanError) -> StringToken {
        p += 1
        let contentStart = p
        var escaped = false
        while true {
            while end - p >= 8 {
                let w = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
                // Per byte, the high bit ends up set for: quote, backslash, byte < 0x20, byte ≥ 0x80.
                // `x - 0x01…` sets a byte's high bit when that byte of x is 0 (or already ≥ 0x80, which `| w`
                // flags anyway); `w - 0x20…` when it is < 0x20. A borrow can only misfire above a true hit,
                // so the lowest set bit is exact.
                let quotes = w ^ quoteWord
                let slashes = w ^ backslashWord
                let hit = ((quotes &- ones) | (slashes &- ones) | (w &- spaceWord) | w) & highs
                if hit == 0 {
                    p += 8
                    continue
                }
                p += hit.trailingZeroBitCount >> 3
                break
            }
            guard p < end else { throw fail(.truncated) }
            let c = p.pointee
            if c == quote {
                let token = StringToken(start: contentStart, count: p - contentStart, escaped: escaped)
                p += 1
                return token
            }
            if c == backslash {
                escaped = true
                try skipEscape()
            } else if c < 0x20 {
                throw fail(.controlCharacterInString)
            } else if c >= 0x80 {
                try skipUTF8Sequence()
            } else {
                p += 1
            }
        }
    }

    /// One escape (cursor at the backslash).
    @inline(never)
    mutating func skipEscape() throws(ScanError) {
        guard end - p >= 2 else { throw fail(.truncated) }
        switch p[1] {
        case quote, backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
            UInt8(ascii: "r"), UInt8(ascii: "t"):
            p += 2
        case UInt8(ascii: "u"):
            guard end - p >= 6 else { throw fail(.truncated) }
            for i in 2..<6 where JSONParse.hexValue(p[i]) < 0 { throw fail(.badEscape) }
            p += 6
        default:
            throw fail(.badEscape)
        }
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> Int {
        if c &- UInt8(ascii: "0") < 10 { return Int(c &- UInt8(ascii: "0")) }
        let lower = c | 0x20
        if lower &- UInt8(ascii: "a") < 6 { return Int(lower &- UInt8(ascii: "a")) + 10 }
        return -1
    }

    /// One multi-byte UTF-8 sequence (cursor at its lead byte), validated per RFC 3629.
    @inline(never)
    mutating func skipUTF8Sequence() throws(ScanError) {
        let length = UTF8Validation.sequenceLength(p, end - p)
        guard length > 0 else { throw fail(.invalidUTF8) }
        p += length
    }

    /// Copies a string's content into the scratch buffer with escapes resolved; returns (offset, count).
    /// `\uXXXX` becomes UTF-8, a surrogate pair one 4-byte sequence; a lone surrogate (which UTF-8 cannot
    /// carry) becomes U+FFFD.
    mutating func unescape(_ text: StringToken) -> (Int, Int) {
        // Escapes only shrink: the output is at most as long as the input.
        let offset = buffers.pointee.reserveScratch(text.count)
        let out = buffers.pointee.scratch + offset
        var n = 0
        var i = 0
        let s = text.start
        while i < text.count {
            let c = s[i]
            if c != backslash {
                out[n] = c
                n += 1
                i += 1
                continue
            }
            let e = s[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out[n] = 0x08
            case UInt8(ascii: "f"): out[n] = 0x0C
            case UInt8(ascii: "n"): out[n] = 0x0A
            case UInt8(ascii: "r"): out[n] = 0x0D
            case UInt8(ascii: "t"): out[n] = 0x09
            case UInt8(ascii: "u"):
                var scalar = JSONParse.hex4(s + i)
                i += 4
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // A high surrogate: pairs with a following \uDC00–\uDFFF.
                    if i + 6 <= text.count && s[i] == backslash && s[i + 1] == UInt8(ascii: "u") {
                        let low = JSONParse.hex4(s + i + 2)
                        if low >= 0xDC00 && low < 0xE000 {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        } else {
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    scalar = 0xFFFD
                }
                n += JSONParse.writeUTF8(scalar, to: out + n)
                continue
            default: out[n] = e  // \" \\ \/
            }
            n += 1
        }
        buffers.pointee.scratchCount = offset + n
        return (offset, n)
    }

    @inline(__always)
    static func hex4(_ s: UnsafePointer<UInt8>) -> Int {
        (hexValue(s[0]) << 12) | (hexValue(s[1]) << 8) | (hexValue(s[2]) << 4) | hexValue(s[3])
    }

    @inline(__always)
    static func writeUTF8(_ scalar: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        if scalar < 0x80 {
            out[0] = UInt8(scalar)
            return 1
        }
        if scalar < 0x800 {
            out[0] = UInt8(0xC0 | (scalar >> 6))
            out[1] = UInt8(0x80 | (scalar & 0x3F))
            return 2
        }
        if scalar < 0x10000 {
            out[0] = UInt8(0xE0 | (scalar >> 12))
            out[1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            out[2] = UInt8(0x80 | (scalar & 0x3F))
            return 3
        }
        out[0] = UInt8(0xF0 | (scalar >> 18))
        out[1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
        out[2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
        out[3] = UInt8(0x80 | (scalar & 0x3F))
        return 4
    }
}
