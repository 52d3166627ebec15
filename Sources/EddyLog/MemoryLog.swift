import Synchronization

/// A ``Log`` held in memory with the same semantics as ``FileLog``: v2 batches, offsets, segments that roll
/// by ``TopicConfig/segmentBytes``, retention, Kafka partitioning, tail waiting. For tests and for running
/// pipelines without a data directory.
///
/// ```swift
/// let log = MemoryLog(clock: LogClock { 1_000 })
/// try log.createTopic("motion", config: TopicConfig(partitions: 2))
/// try log.append([ProducerRecord(key: Array("k".utf8), value: Array("v".utf8))], to: "motion")
/// ```
public final class MemoryLog: Log {
    public let consumerGroups: any ConsumerGroupStore
    public let maxRecordBytes: Int
    let clock: LogClock
    private let partitioner = Partitioner()
    private let topics = Mutex<[String: MemoryTopic]>([:])

    public init(clock: LogClock = .system, maxRecordBytes: Int = FileLog.defaultMaxRecordBytes) {
        self.clock = clock
        self.maxRecordBytes = maxRecordBytes
        consumerGroups = MemoryConsumerGroupStore()
    }

    @discardableResult
    public func createTopic(_ name: String, config: TopicConfig) throws(LogError) -> TopicDescription {
        try TopicName.validate(name)
        try TopicName.validate(partitions: config.partitions)
        let topic = MemoryTopic(name: name, config: config)
        try topics.withLock { (all) throws(LogError) in
            if all[name] != nil { throw .topicAlreadyExists(name) }
            all[name] = topic
        }
        return topic.describe()
    }

    public func deleteTopic(_ name: String) throws(LogError) {
        try topics.withLock { (all) throws(LogError) in
            guard all.removeValue(forKey: name) != nil else { throw .topicNotFound(name) }
        }
    }

    public func topicNames() throws(LogError) -> [String] {
        topics.withLock { $0.keys.sorted() }
    }

    public func describeTopic(_ name: String) throws(LogError) -> TopicDescription {
        try topic(name).describe()
    }

    @discardableResult
    public func append(_ records: [ProducerRecord], to topic: String) throws(LogError) -> [RecordMetadata] {
        let t = try self.topic(topic)
        try checkSizes(records)
        let now = clock.now()
        var result = [RecordMetadata](
            repeating: RecordMetadata(partition: 0, offset: 0, timestamp: 0), count: records.count)
        for (partition, indices) in partitioner.route(records, partitions: t.partitions.count) {
            let base = t.partitions[partition].append(
                indices.lazy.map { records[$0] }, now: now, config: t.config)
            for (n, i) in indices.enumerated() {
                result[i] = RecordMetadata(
                    partition: partition, offset: base + Int64(n), timestamp: records[i].timestamp ?? now)
            }
        }
        return result
    }

    @discardableResult
    public func append(_ records: [ProducerRecord], to topicPartition: TopicPartition) throws(LogError)
        -> Offset
    {
        let partition = try self.partition(topicPartition)
        try checkSizes(records)
        return partition.append(records, now: clock.now(), config: try topic(topicPartition.topic).config)
    }

    @discardableResult
    public func appendBatches(_ batches: UnsafeRawBufferPointer, to topicPartition: TopicPartition)
        throws(LogError) -> AppendedBatches
    {
        let partition = try self.partition(topicPartition)
        let headers: [RecordBatchHeader]
        let maxBatchBytes = max(maxRecordBytes, BatchChunks<[ProducerRecord]>.maxBatchBytes) + 4096
        switch RecordBatch.validate(batches, maxBatchBytes: maxBatchBytes) {
        case .success(let valid): headers = valid
        case .failure(let rejection): throw rejection.logError(topicPartition)
        }
        return partition.appendBatches(
            batches, headers: headers, now: clock.now(), config: try topic(topicPartition.topic).config)
    }

    public func read(_ topicPartition: TopicPartition, from offset: Offset, maxBytes: Int) throws(LogError)
        -> FetchedRecords
    {
        try partition(topicPartition).read(topicPartition, from: offset, maxBytes: maxBytes)
    }

    public func offsets(of topicPartition: TopicPartition) throws(LogError) -> (start: Offset, end: Offset) {
        try partition(topicPartition).offsets()
    }

    public func offset(of topicPartition: TopicPartition, atOrAfter timestamp: TimestampMillis)
        throws(LogError)
        -> Offset
    {
        try partition(topicPartition).offset(atOrAfter: timestamp, topicPartition: topicPartition)
    }

    public func waitForData(_ topicPartition: TopicPartition, beyond offset: Offset, timeout: Duration) async
        -> Bool
    {
        let deadline = ContinuousClock.now + timeout
        guard
            let partition = await TopicPoll.awaitPartition(
                until: deadline, interval: .milliseconds(20), { try? self.partition(topicPartition) })
        else { return false }
        return await partition.notifier.wait(beyond: offset, timeout: deadline - ContinuousClock.now)
    }

