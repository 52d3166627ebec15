/// A row with its column names, handed to closure operators (``Pipeline/filter(_:)-closure``,
/// ``Pipeline/map(to:_:)``). Prefer column expressions where possible: they are type-checked when the pipeline
/// is built.
///
/// ```swift
/// .filter { $0.isNotNull("duration") && $0.string("location") != "Entrada" }
/// ```
public struct RowAccess: Sendable {
    public let columns: ColumnIndex
    public let values: Row

    public init(columns: ColumnIndex, values: Row) {
        self.columns = columns
        self.values = values
    }

    /// The named column's value (null when there is no such column).
    public subscript(_ name: String) -> Value {
        guard let i = columns.index(of: name) else { return .null }
        return values[i]
    }

    public func isNull(_ name: String) -> Bool { self[name].isNull }
    public func isNotNull(_ name: String) -> Bool { !self[name].isNull }
    public func double(_ name: String) -> Double? { self[name].doubleValue }
    public func int(_ name: String) -> Int64? {
        if case .int(let v) = self[name] { return v }
        return nil
    }
    public func string(_ name: String) -> String? { self[name].stringValue }
    public func bool(_ name: String) -> Bool? { self[name].boolValue }
    /// Microseconds since the epoch, for timestamp columns.
    public func timestamp(_ name: String) -> Int64? {
        if case .timestamp(let v) = self[name] { return v }
        return nil
    }
}

/// Column names to positions, shared by every row of one stage.
public final class ColumnIndex: Sendable {
    public let columns: [Column]
    private let positions: [String: Int]

    public init(_ columns: [Column]) {
        self.columns = columns
        var positions: [String: Int] = [:]
        for (i, c) in columns.enumerated() where positions[c.name] == nil { positions[c.name] = i }
        self.positions = positions
    }

    public func index(of name: String) -> Int? { positions[name] }
}
