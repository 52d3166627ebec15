/// Group keys looked up by their UTF-8 bytes without allocating: an open-addressing hash table over an arena
/// of key bytes. Only a key seen for the first time is copied (interned). Slot numbers are dense (0, 1, 2 …),
/// so per-group accumulators live in flat arrays indexed by slot.
struct KeyTable {
    private var hashes: [UInt64]
    private var slots: [Int32]
    private var mask: Int
    private(set) var arena: [UInt8] = []
    private(set) var keyStarts: [Int] = []
    private(set) var keyLengths: [Int] = []

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        hashes = Array(repeating: 0, count: size)
        slots = Array(repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { keyStarts.count }

    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        // FNV-1a, 8 bytes at a time where possible: keys are short (store areas, customer ids).
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x100_0000_01b3
            h ^= h >> 29
            i += 8
        }
        while i < n {
            h = (h ^ UInt64(bytes[i])) &* 0x100_0000_01b3
            i += 1
        }
        h ^= UInt64(n)
        h = (h ^ (h >> 32)) &* 0x9E37_79B9_7F4A_7C15
        return h | 1  // 0 marks an empty bucket
    }

    /// The slot of `bytes`, interning it if new.
    @inline(__always)
    mutating func slot(for bytes: UnsafeRawBufferPointer) -> Int {
        let h = Self.hash(bytes)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let stored = hashes[i]
            if stored == 0 { return insert(bytes, hash: h, at: i) }
            if stored == h {
                let s = Int(slots[i])
                if keyLengths[s] == bytes.count && equal(s, bytes) { return s }
            }
            i = (i + 1) & mask
        }
    }

    private func equal(_ s: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = keyStarts[s]
        return arena.withUnsafeBytes { a in
            guard bytes.count > 0 else { return true }
            return memcmp(a.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
        }
    }

    private mutating func insert(_ bytes: UnsafeRawBufferPointer, hash: UInt64, at bucket: Int) -> Int {
        let s = keyStarts.count
        keyStarts.append(arena.count)
        keyLengths.append(bytes.count)
        arena.append(contentsOf: bytes)
        hashes[bucket] = hash
        slots[bucket] = Int32(s)
        if keyStarts.count * 2 > hashes.count { grow() }
        return s
    }

    private mutating func grow() {
        let old = (hashes, slots)
        let size = hashes.count * 2
        hashes = Array(repeating: 0, count: size)
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        for (h, s) in zip(old.0, old.1) where h != 0 {
            var i = Int(truncatingIfNeeded: h) & mask
            while hashes[i] != 0 { i = (i + 1) & mask }
            hashes[i] = h
            slots[i] = s
        }
    }

    /// Key `s` as a string (for emitting results).
    func string(_ s: Int) -> String {
        let start = keyStarts[s]
        return String(decoding: arena[start..<(start + keyLengths[s])], as: UTF8.self)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
