import NIOCore

/// SaslHandshake (key 17): the client names its SASL mechanism; the answer lists the enabled ones. After
/// v0 the tokens follow as bare frames; after v1 they travel in SaslAuthenticate requests.
public struct SaslHandshakeRequest: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .saslHandshake }
    public var mechanism = ""

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.string(&mechanism)
    }
}

public struct SaslHandshakeResponse: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .saslHandshake }
    public var errorCode: Int16 = 0
    public var mechanisms: [String] = []

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.int16(&errorCode)
        try c.array(&mechanisms)
    }
}
