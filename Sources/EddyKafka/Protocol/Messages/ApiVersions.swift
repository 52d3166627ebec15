import NIOCore

/// ApiVersions (key 18): which APIs and versions the broker speaks. A client sends its newest version
/// first; an unsupported version gets a v0 answer with UNSUPPORTED_VERSION and the list (KIP-511).
public struct ApiVersionsRequest: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .apiVersions }
    public var clientSoftwareName = ""
    public var clientSoftwareVersion = ""

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        if c.version >= 3 {
            try c.string(&clientSoftwareName)
            try c.string(&clientSoftwareVersion)
        }
        try c.taggedFields()
    }
}

public struct ApiVersionsResponse: KafkaMessage, Equatable {
    public static var apiKey: ApiKey { .apiVersions }

    public struct Version: KafkaStruct, Sendable, Equatable {
        public var apiKey: Int16 = 0
        public var minVersion: Int16 = 0
        public var maxVersion: Int16 = 0

        public init() {}
        public init(apiKey: Int16, minVersion: Int16, maxVersion: Int16) {
            self.apiKey = apiKey
            self.minVersion = minVersion
            self.maxVersion = maxVersion
        }

        public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
            try c.int16(&apiKey)
            try c.int16(&minVersion)
            try c.int16(&maxVersion)
            try c.taggedFields()
        }
    }

    public var errorCode: Int16 = 0
    public var apiKeys: [Version] = []
    public var throttleTimeMs: Int32 = 0

    public init() {}

    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
        try c.int16(&errorCode)
        try c.array(&apiKeys)
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        try c.taggedFields()
    }
}
