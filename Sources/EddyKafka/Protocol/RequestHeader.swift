public import NIOCore

/// The header before every request body: key, version, correlation id, client id, and in flexible
/// versions (header v2) tagged fields. Header v0 (no client id) is only used by ControlledShutdown v0,
/// which Eddy does not serve.
///
/// ```swift
/// let header = try RequestHeader(from: &frame)
/// ```
public struct RequestHeader: Sendable, Equatable {
    /// The raw key: a frame may name an API Eddy does not know, which still needs an answer.
    public var apiKey: Int16
    public var apiVersion: Int16
    public var correlationId: Int32
    public var clientId: String?

    public init(apiKey: Int16, apiVersion: Int16, correlationId: Int32, clientId: String?) {
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.correlationId = correlationId
        self.clientId = clientId
    }

    /// Whether the header has tagged fields (header v2): the API's version is flexible.
    public static func isFlexible(apiKey: ApiKey, version: Int16) -> Bool {
        version >= apiKey.firstFlexibleVersion
    }

    /// Reads the key, version and correlation id, then (if the API is known) the rest of the header.
    public init(from buffer: inout ByteBuffer) throws(KafkaCodecError) {
        var reader = KafkaReader(buffer: buffer, version: 0, isFlexible: false)
        var key: Int16 = 0
        var version: Int16 = 0
        var correlation: Int32 = 0
        try reader.int16(&key)
        try reader.int16(&version)
        try reader.int32(&correlation)
        apiKey = key
        apiVersion = version
        correlationId = correlation
        clientId = try reader.classicNullableString()
        if let api = ApiKey(rawValue: key), Self.isFlexible(apiKey: api, version: version) {
            reader.isFlexible = true
            try reader.taggedFields()
        }
        buffer = reader.buffer
    }

    public func encode(into buffer: inout ByteBuffer) {
        var writer = KafkaWriter(buffer: buffer, version: 0, isFlexible: false)
        buffer = ByteBuffer()
        writer.buffer.writeInteger(apiKey)
        writer.buffer.writeInteger(apiVersion)
        writer.buffer.writeInteger(correlationId)
        writer.classicNullableString(clientId)
        if let api = ApiKey(rawValue: apiKey), Self.isFlexible(apiKey: api, version: apiVersion) {
            writer.unsignedVarint(0)
        }
        buffer = writer.buffer
    }
}

/// The header before every response body: the correlation id, and tagged fields in flexible versions
/// (header v1) — except ApiVersions, whose response header is always v0 so that a client can read it
/// before it knows which versions the broker speaks.
public struct ResponseHeader: Sendable, Equatable {
    public var correlationId: Int32

    public init(correlationId: Int32) {
        self.correlationId = correlationId
    }

    public static func hasTaggedFields(apiKey: ApiKey, version: Int16) -> Bool {
        apiKey != .apiVersions && version >= apiKey.firstFlexibleVersion
    }

    public func encode(into buffer: inout ByteBuffer, apiKey: ApiKey, version: Int16) {
        buffer.writeInteger(correlationId)
        if Self.hasTaggedFields(apiKey: apiKey, version: version) { buffer.writeInteger(UInt8(0)) }
    }

    public init(from buffer: inout ByteBuffer, apiKey: ApiKey, version: Int16) throws(KafkaCodecError) {
        var reader = KafkaReader(
            buffer: buffer, version: version,
            isFlexible: Self.hasTaggedFields(apiKey: apiKey, version: version))
        var correlation: Int32 = 0
        try reader.int32(&correlation)
        try reader.taggedFields()
        correlationId = correlation
        buffer = reader.buffer
    }
}

extension ApiKey {
    /// The first flexible version of the API in Kafka's schemas (the header follows it even where Eddy
    /// does not advertise it).
    public var firstFlexibleVersion: Int16 {
        switch self {
        case .produce: 9
        case .fetch: 12
        case .listOffsets: 6
        case .metadata: 9
        case .offsetCommit: 8
        case .offsetFetch: 6
        case .findCoordinator: 3
        case .joinGroup: 6
        case .heartbeat: 4
        case .leaveGroup: 4
        case .syncGroup: 4
        case .describeGroups: 5
        case .listGroups: 3
        case .apiVersions: 3
        case .createTopics: 5
        case .deleteTopics: 4
        case .initProducerId: 2
        case .describeConfigs: 4
        case .saslHandshake: Int16.max
        case .saslAuthenticate: 2
        }
    }
}
