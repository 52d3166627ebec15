public import NIOCore

/// Encodes Kafka's primitive types into a `ByteBuffer`: the writing side of ``KafkaCoder``.
public struct KafkaWriter: KafkaCoder {
    public var buffer: ByteBuffer
    public var version: Int16
    public var isFlexible: Bool
    /// The external bytes written so far (``nullableBytes(_:external:)``), in order.
    public private(set) var externalPlacements: [ExternalBytesPlacement] = []

    public init(buffer: ByteBuffer, version: Int16, isFlexible: Bool) {
        self.buffer = buffer
        self.version = version
        self.isFlexible = isFlexible
    }

    public mutating func int8(_ value: inout Int8) throws(KafkaCodecError) { buffer.writeInteger(value) }
    public mutating func int16(_ value: inout Int16) throws(KafkaCodecError) { buffer.writeInteger(value) }
    public mutating func int32(_ value: inout Int32) throws(KafkaCodecError) { buffer.writeInteger(value) }
    public mutating func int64(_ value: inout Int64) throws(KafkaCodecError) { buffer.writeInteger(value) }
    public mutating func bool(_ value: inout Bool) throws(KafkaCodecError) {
        buffer.writeInteger(UInt8(value ? 1 : 0))
    }

    public mutating func uuid(_ value: inout KafkaUUID) throws(KafkaCodecError) {
        buffer.writeInteger(value.high)
        buffer.writeInteger(value.low)
    }

    public mutating func unsignedVarint(_ value: UInt32) {
        var v = value
        while v >= 0x80 {
            buffer.writeInteger(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        buffer.writeInteger(UInt8(v))
    }

    /// Writes a length (`-1` is null) in the form the version uses.
    mutating func length(_ length: Int, classicInt16: Bool) throws(KafkaCodecError) {
        if isFlexible {
            unsignedVarint(UInt32(length + 1))
        } else if classicInt16 {
            guard length <= Int(Int16.max) else { throw .invalidLength(field: "string", length: length) }
            buffer.writeInteger(Int16(length))
        } else {
            buffer.writeInteger(Int32(length))
        }
    }

    public mutating func string(_ value: inout String) throws(KafkaCodecError) {
        try length(value.utf8.count, classicInt16: true)
        buffer.writeString(value)
    }

    public mutating func nullableString(_ value: inout String?) throws(KafkaCodecError) {
        guard var string = value else { return try length(-1, classicInt16: true) }
        try self.string(&string)
    }

    /// A classic nullable string whatever the version: the request header's client id.
    public mutating func classicNullableString(_ value: String?) {
        guard let value else {
            buffer.writeInteger(Int16(-1))
            return
        }
        buffer.writeInteger(Int16(value.utf8.count))
        buffer.writeString(value)
    }

    public mutating func bytes(_ value: inout ByteBuffer) throws(KafkaCodecError) {
        try length(value.readableBytes, classicInt16: false)
        buffer.writeImmutableBuffer(value)
    }

    public mutating func nullableBytes(_ value: inout ByteBuffer?) throws(KafkaCodecError) {
        guard var bytes = value else { return try length(-1, classicInt16: false) }
        try self.bytes(&bytes)
    }

    public mutating func nullableBytes(_ value: inout ByteBuffer?, external: ExternalBytes?)
        throws(KafkaCodecError)
    {
        guard let external else { return try nullableBytes(&value) }
        try length(external.count, classicInt16: false)
        externalPlacements.append(ExternalBytesPlacement(position: buffer.writerIndex, bytes: external))
    }

    public mutating func array<T: KafkaStruct>(_ value: inout [T]) throws(KafkaCodecError) {
        try length(value.count, classicInt16: false)
        for i in value.indices { try value[i].code(&self) }
    }

    public mutating func nullableArray<T: KafkaStruct>(_ value: inout [T]?) throws(KafkaCodecError) {
        guard value != nil else { return try length(-1, classicInt16: false) }
        try array(&value!)
    }

    public mutating func taggedFields() throws(KafkaCodecError) {
        if isFlexible { unsignedVarint(0) }
    }
}
