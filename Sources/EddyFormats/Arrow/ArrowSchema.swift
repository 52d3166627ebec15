/// The `ARROW:schema` footer key: an Arrow IPC Schema message (FlatBuffers, framed as in the IPC stream
/// format), base64-encoded, from which pyarrow and other Arrow readers restore the exact types — time
/// zones, integer widths, strings as strings, decimals — instead of inferring them from Parquet's.
///
/// ```swift
/// let value = ArrowSchema.footerValue([Field("at", .timestamp(.micros, utc: true))])
/// // options.metadata.append(("ARROW:schema", value))  — ParquetWriter does this by default
/// ```
public enum ArrowSchema {
    public static let footerKey = "ARROW:schema"

    /// The base64 text of the framed Schema message describing `fields`.
    public static func footerValue(_ fields: [Field]) -> String {
        var text: [UInt8] = []
        Base64.append(message(fields)[...], to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// The IPC message: continuation marker, metadata length, the FlatBuffers `Message`, padded to 8.
    static func message(_ fields: [Field]) -> [UInt8] {
        // Message { version: V5, header_type: Schema, header, bodyLength: 0 }
        let schema = FlatBufferWriter.Object.table([
            .int16(0),  // endianness: Little
            .offset(.vector(fields.map(field))),
        ])
        let flatbuffer = FlatBufferWriter.build(
            .table([.int16(4), .uint8(1), .offset(schema), .int64(0)]))
        var out: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF]
        withUnsafeBytes(of: UInt32(flatbuffer.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: flatbuffer)
        return out
    }

    /// Field { name, nullable, type_type, type, dictionary, children }.
    static func field(_ field: Field) -> FlatBufferWriter.Object {
        let (kind, type, children) = arrowType(field.type)
        return .table([
            .offset(.string(field.name)), .bool(field.nullable), .uint8(kind), .offset(type), .absent,
            .offset(.vector(children.map(Self.field))),
        ])
    }

    /// The `Type` union's member number, its table, and the child fields (lists and structs).
    static func arrowType(_ type: FieldType) -> (UInt8, FlatBufferWriter.Object, [Field]) {
        switch type {
        case .boolean: (6, .table([]), [])
        case .int(let bits, let signed): (2, .table([.int32(Int32(bits)), .bool(signed)]), [])
        case .float: (3, .table([.int16(1)]), [])
        case .double: (3, .table([.int16(2)]), [])
        case .string: (5, .table([]), [])
        case .binary: (4, .table([]), [])
        case .fixedBinary(let width): (15, .table([.int32(Int32(width))]), [])
        case .decimal(let precision, let scale):
            (7, .table([.int32(Int32(precision)), .int32(Int32(scale)), .int32(128)]), [])
        case .date: (8, .table([.int16(0)]), [])  // DAY
        case .time(let unit): (9, .table([.int16(timeUnit(unit)), .int32(unit == .millis ? 32 : 64)]), [])
        case .timestamp(let unit, let utc):
            (10, .table([.int16(timeUnit(unit)), utc ? .offset(.string("UTC")) : .absent]), [])
        case .list(let element): (12, .table([]), [element])
        case .structure(let fields): (13, .table([]), fields)
        }
    }

    static func timeUnit(_ unit: TimeUnit) -> Int16 {
        switch unit {
        case .millis: 1
        case .micros: 2
        case .nanos: 3
        }
    }
}
