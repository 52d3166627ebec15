public import NIOCore

/// DescribeGroups (key 15): state, protocol and members of groups.
public struct DescribeGroupsRequest: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .describeGroups }
    public var groups: [String] = []
    public var includeAuthorizedOperations = false

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.array(&groups)
        if c.version >= 3 { try c.bool(&includeAuthorizedOperations) }
        try c.taggedFields()
    }
}

public struct DescribeGroupsResponse: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .describeGroups }

    public struct Member: KafkaStruct, Sendable, Equatable {
        public var memberId = ""
        public var groupInstanceId: String? = nil
        public var clientId = ""
        public var clientHost = ""
        public var memberMetadata = ByteBuffer()
        public var memberAssignment = ByteBuffer()
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&memberId)
            if c.version >= 4 { try c.nullableString(&groupInstanceId) }
            try c.string(&clientId)
            try c.string(&clientHost)
            try c.bytes(&memberMetadata)
            try c.bytes(&memberAssignment)
            try c.taggedFields()
        }
    }

    public struct Group: KafkaStruct, Sendable, Equatable {
        public var errorCode: Int16 = 0
        public var groupId = ""
        public var groupState = ""
        public var protocolType = ""
        public var protocolData = ""
        public var members: [Member] = []
        public var authorizedOperations: Int32 = Int32.min
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.int16(&errorCode)
            try c.string(&groupId)
            try c.string(&groupState)
            try c.string(&protocolType)
            try c.string(&protocolData)
            try c.array(&members)
            if c.version >= 3 { try c.int32(&authorizedOperations) }
            try c.taggedFields()
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var groups: [Group] = []

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        try c.array(&groups)
        try c.taggedFields()
    }
}