    /// Changes a topic's retention (nil keeps records forever, as does a negative value, Kafka's -1) and
    /// applies it at once.
    @discardableResult
    public func setRetention(of topic: String, millis: Int64?, bytes: Int64?) throws(LogError)
        -> TopicDescription
    {
        let t = try self.topic(topic)
        var config = t.config
        config.retentionMillis = millis.flatMap { $0 < 0 ? nil : $0 }
        config.retentionBytes = bytes.flatMap { $0 < 0 ? nil : $0 }
        t.config = config
        let now = clock.now()
        for partition in t.partitions { partition.enforceRetention(config: config, now: now) }
        return t.describe()
    }

    /// Deletes whole segments that retention no longer keeps, in every topic. Returns the segments deleted.
    @discardableResult
    public func enforceRetention() -> Int {
        let all = topics.withLock { Array($0.values) }
        let now = clock.now()
        var deleted = 0
        for topic in all {
            for partition in topic.partitions {
                deleted += partition.enforceRetention(config: topic.config, now: now)
            }
        }
        return deleted
    }

    private func checkSizes(_ records: [ProducerRecord]) throws(LogError) {
        for record in records {
            let size = RecordBatch.payloadSize(of: record)
            if size > maxRecordBytes { throw .recordTooLarge(size: size, max: maxRecordBytes) }
        }
    }

    private func topic(_ name: String) throws(LogError) -> MemoryTopic {
        guard let topic = topics.withLock({ $0[name] }) else { throw .topicNotFound(name) }
        return topic
    }

    private func partition(_ tp: TopicPartition) throws(LogError) -> MemoryPartition {
        let topic = try topic(tp.topic)
        guard topic.partitions.indices.contains(tp.partition) else {
            throw .partitionNotFound(tp, partitions: topic.partitions.count)
        }
        return topic.partitions[tp.partition]
    }
}

final class MemoryTopic: Sendable {
    let name: String
    private let configState: Mutex<TopicConfig>
    let partitions: [MemoryPartition]

    var config: TopicConfig {
        get { configState.withLock { $0 } }
        set { configState.withLock { $0 = newValue } }
    }

    init(name: String, config: TopicConfig) {
        self.name = name
        configState = Mutex(config)
        partitions = (0..<config.partitions).map { _ in MemoryPartition() }
    }

    func describe() -> TopicDescription {
        TopicDescription(
            name: name, config: config,
            partitions: partitions.enumerated().map { i, p in p.describe(partition: i) })
    }
}

final class MemoryPartition: Sendable {
    struct StoredBatch {
        var header: RecordBatchHeader
        var bytes: [UInt8]
    }

    struct Segment {
        var baseOffset: Offset
        var batches: [StoredBatch] = []
        var bytes: Int64 = 0
        var maxTimestamp: TimestampMillis = .min
    }

    struct State {
        var segments: [Segment] = [Segment(baseOffset: 0)]
        var end: Offset = 0
        var start: Offset { segments[0].baseOffset }
        let buffer = EncodeBuffer()
    }

    let state = Mutex(State())
    let notifier = TailNotifier(end: 0)

    func append<C: Collection<ProducerRecord>>(_ records: C, now: TimestampMillis, config: TopicConfig)
        -> Offset
    {
        guard !records.isEmpty else { return state.withLock { $0.end } }
        let (base, end) = state.withLock { s -> (Offset, Offset) in
            let base = s.end
            var rolled = false
            for chunk in BatchChunks(records) {
                s.buffer.count = 0
                let info = RecordBatch.encode(chunk, baseOffset: s.end, now: now, into: s.buffer)
                let bytes = Array(s.buffer.bytes)
                let header = bytes.withUnsafeBytes { RecordBatchHeader($0)! }
                let last = s.segments.count - 1
                if s.segments[last].bytes > 0
                    && s.segments[last].bytes + Int64(bytes.count) > config.segmentBytes
                {
                    s.segments.append(Segment(baseOffset: s.end))
                    rolled = true
                }
                let i = s.segments.count - 1
                s.segments[i].batches.append(StoredBatch(header: header, bytes: bytes))
                s.segments[i].bytes += Int64(bytes.count)
                s.segments[i].maxTimestamp = max(s.segments[i].maxTimestamp, info.maxTimestamp)
                s.end = info.lastOffset + 1
            }
            // Like FileLog: retention runs when a segment rolls.
            if rolled && (config.retentionBytes != nil || config.retentionMillis != nil) {
                Self.applyRetention(&s, config: config, now: now)
            }
            return (base, s.end)
        }
        notifier.advance(to: end)
        return base
    }

