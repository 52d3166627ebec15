/// The logical type of a column: what its `ColumnValues` mean. Integers narrower than 64 bits, dates and
/// millisecond times are stored as `.int32`; 64-bit integers, timestamps and other times as `.int64`;
/// decimals as `.int32`/`.int64` (unscaled) or `.fixed`/`.bytes` (big-endian two's complement).
///
/// ```swift
/// let schema = [
///     Field("id", .int64, nullable: false),
///     Field("at", .timestamp(.micros, utc: true)),
///     Field("tags", .list(Field("element", .string))),
/// ]
/// ```
public indirect enum FieldType: Equatable, Sendable {
    case boolean
    case int(bits: Int, signed: Bool)
    case float
    case double
    case string
    case binary
    case fixedBinary(Int)
    case decimal(precision: Int, scale: Int)
    /// Days since 1970-01-01.
    case date
    case time(TimeUnit)
    case timestamp(TimeUnit, utc: Bool)
    case list(Field)
    case structure([Field])

    public static let int32 = FieldType.int(bits: 32, signed: true)
    public static let int64 = FieldType.int(bits: 64, signed: true)

    public var isNested: Bool {
        switch self {
        case .list, .structure: true
        default: false
        }
    }
}

/// Units of times and timestamps.
public enum TimeUnit: String, Equatable, Sendable {
    case millis, micros, nanos

    /// Units per second.
    public var perSecond: Int64 {
        switch self {
        case .millis: 1000
        case .micros: 1_000_000
        case .nanos: 1_000_000_000
        }
    }
}

/// A named column of a table.
public struct Field: Equatable, Sendable {
    public var name: String
    public var type: FieldType
    public var nullable: Bool

    public init(_ name: String, _ type: FieldType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }
}
