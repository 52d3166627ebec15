/// Kafka's variable-length integers: zig-zag encoded, 7 bits per byte, least significant group first
/// (protobuf's `sint32`/`sint64`). Used inside v2 records for lengths, deltas and counts.
enum Varint {
    /// Bytes needed for the zig-zag varint of `value`.
    @inline(__always)
    static func size(_ value: Int64) -> Int {
        var v = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        var n = 1
        while v >= 0x80 {
            v >>= 7
            n += 1
        }
        return n
    }

    /// Writes the zig-zag varint of `value` at `p`; returns the number of bytes written.
    @inline(__always)
    static func write(_ value: Int64, to p: UnsafeMutableRawPointer) -> Int {
        var v = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        var n = 0
        while v >= 0x80 {
            p.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, toByteOffset: n, as: UInt8.self)
            v >>= 7
            n += 1
        }
        p.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: n, as: UInt8.self)
        return n + 1
    }

    /// Reads a zig-zag varint from `buffer` at `index`, advancing it. Returns nil when the bytes run out or the
    /// value is longer than 10 bytes (damaged input).
    @inline(__always)
    static func read(_ buffer: UnsafeRawBufferPointer, at index: inout Int) -> Int64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var i = index
        while i < buffer.count {
            let byte = buffer[i]
            i += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                index = i
                return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1)
            }
            shift += 7
            if shift > 63 { return nil }
        }
        return nil
    }
}
