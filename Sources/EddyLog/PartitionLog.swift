import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One partition of a ``FileLog`` topic: a directory of segments, appended to under a lock.
///
/// Appends serialize on the partition's lock: encode into a reused buffer, one `pwrite`, index update.
/// Reads take the lock only to find the segment and byte range (every byte below the segment's ``size``
/// is a whole, CRC-checked batch), then `pread` without it, so readers never hold up the writer for long.
///
/// A partition opened by a process that does not hold the topic's writer lock is a *reader*: it never
/// changes files, and before each read it looks for batches another process appended (the size of the
/// active segment file, and new segment files), accepting only whole batches whose CRC matches.
final class PartitionLog: Sendable {
    let topicPartition: TopicPartition
    let directory: String
    let notifier: TailNotifier
    private let state: Mutex<State>
    private let logger: Logger

    struct State {
        var segments: [Segment]
        var isWriter: Bool
        var config: TopicConfig
        let policy: FlushPolicy
        let buffer = EncodeBuffer()
        var unflushedBytes = 0
        var lastFlushNanos: UInt64 = LogClock.monotonicNanos()
        /// Under the `interval` policy, segments rolled but not yet `fsync`ed (with their indexes and the
        /// directory entry of their successor): the background flusher syncs them, so a roll never stalls
        /// an append on a 128 MiB `fsync`.
        var unsyncedSealed: [Segment] = []
        var lastListingNanos: UInt64 = 0

        var start: Offset { segments.first?.baseOffset ?? 0 }
        var end: Offset { segments.last?.nextOffset ?? 0 }
    }

    /// Largest segment the 32-bit index positions can address.
    static let maxSegmentBytes: Int64 = 1 << 30

    /// How often a reader looks for segment files another process created.
    static let listingIntervalNanos: UInt64 = 20_000_000

    /// Opens (as a writer: recovers) the partition in `directory`.
    init(
        topicPartition: TopicPartition, directory: String, config: TopicConfig, policy: FlushPolicy,
        writer: Bool,
        logger: Logger
    ) throws(LogError) {
        self.topicPartition = topicPartition
        self.directory = directory
        self.logger = logger
        let segments = try Self.load(
            directory: directory, writer: writer, policy: policy, topicPartition: topicPartition,
            logger: logger)
        let state = State(segments: segments, isWriter: writer, config: config, policy: policy)
        notifier = TailNotifier(end: state.end)
        self.state = Mutex(state)
    }

    /// Creates the first, empty segment of a new partition.
    static func createFiles(directory: String, durable: Bool) throws(LogError) {
        try FileSystem.makeDirectories(directory)
        let segment = try Segment.create(directory: directory, baseOffset: 0)
        try segment.seal(durable: durable)
        if durable { try FileSystem.syncDirectory(directory) }
    }

    /// Reopens the partition as the writer (the caller now holds the topic's lock): recovers the tail,
    /// truncating whatever is not a whole valid batch.
    func becomeWriter() throws(LogError) {
        try state.withLock { (s) throws(LogError) in
            guard !s.isWriter else { return }
            s.segments = try Self.load(
                directory: directory, writer: true, policy: s.policy, topicPartition: topicPartition,
                logger: logger)
            s.isWriter = true
            notifier.reset(to: s.end)
        }
    }

    // MARK: Loading and recovery

    static func segmentBases(in directory: String) -> [Offset] {
        FileSystem.list(directory).compactMap(Segment.baseOffset(ofLogFile:)).sorted()
    }

