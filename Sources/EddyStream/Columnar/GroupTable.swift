/// Groups found by their packed key bytes (see ``KeyPacker``): an open-addressing hash table over an arena
/// of the keys seen, hashing every byte. Group numbers are dense (0, 1, 2 …) so accumulators live in flat
/// arrays indexed by group.
///
/// ```swift
/// var table = GroupTable()
/// let (group, isNew) = table.group(for: packedBytes)
/// ```
struct GroupTable: Sendable {
    private var hashes: [UInt64]
    private var groups: [Int32]
    private var mask: Int
    private var arena: [UInt8] = []
    private var keyStarts: [Int] = []
    private var keyLengths: [Int] = []

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        hashes = Array(repeating: 0, count: size)
        groups = Array(repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { keyStarts.count }

    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let w = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 32
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
        }
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 32
        return h | 1  // 0 marks an empty bucket
    }

    /// The group of `bytes`, and whether it was just created.
    @inline(__always)
    mutating func group(for bytes: UnsafeRawBufferPointer) -> (group: Int, isNew: Bool) {
        let h = Self.hash(bytes)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let stored = hashes[i]
            if stored == 0 { return (insert(bytes, hash: h, at: i), true) }
            if stored == h {
                let g = Int(groups[i])
                if keyLengths[g] == bytes.count && equal(g, bytes) { return (g, false) }
            }
            i = (i + 1) & mask
        }
    }

    private func equal(_ g: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count == 0
            || arena.withUnsafeBytes { a in
                memcmp(a.baseAddress! + keyStarts[g], bytes.baseAddress!, bytes.count) == 0
            }
    }

    private mutating func insert(_ bytes: UnsafeRawBufferPointer, hash: UInt64, at bucket: Int) -> Int {
        let g = keyStarts.count
        keyStarts.append(arena.count)
        keyLengths.append(bytes.count)
        arena.append(contentsOf: bytes)
        hashes[bucket] = hash
        groups[bucket] = Int32(g)
        if keyStarts.count * 2 > hashes.count { grow() }
        return g
    }

    private mutating func grow() {
        let size = hashes.count * 2
        var newHashes = [UInt64](repeating: 0, count: size)
        var newGroups = [Int32](repeating: -1, count: size)
        let newMask = size - 1
        for i in hashes.indices where hashes[i] != 0 {
            var j = Int(truncatingIfNeeded: hashes[i]) & newMask
            while newHashes[j] != 0 { j = (j + 1) & newMask }
            newHashes[j] = hashes[i]
            newGroups[j] = groups[i]
        }
        hashes = newHashes
        groups = newGroups
        mask = newMask
    }
}

/// Builds a group key's bytes: per key part a tag (which ``Value`` case, or null) and its value, fixed width
/// for numbers and length-prefixed for text. Typed vectors and boxed values of the same case pack alike,
/// so a batch that had to box a column (an integer overflow) still finds the groups of typed batches.
struct KeyPacker {
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(128) }

    mutating func clear() { bytes.removeAll(keepingCapacity: true) }

    @inline(__always) mutating func word(_ tag: UInt8, _ v: UInt64) {
        bytes.append(tag)
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inline(__always) mutating func text(_ tag: UInt8, _ b: UnsafeRawBufferPointer) {
        bytes.append(tag)
        withUnsafeBytes(of: UInt32(b.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: b)
    }

    /// Appends row `r` of `v`.
    @inline(__always) mutating func add(_ v: ColumnVector, _ r: Int) {
        if v.kind == .boxed { return add(v.boxed[r]) }
        guard v.valid[r] else { return bytes.append(0) }
        switch v.kind {
        case .bool: word(1, UInt64(v.ints[r]))
        case .int: word(2, UInt64(bitPattern: v.ints[r]))
        case .double: word(3, Self.doubleBits(v.doubles[r]))
        case .timestamp: word(4, UInt64(bitPattern: v.ints[r]))
        case .string: text(5, v.stringBytes(r))
        case .boxed: break
        }
    }

    /// Doubles equal as `Value`s pack alike (0.0 and -0.0 hash the same).
    private static func doubleBits(_ d: Double) -> UInt64 { d == 0 ? 0 : d.bitPattern }

    mutating func add(_ value: Value) {
        switch value {
        case .null: bytes.append(0)
        case .bool(let b): word(1, b ? 1 : 0)
        case .int(let x): word(2, UInt64(bitPattern: x))
        case .double(let d): word(3, Self.doubleBits(d))
        case .timestamp(let t): word(4, UInt64(bitPattern: t))
        case .string(var s): s.withUTF8 { text(5, UnsafeRawBufferPointer($0)) }
        case .decimal(var d):
            // Equal decimals of different scales (1.5, 1.50) are one key, as in Value's equality.
            while d.scale > 0 && d.units % 10 == 0 {
                d.units /= 10
                d.scale -= 1
            }
            word(6, UInt64(bitPattern: d.units))
            word(6, UInt64(bitPattern: Int64(d.scale)))
        case .array, .object:
            var text = "\(value)"
            text.withUTF8 { self.text(7, UnsafeRawBufferPointer($0)) }
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
