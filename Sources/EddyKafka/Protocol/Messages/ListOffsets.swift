import NIOCore

/// ListOffsets (key 2): an offset by time. Timestamp -2 is the earliest offset, -1 the latest (the end),
/// any other value the first offset whose record timestamp is at or after it.
public struct ListOffsetsRequest: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .listOffsets }
    public static let earliest: Int64 = -2
    public static let latest: Int64 = -1

    public struct Partition: KafkaStruct, Sendable, Equatable {
        public var partitionIndex: Int32 = 0
        public var currentLeaderEpoch: Int32 = -1
        public var timestamp: Int64 = -1
        public var maxNumOffsets: Int32 = 1
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.int32(&partitionIndex)
            if c.version >= 4 { try c.int32(&currentLeaderEpoch) }
            try c.int64(&timestamp)
            if c.version == 0 { try c.int32(&maxNumOffsets) }
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

    public var replicaId: Int32 = -1
    public var isolationLevel: Int8 = 0
    public var topics: [Topic] = []

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.int32(&replicaId)
        if c.version >= 2 { try c.int8(&isolationLevel) }
        try c.array(&topics)
        try c.taggedFields()
    }
}

public struct ListOffsetsResponse: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .listOffsets }

    public struct Partition: KafkaStruct, Sendable, Equatable {
        public var partitionIndex: Int32 = 0
        public var errorCode: Int16 = 0
        public var oldStyleOffsets: [Int64] = []
        public var timestamp: Int64 = -1
        public var offset: Int64 = -1
        public var leaderEpoch: Int32 = -1
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.int32(&partitionIndex)
            try c.int16(&errorCode)
            if c.version == 0 { try c.array(&oldStyleOffsets) }
            if c.version >= 1 {
                try c.int64(&timestamp)
                try c.int64(&offset)
            }
            if c.version >= 4 { try c.int32(&leaderEpoch) }
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
        if c.version >= 2 { try c.int32(&throttleTimeMs) }
        try c.array(&topics)
        try c.taggedFields()
    }
}