    /// Opens every segment. Sealed segments trust their indexes when those match the file; otherwise, and
    /// always for the last segment, the batches are scanned and checked. As a writer, the first damaged
    /// segment is truncated to its last whole valid batch and any later segments are deleted (their offsets
    /// would no longer follow on); what is dropped is logged. A reader just stops there.
    static func load(
        directory: String, writer: Bool, policy: FlushPolicy, topicPartition: TopicPartition, logger: Logger
    ) throws(LogError) -> [Segment] {
        let bases = segmentBases(in: directory)
        var segments: [Segment] = []
        for (i, base) in bases.enumerated() {
            let segment = try Segment.open(directory: directory, baseOffset: base, writable: writer)
            let isLast = i == bases.count - 1
            if !isLast && segment.loadSealedIndexes(nextOffset: bases[i + 1]) {
                segments.append(segment)
                continue
            }
            let fileSize = try segment.file.size()
            var stop = try segment.scan(upTo: fileSize)
            if stop == .end && !isLast && segment.nextOffset != bases[i + 1] {
                stop = .corrupt(
                    position: segment.size,
                    detail:
                        "records end at offset \(segment.nextOffset) but the next segment starts at \(bases[i + 1])"
                )
            }
            segments.append(segment)
            if stop == .end {
                if !isLast && writer { try segment.seal(durable: policy != .os) }
                continue
            }
            // Damage (or a torn tail): keep every whole valid batch before it.
            let later = bases[(i + 1)...]
            if writer {
                let reason: String
                switch stop {
                case .incomplete: reason = "an incomplete batch (torn write)"
                case .corrupt(_, let detail): reason = detail
                case .end: reason = ""
                }
                logger.warning(
                    "recovered partition \(topicPartition): truncated segment \(segment.logPath) from \(fileSize) to \(segment.size) bytes (\(fileSize - segment.size) bytes dropped: \(reason)); log ends at offset \(segment.nextOffset)\(later.isEmpty ? "" : "; deleted \(later.count) later segment(s)")"
                )
                try segment.file.truncate(to: segment.size)
                if policy != .os { try segment.file.sync() }
                for laterBase in later {
                    let path = directory + "/" + Segment.fileName(laterBase, "")
                    try FileSystem.remove(path + ".log")
                    try FileSystem.remove(path + ".index")
                    try FileSystem.remove(path + ".timeindex")
                }
                if !later.isEmpty && policy != .os { try FileSystem.syncDirectory(directory) }
            }
            break
        }
        if segments.isEmpty && writer {
            try createFiles(directory: directory, durable: policy != .os)
            segments.append(try Segment.open(directory: directory, baseOffset: 0, writable: true))
        }
        return segments
    }

    /// A reader's catch-up with another process's appends: new whole batches in the active segment, new
    /// segment files, and segments deleted by retention.
    private func refresh(_ s: inout State) {
        guard !s.isWriter else { return }
        var grew = false
        if let active = s.segments.last, let fileSize = try? active.file.size(), fileSize > active.size {
            let before = active.size
            _ = try? active.scan(upTo: fileSize)
            grew = active.size > before
        }
        let now = LogClock.monotonicNanos()
        guard !grew, now &- s.lastListingNanos >= Self.listingIntervalNanos else { return }
        s.lastListingNanos = now
        let bases = Self.segmentBases(in: directory)
        let existing = Set(bases)
        while s.segments.count > 1, !existing.contains(s.segments[0].baseOffset) { s.segments.removeFirst() }
        let lastBase = s.segments.last?.baseOffset ?? -1
        for base in bases where base > lastBase {
            // The writer rolled: the previous segment is complete; read its last batches first.
            if let active = s.segments.last {
                if let size = try? active.file.size(), size > active.size { _ = try? active.scan(upTo: size) }
                guard active.nextOffset == base else { break }
            }
            guard let segment = try? Segment.open(directory: directory, baseOffset: base, writable: false),
                let size = try? segment.file.size(), (try? segment.scan(upTo: size)) != nil
            else { break }
            s.segments.append(segment)
        }
    }

    // MARK: Appending

    func append<C: Collection<ProducerRecord>>(_ records: C, now: TimestampMillis) throws(LogError) -> Offset
    {
        let (base, end) = try state.withLock { (s) throws(LogError) -> (Offset, Offset) in
            precondition(s.isWriter, "append on a partition whose topic lock is not held")
            let base = s.end
            guard !records.isEmpty else { return (base, base) }
            var rolled = false
            for chunk in BatchChunks(records) {
                s.buffer.count = 0
                let info = RecordBatch.encode(chunk, baseOffset: s.end, now: now, into: s.buffer)
                let segmentBytes = min(s.config.segmentBytes, Self.maxSegmentBytes)
                var active = s.segments[s.segments.count - 1]
                if !active.isEmpty
                    && (active.size + Int64(info.byteCount) > segmentBytes
                        || info.lastOffset - active.baseOffset > Int64(Int32.max))
                {
                    try roll(&s)
                    rolled = true
                    active = s.segments[s.segments.count - 1]
                }
                let position = active.size
                try active.file.write(s.buffer.bytes, at: position)
                active.noteBatch(RecordBatchHeader(s.buffer.bytes)!, at: position)
                s.unflushedBytes += info.byteCount
            }
            switch s.policy {
            case .always:
                try s.segments[s.segments.count - 1].file.sync()
                s.unflushedBytes = 0
            case .interval(_, let bytes):
                if s.unflushedBytes >= bytes {
                    try s.segments[s.segments.count - 1].file.sync()
                    s.unflushedBytes = 0
                    s.lastFlushNanos = LogClock.monotonicNanos()
                }
            case .os:
                break
            }
            if rolled && (s.config.retentionBytes != nil || s.config.retentionMillis != nil) {
                try applyRetention(&s, now: now)
            }
            return (base, s.end)
        }
        notifier.advance(to: end)
        return base
    }

