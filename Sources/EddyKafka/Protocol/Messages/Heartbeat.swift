import NIOCore

/// Heartbeat (key 12): keeps a member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin.
public struct HeartbeatRequest: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .heartbeat }
    public var groupId = ""
    public var generationId: Int32 = -1
    public var memberId = ""
    public var groupInstanceId: String? = nil

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.string(&groupId)
        try c.int32(&generationId)
        try c.string(&memberId)
        if c.version >= 3 { try c.nullableString(&groupInstanceId) }
        try c.taggedFields()
    }
}

public struct HeartbeatResponse: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .heartbeat }
    public var throttleTimeMs: Int32 = 0
    public var errorCode: Int16 = 0

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        try c.int16(&errorCode)
        try c.taggedFields()
    }
}
