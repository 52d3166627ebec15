import NIOCore

/// Metadata (key 3): brokers, topics and partition leaders. Eddy is one broker leading every partition.
public struct MetadataRequest: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .metadata }

    public struct Topic: KafkaStruct, Sendable, Equatable {
        public var name = ""
        public init() {}
        public init(name: String) { self.name = name }
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&name)
            try c.taggedFields()
        }
    }

    /// nil: every topic (v1+); in v0 an empty list means every topic.
    public var topics: [Topic]? = []
    public var allowAutoTopicCreation = true
    public var includeClusterAuthorizedOperations = false
    public var includeTopicAuthorizedOperations = false

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        if c.version >= 1 {
            try c.nullableArray(&topics)
        } else {
            var all = topics ?? []
            try c.array(&all)
            topics = all
        }
        if c.version >= 4 { try c.bool(&allowAutoTopicCreation) }
        if c.version >= 8 {
            try c.bool(&includeClusterAuthorizedOperations)
            try c.bool(&includeTopicAuthorizedOperations)
        }
        try c.taggedFields()
    }
}

public struct MetadataResponse: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .metadata }

    public struct Broker: KafkaStruct, Sendable, Equatable {
        public var nodeId: Int32 = 0
        public var host = ""
        public var port: Int32 = 0
        public var rack: String? = nil
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.int32(&nodeId)
            try c.string(&host)
            try c.int32(&port)
            if c.version >= 1 { try c.nullableString(&rack) }
            try c.taggedFields()
        }
    }

    public struct Partition: KafkaStruct, Sendable, Equatable {
        public var errorCode: Int16 = 0
        public var partitionIndex: Int32 = 0
        public var leaderId: Int32 = 0
        public var leaderEpoch: Int32 = -1
        public var replicaNodes: [Int32] = []
        public var isrNodes: [Int32] = []
        public var offlineReplicas: [Int32] = []
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.int16(&errorCode)
            try c.int32(&partitionIndex)
            try c.int32(&leaderId)
            if c.version >= 7 { try c.int32(&leaderEpoch) }
            try c.array(&replicaNodes)
            try c.array(&isrNodes)
            if c.version >= 5 { try c.array(&offlineReplicas) }
            try c.taggedFields()
        }
    }

    public struct Topic: KafkaStruct, Sendable, Equatable {
        public var errorCode: Int16 = 0
        public var name = ""
        public var isInternal = false
        public var partitions: [Partition] = []
        public var topicAuthorizedOperations: Int32 = Int32.min
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.int16(&errorCode)
            try c.string(&name)
            if c.version >= 1 { try c.bool(&isInternal) }
            try c.array(&partitions)
            if c.version >= 8 { try c.int32(&topicAuthorizedOperations) }
            try c.taggedFields()
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var brokers: [Broker] = []
    public var clusterId: String? = nil
    public var controllerId: Int32 = -1
    public var topics: [Topic] = []
    public var clusterAuthorizedOperations: Int32 = Int32.min

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        if c.version >= 3 { try c.int32(&throttleTimeMs) }
        try c.array(&brokers)
        if c.version >= 2 { try c.nullableString(&clusterId) }
        if c.version >= 1 { try c.int32(&controllerId) }
        try c.array(&topics)
        if c.version >= 8 { try c.int32(&clusterAuthorizedOperations) }
        try c.taggedFields()
    }
}
