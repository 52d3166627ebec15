/// Decodes the Thrift compact protocol from a byte buffer, bounds-checking every read: corrupt input is a
/// `ThriftError`, never a crash (sizes are checked against the bytes left, nesting is limited).
///
/// ```swift
/// var reader = ThriftCompactReader(footerBytes)
/// let metadata = try FileMetaData(try reader.readStruct())
/// ```
public struct ThriftCompactReader {
    public let bytes: [UInt8]
    /// The next byte to read.
    public private(set) var position: Int
    let end: Int
    static let maxDepth = 64

    public init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.position = start
        self.end = min(end ?? bytes.count, bytes.count)
    }

    public mutating func readStruct() throws(ThriftError) -> ThriftStruct {
        try readStruct(depth: 0)
    }

    mutating func readByte() throws(ThriftError) -> UInt8 {
        guard position < end else { throw .truncated(at: position) }
        let b = bytes[position]
        position += 1
        return b
    }

    mutating func readVarint() throws(ThriftError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try readByte()
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift >= 64 { throw .varintTooLong(at: position) }
        }
    }

    mutating func readZigzag() throws(ThriftError) -> Int64 {
        let v = try readVarint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    mutating func readSize() throws(ThriftError) -> Int {
        let at = position
        let size = try readVarint()
        guard size <= UInt64(end - position) else {
            throw .invalidSize(Int64(truncatingIfNeeded: size), at: at)
        }
        return Int(size)
    }

    mutating func readStruct(depth: Int) throws(ThriftError) -> ThriftStruct {
        guard depth < Self.maxDepth else { throw .tooDeep(at: position) }
        var fields: [ThriftField] = []
        var lastID: Int16 = 0
        while true {
            let header = try readByte()
            if header == 0 { return ThriftStruct(fields) }
            let typeCode = header & 0x0F
            let delta = header >> 4
            let id: Int16
            if delta == 0 {
                let raw = try readZigzag()
                guard let narrow = Int16(exactly: raw) else { throw .invalidSize(raw, at: position) }
                id = narrow
            } else {
                id = lastID &+ Int16(delta)
            }
            lastID = id
            let value: ThriftValue
            switch typeCode {
            case 1: value = .bool(true)
            case 2: value = .bool(false)
            default: value = try readValue(typeCode, depth: depth)
            }
            fields.append(ThriftField(id, value))
        }
    }

    mutating func readValue(_ typeCode: UInt8, depth: Int) throws(ThriftError) -> ThriftValue {
        switch typeCode {
        case 1, 2:  // a bool inside a list or map: one byte, 1 true (some writers use 0 for false)
            return .bool(try readByte() == 1)
        case 3: return .byte(Int8(bitPattern: try readByte()))
        case 4:
            let raw = try readZigzag()
            guard let v = Int16(exactly: raw) else { throw .invalidSize(raw, at: position) }
            return .i16(v)
        case 5:
            let raw = try readZigzag()
            guard let v = Int32(exactly: raw) else { throw .invalidSize(raw, at: position) }
            return .i32(v)
        case 6: return .i64(try readZigzag())
        case 7:
            guard end - position >= 8 else { throw .truncated(at: position) }
            var bits: UInt64 = 0
            for i in 0..<8 { bits |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
            position += 8
            return .double(Double(bitPattern: bits))
        case 8:
            let size = try readSize()
            let value = Array(bytes[position..<position + size])
            position += size
            return .binary(value)
        case 9, 10:
            let header = try readByte()
            var count = Int(header >> 4)
            if count == 15 { count = try readSize() }
            let elementCode = header & 0x0F
            guard let elementType = ThriftType(rawValue: elementCode == 2 ? 1 : elementCode) else {
                throw .invalidType(elementCode, at: position)
            }
            guard count <= end - position else { throw .invalidSize(Int64(count), at: position) }
            var elements: [ThriftValue] = []
            elements.reserveCapacity(count)
            for _ in 0..<count { elements.append(try readValue(elementCode, depth: depth + 1)) }
            return .list(elementType, elements)
        case 11:
            let count = try readSize()
            if count == 0 { return .map(key: .byte, value: .byte, []) }
            let types = try readByte()
            guard let keyType = ThriftType(rawValue: types >> 4),
                let valueType = ThriftType(rawValue: types & 0x0F)
            else { throw .invalidType(types, at: position) }
            var elements: [ThriftValue] = []
            for _ in 0..<count {
                elements.append(try readValue(keyType.rawValue, depth: depth + 1))
                elements.append(try readValue(valueType.rawValue, depth: depth + 1))
            }
            return .map(key: keyType, value: valueType, elements)
        case 12:
            return .structure(try readStruct(depth: depth + 1))
        default:
            throw .invalidType(typeCode, at: position - 1)
        }
    }
}
