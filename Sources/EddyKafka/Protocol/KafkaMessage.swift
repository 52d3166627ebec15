public import NIOCore

/// A request or response body of one Kafka API, with the API's key and the first flexible version.
///
/// ```swift
/// var buffer = ByteBuffer()
/// try HeartbeatRequest(groupId: "g").encode(into: &buffer, version: 3)
/// let decoded = try HeartbeatRequest(from: &buffer, version: 3)
/// ```
public protocol KafkaMessage: KafkaStruct, Sendable {
    static var apiKey: ApiKey { get }
    /// The first version encoded with compact types and tagged fields (`Int16.max`: none).
    static var firstFlexibleVersion: Int16 { get }
}

extension KafkaMessage {
    public static var firstFlexibleVersion: Int16 { apiKey.firstFlexibleVersion }

    /// Decodes the message at the reader index of `buffer`, moving it past the message.
    public init(from buffer: inout ByteBuffer, version: Int16) throws(KafkaCodecError) {
        var reader = KafkaReader(
            buffer: buffer, version: version, isFlexible: version >= Self.firstFlexibleVersion)
        self.init()
        try code(&reader)
        buffer = reader.buffer
    }

    /// Appends the encoding of the message to `buffer`. Returns where the message's ``ExternalBytes``
    /// belong (none unless a field was given some).
    @discardableResult
    public func encode(into buffer: inout ByteBuffer, version: Int16) throws(KafkaCodecError)
        -> [ExternalBytesPlacement]
    {
        var writer = KafkaWriter(
            buffer: buffer, version: version, isFlexible: version >= Self.firstFlexibleVersion)
        // Writing leaves fields unchanged; `code` is mutating only because reading is.
        var copy = self
        buffer = ByteBuffer()  // let the writer hold the only reference, so writes do not copy
        defer { buffer = writer.buffer }
        try copy.code(&writer)
        return writer.externalPlacements
    }
}
