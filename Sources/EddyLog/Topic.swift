/// Settings of a topic, fixed at creation (retention can be changed later).
public struct TopicConfig: Sendable, Hashable, Codable {
    public var partitions: Int
    /// Delete whole segments whose newest record is older than this; nil keeps records forever.
    public var retentionMillis: Int64?
    /// Delete the oldest whole segments while a partition is larger than this; nil has no size limit.
    public var retentionBytes: Int64?
    /// A segment rolls to a new file when it reaches this size.
    public var segmentBytes: Int64

    public static let defaultSegmentBytes: Int64 = 128 << 20

    public init(
        partitions: Int = 1, retentionMillis: Int64? = nil, retentionBytes: Int64? = nil,
        segmentBytes: Int64 = TopicConfig.defaultSegmentBytes
    ) {
        self.partitions = partitions
        self.retentionMillis = retentionMillis
        self.retentionBytes = retentionBytes
        self.segmentBytes = segmentBytes
    }
}

/// What `eddy topics describe` shows about one partition.
public struct PartitionDescription: Sendable, Hashable, Codable {
    public var partition: Int
    public var startOffset: Offset
    public var endOffset: Offset
    public var bytes: Int64
    public var segments: Int

    public init(partition: Int, startOffset: Offset, endOffset: Offset, bytes: Int64, segments: Int) {
        self.partition = partition
        self.startOffset = startOffset
        self.endOffset = endOffset
        self.bytes = bytes
        self.segments = segments
    }
}

public struct TopicDescription: Sendable, Hashable, Codable {
    public var name: String
    public var config: TopicConfig
    public var partitions: [PartitionDescription]

    public init(name: String, config: TopicConfig, partitions: [PartitionDescription]) {
        self.name = name
        self.config = config
        self.partitions = partitions
    }
}