    private func roll(_ s: inout State) throws(LogError) {
        let old = s.segments[s.segments.count - 1]
        let segment: Segment
        switch s.policy {
        case .always:
            try old.seal(durable: true)
            segment = try Segment.create(directory: directory, baseOffset: old.nextOffset)
            try FileSystem.syncDirectory(directory)
            s.unflushedBytes = 0
        case .interval:
            try old.seal(durable: false)
            segment = try Segment.create(directory: directory, baseOffset: old.nextOffset)
            s.unsyncedSealed.append(old)
            s.unflushedBytes = 0
        case .os:
            try old.seal(durable: false)
            segment = try Segment.create(directory: directory, baseOffset: old.nextOffset)
        }
        s.segments.append(segment)
        logger.debug("partition \(topicPartition) rolled to segment \(segment.baseOffset)")
    }

    // MARK: Retention

    /// Deletes whole segments per the topic's retention; returns how many.
    func enforceRetention(now: TimestampMillis) throws(LogError) -> Int {
        try state.withLock { (s) throws(LogError) -> Int in
            guard s.isWriter else { return 0 }
            return try applyRetention(&s, now: now)
        }
    }

    @discardableResult
    private func applyRetention(_ s: inout State, now: TimestampMillis) throws(LogError) -> Int {
        let plan = RetentionPlan.plan(
            segments: s.segments.map {
                RetentionPlan.Segment(bytes: $0.size, maxTimestamp: $0.maxTimestamp, isEmpty: $0.isEmpty)
            }, config: s.config, now: now)
        guard plan.deleteCount > 0 else { return 0 }
        if plan.rollActive { try roll(&s) }
        let doomed = s.segments[..<plan.deleteCount]
        s.segments.removeFirst(plan.deleteCount)
        for segment in doomed { try segment.deleteFiles() }
        if s.policy != .os { try FileSystem.syncDirectory(directory) }
        logger.info(
            "retention deleted \(plan.deleteCount) segment(s) of \(topicPartition); log now starts at offset \(s.start)"
        )
        return plan.deleteCount
    }

    // MARK: Flushing

    /// `fsync`s what is unflushed (the active segment's appends, rolled segments with their indexes, and
    /// the directory) once `intervalNanos` have passed since the last flush (0: now).
    func flushIfDue(intervalNanos: UInt64) throws(LogError) {
        let now = LogClock.monotonicNanos()
        let (active, sealed) = state.withLock { s -> (FileDescriptor?, [Segment]) in
            guard s.isWriter, s.unflushedBytes > 0 || !s.unsyncedSealed.isEmpty,
                now &- s.lastFlushNanos >= intervalNanos
            else { return (nil, []) }
            let active = s.unflushedBytes > 0 ? s.segments.last?.file : nil
            let sealed = s.unsyncedSealed
            s.unflushedBytes = 0
            s.unsyncedSealed = []
            s.lastFlushNanos = now
            return (active, sealed)
        }
        for segment in sealed {
            try segment.file.sync()
            try segment.syncIndexes()
        }
        if !sealed.isEmpty { try FileSystem.syncDirectory(directory) }
        try active?.sync()
    }

    // MARK: Reading

    private struct ReadPlan {
        /// The segment holding `from` and the one after it (if any), with the byte ranges to look in.
        var segments: [(segment: Segment, position: Int64, limit: Int64)]
        var from: Offset
        var start: Offset
        var end: Offset
    }

    func offsets() -> (start: Offset, end: Offset) {
        state.withLock { s in
            refresh(&s)
            return (s.start, s.end)
        }
    }

    var isWriter: Bool { state.withLock { $0.isWriter } }

    /// The end offset, after catching up with another process's appends when this process is a reader.
    func refreshedEnd() -> Offset {
        let end = state.withLock { s -> Offset in
            refresh(&s)
            return s.end
        }
        notifier.advance(to: end)
        return end
    }

