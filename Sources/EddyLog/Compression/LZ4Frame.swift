/// LZ4 frame decompression (the format Kafka's v2 batches use), written from lz4's `lz4_Frame_format.md`
/// and `lz4_Block_format.md`. Checksums are skipped: the batch's CRC-32C already covers the bytes.
enum LZ4Frame {
    static let magic: UInt32 = 0x184D_2204

    static func decompress(_ src: UnsafeRawBufferPointer, maxBytes: Int) throws(LogError) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        func le32(_ at: Int) -> UInt32 {
            UInt32(src[at]) | UInt32(src[at + 1]) << 8 | UInt32(src[at + 2]) << 16 | UInt32(src[at + 3]) << 24
        }
        while i < src.count {
            guard i + 7 <= src.count else { throw CompressionCodec.damaged(.lz4, "truncated frame header") }
            let frameMagic = le32(i)
            if frameMagic & 0xFFFF_FFF0 == 0x184D_2A50 {  // a skippable frame
                guard i + 8 <= src.count else {
                    throw CompressionCodec.damaged(.lz4, "truncated skippable frame")
                }
                i += 8 + Int(le32(i + 4))
                continue
            }
            guard frameMagic == magic else { throw CompressionCodec.damaged(.lz4, "not an LZ4 frame") }
            let flags = src[i + 4]
            guard flags >> 6 == 1 else { throw CompressionCodec.damaged(.lz4, "unsupported frame version") }
            let blockChecksum = flags & 0x10 != 0
            let contentSize = flags & 0x08 != 0
            let contentChecksum = flags & 0x04 != 0
            let dictionary = flags & 0x01 != 0
            i += 6 + (contentSize ? 8 : 0) + (dictionary ? 4 : 0) + 1  // magic, FLG, BD, options, HC
            while true {
                guard i + 4 <= src.count else { throw CompressionCodec.damaged(.lz4, "truncated block") }
                let word = le32(i)
                i += 4
                if word == 0 { break }
                let size = Int(word & 0x7FFF_FFFF)
                guard size <= src.count - i else { throw CompressionCodec.damaged(.lz4, "truncated block") }
                let block = UnsafeRawBufferPointer(rebasing: src[i..<(i + size)])
                if word & 0x8000_0000 != 0 {
                    guard out.count + size <= maxBytes else {
                        throw CompressionCodec.damaged(.lz4, "inflates to more than \(maxBytes) bytes")
                    }
                    out.append(contentsOf: block)
                } else {
                    try decompressBlock(block, into: &out, maxBytes: maxBytes)
                }
                i += size + (blockChecksum ? 4 : 0)
            }
            if contentChecksum { i += 4 }
        }
        return out
    }

    /// Appends one LZ4 block's decompression to `out`; matches may reach into earlier blocks (linked mode).
    static func decompressBlock(_ src: UnsafeRawBufferPointer, into out: inout [UInt8], maxBytes: Int)
        throws(LogError)
    {
        var i = 0
        while i < src.count {
            let token = src[i]
            i += 1
            var literal = Int(token >> 4)
            if literal == 15 {
                while true {
                    guard i < src.count else {
                        throw CompressionCodec.damaged(.lz4, "truncated literal length")
                    }
                    let byte = src[i]
                    i += 1
                    literal += Int(byte)
                    if byte != 255 { break }
                }
            }
            guard literal <= src.count - i, out.count + literal <= maxBytes else {
                throw CompressionCodec.damaged(.lz4, "literal runs past the end")
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: src[i..<(i + literal)]))
            i += literal
            if i == src.count { break }  // the last sequence has literals only
            guard i + 2 <= src.count else { throw CompressionCodec.damaged(.lz4, "truncated match offset") }
            let distance = Int(src[i]) | Int(src[i + 1]) << 8
            i += 2
            var match = Int(token & 0x0F)
            if match == 15 {
                while true {
                    guard i < src.count else {
                        throw CompressionCodec.damaged(.lz4, "truncated match length")
                    }
                    let byte = src[i]
                    i += 1
                    match += Int(byte)
                    if byte != 255 { break }
                }
            }
            match += 4
            guard distance > 0, distance <= out.count, out.count + match <= maxBytes else {
                throw CompressionCodec.damaged(.lz4, "match out of range")
            }
            var from = out.count - distance
            for _ in 0..<match {
                out.append(out[from])
                from += 1
            }
        }
    }
}
