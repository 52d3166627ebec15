/// The DELTA_* encodings (read only): Parquet v2 writers (pyarrow with `use_dictionary=False` and
/// `column_encoding`, Spark, DuckDB) use them for integers and strings.
enum DeltaEncodings {
    /// DELTA_BINARY_PACKED: a header, then blocks of miniblocks of bit-packed deltas from a min delta.
    static func decodeIntegers(_ reader: inout ByteReader, count: Int? = nil) throws(ParquetError) -> [Int64]
    {
        let blockSize = Int(clamping: try reader.varint())
        let miniblocks = Int(clamping: try reader.varint())
        let total = Int(clamping: try reader.varint())
        var last = try reader.zigzag()
        guard blockSize > 0, blockSize % 128 == 0, miniblocks > 0, blockSize % miniblocks == 0,
            (blockSize / miniblocks) % 32 == 0
        else { throw .corrupt("DELTA_BINARY_PACKED header: block \(blockSize), \(miniblocks) miniblocks") }
        if let count, total < count {
            throw .corrupt("DELTA_BINARY_PACKED holds \(total) values, \(count) expected")
        }
        let perMiniblock = blockSize / miniblocks
        var values: [Int64] = []
        values.reserveCapacity(min(total, 1 << 20))
        if total > 0 { values.append(last) }
        while values.count < total {
            let minDelta = try reader.zigzag()
            try reader.need(miniblocks, "miniblock bit widths")
            let widthsAt = reader.position
            reader.position += miniblocks
            for m in 0..<miniblocks where values.count < total {
                let width = Int(reader.base[widthsAt + m])
                guard width <= 64 else { throw .corrupt("DELTA_BINARY_PACKED bit width \(width)") }
                let bytes = perMiniblock * width / 8
                let n = min(perMiniblock, total - values.count)
                try reader.need((n * width + 7) / 8, "a miniblock")
                unpackBits(reader, start: reader.position, bitWidth: width, count: n) { delta in
                    last = last &+ minDelta &+ Int64(bitPattern: delta)
                    values.append(last)
                }
                reader.position += min(bytes, reader.remaining)
            }
        }
        return values
    }

    /// DELTA_LENGTH_BYTE_ARRAY: all lengths (delta-packed), then all bytes.
    static func decodeLengthByteArrays(
        _ reader: inout ByteReader, count: Int, into builder: inout ValuesBuilder
    ) throws(ParquetError) {
        let lengths = try decodeIntegers(&reader, count: count)
        for i in 0..<count {
            let length = Int(lengths[i])
            try reader.need(length, "a byte array of \(length) bytes")
            try builder.appendBytes(
                UnsafeRawBufferPointer(rebasing: reader.base[reader.position..<reader.position + length]))
            reader.position += length
        }
    }

    /// DELTA_BYTE_ARRAY: prefix lengths and suffixes; each value shares a prefix with the one before.
    static func decodeByteArrays(
        _ reader: inout ByteReader, count: Int, into builder: inout ValuesBuilder
    ) throws(ParquetError) {
        let prefixes = try decodeIntegers(&reader, count: count)
        let suffixLengths = try decodeIntegers(&reader, count: count)
        var previous: [UInt8] = []
        var value: [UInt8] = []
        for i in 0..<count {
            let prefix = Int(prefixes[i])
            let length = Int(suffixLengths[i])
            guard prefix >= 0, prefix <= previous.count else {
                throw .corrupt("DELTA_BYTE_ARRAY prefix \(prefix) longer than the previous value")
            }
            try reader.need(length, "a suffix of \(length) bytes")
            value.removeAll(keepingCapacity: true)
            value.append(contentsOf: previous[0..<prefix])
            value.append(
                contentsOf: UnsafeRawBufferPointer(
                    rebasing: reader.base[reader.position..<reader.position + length]))
            reader.position += length
            if builder.type == .fixedLenByteArray {
                guard value.count == builder.width else {
                    throw .corrupt("DELTA_BYTE_ARRAY value of wrong width")
                }
                builder.data.append(contentsOf: value)
            } else {
                try withBytes(value) { (b) throws(ParquetError) in try builder.appendBytes(b) }
            }
            swap(&previous, &value)
        }
    }

    /// BYTE_STREAM_SPLIT: byte k of every value, then byte k+1, …
    static func decodeByteStreamSplit(
        _ reader: inout ByteReader, count: Int, into builder: inout ValuesBuilder
    ) throws(ParquetError) {
        let width: Int
        switch builder.type {
        case .float, .int32: width = 4
        case .double, .int64: width = 8
        case .fixedLenByteArray: width = builder.width
        default: throw ParquetError(.unsupported, "BYTE_STREAM_SPLIT for \(builder.type)")
        }
        try reader.need(count * width, "\(count) BYTE_STREAM_SPLIT values")
        var joined = [UInt8](repeating: 0, count: count * width)
        for i in 0..<count {
            for k in 0..<width { joined[i * width + k] = reader.base[reader.position + k * count + i] }
        }
        reader.position += count * width
        try withBytes(joined) { (b) throws(ParquetError) in
            var plain = ByteReader(b)
            try builder.appendPlain(&plain, count: count)
        }
    }
}
