import NIOCore

/// CreateTopics (key 19). Eddy has one broker: replication factor -1 or 1 is accepted, manual replica
/// assignments are not; `retention.ms`, `retention.bytes` and `segment.bytes` configs are honoured.
public struct CreateTopicsRequest: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .createTopics }

    public struct Assignment: KafkaStruct, Sendable, Equatable {
        public var partitionIndex: Int32 = 0
        public var brokerIds: [Int32] = []
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.int32(&partitionIndex)
            try c.array(&brokerIds)
            try c.taggedFields()
        }
    }

    public struct Config: KafkaStruct, Sendable, Equatable {
        public var name = ""
        public var value: String? = nil
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&name)
            try c.nullableString(&value)
            try c.taggedFields()
        }
    }

    public struct Topic: KafkaStruct, Sendable, Equatable {
        public var name = ""
        public var numPartitions: Int32 = -1
        public var replicationFactor: Int16 = -1
        public var assignments: [Assignment] = []
        public var configs: [Config] = []
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&name)
            try c.int32(&numPartitions)
            try c.int16(&replicationFactor)
            try c.array(&assignments)
            try c.array(&configs)
            try c.taggedFields()
        }
    }

    public var topics: [Topic] = []
    public var timeoutMs: Int32 = 60_000
    public var validateOnly = false

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.array(&topics)
        try c.int32(&timeoutMs)
        if c.version >= 1 { try c.bool(&validateOnly) }
        try c.taggedFields()
    }
}

public struct CreateTopicsResponse: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .createTopics }

    public struct Result: KafkaStruct, Sendable, Equatable {
        public var name = ""
        public var errorCode: Int16 = 0
        public var errorMessage: String? = nil
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&name)
            try c.int16(&errorCode)
            if c.version >= 1 { try c.nullableString(&errorMessage) }
            try c.taggedFields()
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var topics: [Result] = []

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        if c.version >= 2 { try c.int32(&throttleTimeMs) }
        try c.array(&topics)
        try c.taggedFields()
    }
}
