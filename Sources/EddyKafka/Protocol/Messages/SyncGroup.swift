public import NIOCore

/// SyncGroup (key 14): the leader hands in every member's assignment; each member gets its own.
public struct SyncGroupRequest: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .syncGroup }

    public struct Assignment: KafkaStruct, Sendable, Equatable {
        public var memberId = ""
        public var assignment = ByteBuffer()
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&memberId)
            try c.bytes(&assignment)
            try c.taggedFields()
        }
    }

    public var groupId = ""
    public var generationId: Int32 = -1
    public var memberId = ""
    public var groupInstanceId: String? = nil
    public var assignments: [Assignment] = []

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.string(&groupId)
        try c.int32(&generationId)
        try c.string(&memberId)
        if c.version >= 3 { try c.nullableString(&groupInstanceId) }
        try c.array(&assignments)
        try c.taggedFields()
    }
}

public struct SyncGroupResponse: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .syncGroup }
    public var throttleTimeMs: Int32 = 0
    public var errorCode: Int16 = 0
    public var assignment = ByteBuffer()

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        try c.int16(&errorCode)
        try c.bytes(&assignment)
        try c.taggedFields()
    }
}
