/// Snappy decompression, written from the format description (google/snappy `format_description.txt`),
/// and the xerial stream framing that kafka-python, librdkafka and the Java client put around it.
enum Snappy {
    /// xerial's header: `\x82SNAPPY\0`, then a version and a compatible version (big-endian int32).
    static let xerialMagic: [UInt8] = [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00]

    /// Decompresses xerial-framed data (blocks of `length int32 | raw snappy`), or raw snappy when the
    /// magic is absent (librdkafka writes either).
    static func decompressFramed(_ bytes: UnsafeRawBufferPointer, maxBytes: Int) throws(LogError) -> [UInt8] {
        guard bytes.count >= 16, bytes.prefix(8).elementsEqual(xerialMagic) else {
            var out: [UInt8] = []
            try decompressRaw(bytes, into: &out, maxBytes: maxBytes)
            return out
        }
        var out: [UInt8] = []
        var i = 16
        while i < bytes.count {
            guard i + 4 <= bytes.count else {
                throw CompressionCodec.damaged(.snappy, "truncated xerial block")
            }
            let length = Int(
                UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8
                    | UInt32(bytes[i + 3]))
            i += 4
            guard length <= bytes.count - i else {
                throw CompressionCodec.damaged(.snappy, "truncated xerial block")
            }
            try decompressRaw(
                UnsafeRawBufferPointer(rebasing: bytes[i..<(i + length)]), into: &out, maxBytes: maxBytes)
            i += length
        }
        return out
    }

    /// Appends the decompression of one raw snappy block to `out`.
    static func decompressRaw(_ src: UnsafeRawBufferPointer, into out: inout [UInt8], maxBytes: Int)
        throws(LogError)
    {
        var i = 0
        // Preamble: the uncompressed length, unsigned varint.
        var length = 0
        var shift = 0
        while true {
            guard i < src.count, shift <= 28 else {
                throw CompressionCodec.damaged(.snappy, "bad length preamble")
            }
            let byte = src[i]
            i += 1
            length |= Int(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        guard out.count + length <= maxBytes else {
            throw CompressionCodec.damaged(.snappy, "inflates to more than \(maxBytes) bytes")
        }
        let start = out.count
        let end = start + length
        out.reserveCapacity(end)
        while i < src.count {
            let tag = src[i]
            i += 1
            switch tag & 0x03 {
            case 0:
                var literal = Int(tag >> 2)
                if literal >= 60 {
                    let extra = literal - 59
                    guard i + extra <= src.count else {
                        throw CompressionCodec.damaged(.snappy, "truncated literal")
                    }
                    literal = 0
                    for k in 0..<extra { literal |= Int(src[i + k]) << (8 * k) }
                    i += extra
                }
                literal += 1
                guard literal <= src.count - i, out.count + literal <= end else {
                    throw CompressionCodec.damaged(.snappy, "literal runs past the end")
                }
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: src[i..<(i + literal)]))
                i += literal
            default:
                let copyLength: Int
                let distance: Int
                switch tag & 0x03 {
                case 1:
                    guard i < src.count else { throw CompressionCodec.damaged(.snappy, "truncated copy") }
                    copyLength = 4 + Int((tag >> 2) & 0x07)
                    distance = Int(tag >> 5) << 8 | Int(src[i])
                    i += 1
                case 2:
                    guard i + 2 <= src.count else {
                        throw CompressionCodec.damaged(.snappy, "truncated copy")
                    }
                    copyLength = 1 + Int(tag >> 2)
                    distance = Int(src[i]) | Int(src[i + 1]) << 8
                    i += 2
                default:
                    guard i + 4 <= src.count else {
                        throw CompressionCodec.damaged(.snappy, "truncated copy")
                    }
                    copyLength = 1 + Int(tag >> 2)
                    distance =
                        Int(src[i]) | Int(src[i + 1]) << 8 | Int(src[i + 2]) << 16 | Int(src[i + 3]) << 24
                    i += 4
                }
                guard distance > 0, distance <= out.count - start, out.count + copyLength <= end else {
                    throw CompressionCodec.damaged(.snappy, "copy out of range")
                }
                // Byte by byte: a copy may overlap what it produces (runs).
                var from = out.count - distance
                for _ in 0..<copyLength {
                    out.append(out[from])
                    from += 1
                }
            }
        }
        guard out.count == end else { throw CompressionCodec.damaged(.snappy, "length mismatch") }
    }
}
