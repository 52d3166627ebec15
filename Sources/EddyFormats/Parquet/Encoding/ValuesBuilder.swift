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
    /// Entries the reader expects in all (from the chunks' metadata), to size byte data as it grows.
    var expected = 0

    init(type: PhysicalType, width: Int) {
        self.type = type
        self.width = width
    }

    /// Reserves room for `entries` values once, before the first page, so pages append without the
    /// arrays reallocating and copying as they grow.
    mutating func reserve(_ entries: Int) {
        expected = entries
        switch type {
        case .boolean: booleans.reserveCapacity(entries)
        case .int32: int32s.reserveCapacity(entries)
        case .int64, .int96: int64s.reserveCapacity(entries)
        case .float: floats.reserveCapacity(entries)
        case .double: doubles.reserveCapacity(entries)
        case .byteArray: offsets.reserveCapacity(entries + 1)
        case .fixedLenByteArray: data.reserveCapacity(entries * width)
        }
    }

    /// Makes room for `more` bytes of byte-array data: when the data outgrows its capacity, the
    /// capacity follows the average value length so far times the values expected (at least doubling).
    private mutating func growData(by more: Int) throws(ParquetError) {
        let needed = data.count + more
        guard needed <= Int32.max else {
            throw ParquetError(.unsupported, "more than 2 GiB of byte-array values in one column chunk")
        }
        guard needed > data.capacity else { return }
        let values = max(1, offsets.count - 1)
        let estimate = needed / values * max(expected, values) + needed / values * 64
        data.reserveCapacity(max(needed, min(estimate, Int(Int32.max)), data.capacity * 2))
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
            let old = booleans.count
            booleans.append(contentsOf: repeatElement(false, count: count))
            let bits = reader.base.baseAddress! + reader.position
            booleans.withUnsafeMutableBufferPointer { out in
                let target = out.baseAddress! + old
                for i in 0..<count {
                    target[i] = bits.load(fromByteOffset: i &>> 3, as: UInt8.self) &>> UInt8(i & 7) & 1 == 1
                }
            }
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
            // Two passes: check every length against the page and sum them, then copy into data sized once.
            let base = reader.base.baseAddress!
            var position = reader.position
            var total = 0
            for _ in 0..<count {
                guard reader.end - position >= 4 else {
                    throw .corrupt("a byte array's length needs 4 bytes, \(reader.end - position) left")
                }
                let length = Int(
                    UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                guard length <= reader.end - position - 4 else {
                    throw .corrupt(
                        "a byte array of \(length) bytes needs more than the \(reader.end - position - 4) left"
                    )
                }
                position += 4 + length
                total += length
            }
            try growData(by: total)
            let oldData = data.count
            let oldOffsets = offsets.count
            data.append(contentsOf: repeatElement(0, count: total))
            offsets.append(contentsOf: repeatElement(0, count: count))
            position = reader.position
            data.withUnsafeMutableBufferPointer { out in
                offsets.withUnsafeMutableBufferPointer { ends in
                    var at = oldData
                    for i in 0..<count {
                        let length = Int(
                            UInt32(
                                littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                        (out.baseAddress! + at).update(
                            from: (base + position + 4).assumingMemoryBound(to: UInt8.self), count: length)
                        position += 4 + length
                        at += length
                        ends[oldOffsets + i] = Int32(truncatingIfNeeded: at)
                    }
                }
            }
            reader.position = position
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
    mutating func appendGathered(from dictionary: ValuesBuilder, indices: UnsafeBufferPointer<UInt32>)
        throws(ParquetError)
    {
        let n = indices.count
        guard n > 0 else { return }
        switch type {
        case .boolean: gather(dictionary.booleans, indices, into: &booleans)
        case .int32: gather(dictionary.int32s, indices, into: &int32s)
        case .int64, .int96: gather(dictionary.int64s, indices, into: &int64s)
        case .float: gather(dictionary.floats, indices, into: &floats)
        case .double: gather(dictionary.doubles, indices, into: &doubles)
        case .byteArray:
            try dictionary.offsets.withUnsafeBufferPointer { (starts) throws(ParquetError) in
                var total = 0
                for index in indices {
                    let i = Int(index)
                    total &+= Int(starts[i + 1] &- starts[i])
                }
                try growData(by: total)
                let oldData = data.count
                let oldOffsets = offsets.count
                data.append(contentsOf: repeatElement(0, count: total))
                offsets.append(contentsOf: repeatElement(0, count: n))
                dictionary.data.withUnsafeBufferPointer { source in
                    data.withUnsafeMutableBufferPointer { out in
                        offsets.withUnsafeMutableBufferPointer { ends in
                            Self.gatherBytes(
                                source, starts, indices, into: out, at: oldData,
                                ends: ends.baseAddress! + oldOffsets)
                        }
                    }
                }
            }
        case .fixedLenByteArray:
            let old = data.count
            data.append(contentsOf: repeatElement(0, count: n * width))
            dictionary.data.withUnsafeBufferPointer { source in
                data.withUnsafeMutableBufferPointer { out in
                    for (k, index) in indices.enumerated() {
                        (out.baseAddress! + old + k * width).update(
                            from: source.baseAddress! + Int(index) * width, count: width)
                    }
                }
            }
        }
    }

    /// Copies the byte values named by `indices` back to back from `at`; short values move as two
    /// 8-byte words (the next value overwrites the excess) while both buffers have 16 bytes left.
    @inline(__always)
    private static func gatherBytes(
        _ source: UnsafeBufferPointer<UInt8>, _ starts: UnsafeBufferPointer<Int32>,
        _ indices: UnsafeBufferPointer<UInt32>, into out: UnsafeMutableBufferPointer<UInt8>, at: Int,
        ends: UnsafeMutablePointer<Int32>
    ) {
        guard let src = source.baseAddress, let dst = out.baseAddress else {
            ends.update(repeating: Int32(truncatingIfNeeded: at), count: indices.count)
            return
        }
        let sourceEnd = source.count
        let outEnd = out.count
        var position = at
        for k in 0..<indices.count {
            let i = Int(indices[k])
            let start = Int(starts[i])
            let length = Int(starts[i + 1]) &- start
            if length <= 16 && start &+ 16 <= sourceEnd && position &+ 16 <= outEnd {
                let a = UnsafeRawPointer(src + start).loadUnaligned(as: UInt64.self)
                let b = UnsafeRawPointer(src + start + 8).loadUnaligned(as: UInt64.self)
                UnsafeMutableRawPointer(dst + position).storeBytes(of: a, as: UInt64.self)
                UnsafeMutableRawPointer(dst + position + 8).storeBytes(of: b, as: UInt64.self)
            } else {
                (dst + position).update(from: src + start, count: length)
            }
            position &+= length
            ends[k] = Int32(truncatingIfNeeded: position)
        }
    }

    private func gather<T>(_ source: [T], _ indices: UnsafeBufferPointer<UInt32>, into target: inout [T]) {
        source.withUnsafeBufferPointer { s in
            let old = target.count
            target.append(contentsOf: repeatElement(s[0], count: indices.count))
            target.withUnsafeMutableBufferPointer { t in
                let out = t.baseAddress! + old
                for k in 0..<indices.count { out[k] = s[Int(indices[k])] }
            }
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
