/// Decoded values of one column chunk, appended page by page into contiguous arrays of the chunk's
/// physical type (INT96 arrives as Int64 nanoseconds since the epoch).
struct ValuesBuilder {
    let type: PhysicalType
    let width: Int  // FIXED_LEN_BYTE_ARRAY
    var booleans: [Bool] = []
    var int32s: [Int32] = []
    var int64s: [Int64] = []
    var floats: [Float] = []
    var doubles: [Double] = []
    var offsets: [Int32] = [0]
    var data: [UInt8] = []

    init(type: PhysicalType, width: Int) {
        self.type = type
        self.width = width
    }

    var count: Int {
        switch type {
        case .boolean: booleans.count
        case .int32: int32s.count
        case .int64, .int96: int64s.count
        case .float: floats.count
        case .double: doubles.count
        case .byteArray: offsets.count - 1
        case .fixedLenByteArray: width == 0 ? 0 : data.count / width
        }
    }

    mutating func appendBytes(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        data.append(contentsOf: bytes)
        guard data.count <= Int32.max else {
            throw ParquetError(.unsupported, "more than 2 GiB of byte-array values in one column chunk")
        }
        offsets.append(Int32(data.count))
    }

    /// Appends `count` PLAIN-encoded values.
    mutating func appendPlain(_ reader: inout ByteReader, count: Int) throws(ParquetError) {
        switch type {
        case .boolean:
            try reader.need((count + 7) / 8, "\(count) PLAIN booleans")
            let start = reader.position
            for i in 0..<count { booleans.append(reader.base[start + i >> 3] >> UInt8(i & 7) & 1 == 1) }
            reader.position += (count + 7) / 8
        case .int32: try appendFixed(&reader, count: count, into: &int32s)
        case .int64: try appendFixed(&reader, count: count, into: &int64s)
        case .float: try appendFixed(&reader, count: count, into: &floats)
        case .double: try appendFixed(&reader, count: count, into: &doubles)
        case .int96:
            try reader.need(count * 12, "\(count) INT96 values")
            for i in 0..<count {
                let at = reader.position + i * 12
                let nanos = Int64(littleEndian: reader.base.loadUnaligned(fromByteOffset: at, as: Int64.self))
                let julian = Int64(
                    Int32(littleEndian: reader.base.loadUnaligned(fromByteOffset: at + 8, as: Int32.self)))
                int64s.append((julian - 2_440_588) &* 86_400_000_000_000 &+ nanos)
            }
            reader.position += count * 12
        case .byteArray:
            for _ in 0..<count {
                let length = Int(try reader.uint32())
                try reader.need(length, "a byte array of \(length) bytes")
                try appendBytes(
                    UnsafeRawBufferPointer(rebasing: reader.base[reader.position..<reader.position + length]))
                reader.position += length
            }
        case .fixedLenByteArray:
            try reader.need(count * width, "\(count) fixed-length values of \(width) bytes")
            data.append(contentsOf: reader.base[reader.position..<reader.position + count * width])
            reader.position += count * width
        }
    }

    private func appendFixed<T>(_ reader: inout ByteReader, count: Int, into array: inout [T])
        throws(ParquetError)
    {
        let size = MemoryLayout<T>.size
        try reader.need(count * size, "\(count) PLAIN values of \(size) bytes")
        let source = UnsafeRawBufferPointer(
            rebasing: reader.base[reader.position..<reader.position + count * size])
        let old = array.count
        array.append(contentsOf: repeatElement(zero(T.self), count: count))
        array.withUnsafeMutableBytes { target in
            target.baseAddress!.advanced(by: old * size).copyMemory(
                from: source.baseAddress!, byteCount: count * size)
        }
        reader.position += count * size
    }

    /// Appends the dictionary entries named by `indices` (already checked against the dictionary size).
    mutating func appendGathered(from dictionary: ValuesBuilder, indices: [UInt32]) {
        switch type {
        case .boolean: booleans.append(contentsOf: indices.lazy.map { dictionary.booleans[Int($0)] })
        case .int32: gather(dictionary.int32s, indices, into: &int32s)
        case .int64, .int96: gather(dictionary.int64s, indices, into: &int64s)
        case .float: gather(dictionary.floats, indices, into: &floats)
        case .double: gather(dictionary.doubles, indices, into: &doubles)
        case .byteArray:
            dictionary.data.withUnsafeBytes { source in
                for index in indices {
                    let i = Int(index)
                    let start = Int(dictionary.offsets[i])
                    let end = Int(dictionary.offsets[i + 1])
                    data.append(contentsOf: UnsafeRawBufferPointer(rebasing: source[start..<end]))
                    offsets.append(Int32(truncatingIfNeeded: data.count))
                }
            }
        case .fixedLenByteArray:
            for index in indices {
                let i = Int(index)
                data.append(contentsOf: dictionary.data[i * width..<(i + 1) * width])
            }
        }
    }

    private func gather<T>(_ source: [T], _ indices: [UInt32], into target: inout [T]) {
        source.withUnsafeBufferPointer { s in
            for index in indices { target.append(s[Int(index)]) }
        }
    }

    func finish() -> ColumnValues {
        switch type {
        case .boolean: .boolean(booleans)
        case .int32: .int32(int32s)
        case .int64, .int96: .int64(int64s)
        case .float: .float(floats)
        case .double: .double(doubles)
        case .byteArray: .bytes(offsets: offsets, data: data)
        case .fixedLenByteArray: .fixed(width: width, data: data)
        }
    }
}

@inline(__always)
private func zero<T>(_: T.Type) -> T {
    withUnsafeTemporaryAllocation(of: T.self, capacity: 1) { buffer in
        UnsafeMutableRawPointer(buffer.baseAddress!).initializeMemory(
            as: UInt8.self, repeating: 0, count: MemoryLayout<T>.size)
        return buffer[0]
    }
}
