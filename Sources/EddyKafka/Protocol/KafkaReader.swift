public import NIOCore

/// Decodes Kafka's primitive types from a `ByteBuffer` (big-endian integers, length-prefixed strings and
/// bytes, arrays; compact forms and tagged fields in flexible versions). Byte fields are slices of the
/// buffer, never copies. Every length is checked against the bytes left before anything is allocated.
public struct KafkaReader: KafkaCoder {
    public var buffer: ByteBuffer
    public var version: Int16
    public var isFlexible: Bool

    public init(buffer: ByteBuffer, version: Int16, isFlexible: Bool) {
        self.buffer = buffer
        self.version = version
        self.isFlexible = isFlexible
    }

    @inline(__always)
    mutating func read<T: FixedWidthInteger>(_: T.Type, _ field: String) throws(KafkaCodecError) -> T {
        guard let value = buffer.readInteger(as: T.self) else { throw .truncated(field: field) }
        return value
    }

    public mutating func int8(_ value: inout Int8) throws(KafkaCodecError) {
        value = try read(Int8.self, "int8")
    }
    public mutating func int16(_ value: inout Int16) throws(KafkaCodecError) {
        value = try read(Int16.self, "int16")
    }
    public mutating func int32(_ value: inout Int32) throws(KafkaCodecError) {
        value = try read(Int32.self, "int32")
    }
    public mutating func int64(_ value: inout Int64) throws(KafkaCodecError) {
        value = try read(Int64.self, "int64")
    }
    public mutating func bool(_ value: inout Bool) throws(KafkaCodecError) {
        value = try read(UInt8.self, "bool") != 0
    }

    public mutating func uuid(_ value: inout KafkaUUID) throws(KafkaCodecError) {
        value = KafkaUUID(high: try read(UInt64.self, "uuid"), low: try read(UInt64.self, "uuid"))
    }

    /// An unsigned varint (compact lengths, tag numbers).
    public mutating func unsignedVarint() throws(KafkaCodecError) -> UInt32 {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            guard let byte = buffer.readInteger(as: UInt8.self) else { throw .truncated(field: "varint") }
            result |= UInt32(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 28 { throw .invalidVarint }
        }
    }

    /// A length: int16/int32 in classic versions, unsigned varint minus one in flexible ones; -1 is null.
    mutating func length(_ field: String, classicInt16: Bool) throws(KafkaCodecError) -> Int {
        let length: Int
        if isFlexible {
            length = Int(try unsignedVarint()) - 1
        } else if classicInt16 {
            length = Int(try read(Int16.self, field))
        } else {
            length = Int(try read(Int32.self, field))
        }
        guard length >= -1 else { throw .invalidLength(field: field, length: length) }
        guard length <= buffer.readableBytes else { throw .invalidLength(field: field, length: length) }
        return length
    }

    mutating func readString(length: Int, _ field: String) throws(KafkaCodecError) -> String {
        guard let string = buffer.readString(length: length) else { throw .invalidString(field: field) }
        return string
    }

    public mutating func string(_ value: inout String) throws(KafkaCodecError) {
        let length = try length("string", classicInt16: true)
        guard length >= 0 else { throw .unexpectedNull(field: "string") }
        value = try readString(length: length, "string")
    }

    public mutating func nullableString(_ value: inout String?) throws(KafkaCodecError) {
        let length = try length("string", classicInt16: true)
        value = length < 0 ? nil : try readString(length: length, "string")
    }

    /// A classic (int16-length) nullable string whatever the version: the request header's client id.
    public mutating func classicNullableString() throws(KafkaCodecError) -> String? {
        let length = Int(try read(Int16.self, "client id"))
        guard length >= -1, length <= buffer.readableBytes else {
            throw .invalidLength(field: "client id", length: length)
        }
        return length < 0 ? nil : try readString(length: length, "client id")
    }

    public mutating func bytes(_ value: inout ByteBuffer) throws(KafkaCodecError) {
        let length = try length("bytes", classicInt16: false)
        guard length >= 0 else { throw .unexpectedNull(field: "bytes") }
        value = buffer.readSlice(length: length)!
    }

    public mutating func nullableBytes(_ value: inout ByteBuffer?) throws(KafkaCodecError) {
        let length = try length("bytes", classicInt16: false)
        value = length < 0 ? nil : buffer.readSlice(length: length)!
    }

    public mutating func nullableBytes(_ value: inout ByteBuffer?, external: ExternalBytes?)
        throws(KafkaCodecError)
    {
        try nullableBytes(&value)
    }

    public mutating func array<T: KafkaStruct>(_ value: inout [T]) throws(KafkaCodecError) {
        var optional: [T]? = nil
        try nullableArray(&optional)
        guard let optional else { throw .unexpectedNull(field: "array") }
        value = optional
    }

    public mutating func nullableArray<T: KafkaStruct>(_ value: inout [T]?) throws(KafkaCodecError) {
        // Every element takes at least one byte, so a count above the bytes left is a lie: refuse it
        // before reserving memory for it.
        let count = try length("array", classicInt16: false)
        guard count >= 0 else {
            value = nil
            return
        }
        var result: [T] = []
        result.reserveCapacity(count)
        for _ in 0..<count {
            var element = T()
            try element.code(&self)
            result.append(element)
        }
        value = result
    }

    public mutating func taggedFields() throws(KafkaCodecError) {
        guard isFlexible else { return }
        let count = try unsignedVarint()
        guard count <= buffer.readableBytes else {
            throw .invalidLength(field: "tagged fields", length: Int(count))
        }
        for _ in 0..<count {
            _ = try unsignedVarint()  // tag
            let size = Int(try unsignedVarint())
            guard size <= buffer.readableBytes else {
                throw .invalidLength(field: "tagged field", length: size)
            }
            buffer.moveReaderIndex(forwardBy: size)
        }
    }
}
