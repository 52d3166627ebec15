/// A segment's sparse offset index: every ~4 KiB of log, the base offset of a batch (relative to the
/// segment's base offset) and the batch's byte position. A read looks up the nearest entry at or below the
/// wanted offset and scans forward from there over at most a few batch headers.
///
/// On disk (`<base>.index`) it has Kafka's layout: 8-byte entries, relative offset int32 and position
/// int32, big-endian.
struct OffsetIndex: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var relativeOffset: Int32
        var position: Int32
    }

    static let entrySize = 8
    /// Bytes of log between entries (Kafka's `index.interval.bytes` default).
    static let intervalBytes = 4096

    private(set) var entries: [Entry] = []

    mutating func append(relativeOffset: Int32, position: Int32) {
        if let last = entries.last, last.relativeOffset >= relativeOffset || last.position >= position {
            return
        }
        entries.append(Entry(relativeOffset: relativeOffset, position: position))
    }

    /// The position of the last indexed batch starting at or below `relativeOffset` (0 when none is).
    func position(atOrBelow relativeOffset: Int32) -> Int64 {
        var lo = 0
        var hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].relativeOffset <= relativeOffset { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? 0 : Int64(entries[lo - 1].position)
    }

    mutating func removeAll() { entries.removeAll(keepingCapacity: true) }

    func encoded() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: entries.count * Self.entrySize)
        bytes.withUnsafeMutableBytes { raw in
            for (i, entry) in entries.enumerated() {
                raw.baseAddress!.storeBigEndian(entry.relativeOffset, at: i * 8)
                raw.baseAddress!.storeBigEndian(entry.position, at: i * 8 + 4)
            }
        }
        return bytes
    }

    /// Parses an index file; nil if it is not a well-formed index of a segment of `segmentSize` bytes.
    init?(decoding bytes: [UInt8], segmentSize: Int64) {
        guard bytes.count % Self.entrySize == 0 else { return nil }
        var entries: [Entry] = []
        entries.reserveCapacity(bytes.count / Self.entrySize)
        let ok = bytes.withUnsafeBytes { raw -> Bool in
            for i in 0..<(bytes.count / Self.entrySize) {
                let entry = Entry(
                    relativeOffset: raw.baseAddress!.loadBigEndian(at: i * 8, as: Int32.self),
                    position: raw.baseAddress!.loadBigEndian(at: i * 8 + 4, as: Int32.self))
                if entry.relativeOffset < 0 || entry.position < 0 || Int64(entry.position) >= segmentSize {
                    return false
                }
                if let last = entries.last,
                    last.relativeOffset >= entry.relativeOffset || last.position >= entry.position
                {
                    return false
                }
                entries.append(entry)
            }
            return true
        }
        guard ok else { return nil }
        self.entries = entries
    }

    init() {}
}
