#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One file of a partition's log: `<baseOffset, 20 digits>.log` holding whole v2 record batches back to
/// back, with its sparse ``OffsetIndex`` (`.index`) and ``TimeIndex`` (`.timeindex`) beside it.
///
/// Only the last segment of a partition (the active one) is appended to; it rolls to a new segment when
/// the next batch would take it over ``TopicConfig/segmentBytes``. A rolled segment's indexes are written
/// and, unless the flush policy is `os`, the segment and its indexes are `fsync`ed before the next
/// segment is created, so after a crash only the active segment can have a damaged tail.
///
/// The descriptor and base offset never change; everything else is guarded by the owning partition's
/// lock. Readers copy what they need under that lock and then `pread` without it.
final class Segment: @unchecked Sendable {
    let baseOffset: Offset
    let directory: String
    let file: FileDescriptor

    /// Bytes of whole, valid batches.
    var size: Int64 = 0
    /// One past the last record's offset (the base offset when empty).
    var nextOffset: Offset
    /// The newest record timestamp; `.min` while empty.
    var maxTimestamp: TimestampMillis = .min
    var offsetIndex = OffsetIndex()
    var timeIndex = TimeIndex()
    var bytesSinceIndexEntry = 0

    private init(directory: String, baseOffset: Offset, file: FileDescriptor) {
        self.directory = directory
        self.baseOffset = baseOffset
        self.file = file
        nextOffset = baseOffset
    }

    var isEmpty: Bool { size == 0 }

    static func fileName(_ baseOffset: Offset, _ suffix: String) -> String {
        var digits = String(baseOffset)
        if digits.count < 20 { digits = String(repeating: "0", count: 20 - digits.count) + digits }
        return digits + suffix
    }

    /// The base offset named by a `.log` file name, or nil for other files.
    static func baseOffset(ofLogFile name: String) -> Offset? {
        guard name.hasSuffix(".log"), name.utf8.count == 24 else { return nil }
        return Offset(name.dropLast(4))
    }

    var logPath: String { directory + "/" + Segment.fileName(baseOffset, ".log") }
    var indexPath: String { directory + "/" + Segment.fileName(baseOffset, ".index") }
    var timeIndexPath: String { directory + "/" + Segment.fileName(baseOffset, ".timeindex") }

    /// Creates an empty segment file (replacing a leftover file of the same name).
    static func create(directory: String, baseOffset: Offset) throws(LogError) -> Segment {
        let path = directory + "/" + fileName(baseOffset, ".log")
        let file = try FileDescriptor(path: path, flags: O_RDWR | O_CREAT | O_TRUNC)
        return Segment(directory: directory, baseOffset: baseOffset, file: file)
    }

    /// Opens an existing segment file; its contents are not trusted until indexed or scanned.
    static func open(directory: String, baseOffset: Offset, writable: Bool) throws(LogError) -> Segment {
        let path = directory + "/" + fileName(baseOffset, ".log")
        let file = try FileDescriptor(path: path, flags: writable ? O_RDWR : O_RDONLY)
        return Segment(directory: directory, baseOffset: baseOffset, file: file)
    }

    func relative(_ offset: Offset) -> Int32 {
        Int32(truncatingIfNeeded: offset - baseOffset)
    }

    /// Accounts for a whole, valid batch that now sits at `position`.
    func noteBatch(_ header: RecordBatchHeader, at position: Int64) {
        if bytesSinceIndexEntry >= OffsetIndex.intervalBytes {
            offsetIndex.append(relativeOffset: relative(header.baseOffset), position: Int32(position))
            if maxTimestamp != .min {
                timeIndex.append(timestamp: maxTimestamp, relativeOffset: relative(header.baseOffset))
            }
            bytesSinceIndexEntry = 0
        }
        bytesSinceIndexEntry += header.size
        if header.maxTimestamp > maxTimestamp { maxTimestamp = header.maxTimestamp }
        nextOffset = header.nextOffset
        size = position + Int64(header.size)
    }

    func resetIndexes() {
        offsetIndex.removeAll()
        timeIndex.removeAll()
        bytesSinceIndexEntry = 0
        size = 0
        nextOffset = baseOffset
        maxTimestamp = .min
    }

    /// Closes the segment for appends: adds the time-index entry covering every record, writes both indexes
    /// and, when `durable`, `fsync`s the log and the indexes.
    func seal(durable: Bool) throws(LogError) {
        if !isEmpty { timeIndex.append(timestamp: maxTimestamp, relativeOffset: relative(nextOffset)) }
        try file.truncate(to: size)
        for (path, bytes) in [(indexPath, offsetIndex.encoded()), (timeIndexPath, timeIndex.encoded())] {
            let index = try FileDescriptor(path: path, flags: O_WRONLY | O_CREAT | O_TRUNC)
            try index.write(bytes, at: 0)
            if durable { try index.sync() }
        }
        if durable { try file.sync() }
    }

    /// `fsync`s the index files written by ``seal(durable:)`` (a missing file is fine: it is rebuilt).
    func syncIndexes() throws(LogError) {
        for path in [indexPath, timeIndexPath] {
            guard let index = try? FileDescriptor(path: path, flags: O_RDONLY) else { continue }
            try index.sync()
        }
    }

    /// Loads the indexes of a sealed segment whose records end at `nextOffset` (the next segment's base).
    /// Returns false if they are missing or do not match the file, so the caller scans instead.
    func loadSealedIndexes(nextOffset: Offset) -> Bool {
        guard let fileSize = try? file.size(), fileSize > 0,
            let offsetBytes = try? FileSystem.readFile(indexPath),
            let timeBytes = try? FileSystem.readFile(timeIndexPath),
            let offsets = OffsetIndex(decoding: offsetBytes, segmentSize: fileSize),
            let times = TimeIndex(decoding: timeBytes),
            let last = times.entries.last, last.relativeOffset == relative(nextOffset)
        else { return false }
        // Check the batches after the last index entry (a few KiB): a sealed segment's tail must be whole,
        // valid batches ending exactly at the file's end and at `nextOffset`.
        let tailStart = offsets.entries.last.map { Int64($0.position) } ?? 0
        let tailOffset = offsets.entries.last.map { baseOffset + Int64($0.relativeOffset) } ?? baseOffset
        size = tailStart
        self.nextOffset = tailOffset
        guard (try? scan(upTo: fileSize)) == .end, size == fileSize, self.nextOffset == nextOffset else {
            resetIndexes()
            return false
        }
        offsetIndex = offsets
        timeIndex = times
        maxTimestamp = max(last.timestamp, maxTimestamp)
        bytesSinceIndexEntry = 0
        return true
    }

    func deleteFiles() throws(LogError) {
        try FileSystem.remove(logPath)
        try FileSystem.remove(indexPath)
        try FileSystem.remove(timeIndexPath)
    }
}
