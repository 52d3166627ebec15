public import NIOCore

/// One walk over a message's fields, reading or writing: a message's schema is written once, as a
/// `code(_:)` method, and the same method decodes (``KafkaReader``) and encodes (``KafkaWriter``) it.
///
/// ```swift
/// struct HeartbeatRequest: KafkaMessage {
///     var groupId = ""
///     var generationId: Int32 = -1
///     mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) {
///         try c.string(&groupId)
///         try c.int32(&generationId)
///         if c.version >= 3 { ... }
///         try c.taggedFields()
///     }
/// }
/// ```
///
/// Flexible versions (KIP-482) change strings, bytes and arrays to their compact forms and add tagged
/// fields; the coder knows whether the message version is flexible, so a schema writes each field once.
public protocol KafkaCoder {
    /// The message version being read or written.
    var version: Int16 { get }
    /// Whether `version` is one of the message's flexible versions.
    var isFlexible: Bool { get }

    mutating func int8(_ value: inout Int8) throws(KafkaCodecError)
    mutating func int16(_ value: inout Int16) throws(KafkaCodecError)
    mutating func int32(_ value: inout Int32) throws(KafkaCodecError)
    mutating func int64(_ value: inout Int64) throws(KafkaCodecError)
    mutating func bool(_ value: inout Bool) throws(KafkaCodecError)
    mutating func uuid(_ value: inout KafkaUUID) throws(KafkaCodecError)
    mutating func string(_ value: inout String) throws(KafkaCodecError)
    mutating func nullableString(_ value: inout String?) throws(KafkaCodecError)
    mutating func bytes(_ value: inout ByteBuffer) throws(KafkaCodecError)
    mutating func nullableBytes(_ value: inout ByteBuffer?) throws(KafkaCodecError)
    /// Nullable bytes that, when writing, may be ``ExternalBytes`` (only their length is written, and where
    /// they go is noted); reading always reads them into `value`.
    mutating func nullableBytes(_ value: inout ByteBuffer?, external: ExternalBytes?) throws(KafkaCodecError)
    mutating func array<T: KafkaStruct>(_ value: inout [T]) throws(KafkaCodecError)
    mutating func nullableArray<T: KafkaStruct>(_ value: inout [T]?) throws(KafkaCodecError)
    /// The tagged-field section of a flexible version (nothing in other versions). Unknown tags are
    /// skipped on reading; none are written.
    mutating func taggedFields() throws(KafkaCodecError)
}

/// A value made of fields: a message, an element of an array field, or a primitive array element.
public protocol KafkaStruct {
    init()
    mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError)
}

extension Int32: KafkaStruct {
    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) { try c.int32(&self) }
}

extension Int64: KafkaStruct {
    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) { try c.int64(&self) }
}

extension String: KafkaStruct {
    public mutating func code<C: KafkaCoder>(_ c: inout C) throws(KafkaCodecError) { try c.string(&self) }
}

/// A 128-bit Kafka UUID (topic ids), stored as two big-endian halves.
public struct KafkaUUID: Hashable, Sendable {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64 = 0, low: UInt64 = 0) {
        self.high = high
        self.low = low
    }

    /// The all-zero UUID Kafka uses for "no id".
    public static let zero = KafkaUUID()
}
