/// Encodes `ThriftValue` trees in the Thrift compact protocol (the writer's footer and page headers).
///
/// ```swift
/// var writer = ThriftCompactWriter()
/// writer.write(metadata.thrift)
/// file.append(contentsOf: writer.bytes)
/// ```
public struct ThriftCompactWriter {
    public var bytes: [UInt8] = []

    public init() {}

    public mutating func write(_ value: ThriftStruct) {
        var lastID: Int16 = 0
        for field in value.fields {
            let typeCode: UInt8
            if case .bool(let b) = field.value {
                typeCode = b ? 1 : 2
            } else {
                typeCode = field.value.type.rawValue
            }
            let delta = Int(field.id) - Int(lastID)
            if delta > 0 && delta <= 15 {
                bytes.append(UInt8(delta) << 4 | typeCode)
            } else {
                bytes.append(typeCode)
                writeZigzag(Int64(field.id))
            }
            lastID = field.id
            if case .bool = field.value { continue }
            writeValue(field.value)
        }
        bytes.append(0)
    }

    mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func writeZigzag(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func writeValue(_ value: ThriftValue) {
        switch value {
        case .bool(let b): bytes.append(b ? 1 : 2)
        case .byte(let v): bytes.append(UInt8(bitPattern: v))
        case .i16(let v): writeZigzag(Int64(v))
        case .i32(let v): writeZigzag(Int64(v))
        case .i64(let v): writeZigzag(v)
        case .double(let v):
            let bits = v.bitPattern
            for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
        case .binary(let v):
            writeVarint(UInt64(v.count))
            bytes.append(contentsOf: v)
        case .list(let type, let elements):
            if elements.count < 15 {
                bytes.append(UInt8(elements.count) << 4 | type.rawValue)
            } else {
                bytes.append(0xF0 | type.rawValue)
                writeVarint(UInt64(elements.count))
            }
            for element in elements { writeValue(element) }
        case .map(let key, let valueType, let elements):
            writeVarint(UInt64(elements.count / 2))
            if !elements.isEmpty { bytes.append(key.rawValue << 4 | valueType.rawValue) }
            for element in elements { writeValue(element) }
        case .structure(let s): write(s)
        }
    }
}
