import NIOCore

/// FindCoordinator (key 10): which broker coordinates a group (always this one).
public struct FindCoordinatorRequest: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .findCoordinator }
    public var key = ""
    /// 0 group, 1 transaction.
    public var keyType: Int8 = 0

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.string(&key)
        if c.version >= 1 { try c.int8(&keyType) }
        try c.taggedFields()
    }
}

public struct FindCoordinatorResponse: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .findCoordinator }
    public var throttleTimeMs: Int32 = 0
    public var errorCode: Int16 = 0
    public var errorMessage: String? = nil
    public var nodeId: Int32 = 0
    public var host = ""
    public var port: Int32 = 0

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        try c.int16(&errorCode)
        if c.version >= 1 { try c.nullableString(&errorMessage) }
        try c.int32(&nodeId)
        try c.string(&host)
        try c.int32(&port)
        try c.taggedFields()
    }
}
