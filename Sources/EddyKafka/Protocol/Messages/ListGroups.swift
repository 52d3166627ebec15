import NIOCore

/// ListGroups (key 16): every group the coordinator knows, with committed offsets or live members.
public struct ListGroupsRequest: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .listGroups }

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.taggedFields()
    }
}

public struct ListGroupsResponse: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .listGroups }

    public struct Group: KafkaStruct, Sendable, Equatable {
        public var groupId = ""
        public var protocolType = ""
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&groupId)
            try c.string(&protocolType)
            try c.taggedFields()
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var errorCode: Int16 = 0
    public var groups: [Group] = []

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        try c.int16(&errorCode)
        try c.array(&groups)
        try c.taggedFields()
    }
}
