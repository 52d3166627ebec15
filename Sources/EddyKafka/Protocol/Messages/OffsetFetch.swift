import NIOCore

/// OffsetFetch (key 9): a group's committed offsets (-1 where none is committed).
public struct OffsetFetchRequest: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .offsetFetch }

    public struct Topic: KafkaStruct, Sendable, Equatable {
        public var name = ""
        public var partitionIndexes: [Int32] = []
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&name)
            try c.array(&partitionIndexes)
            try c.taggedFields()
        }
    }

    public var groupId = ""
    /// nil (v2+): every topic the group has offsets for.
    public var topics: [Topic]? = []

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.string(&groupId)
        if c.version >= 2 {
            try c.nullableArray(&topics)
        } else {
            var all = topics ?? []
            try c.array(&all)
            topics = all
        }
        try c.taggedFields()
    }
}

public struct OffsetFetchResponse: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .offsetFetch }

    public struct Partition: KafkaStruct, Sendable, Equatable {
        public var partitionIndex: Int32 = 0
        public var committedOffset: Int64 = -1
        public var committedLeaderEpoch: Int32 = -1
        public var metadata: String? = ""
        public var errorCode: Int16 = 0
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.int32(&partitionIndex)
            try c.int64(&committedOffset)
            if c.version >= 5 { try c.int32(&committedLeaderEpoch) }
            try c.nullableString(&metadata)
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
    public var errorCode: Int16 = 0

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        if c.version >= 3 { try c.int32(&throttleTimeMs) }
        try c.array(&topics)
        if c.version >= 2 { try c.int16(&errorCode) }
        try c.taggedFields()
    }
}
