/// The result of one read from a partition: whole record batches in Kafka's v2 layout, exactly as stored,
/// plus where to read next. Holding this value keeps the bytes alive.
///
/// ```swift
/// var next: Offset = 0
/// let fetched = try log.read(TopicPartition("motion", 0), from: next, maxBytes: 1 << 20)
/// fetched.forEach { record in handle(record.value) }
/// next = fetched.nextOffset
/// ```
public struct FetchedRecords: Sendable {
    public var topicPartition: TopicPartition
    /// Concatenated v2 record batches. Records before the requested offset (a batch may start earlier)
    /// are skipped by ``forEach(_:)``.
    public var batches: [UInt8]
    /// The first offset the caller asked for; records below it are not visited.
    public var requestedOffset: Offset
    /// The offset to pass to the next read (one past the last record returned, or `requestedOffset` when
    /// nothing was returned).
    public var nextOffset: Offset
    /// The partition's end offset (one past the last appended record) when the read happened.
    public var highWatermark: Offset
    /// The partition's first retained offset when the read happened. A read below it starts here instead.
    public var logStartOffset: Offset

    public init(
        topicPartition: TopicPartition, batches: [UInt8], requestedOffset: Offset, nextOffset: Offset,
        highWatermark: Offset, logStartOffset: Offset
    ) {
        self.topicPartition = topicPartition
        self.batches = batches
        self.requestedOffset = requestedOffset
        self.nextOffset = nextOffset
        self.highWatermark = highWatermark
        self.logStartOffset = logStartOffset
    }

    public var isEmpty: Bool { nextOffset == requestedOffset }
}
