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
    let state: Mutex<State>
    let logger: Logger
    let requestFlush: @Sendable () -> Void

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
        /// The background flusher has been asked for a flush that has not started yet.
        var flushRequested = false
        /// How far the active segment has been handed to the kernel's write-back (``startWriteBack()``),
        /// and which segment that was.
        var writeBackSegment: Offset = -1
        var writeBackPosition: Int64 = 0
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
        logger: Logger, requestFlush: @escaping @Sendable () -> Void = {}
    ) throws(LogError) {
        self.requestFlush = requestFlush
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

    // MARK: Appending

    func append<C: Collection<ProducerRecord>>(_ records: C, now: TimestampMillis) throws(LogError) -> Offset
    {
        let (base, end, wantFlush) = try state.withLock { (s) throws(LogError) -> (Offset, Offset, Bool) in
            precondition(s.isWriter, "append on a partition whose topic lock is not held")
            let base = s.end
            guard !records.isEmpty else { return (base, base, false) }
            var rolled = false
            for chunk in BatchChunks(records) {
                s.buffer.count = 0
                _ = RecordBatch.encode(chunk, baseOffset: s.end, now: now, into: s.buffer)
                if try writeBuffer(&s) { rolled = true }
            }
            let wantFlush = try afterAppend(&s, rolled: rolled, now: now)
            return (base, s.end, wantFlush)
        }
        notifier.advance(to: end)
        if wantFlush { requestFlush() }
        return base
    }

    /// Appends client-encoded batches (already validated, `headers` in order) as they are, assigning base
    /// offsets from the partition's end.
    func appendBatches(_ bytes: UnsafeRawBufferPointer, headers: [RecordBatchHeader], now: TimestampMillis)
        throws(LogError) -> AppendedBatches
    {
        let (result, end, wantFlush) = try state.withLock {
            (s) throws(LogError) -> (AppendedBatches, Offset, Bool) in
            precondition(s.isWriter, "append on a partition whose topic lock is not held")
            let base = s.end
            var rolled = false
            var position = 0
            for header in headers {
                s.buffer.count = 0
                s.buffer.reserve(header.size)
                if let source = bytes.baseAddress {
                    s.buffer.pointer.copyMemory(from: source + position, byteCount: header.size)
                }
                s.buffer.count = header.size
                s.buffer.pointer.storeBigEndian(s.end, at: RecordBatch.baseOffsetAt)
                if try writeBuffer(&s) { rolled = true }
                position += header.size
            }
            let wantFlush = try afterAppend(&s, rolled: rolled, now: now)
            return (
                AppendedBatches(baseOffset: base, lastOffset: s.end - 1, batchCount: headers.count), s.end,
                wantFlush
            )
        }
        notifier.advance(to: end)
        if wantFlush { requestFlush() }
        return result
    }

    /// Writes the one batch in `s.buffer` at the end of the active segment, rolling first if it would not
    /// fit. Returns whether the segment rolled.
    private func writeBuffer(_ s: inout State) throws(LogError) -> Bool {
        let header = RecordBatchHeader(s.buffer.bytes)!
        let segmentBytes = min(s.config.segmentBytes, Self.maxSegmentBytes)
        var active = s.segments[s.segments.count - 1]
        var rolled = false
        if !active.isEmpty
            && (active.size + Int64(header.size) > segmentBytes
                || header.lastOffset - active.baseOffset > Int64(Int32.max))
        {
            try roll(&s)
            rolled = true
            active = s.segments[s.segments.count - 1]
        }
        let position = active.size
        try active.file.write(s.buffer.bytes, at: position)
        active.noteBatch(header, at: position)
        s.unflushedBytes += header.size
        return rolled
    }

    /// Applies the flush policy and, after a roll, retention. Returns whether the background flusher should
    /// be asked to flush.
    private func afterAppend(_ s: inout State, rolled: Bool, now: TimestampMillis) throws(LogError) -> Bool {
        var wantFlush = false
        switch s.policy {
        case .always:
            try s.segments[s.segments.count - 1].file.sync()
            s.unflushedBytes = 0
        case .interval(_, let bytes):
            // At `bytes` unflushed, the background thread is asked to flush (the disk write overlaps
            // further appends); should appends outrun it to twice that, this append flushes itself.
            if s.unflushedBytes >= 2 * bytes {
                for sealed in s.unsyncedSealed {
                    try sealed.file.sync()
                    try sealed.syncIndexes()
                }
                if !s.unsyncedSealed.isEmpty { try FileSystem.syncDirectory(directory) }
                s.unsyncedSealed = []
                try s.segments[s.segments.count - 1].file.sync()
                s.unflushedBytes = 0
                s.flushRequested = false
                s.lastFlushNanos = LogClock.monotonicNanos()
            } else if s.unflushedBytes >= bytes && !s.flushRequested {
                s.flushRequested = true
                wantFlush = true
            }
        case .os:
            break
        }
        if rolled && (s.config.retentionBytes != nil || s.config.retentionMillis != nil) {
            try applyRetention(&s, now: now)
        }
        return wantFlush
    }

    func roll(_ s: inout State) throws(LogError) {
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
            s.unsyncedSealed.append(old)  // its bytes stay counted in unflushedBytes until synced
        case .os:
            try old.seal(durable: false)
            segment = try Segment.create(directory: directory, baseOffset: old.nextOffset)
        }
        s.segments.append(segment)
        logger.debug("partition \(topicPartition) rolled to segment \(segment.baseOffset)")
    }

    // MARK: Flushing

    /// `fsync`s what is unflushed (the active segment's appends, rolled segments with their indexes, and
    /// the directory) once `intervalNanos` have passed since the last flush (0: now).
    func flushIfDue(intervalNanos: UInt64) throws(LogError) {
        let now = LogClock.monotonicNanos()
        let (active, sealed) = state.withLock { s -> (FileDescriptor?, [Segment]) in
            guard s.isWriter, s.unflushedBytes > 0 || !s.unsyncedSealed.isEmpty,
                s.flushRequested || now &- s.lastFlushNanos >= intervalNanos
            else { return (nil, []) }
            s.flushRequested = false
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

    /// The smallest run of new bytes worth a write-back call.
    static let writeBackMinimumBytes: Int64 = 64 << 10

    /// Under the `interval` policy, starts the kernel writing the active segment's new whole pages to disk
    /// without waiting (the background flusher calls this every few milliseconds). On ext4 an `fsync` of a
    /// second's worth of dirty pages stalled appends to the same file for 10–40 ms, the whole p99 of
    /// produce → consume; written behind continuously, the periodic `fsync` finds little left to do.
    func startWriteBack() {
        let work = state.withLock { s -> (FileDescriptor, Int64, Int64)? in
            guard s.isWriter, case .interval = s.policy, let active = s.segments.last else { return nil }
            if s.writeBackSegment != active.baseOffset {
                s.writeBackSegment = active.baseOffset
                s.writeBackPosition = 0
            }
            // Whole pages only: the page being appended to would be written again anyway.
            let end = active.size & ~4095
            guard end - s.writeBackPosition >= Self.writeBackMinimumBytes else { return nil }
            defer { s.writeBackPosition = end }
            return (active.file, s.writeBackPosition, end - s.writeBackPosition)
        }
        if let (file, from, count) = work { file.startWriteBack(from: from, count: count) }
    }

    func offsets() -> (start: Offset, end: Offset) {
        state.withLock { s in
            refresh(&s)
            return (s.start, s.end)
        }
    }

    var isWriter: Bool { state.withLock { $0.isWriter } }

    func update(config: TopicConfig) {
        state.withLock { $0.config = config }
    }

    /// Bytes appended and not yet `fsync`ed (for tests and metrics).
    var unflushedBytes: Int { state.withLock { $0.unflushedBytes } }

    /// The end offset, after catching up with another process's appends when this process is a reader.
    func refreshedEnd() -> Offset {
        let end = state.withLock { s -> Offset in
            refresh(&s)
            return s.end
        }
        notifier.advance(to: end)
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
