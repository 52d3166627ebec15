/// A segment's sparse time index. An entry `(timestamp, relativeOffset)` says: every record of the segment
/// below `baseOffset + relativeOffset` has a timestamp at or below `timestamp`. To find the first record at
/// or after time T, a lookup takes the last entry whose timestamp is below T and scans from its offset,
/// which never skips a matching record even when timestamps are out of order.
///
/// Entries are added with the offset index entries, and a final one covering the whole segment when it
/// rolls, which also records the segment's newest timestamp (what age retention needs).
///
/// On disk (`<base>.timeindex`) it has Kafka's layout: 12-byte entries, timestamp int64 and relative
/// offset int32, big-endian.
struct TimeIndex: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var timestamp: TimestampMillis
        var relativeOffset: Int32
    }

    static let entrySize = 12

    private(set) var entries: [Entry] = []

    mutating func append(timestamp: TimestampMillis, relativeOffset: Int32) {
        if let last = entries.last {
            if last.relativeOffset >= relativeOffset { return }
            if last.timestamp > timestamp { return }
        }
        entries.append(Entry(timestamp: timestamp, relativeOffset: relativeOffset))
    }

    /// The relative offset from which to scan for the first record at or after `timestamp`.
    func scanStart(for timestamp: TimestampMillis) -> Int32 {
        var lo = 0
        var hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].timestamp < timestamp { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? 0 : entries[lo - 1].relativeOffset
    }

    mutating func removeAll() { entries.removeAll(keepingCapacity: true) }

    func encoded() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: entries.count * Self.entrySize)
        bytes.withUnsafeMutableBytes { raw in
            for (i, entry) in entries.enumerated() {
                raw.baseAddress!.storeBigEndian(entry.timestamp, at: i * 12)
                raw.baseAddress!.storeBigEndian(entry.relativeOffset, at: i * 12 + 8)
            }
        }
        return bytes
    }

    init?(decoding bytes: [UInt8]) {
        guard bytes.count % Self.entrySize == 0 else { return nil }
        var index = TimeIndex()
        let ok = bytes.withUnsafeBytes { raw -> Bool in
            for i in 0..<(bytes.count / Self.entrySize) {
                let entry = Entry(
                    timestamp: raw.baseAddress!.loadBigEndian(at: i * 12, as: Int64.self),
                    relativeOffset: raw.baseAddress!.loadBigEndian(at: i * 12 + 8, as: Int32.self))
                if entry.relativeOffset < 0 { return false }
                if let last = index.entries.last,
                    last.relativeOffset >= entry.relativeOffset || last.timestamp > entry.timestamp
                {
                    return false
                }
                index.entries.append(entry)
            }
            return true
        }
        guard ok else { return nil }
        self = index
    }

    init() {}
}
