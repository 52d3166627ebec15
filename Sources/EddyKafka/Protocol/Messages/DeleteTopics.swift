import NIOCore

/// DeleteTopics (key 20).
public struct DeleteTopicsRequest: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .deleteTopics }
    public var topicNames: [String] = []
    public var timeoutMs: Int32 = 30_000

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.array(&topicNames)
        try c.int32(&timeoutMs)
        try c.taggedFields()
    }
}

public struct DeleteTopicsResponse: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .deleteTopics }

    public struct Result: KafkaStruct, Sendable, Equatable {
        public var name = ""
        public var errorCode: Int16 = 0
        public init() {}
        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.string(&name)
            try c.int16(&errorCode)
            try c.taggedFields()
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var responses: [Result] = []

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        try c.array(&responses)
        try c.taggedFields()
    }
}
