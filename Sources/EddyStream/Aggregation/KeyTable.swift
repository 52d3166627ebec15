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
        // Keys are short (store areas, customer ids): mix the first and last words and the length. Two loads
        // instead of a byte loop; equal hashes are confirmed with memcmp, so collisions cost only time.
        let n = bytes.count
        var a: UInt64 = 0
        var b: UInt64 = 0
        if n >= 8 {
            a = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
            b = bytes.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            if n > 16 {
                a ^= bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self) &* 0x9E37_79B9_7F4A_7C15
            }
        } else if n >= 4 {
            a = UInt64(bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
            b = UInt64(bytes.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
        } else {
            for i in 0..<n { a = a << 8 | UInt64(bytes[i]) }
        }
        var h = (a ^ (b << 32 | b >> 32) ^ UInt64(n) &* 0xFF51_AFD7_ED55_8CCD) &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
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
