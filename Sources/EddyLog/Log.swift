/// A set of named, partitioned, append-only topics with Kafka's data model.
///
/// The engine and the tools see storage only through this protocol, so the same pipeline runs on the
/// embedded ``FileLog``, on ``MemoryLog`` in tests, and later on a Kafka cluster.
///
/// ```swift
/// let log = try FileLog(directory: "./eddy-data")
/// try log.createTopic("motion", config: TopicConfig(partitions: 3))
/// try log.append([ProducerRecord(value: Array(line.utf8))], to: "motion")
/// ```
public protocol Log: AnyObject, Sendable {
    @discardableResult
    func createTopic(_ name: String, config: TopicConfig) throws(LogError) -> TopicDescription
    func deleteTopic(_ name: String) throws(LogError)
    func topicNames() throws(LogError) -> [String]
    func describeTopic(_ name: String) throws(LogError) -> TopicDescription

    /// Appends records, choosing each one's partition with ``Partitioner`` (murmur2 of the key like Kafka's
    /// default partitioner; keyless records spread across partitions). Returns where each record landed,
    /// in order. When it returns, the records are readable and durable per the log's ``FlushPolicy``.
    @discardableResult
    func append(_ records: [ProducerRecord], to topic: String) throws(LogError) -> [RecordMetadata]

    /// Appends records to one partition as a single batch. Returns the offset of the first record.
    @discardableResult
    func append(_ records: [ProducerRecord], to topicPartition: TopicPartition) throws(LogError) -> Offset

    /// Appends record batches a client encoded (Kafka's v2 layout, compressed or not), stored as sent except
    /// for the base offset, which the log assigns. Every batch's CRC-32C is checked first; nothing is
    /// written unless all are valid. Returns where they landed.
    @discardableResult
    func appendBatches(_ batches: UnsafeRawBufferPointer, to topicPartition: TopicPartition) throws(LogError)
        -> AppendedBatches

    /// Reads whole batches starting at the batch that contains `offset`, up to about `maxBytes` (at least one
    /// batch is returned if any is there). Returns an empty result at the end of the partition.
    func read(_ topicPartition: TopicPartition, from offset: Offset, maxBytes: Int) throws(LogError)
        -> FetchedRecords

    /// The batches ``read(_:from:maxBytes:)`` returns, for a server that forwards them unread: a range of the
    /// segment file when the log is file-backed (sent with `sendfile(2)`), else the bytes.
    func readStored(_ topicPartition: TopicPartition, from offset: Offset, maxBytes: Int) throws(LogError)
        -> StoredBatches

    /// The partition's first retained offset and its end offset (one past the last record).
    func offsets(of topicPartition: TopicPartition) throws(LogError) -> (start: Offset, end: Offset)

    /// The earliest offset whose timestamp is at or after `timestamp`, or the end offset if none is.
    func offset(of topicPartition: TopicPartition, atOrAfter timestamp: TimestampMillis) throws(LogError)
        -> Offset

    /// Suspends until the partition's end offset is greater than `offset` or `timeout` passes; returns
    /// whether data is there. Never busy-polls.
    func waitForData(_ topicPartition: TopicPartition, beyond offset: Offset, timeout: Duration) async -> Bool
    /// Throws when the storage under the log is no longer the one opened (a data directory removed or replaced
    /// while in use), so writers of files beside it (checkpoints) stop too. In-memory logs never throw.
    func verifyStorage() throws(LogError)

    /// Committed consumer-group offsets.
    var consumerGroups: any ConsumerGroupStore { get }
}

/// Durable committed offsets per group, topic and partition (Kafka's `__consumer_offsets`).
/// The stored offset is the next offset to consume, as in Kafka.
public protocol ConsumerGroupStore: Sendable {
    func commit(group: String, offsets: [TopicPartition: Offset]) throws(LogError)
    func committed(group: String, topic: String) throws(LogError) -> [Int: Offset]
    func groups() throws(LogError) -> [String]
}

extension Log {
    public func verifyStorage() throws(LogError) {}

    public func readStored(_ topicPartition: TopicPartition, from offset: Offset, maxBytes: Int)
        throws(LogError) -> StoredBatches
    {
        StoredBatches(try read(topicPartition, from: offset, maxBytes: maxBytes))
    }

    /// A log that cannot store foreign batches as they are decodes them and appends their records, which
    /// keeps keys, values, headers and timestamps but not the client's compression or producer fields.
    @discardableResult
    public func appendBatches(_ batches: UnsafeRawBufferPointer, to topicPartition: TopicPartition)
        throws(LogError) -> AppendedBatches
    {
        let headers: [RecordBatchHeader]
        switch RecordBatch.validate(batches, maxBatchBytes: Int.max) {
        case .success(let valid): headers = valid
        case .failure(let rejection): throw rejection.logError(topicPartition)
        }
        let fetched = FetchedRecords(
            topicPartition: topicPartition, batches: Array(batches), requestedOffset: 0,
            nextOffset: 0, highWatermark: 0, logStartOffset: 0)
        let records = try fetched.decodedRecords().map {
            ProducerRecord(key: $0.key, value: $0.value, headers: $0.headers, timestamp: $0.timestamp)
        }
        let base = try append(records, to: topicPartition)
        return AppendedBatches(
            baseOffset: base, lastOffset: base + Int64(records.count) - 1, batchCount: headers.count)
    }
}
