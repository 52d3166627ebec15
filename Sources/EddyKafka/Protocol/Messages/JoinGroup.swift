public import NIOCore

/// JoinGroup (key 11): a member joins a classic consumer group; the coordinator answers every member
/// once all known members have joined (or the rebalance timeout passed), the leader with the member list.
public struct JoinGroupRequest: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .joinGroup }

    public struct SupportedProtocol: KafkaStruct, Sendable, Equatable {
        public var name = ""
        public var metadata = ByteBuffer()
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&name)
            try c.bytes(&metadata)
            try c.taggedFields()
        }
    }

    public var groupId = ""
    public var sessionTimeoutMs: Int32 = 10_000
    /// v0 has none: the session timeout serves.
    public var rebalanceTimeoutMs: Int32 = -1
    public var memberId = ""
    public var groupInstanceId: String? = nil
    public var protocolType = ""
    public var protocols: [SupportedProtocol] = []

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.string(&groupId)
        try c.int32(&sessionTimeoutMs)
        if c.version >= 1 { try c.int32(&rebalanceTimeoutMs) }
        try c.string(&memberId)
        if c.version >= 5 { try c.nullableString(&groupInstanceId) }
        try c.string(&protocolType)
        try c.array(&protocols)
        try c.taggedFields()
    }
}

public struct JoinGroupResponse: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .joinGroup }

    public struct Member: KafkaStruct, Sendable, Equatable {
        public var memberId = ""
        public var groupInstanceId: String? = nil
        public var metadata = ByteBuffer()
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&memberId)
            if c.version >= 5 { try c.nullableString(&groupInstanceId) }
            try c.bytes(&metadata)
            try c.taggedFields()
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var errorCode: Int16 = 0
    public var generationId: Int32 = -1
    public var protocolName = ""
    public var leader = ""
    public var memberId = ""
    public var members: [Member] = []

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        if c.version >= 2 { try c.int32(&throttleTimeMs) }
        try c.int16(&errorCode)
        try c.int32(&generationId)
        try c.string(&protocolName)
        try c.string(&leader)
        try c.string(&memberId)
        try c.array(&members)
        try c.taggedFields()
    }
}
