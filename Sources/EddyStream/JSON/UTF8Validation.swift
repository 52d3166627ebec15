/// UTF-8 validation per RFC 3629 (no overlong forms, no UTF-16 surrogates, nothing above U+10FFFF).
///
/// The scanner validates multi-byte sequences inside strings as it meets them (the only place JSON allows
/// them); ``firstInvalidOffset(_:_:)`` checks a whole document, used to tell an encoding failure from a
/// syntax failure when a scan stops.
enum UTF8Validation {
    /// The length of the valid sequence starting at `p` (whose lead byte is ≥ 0x80), or 0 when invalid or
    /// cut short.
    @inline(__always)
    static func sequenceLength(_ p: UnsafePointer<UInt8>, _ available: Int) -> Int {
        let lead = p[0]
        @inline(__always) func continuation(_ i: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            i < available && p[i] >= low && p[i] <= high
        }
        switch lead {
        case 0xC2...0xDF:
            return continuation(1) ? 2 : 0
        case 0xE0:
            return continuation(1, 0xA0) && continuation(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF:
            return continuation(1) && continuation(2) ? 3 : 0
        case 0xED:
            return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : 0
        case 0xF0:
            return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3:
            return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4:
            return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default:
            return 0
        }
    }

    /// The offset of the first invalid sequence, or nil when all `count` bytes are valid UTF-8. ASCII runs
    /// go eight bytes at a time.
    static func firstInvalidOffset(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int? {
        var i = 0
        while i < count {
            if count - i >= 8 {
                let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                let high = w & 0x8080_8080_8080_8080
                if high == 0 {
                    i += 8
                    continue
                }
                i += high.trailingZeroBitCount >> 3
            } else if p[i] < 0x80 {
                i += 1
                continue
            }
            let length = sequenceLength(p + i, count - i)
            if length == 0 { return i }
            i += length
        }
        return nil
    }
}
