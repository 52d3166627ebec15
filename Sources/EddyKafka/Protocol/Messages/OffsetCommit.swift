import NIOCore

/// OffsetCommit (key 8): a group's next offsets to consume, stored in Eddy's ``ConsumerGroupStore``.
public struct OffsetCommitRequest: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .offsetCommit }

    public struct Partition: KafkaStruct, Sendable, Equatable {
        public var partitionIndex: Int32 = 0
        public var committedOffset: Int64 = 0
        public var committedLeaderEpoch: Int32 = -1
        public var commitTimestamp: Int64 = -1
        public var committedMetadata: String? = nil
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.int32(&partitionIndex)
            try c.int64(&committedOffset)
            if c.version >= 6 { try c.int32(&committedLeaderEpoch) }
            if c.version == 1 { try c.int64(&commitTimestamp) }
            try c.nullableString(&committedMetadata)
            try c.taggedFields()
        }
    }

    public struct Topic: KafkaStruct, Sendable, Equatable {
        public var name = ""
        public var partitions: [Partition] = []
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&name)
            try c.array(&partitions)
            try c.taggedFields()
        }
    }

    public var groupId = ""
    /// -1 for a commit from outside any generation (a standalone consumer).
    public var generationId: Int32 = -1
    public var memberId = ""
    public var groupInstanceId: String? = nil
    public var retentionTimeMs: Int64 = -1
    public var topics: [Topic] = []

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.string(&groupId)
        if c.version >= 1 {
            try c.int32(&generationId)
            try c.string(&memberId)
        }
        if c.version >= 7 { try c.nullableString(&groupInstanceId) }
        if c.version >= 2 && c.version <= 4 { try c.int64(&retentionTimeMs) }
        try c.array(&topics)
        try c.taggedFields()
    }
}

public struct OffsetCommitResponse: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .offsetCommit }

    public struct Partition: KafkaStruct, Sendable, Equatable {
        public var partitionIndex: Int32 = 0
        public var errorCode: Int16 = 0
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.int32(&partitionIndex)
            try c.int16(&errorCode)
            try c.taggedFields()
        }
    }

    public struct Topic: KafkaStruct, Sendable, Equatable {
        public var name = ""
        public var partitions: [Partition] = []
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&name)
            try c.array(&partitions)
            try c.taggedFields()
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var topics: [Topic] = []

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        if c.version >= 3 { try c.int32(&throttleTimeMs) }
        try c.array(&topics)
        try c.taggedFields()
    }
}