    func appendBatches(
        _ bytes: UnsafeRawBufferPointer, headers: [RecordBatchHeader], now: TimestampMillis,
        config: TopicConfig
    ) -> AppendedBatches {
        let (result, end) = state.withLock { s -> (AppendedBatches, Offset) in
            let base = s.end
            var rolled = false
            var position = 0
            for var header in headers {
                var batch = Array(
                    UnsafeRawBufferPointer(rebasing: bytes[position..<(position + header.size)]))
                position += header.size
                header.baseOffset = s.end
                batch.withUnsafeMutableBytes {
                    $0.baseAddress!.storeBigEndian(s.end, at: RecordBatch.baseOffsetAt)
                }
                let last = s.segments.count - 1
                if s.segments[last].bytes > 0
                    && s.segments[last].bytes + Int64(batch.count) > config.segmentBytes
                {
                    s.segments.append(Segment(baseOffset: s.end))
                    rolled = true
                }
                let i = s.segments.count - 1
                s.segments[i].batches.append(StoredBatch(header: header, bytes: batch))
                s.segments[i].bytes += Int64(batch.count)
                s.segments[i].maxTimestamp = max(s.segments[i].maxTimestamp, header.maxTimestamp)
                s.end = header.nextOffset
            }
            if rolled && (config.retentionBytes != nil || config.retentionMillis != nil) {
                Self.applyRetention(&s, config: config, now: now)
            }
            return (
                AppendedBatches(baseOffset: base, lastOffset: s.end - 1, batchCount: headers.count), s.end
            )
        }
        notifier.advance(to: end)
        return result
    }

    func offsets() -> (start: Offset, end: Offset) {
        state.withLock { ($0.start, $0.end) }
    }

    func read(_ tp: TopicPartition, from offset: Offset, maxBytes: Int) throws(LogError) -> FetchedRecords {
        try state.withLock { (s) throws(LogError) -> FetchedRecords in
            let start = s.start
            if offset > s.end { throw .offsetOutOfRange(tp, requested: offset, start: start, end: s.end) }
            let from = max(offset, start)
            var bytes: [UInt8] = []
            var next = from
            // The segment holding `from`: the last whose base offset is at or below it.
            if var si = s.segments.lastIndex(where: { $0.baseOffset <= from }) {
                // An offset at the very end of a segment lives in the next one.
                while si < s.segments.count - 1
                    && (s.segments[si].batches.last?.header.lastOffset ?? -1) < from
                {
                    si += 1
                }
                let batches = s.segments[si].batches
                var lo = 0
                var hi = batches.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if batches[mid].header.lastOffset < from { lo = mid + 1 } else { hi = mid }
                }
                var i = lo
                while i < batches.count {
                    let batch = batches[i]
                    if !bytes.isEmpty && bytes.count + batch.bytes.count > maxBytes { break }
                    bytes.append(contentsOf: batch.bytes)
                    next = batch.header.nextOffset
                    i += 1
                }
            }
            return FetchedRecords(
                topicPartition: tp, batches: bytes, requestedOffset: from, nextOffset: next,
                highWatermark: s.end,
                logStartOffset: start)
        }
    }

    func offset(atOrAfter timestamp: TimestampMillis, topicPartition: TopicPartition) -> Offset {
        state.withLock { s -> Offset in
            for segment in s.segments where segment.maxTimestamp >= timestamp {
                for batch in segment.batches where batch.header.maxTimestamp >= timestamp {
                    var found: Offset? = nil
                    batch.bytes.withUnsafeBytes { raw in
                        _ = RecordBatch.forEachRecord(in: raw, header: batch.header) { view in
                            if found == nil && view.timestamp >= timestamp { found = view.offset }
                        }
                    }
                    if let found { return found }
                }
            }
            return s.end
        }
    }

    @discardableResult
    func enforceRetention(config: TopicConfig, now: TimestampMillis) -> Int {
        state.withLock { Self.applyRetention(&$0, config: config, now: now) }
    }

    @discardableResult
    private static func applyRetention(_ s: inout State, config: TopicConfig, now: TimestampMillis) -> Int {
        let plan = RetentionPlan.plan(
            segments: s.segments.map {
                RetentionPlan.Segment(
                    bytes: $0.bytes, maxTimestamp: $0.maxTimestamp, isEmpty: $0.batches.isEmpty)
            }, config: config, now: now)
        if plan.rollActive { s.segments.append(Segment(baseOffset: s.end)) }
        s.segments.removeFirst(plan.deleteCount)
        return plan.deleteCount
    }

    func describe(partition: Int) -> PartitionDescription {
        state.withLock { s in
            PartitionDescription(
                partition: partition, startOffset: s.start, endOffset: s.end,
                bytes: s.segments.reduce(0) { $0 + $1.bytes }, segments: s.segments.count)
        }
    }
}
