/// A record inside fetched bytes, borrowed for the duration of a ``FetchedRecords/forEach(_:)`` callback.
/// The buffers point into the fetch's storage: copy what must outlive the callback.
public struct RecordView {
    public var offset: Offset
    public var timestamp: TimestampMillis
    /// nil when the record has no key (Kafka's null key).
    public var key: UnsafeRawBufferPointer?
    public var value: UnsafeRawBufferPointer
    /// The record's headers, still encoded; decode with ``headers()`` when needed (rarely on hot paths).
    public var encodedHeaders: UnsafeRawBufferPointer
    public var headerCount: Int

    public init(
        offset: Offset, timestamp: TimestampMillis, key: UnsafeRawBufferPointer?,
        value: UnsafeRawBufferPointer,
        encodedHeaders: UnsafeRawBufferPointer, headerCount: Int
    ) {
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.encodedHeaders = encodedHeaders
        self.headerCount = headerCount
    }
}
