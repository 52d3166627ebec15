/// Snappy block format (no framing), written here because no snappy library is on the base image.
///
/// ```swift
/// let packed = Snappy.compress(bytes)
/// let unpacked = try Snappy.decompress(packed, expectedSize: bytes.count)
/// ```
public enum Snappy {
    static let blockSize = 1 << 16
    static let hashBits = 14

    public static func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32 + input.count + input.count / 6)
        var n = UInt64(input.count)
        while n >= 0x80 {
            out.append(UInt8(n & 0x7F) | 0x80)
            n >>= 7
        }
        out.append(UInt8(n))
        guard input.count > 0 else { return out }
        var table = [Int32](repeating: -1, count: 1 << hashBits)
        var blockStart = 0
        while blockStart < input.count {
            let blockEnd = min(blockStart + blockSize, input.count)
            compressBlock(input, blockStart, blockEnd, &table, &out)
            blockStart = blockEnd
        }
        return out
    }

    public static func compress(_ input: [UInt8]) -> [UInt8] {
        input.withUnsafeBytes { compress($0) }
    }

    @inline(__always)
    static func load32(_ p: UnsafeRawBufferPointer, _ i: Int) -> UInt32 {
        p.loadUnaligned(fromByteOffset: i, as: UInt32.self)
    }

    static func compressBlock(
        _ input: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ table: inout [Int32],
        _ out: inout [UInt8]
    ) {
        for i in table.indices { table[i] = -1 }
        var literalStart = start
        var i = start
        let limit = end - 4  // the last position a 4-byte load may start at
        var skip = 32
        table.withUnsafeMutableBufferPointer { table in
            while i <= limit {
                let word = load32(input, i)
                let hash = Int((word &* 0x1E35_A7BD) >> UInt32(32 - hashBits))
                let candidate = Int(table[hash])
                table[hash] = Int32(i)
                if candidate >= start && candidate < i && load32(input, candidate) == word {
                    var length = 4
                    while i + length < end && input[candidate + length] == input[i + length] { length += 1 }
                    emitLiteral(input, literalStart, i, &out)
                    emitCopy(offset: i - candidate, length: length, &out)
                    i += length
                    literalStart = i
                    skip = 32
                } else {
                    i += skip >> 5  // step faster through data that does not compress
                    skip += 1
                }
            }
        }
        emitLiteral(input, literalStart, end, &out)
    }

    static func emitLiteral(_ input: UnsafeRawBufferPointer, _ from: Int, _ to: Int, _ out: inout [UInt8]) {
        let length = to - from
        guard length > 0 else { return }
        let n = length - 1
        if n < 60 {
            out.append(UInt8(n << 2))
        } else if n < 1 << 8 {
            out.append(60 << 2)
            out.append(UInt8(n))
        } else if n < 1 << 16 {
            out.append(61 << 2)
            out.append(UInt8(n & 0xFF))
            out.append(UInt8(n >> 8))
        } else {
            out.append(62 << 2)
            out.append(UInt8(n & 0xFF))
            out.append(UInt8((n >> 8) & 0xFF))
            out.append(UInt8(n >> 16))
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[from..<to]))
    }

    static func emitCopy(offset: Int, length: Int, _ out: inout [UInt8]) {
        var left = length
        while left >= 68 {
            emitCopyPiece(offset: offset, length: 64, &out)
            left -= 64
        }
        if left > 64 {
            emitCopyPiece(offset: offset, length: 60, &out)
            left -= 60
        }
        emitCopyPiece(offset: offset, length: left, &out)
    }

    static func emitCopyPiece(offset: Int, length: Int, _ out: inout [UInt8]) {
        if length < 12 && offset < 2048 {
            out.append(UInt8(1 | ((length - 4) << 2) | ((offset >> 8) << 5)))
            out.append(UInt8(offset & 0xFF))
        } else {
            out.append(UInt8(2 | ((length - 1) << 2)))
            out.append(UInt8(offset & 0xFF))
            out.append(UInt8(offset >> 8))
        }
    }

    /// Decompresses a snappy block whose uncompressed size the caller knows (the page header says it).
    public static func decompress(_ input: UnsafeRawBufferPointer, expectedSize: Int) throws(ParquetError)
        -> [UInt8]
    {
        var out = [UInt8](repeating: 0, count: expectedSize)
        try out.withUnsafeMutableBufferPointer { (buffer) throws(ParquetError) in
            try decompress(input, into: buffer)
        }
        return out
    }

    /// Decompresses a snappy block into `buffer`, whose size is the block's uncompressed size.
    static func decompress(_ input: UnsafeRawBufferPointer, into buffer: UnsafeMutableBufferPointer<UInt8>)
        throws(ParquetError)
    {
        let expectedSize = buffer.count
        var reader = ByteReader(input)
        let declared = try reader.varint()
        guard declared == UInt64(expectedSize) else {
            throw .corrupt("snappy data holds \(declared) bytes, the page header says \(expectedSize)")
        }
        var o = 0
        while reader.remaining > 0 {
            let tag = try reader.byte()
            switch tag & 3 {
            case 0:
                var length = Int(tag >> 2) + 1
                if length > 60 { length = Int(try reader.littleEndian(width: length - 60)) + 1 }
                try reader.need(length, "a snappy literal")
                guard length <= expectedSize - o else {
                    throw .corrupt("snappy literal overflows the page")
                }
                UnsafeMutableRawPointer(buffer.baseAddress! + o).copyMemory(
                    from: reader.base.baseAddress! + reader.position, byteCount: length)
                reader.position += length
                o += length
            default:
                let length: Int
                let offset: Int
                if tag & 3 == 1 {
                    length = Int((tag >> 2) & 7) + 4
                    offset = Int(tag >> 5) << 8 | Int(try reader.byte())
                } else if tag & 3 == 2 {
                    length = Int(tag >> 2) + 1
                    offset = Int(try reader.littleEndian(width: 2))
                } else {
                    length = Int(tag >> 2) + 1
                    offset = Int(try reader.littleEndian(width: 4))
                }
                guard offset > 0, offset <= o, length <= expectedSize - o else {
                    throw .corrupt("snappy copy outside the data")
                }
                for k in 0..<length { buffer[o + k] = buffer[o + k - offset] }
                o += length
            }
        }
        guard o == expectedSize else {
            throw .corrupt("snappy data holds \(o) bytes, \(expectedSize) expected")
        }
    }
}
