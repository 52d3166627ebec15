#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Builds a column chunk's dictionary with an open-addressing hash table (no per-value allocation):
/// each value gets the index of its first occurrence. Gives up (returns nil) when the dictionary's
/// PLAIN size passes the limit, and the chunk is written PLAIN instead.
struct DictionaryBuilder {
    /// Dictionary-encodes the values at `slots` (or every index of `range`): the dictionary as a column
    /// of distinct values, and one index per encoded value.
    static func build(_ values: ColumnValues, _ slots: [Int32]?, range: Range<Int>, limitBytes: Int)
        -> (dictionary: ColumnValues, indices: [UInt32])?
    {
        let count = slots?.count ?? range.count
        switch values {
        case .int32(let v):
            return numeric(count, limitBytes / 4, { UInt64(UInt32(bitPattern: v[$0])) }, slots, range).map {
                (.int32($0.map { Int32(bitPattern: UInt32(truncatingIfNeeded: $0)) }), $1)
            }
        case .int64(let v):
            return numeric(count, limitBytes / 8, { UInt64(bitPattern: v[$0]) }, slots, range).map {
                (.int64($0.map { Int64(bitPattern: $0) }), $1)
            }
        case .float(let v):
            return numeric(count, limitBytes / 4, { UInt64(v[$0].bitPattern) }, slots, range).map {
                (.float($0.map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) }), $1)
            }
        case .double(let v):
            return numeric(count, limitBytes / 8, { v[$0].bitPattern }, slots, range).map {
                (.double($0.map { Double(bitPattern: $0) }), $1)
            }
        case .bytes(let offsets, let data):
            return bytes(offsets, data, slots, range, limitBytes: limitBytes)
        case .boolean, .fixed:
            return nil
        }
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        // murmur3's finalizer: every input bit reaches the low bits the table indexes with (a plain
        // multiply leaves them depending on the key's low bits only, which are zero for round doubles).
        var h = x ^ (x >> 33)
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    static func numeric(
        _ count: Int, _ maxEntries: Int, _ key: (Int) -> UInt64, _ slots: [Int32]?, _ range: Range<Int>
    ) -> ([UInt64], [UInt32])? {
        var capacity = 1024
        var table = [Int32](repeating: -1, count: capacity)
        var keys: [UInt64] = []
        var indices = [UInt32](repeating: 0, count: count)
        var out = 0
        func add(_ k: UInt64) -> Bool {
            var h = Int(truncatingIfNeeded: mix(k)) & (capacity - 1)
            while true {
                let entry = table[h]
                if entry < 0 {
                    table[h] = Int32(keys.count)
                    indices[out] = UInt32(keys.count)
                    keys.append(k)
                    if keys.count > maxEntries { return false }
                    if keys.count * 2 > capacity { grow() }
                    return true
                }
                if keys[Int(entry)] == k {
                    indices[out] = UInt32(entry)
                    return true
                }
                h = (h + 1) & (capacity - 1)
            }
        }
        func grow() {
            capacity *= 2
            table = [Int32](repeating: -1, count: capacity)
            for (i, k) in keys.enumerated() {
                var h = Int(truncatingIfNeeded: mix(k)) & (capacity - 1)
                while table[h] >= 0 { h = (h + 1) & (capacity - 1) }
                table[h] = Int32(i)
            }
        }
        if let slots {
            for i in slots {
                guard add(key(Int(i))) else { return nil }
                out += 1
            }
        } else {
            for i in range {
                guard add(key(i)) else { return nil }
                out += 1
            }
        }
        return (keys, indices)
    }

    static func bytes(
        _ offsets: [Int32], _ data: [UInt8], _ slots: [Int32]?, _ range: Range<Int>, limitBytes: Int
    ) -> (ColumnValues, [UInt32])? {
        let count = slots?.count ?? range.count
        var capacity = 1024
        var table = [Int32](repeating: -1, count: capacity)
        var hashes: [UInt64] = []
        var dictOffsets: [Int32] = [0]
        var dictData: [UInt8] = []
        var indices = [UInt32](repeating: 0, count: count)
        var failed = false
        data.withUnsafeBytes { raw in
            func hash(_ start: Int, _ end: Int) -> UInt64 {
                var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(end - start)
                var i = start
                while i + 8 <= end {
                    h = mix(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                    i += 8
                }
                var tail: UInt64 = 0
                var shift: UInt64 = 0
                while i < end {
                    tail |= UInt64(raw[i]) << shift
                    shift += 8
                    i += 1
                }
                return mix(h ^ tail)
            }
            func equal(_ start: Int, _ end: Int, _ entry: Int) -> Bool {
                let s = Int(dictOffsets[entry])
                let e = Int(dictOffsets[entry + 1])
                guard e - s == end - start else { return false }
                return dictData.withUnsafeBytes { d in
                    memcmp(d.baseAddress! + s, raw.baseAddress! + start, e - s) == 0
                }
            }
            func grow() {
                capacity *= 2
                table = [Int32](repeating: -1, count: capacity)
                for (i, h) in hashes.enumerated() {
                    var p = Int(truncatingIfNeeded: h) & (capacity - 1)
                    while table[p] >= 0 { p = (p + 1) & (capacity - 1) }
                    table[p] = Int32(i)
                }
            }
            var out = 0
            func add(_ i: Int) -> Bool {
                let start = Int(offsets[i])
                let end = Int(offsets[i + 1])
                let h = hash(start, end)
                var p = Int(truncatingIfNeeded: h) & (capacity - 1)
                while true {
                    let entry = table[p]
                    if entry < 0 {
                        table[p] = Int32(hashes.count)
                        indices[out] = UInt32(hashes.count)
                        hashes.append(h)
                        dictData.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[start..<end]))
                        dictOffsets.append(Int32(dictData.count))
                        if dictData.count + 4 * hashes.count > limitBytes { return false }
                        if hashes.count * 2 > capacity { grow() }
                        return true
                    }
                    if hashes[Int(entry)] == h && equal(start, end, Int(entry)) {
                        indices[out] = UInt32(entry)
                        return true
                    }
                    p = (p + 1) & (capacity - 1)
                }
            }
            if let slots {
                for i in slots {
                    guard add(Int(i)) else { return failed = true }
                    out += 1
                }
            } else {
                for i in range {
                    guard add(i) else { return failed = true }
                    out += 1
                }
            }
        }
        return failed ? nil : (.bytes(offsets: dictOffsets, data: dictData), indices)
    }
}
