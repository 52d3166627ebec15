public import NIOCore

/// Fetch (key 1): read batches from partitions, waiting up to `maxWaitMs` for `minBytes`. Eddy answers
/// every fetch in full (session id 0), which tells session-capable clients not to use incremental fetches.
public struct FetchRequest: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .fetch }

    public struct Partition: KafkaStruct, Sendable, Equatable {
        public var partition: Int32 = 0
        public var currentLeaderEpoch: Int32 = -1
        public var fetchOffset: Int64 = 0
        public var logStartOffset: Int64 = -1
        public var partitionMaxBytes: Int32 = 0
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.int32(&partition)
            if c.version >= 9 { try c.int32(&currentLeaderEpoch) }
            try c.int64(&fetchOffset)
            if c.version >= 5 { try c.int64(&logStartOffset) }
            try c.int32(&partitionMaxBytes)
            try c.taggedFields()
        }
    }

    public struct Topic: KafkaStruct, Sendable, Equatable {
        public var topic = ""
        public var partitions: [Partition] = []
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&topic)
            try c.array(&partitions)
            try c.taggedFields()
        }
    }

    public struct ForgottenTopic: KafkaStruct, Sendable, Equatable {
        public var topic = ""
        public var partitions: [Int32] = []
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&topic)
            try c.array(&partitions)
            try c.taggedFields()
        }
    }

    public var replicaId: Int32 = -1
    public var maxWaitMs: Int32 = 500
    public var minBytes: Int32 = 1
    public var maxBytes: Int32 = 0x7FFF_FFFF
    /// 0 read uncommitted, 1 read committed (the same here until transactions exist).
    public var isolationLevel: Int8 = 0
    public var sessionId: Int32 = 0
    public var sessionEpoch: Int32 = -1
    public var topics: [Topic] = []
    public var forgottenTopicsData: [ForgottenTopic] = []
    public var rackId = ""

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.int32(&replicaId)
        try c.int32(&maxWaitMs)
        try c.int32(&minBytes)
        if c.version >= 3 { try c.int32(&maxBytes) }
        if c.version >= 4 { try c.int8(&isolationLevel) }
        if c.version >= 7 {
            try c.int32(&sessionId)
            try c.int32(&sessionEpoch)
        }
        try c.array(&topics)
        if c.version >= 7 { try c.array(&forgottenTopicsData) }
        if c.version >= 11 { try c.string(&rackId) }
        try c.taggedFields()
    }
}

public struct FetchResponse: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .fetch }

    public struct AbortedTransaction: KafkaStruct, Sendable, Equatable {
        public var producerId: Int64 = 0
        public var firstOffset: Int64 = 0
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.int64(&producerId)
            try c.int64(&firstOffset)
            try c.taggedFields()
        }
    }

    public struct Partition: KafkaStruct, Sendable, Equatable {
        public var partitionIndex: Int32 = 0
        public var errorCode: Int16 = 0
        public var highWatermark: Int64 = -1
        public var lastStableOffset: Int64 = -1
        public var logStartOffset: Int64 = -1
        public var abortedTransactions: [AbortedTransaction]? = nil
        public var preferredReadReplica: Int32 = -1
        /// The stored batches, served as they are.
        public var records: ByteBuffer? = nil
        /// The stored batches when the sender supplies them itself (from the segment file) instead of
        /// ``records``; encoded as their length only. Decoding fills ``records``.
        public var externalRecords: ExternalBytes? = nil
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.int32(&partitionIndex)
            try c.int16(&errorCode)
            try c.int64(&highWatermark)
            if c.version >= 4 { try c.int64(&lastStableOffset) }
            if c.version >= 5 { try c.int64(&logStartOffset) }
            if c.version >= 4 { try c.nullableArray(&abortedTransactions) }
            if c.version >= 11 { try c.int32(&preferredReadReplica) }
            try c.nullableBytes(&records, external: externalRecords)
            try c.taggedFields()
        }
    }

    public struct Topic: KafkaStruct, Sendable, Equatable {
        public var topic = ""
        public var partitions: [Partition] = []
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&topic)
            try c.array(&partitions)
            try c.taggedFields()
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var errorCode: Int16 = 0
    public var sessionId: Int32 = 0
    public var responses: [Topic] = []

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        if c.version >= 7 {
            try c.int16(&errorCode)
            try c.int32(&sessionId)
        }
        try c.array(&responses)
        try c.taggedFields()
    }
}
