private let quote = UInt8(ascii: "\"")

extension JSONParse {
    @inline(__always)
    mutating func expectLiteral(_ word: UInt32, length: Int) throws(ScanError) {
        guard end - p >= length else { throw fail(.truncated) }
        guard UnsafeRawPointer(p).loadUnaligned(as: UInt32.self) == UInt32(littleEndian: word) else {
            throw fail(.badLiteral)
        }
        p += length
    }

    @inline(__always)
    mutating func expectFalse() throws(ScanError) {
        guard end - p >= 5 else { throw fail(.truncated) }
        guard UnsafeRawPointer(p + 1).loadUnaligned(as: UInt32.self) == UInt32(littleEndian: 0x6573_6C61)
        else {
            throw fail(.badLiteral)  // "alse"
        }
        p += 5
    }

    /// Skips one value (cursor at its first byte), checking that it is well-formed.
    mutating func skipValue() throws(ScanError) {
        guard p < end else { throw fail(.truncated) }
        switch p.pointee {
        case quote:
            _ = try scanString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try scanNumber()
        case UInt8(ascii: "N"), UInt8(ascii: "I"), UInt8(ascii: "+"):
            guard scanNonFinite() != nil else { throw fail(.unexpectedByte) }
        case UInt8(ascii: "t"):
            try expectLiteral(0x6575_7274, length: 4)
        case UInt8(ascii: "f"):
            try expectFalse()
        case UInt8(ascii: "n"):
            try expectLiteral(0x6C6C_756E, length: 4)
        case UInt8(ascii: "{"):
            try skipObject()
        case UInt8(ascii: "["):
            try skipArray()
        default:
            throw fail(.unexpectedByte)
        }
    }

    mutating func skipObject() throws(ScanError) {
        p += 1
        depth += 1
        guard depth <= JSONParse.maximumDepth else { throw tooDeep() }
        skipWhitespace()
        guard p < end else { throw fail(.truncated) }
        if p.pointee == UInt8(ascii: "}") {
            p += 1
            depth -= 1
            return
        }
        while true {
            guard p < end else { throw fail(.truncated) }
            guard p.pointee == quote else { throw fail(.expectedKey) }
            _ = try scanString()
            skipWhitespace()
            guard p < end else { throw fail(.truncated) }
            guard p.pointee == UInt8(ascii: ":") else { throw fail(.expectedColon) }
            p += 1
            skipWhitespace()
            try skipValue()
            guard try nextOrEnd(closing: UInt8(ascii: "}"), else: .expectedCommaOrBrace) else { break }
        }
        depth -= 1
    }

    /// After a member or an element: moves past a `,` and returns true (another follows), or past `closer`
    /// and returns false (the object or array ends); anything else throws `problem`.
    @inline(__always)
    mutating func nextOrEnd(closing closer: UInt8, else problem: ScanError.Problem) throws(ScanError) -> Bool
    {
        skipWhitespace()
        guard p < end else { throw fail(.truncated) }
        let c = p.pointee
        p += 1
        if c == UInt8(ascii: ",") {
            skipWhitespace()
            return true
        }
        if c == closer { return false }
        p -= 1
        throw fail(problem)
    }

    mutating func skipArray() throws(ScanError) {
        p += 1
        depth += 1
        guard depth <= JSONParse.maximumDepth else { throw tooDeep() }
        skipWhitespace()
        guard p < end else { throw fail(.truncated) }
        if p.pointee == UInt8(ascii: "]") {
            p += 1
            depth -= 1
            return
        }
        while true {
            try skipValue()
            guard try nextOrEnd(closing: UInt8(ascii: "]"), else: .expectedCommaOrBracket) else { break }
        }
        depth -= 1
    }
}
