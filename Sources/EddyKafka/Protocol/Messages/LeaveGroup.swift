import NIOCore

/// LeaveGroup (key 13): members leave at once instead of timing out (v3+: several at a time).
public struct LeaveGroupRequest: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .leaveGroup }

    public struct Member: KafkaStruct, Sendable, Equatable {
        public var memberId = ""
        public var groupInstanceId: String? = nil
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&memberId)
            try c.nullableString(&groupInstanceId)
            try c.taggedFields()
        }
    }

    public var groupId = ""
    public var memberId = ""
    public var members: [Member] = []

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.string(&groupId)
        if c.version <= 2 { try c.string(&memberId) } else { try c.array(&members) }
        try c.taggedFields()
    }
}

public struct LeaveGroupResponse: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .leaveGroup }

    public struct Member: KafkaStruct, Sendable, Equatable {
        public var memberId = ""
        public var groupInstanceId: String? = nil
        public var errorCode: Int16 = 0
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&memberId)
            try c.nullableString(&groupInstanceId)
            try c.int16(&errorCode)
            try c.taggedFields()
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var errorCode: Int16 = 0
    public var members: [Member] = []

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        try c.int16(&errorCode)
        if c.version >= 3 { try c.array(&members) }
        try c.taggedFields()
    }
}