    func read(from offset: Offset, maxBytes: Int) throws(LogError) -> FetchedRecords {
        let tp = topicPartition
        let plan = try state.withLock { (s) throws(LogError) -> ReadPlan in
            refresh(&s)
            let start = s.start
            let end = s.end
            if offset > end { throw .offsetOutOfRange(tp, requested: offset, start: start, end: end) }
            let from = max(offset, start)
            guard from < end, var i = Self.segmentIndex(s.segments, containing: from) else {
                return ReadPlan(segments: [], from: from, start: start, end: end)
            }
            while i < s.segments.count - 1 && s.segments[i].nextOffset <= from { i += 1 }
            let segment = s.segments[i]
            var segments = [
                (segment, segment.offsetIndex.position(atOrBelow: segment.relative(from)), segment.size)
            ]
            if i + 1 < s.segments.count { segments.append((s.segments[i + 1], 0, s.segments[i + 1].size)) }
            return ReadPlan(segments: segments, from: from, start: start, end: end)
        }
        if plan.end > notifier.end { notifier.advance(to: plan.end) }
        for (segment, position, limit) in plan.segments {
            // Skip the batches wholly below `from` (at most about one index interval of them).
            guard
                let (position, firstSize) = try Self.findBatch(
                    in: segment.file, from: position, limit: limit, containing: plan.from)
            else { continue }
            let want = Int(min(Int64(max(maxBytes, firstSize)), limit - position))
            var bytes = try segment.file.read(count: want, at: position)
            // Keep whole batches only.
            var kept = 0
            var next = plan.from
            bytes.withUnsafeBytes { raw in
                while kept < raw.count {
                    guard let header = RecordBatchHeader(UnsafeRawBufferPointer(rebasing: raw[kept...])),
                        kept + header.size <= raw.count
                    else { break }
                    kept += header.size
                    next = header.nextOffset
                }
            }
            if kept < bytes.count { bytes.removeLast(bytes.count - kept) }
            return FetchedRecords(
                topicPartition: tp, batches: bytes, requestedOffset: plan.from, nextOffset: next,
                highWatermark: plan.end, logStartOffset: plan.start)
        }
        return FetchedRecords(
            topicPartition: tp, batches: [], requestedOffset: plan.from, nextOffset: plan.from,
            highWatermark: plan.end, logStartOffset: plan.start)
    }

    /// The index of the last segment whose base offset is at or below `offset`.
    private static func segmentIndex(_ segments: [Segment], containing offset: Offset) -> Int? {
        var lo = 0
        var hi = segments.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if segments[mid].baseOffset <= offset { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : lo - 1
    }

    /// Walks batch headers from `position` to the batch holding `offset`; returns its position and size.
    private static func findBatch(
        in file: FileDescriptor, from position: Int64, limit: Int64, containing offset: Offset
    )
        throws(LogError) -> (Int64, Int)?
    {
        var window = [UInt8](repeating: 0, count: 8192)
        var windowStart: Int64 = -1
        var windowCount = 0
        var position = position
        while position + Int64(RecordBatch.headerSize) <= limit {
            if windowStart < 0 || position + Int64(RecordBatch.headerSize) > windowStart + Int64(windowCount)
            {
                let want = Int(min(Int64(window.count), limit - position))
                windowCount = try file.read(into: &window, count: want, at: position)
                windowStart = position
                if windowCount < RecordBatch.headerSize { return nil }
            }
            let header = window.withUnsafeBytes { raw in
                let at = Int(position - windowStart)
                return RecordBatchHeader(UnsafeRawBufferPointer(rebasing: raw[at..<windowCount]))
            }
            guard let header else { return nil }
            if header.lastOffset >= offset { return (position, header.size) }
            position += Int64(header.size)
        }
        return nil
    }

    /// The earliest offset whose timestamp is at or after `timestamp`, or the end offset.
    func offset(atOrAfter timestamp: TimestampMillis) throws(LogError) -> Offset {
        struct Candidate {
            var segment: Segment
            var position: Int64
            var limit: Int64
            var from: Offset
        }
        let (candidates, end) = state.withLock { s -> ([Candidate], Offset) in
            refresh(&s)
            var candidates: [Candidate] = []
            for segment in s.segments where !segment.isEmpty && segment.maxTimestamp >= timestamp {
                let relative = segment.timeIndex.scanStart(for: timestamp)
                let from = segment.baseOffset + Int64(relative)
                candidates.append(
                    Candidate(
                        segment: segment, position: segment.offsetIndex.position(atOrBelow: relative),
                        limit: segment.size, from: from))
            }
            return (candidates, s.end)
        }
        for candidate in candidates {
            var position = candidate.position
            while let (at, size) = try Self.findBatch(
                in: candidate.segment.file, from: position, limit: candidate.limit, containing: candidate.from
            ) {
                let batch = try candidate.segment.file.read(count: size, at: at)
                var found: Offset? = nil
                batch.withUnsafeBytes { raw in
                    guard let header = RecordBatchHeader(raw), header.maxTimestamp >= timestamp else {
                        return
                    }
                    _ = RecordBatch.forEachRecord(in: raw, header: header) { view in
                        if found == nil && view.offset >= candidate.from && view.timestamp >= timestamp {
                            found = view.offset
                        }
                    }
                }
                if let found { return found }
                position = at + Int64(size)
            }
        }
        return end
    }

    func describe() -> PartitionDescription {
        state.withLock { s in
            refresh(&s)
            return PartitionDescription(
                partition: topicPartition.partition, startOffset: s.start, endOffset: s.end,
                bytes: s.segments.reduce(0) { $0 + $1.size }, segments: s.segments.count)
        }
    }
}
