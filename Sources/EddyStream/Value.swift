/// One cell of a row. The engine's working types, chosen like Spark SQL's: integers are 64-bit, money is an
/// exact ``DecimalValue``, timestamps are microseconds since the Unix epoch (UTC).
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case decimal(DecimalValue)
    case string(String)
    /// Microseconds since 1970-01-01T00:00:00Z.
    case timestamp(Int64)
    case array([Value])
    case object([String: Value])

    public var isNull: Bool { if case .null = self { true } else { false } }
}

/// An exact decimal: `units × 10^-scale` (so 12.34 is `units: 1234, scale: 2`). Money never goes through
/// binary floating point.
public struct DecimalValue: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var units: Int64
    public var scale: Int

    public init(units: Int64, scale: Int) {
        self.units = units
        self.scale = scale
    }
}

/// The type of a column, for schemas and sinks (a SQL sink maps these to column types).
public indirect enum ColumnType: Sendable, Hashable {
    case bool, int, double, string, timestamp
    /// Exact decimal with the given number of fraction digits.
    case decimal(scale: Int)
    case array(ColumnType)
    case object([Column])
}

/// A named, typed column. Every column may hold null, as in Spark's `from_json` schemas.
public struct Column: Sendable, Hashable {
    public var name: String
    public var type: ColumnType

    public init(_ name: String, _ type: ColumnType) {
        self.name = name
        self.type = type
    }
}

/// A result row: values in the order of the columns of its table.
public typealias Row = [Value]
