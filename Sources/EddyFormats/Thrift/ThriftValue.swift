/// A value of the Thrift compact protocol, decoded without a schema: Parquet's footer and page headers are
/// read into these trees and then mapped onto typed metadata (`FileMetaData`, `PageHeader`), so unknown
/// fields from newer writers are skipped for free and every size is checked in one place.
///
/// ```swift
/// var reader = ThriftCompactReader(bytes)
/// let header = try reader.readStruct()
/// let pageType = header.int32(1)
/// ```
public indirect enum ThriftValue: Equatable, Sendable {
    case bool(Bool)
    case byte(Int8)
    case i16(Int16)
    case i32(Int32)
    case i64(Int64)
    case double(Double)
    case binary([UInt8])
    case list(ThriftType, [ThriftValue])
    /// Keys and values interleaved (Parquet uses no maps; kept so any struct can be skipped and rewritten).
    case map(key: ThriftType, value: ThriftType, [ThriftValue])
    case structure(ThriftStruct)

    var type: ThriftType {
        switch self {
        case .bool: .bool
        case .byte: .byte
        case .i16: .i16
        case .i32: .i32
        case .i64: .i64
        case .double: .double
        case .binary: .binary
        case .list: .list
        case .map: .map
        case .structure: .structure
        }
    }
}

/// Compact-protocol element types (the low nibble of a field header).
public enum ThriftType: UInt8, Sendable {
    case bool = 1  // in field headers 1 is true and 2 false; in lists the element type is 1 or 2
    case byte = 3
    case i16 = 4
    case i32 = 5
    case i64 = 6
    case double = 7
    case binary = 8
    case list = 9
    case set = 10
    case map = 11
    case structure = 12
}

/// One field of a struct: its id and value.
public struct ThriftField: Equatable, Sendable {
    public var id: Int16
    public var value: ThriftValue

    public init(_ id: Int16, _ value: ThriftValue) {
        self.id = id
        self.value = value
    }
}

/// A struct's fields in wire order; typed accessors return nil for a missing field or a different type.
public struct ThriftStruct: Equatable, Sendable {
    public var fields: [ThriftField]

    public init(_ fields: [ThriftField] = []) { self.fields = fields }

    public subscript(id: Int16) -> ThriftValue? {
        for field in fields where field.id == id { return field.value }
        return nil
    }

    /// Appends a field when `value` is not nil (optional fields are simply left out).
    public mutating func set(_ id: Int16, _ value: ThriftValue?) {
        if let value { fields.append(ThriftField(id, value)) }
    }

    public func int(_ id: Int16) -> Int64? {
        switch self[id] {
        case .byte(let v): Int64(v)
        case .i16(let v): Int64(v)
        case .i32(let v): Int64(v)
        case .i64(let v): v
        default: nil
        }
    }

    public func bool(_ id: Int16) -> Bool? {
        if case .bool(let v) = self[id] { return v }
        return nil
    }

    public func binary(_ id: Int16) -> [UInt8]? {
        if case .binary(let v) = self[id] { return v }
        return nil
    }

    public func string(_ id: Int16) -> String? {
        binary(id).map { String(decoding: $0, as: UTF8.self) }
    }

    public func structure(_ id: Int16) -> ThriftStruct? {
        if case .structure(let v) = self[id] { return v }
        return nil
    }

    public func list(_ id: Int16) -> [ThriftValue]? {
        if case .list(_, let v) = self[id] { return v }
        return nil
    }

    /// For unions (LogicalType, TimeUnit): the id of the one field that is set.
    public var unionCase: (id: Int16, value: ThriftValue)? {
        fields.first.map { ($0.id, $0.value) }
    }
}

/// What is wrong with Thrift-encoded bytes.
public enum ThriftError: Error, Equatable, Sendable, CustomStringConvertible {
    case truncated(at: Int)
    case invalidType(UInt8, at: Int)
    case invalidSize(Int64, at: Int)
    case tooDeep(at: Int)
    case varintTooLong(at: Int)

    public var description: String {
        switch self {
        case .truncated(let at): "Thrift data ends early at byte \(at)"
        case .invalidType(let type, let at): "invalid Thrift type \(type) at byte \(at)"
        case .invalidSize(let size, let at): "invalid Thrift size \(size) at byte \(at)"
        case .tooDeep(let at): "Thrift structures nested too deeply at byte \(at)"
        case .varintTooLong(let at): "Thrift varint too long at byte \(at)"
        }
    }
}
