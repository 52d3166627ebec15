/// A bounds-checked cursor over page bytes: every read past the end is a `ParquetError`, never a trap.
struct ByteReader {
    let base: UnsafeRawBufferPointer
    var position: Int
    let end: Int

    init(_ base: UnsafeRawBufferPointer, from start: Int = 0, to end: Int? = nil) {
        self.base = base
        self.position = start
        self.end = end ?? base.count
    }

    var remaining: Int { end - position }

    mutating func need(_ count: Int, _ what: @autoclosure () -> String) throws(ParquetError) {
        guard count >= 0, count <= end - position else {
            throw .corrupt("\(what()) needs \(count) bytes, \(end - position) left")
        }
    }

    mutating func byte() throws(ParquetError) -> UInt8 {
        try need(1, "a byte")
        let b = base[position]
        position += 1
        return b
    }

    mutating func uint32() throws(ParquetError) -> UInt32 {
        try need(4, "a 4-byte length")
        let v = base.loadUnaligned(fromByteOffset: position, as: UInt32.self)
        position += 4
        return UInt32(littleEndian: v)
    }

    mutating func varint() throws(ParquetError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw .corrupt("varint longer than 10 bytes") }
        }
    }

    mutating func zigzag() throws(ParquetError) -> Int64 {
        let v = try varint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    /// Little-endian value of `width` bytes (0...8).
    mutating func littleEndian(width: Int) throws(ParquetError) -> UInt64 {
        try need(width, "a \(width)-byte value")
        var v: UInt64 = 0
        for i in 0..<width { v |= UInt64(base[position + i]) << (8 * UInt64(i)) }
        position += width
        return v
    }

    /// Loads up to 8 bytes at `offset` (zero beyond `end`) — for bit unpacking near the end of a buffer.
    @inline(__always)
    func word(at offset: Int) -> UInt64 {
        if offset + 8 <= end {
            return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        var v: UInt64 = 0
        var i = 0
        while offset + i < end && i < 8 {
            v |= UInt64(base[offset + i]) << (8 * UInt64(i))
            i += 1
        }
        return v
    }
}

/// Unpacks `count` values of `bitWidth` bits (LSB first) starting at byte `start`, calling `sink` for each.
@inline(__always)
func unpackBits(
    _ reader: ByteReader, start: Int, bitWidth: Int, count: Int, _ sink: (UInt64) -> Void
) {
    if bitWidth == 0 {
        for _ in 0..<count { sink(0) }
        return
    }
    let mask: UInt64 = bitWidth >= 64 ? ~0 : (1 << UInt64(bitWidth)) - 1
    var bit = 0
    for _ in 0..<count {
        let word = reader.word(at: start + bit >> 3)
        var value = word >> UInt64(bit & 7)
        if bitWidth + (bit & 7) > 64 {  // only for widths above 56
            value |= reader.word(at: start + bit >> 3 + 8) << UInt64(64 - (bit & 7))
        }
        sink(value & mask)
        bit += bitWidth
    }
}

/// `withUnsafeBytes` keeping the typed error (the standard library's rethrows as `any Error`).
func withBytes<R>(
    _ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(ParquetError) -> R
) throws(ParquetError) -> R {
    var result: Result<R, ParquetError>?
    array.withUnsafeBytes { bytes in
        result = Result { () throws(ParquetError) -> R in try body(bytes) }
    }
    return try result!.get()
}
