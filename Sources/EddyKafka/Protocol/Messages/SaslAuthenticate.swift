public import NIOCore

/// SaslAuthenticate (key 36): one SASL token each way (PLAIN: one round; SCRAM: two).
public struct SaslAuthenticateRequest: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .saslAuthenticate }
    public var authBytes = ByteBuffer()

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.bytes(&authBytes)
        try c.taggedFields()
    }
}

public struct SaslAuthenticateResponse: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .saslAuthenticate }
    public var errorCode: Int16 = 0
    public var errorMessage: String? = nil
    public var authBytes = ByteBuffer()
    /// How long the session may last before the client must re-authenticate (v1+); 0: no limit.
    public var sessionLifetimeMs: Int64 = 0

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.int16(&errorCode)
        try c.nullableString(&errorMessage)
        try c.bytes(&authBytes)
        if c.version >= 1 { try c.int64(&sessionLifetimeMs) }
        try c.taggedFields()
    }
}
