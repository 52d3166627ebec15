public import NIOCore

/// Produce (key 0): record batches for partitions. The `records` field holds the client's v2 batches,
/// kept as a slice of the request frame.
public struct ProduceRequest: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .produce }

    public struct PartitionData: KafkaStruct, Sendable, Equatable {
        public var index: Int32 = 0
        public var records: ByteBuffer? = nil
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.int32(&index)
            try c.nullableBytes(&records)
            try c.taggedFields()
        }
    }

    public struct TopicData: KafkaStruct, Sendable, Equatable {
        public var name = ""
        public var partitionData: [PartitionData] = []
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&name)
            try c.array(&partitionData)
            try c.taggedFields()
        }
    }

    public var transactionalId: String? = nil
    /// 0: no response; 1: after the append; -1: after the append is durable per the log's flush policy
    /// (Eddy has no replicas, so all in-sync replicas means this one).
    public var acks: Int16 = -1
    public var timeoutMs: Int32 = 30_000
    public var topicData: [TopicData] = []

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        if c.version >= 3 { try c.nullableString(&transactionalId) }
        try c.int16(&acks)
        try c.int32(&timeoutMs)
        try c.array(&topicData)
        try c.taggedFields()
    }
}

public struct ProduceResponse: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .produce }

    public struct BatchIndexAndErrorMessage: KafkaStruct, Sendable, Equatable {
        public var batchIndex: Int32 = 0
        public var batchIndexErrorMessage: String? = nil
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.int32(&batchIndex)
            try c.nullableString(&batchIndexErrorMessage)
            try c.taggedFields()
        }
    }

    public struct PartitionResponse: KafkaStruct, Sendable, Equatable {
        public var index: Int32 = 0
        public var errorCode: Int16 = 0
        public var baseOffset: Int64 = -1
        public var logAppendTimeMs: Int64 = -1
        public var logStartOffset: Int64 = -1
        public var recordErrors: [BatchIndexAndErrorMessage] = []
        public var errorMessage: String? = nil
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.int32(&index)
            try c.int16(&errorCode)
            try c.int64(&baseOffset)
            if c.version >= 2 { try c.int64(&logAppendTimeMs) }
            if c.version >= 5 { try c.int64(&logStartOffset) }
            if c.version >= 8 {
                try c.array(&recordErrors)
                try c.nullableString(&errorMessage)
            }
            try c.taggedFields()
        }
    }

    public struct TopicResponse: KafkaStruct, Sendable, Equatable {
        public var name = ""
        public var partitionResponses: [PartitionResponse] = []
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&name)
            try c.array(&partitionResponses)
            try c.taggedFields()
        }
    }

    public var responses: [TopicResponse] = []
    public var throttleTimeMs: Int32 = 0

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.array(&responses)
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        try c.taggedFields()
    }
}
