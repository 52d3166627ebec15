/// Bytes a message refers to instead of holding: `count` bytes the sender supplies from where they lie,
/// after the bytes encoded before them. A Fetch response's record batches are such bytes: the broker sends
/// them from the segment file with `sendfile(2)` rather than copying them into the response.
///
/// ```swift
/// partition.externalRecords = ExternalBytes(count: range.count, id: ranges.count)
/// var writer = KafkaWriter(buffer: buffer, version: 12, isFlexible: true)
/// try response.code(&writer)
/// for placement in writer.externalPlacements { … }   // where each range goes in the frame
/// ```
public struct ExternalBytes: Sendable, Hashable {
    public var count: Int
    /// The sender's handle for the bytes (an index into the list it keeps beside the message).
    public var id: Int

    public init(count: Int, id: Int) {
        self.count = count
        self.id = id
    }
}

/// Where external bytes go in an encoding: right after the byte at `position - 1` of the writer's buffer.
public struct ExternalBytesPlacement: Sendable, Hashable {
    public var position: Int
    public var bytes: ExternalBytes
}
