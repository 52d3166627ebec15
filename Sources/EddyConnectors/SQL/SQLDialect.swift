public import EddyStream

/// The SQL spoken by a database sink: how identifiers are quoted, which column type holds each
/// ``ColumnType``, and how parameters are written.
///
/// Both dialects share the `INSERT … ON CONFLICT (key) DO UPDATE SET c = excluded.c` upsert (SQLite ≥ 3.24,
/// PostgreSQL ≥ 9.5), so one generator serves both.
///
/// ```swift
/// SQLDialect.postgres.quote("product_sales")          // "product_sales" with double quotes
/// SQLDialect.sqlite.columnType(.decimal(scale: 2))    // TEXT (exact digits, see below)
/// ```
public enum SQLDialect: String, Sendable, Hashable {
    /// SQLite. Decimals are stored as TEXT holding the exact digits (`"1234.50"`), because SQLite has no
    /// exact decimal type: a `NUMERIC` or `REAL` column would turn money into a binary double. Read them
    /// back as text (or `CAST(x AS TEXT)`); arithmetic in SQLite itself would go through doubles.
    /// Timestamps are ISO-8601 UTC text with microseconds (`2026-11-21T12:30:00.000000Z`), which sorts
    /// chronologically and reads well in `sqlite3`.
    case sqlite
    /// PostgreSQL: decimals are `numeric`, timestamps `timestamptz`, nested values `jsonb`.
    case postgres

    /// PostgreSQL silently truncates longer identifiers, which could merge two columns; we refuse them.
    static let postgresMaxIdentifierBytes = 63

    /// `name` as a quoted identifier: wrapped in double quotes, inner double quotes doubled, so any name —
    /// a keyword, mixed case, spaces, quotes — means exactly itself and can never inject SQL.
    public func quote(_ name: String) -> String {
        var quoted = "\""
        for character in name {
            if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
        }
        return quoted + "\""
    }

    /// Checks that `name` can be a table or column name in this dialect.
    public func validate(identifier name: String, kind: String) throws(SQLSinkError) {
        if name.isEmpty {
            throw .invalidIdentifier(name, kind: kind, reason: "it is empty")
        }
        if name.utf8.contains(0) {
            throw .invalidIdentifier(name, kind: kind, reason: "it contains a NUL character")
        }
        if self == .postgres && name.utf8.count > Self.postgresMaxIdentifierBytes {
            throw .invalidIdentifier(
                name, kind: kind,
                reason:
                    "PostgreSQL identifiers are at most \(Self.postgresMaxIdentifierBytes) bytes; shorten it")
        }
    }

    /// The column type this dialect stores `type` in.
    public func columnType(_ type: ColumnType) -> String {
        switch (self, type) {
        case (.sqlite, .bool), (.sqlite, .int): "INTEGER"
        case (.sqlite, .double): "REAL"
        case (.sqlite, .string), (.sqlite, .decimal), (.sqlite, .timestamp): "TEXT"
        case (.sqlite, .array), (.sqlite, .object): "TEXT"
        case (.postgres, .bool): "boolean"
        case (.postgres, .int): "bigint"
        case (.postgres, .double): "double precision"
        case (.postgres, .string): "text"
        case (.postgres, .decimal): "numeric"
        case (.postgres, .timestamp): "timestamptz"
        case (.postgres, .array), (.postgres, .object): "jsonb"
        }
    }

    /// The `n`th (1-based) parameter placeholder for a value of `type`. PostgreSQL parameters that travel as
    /// text get an explicit cast, so the server parses the exact digits into `numeric` itself.
    public func placeholder(_ n: Int, type: ColumnType) -> String {
        switch self {
        case .sqlite:
            return "?\(n)"
        case .postgres:
            switch type {
            case .decimal: return "$\(n)::numeric"
            case .timestamp: return "$\(n)::timestamptz"
            case .array, .object: return "$\(n)::jsonb"
            case .bool, .int, .double, .string: return "$\(n)"
            }
        }
    }

    /// The database-neutral parameter for one cell, checking that it fits its column.
    func parameter(_ value: Value, column: Column, table: String) throws(SQLSinkError) -> SQLParameter {
        switch (value, column.type) {
        case (.null, _): return .null
        case (.bool(let b), .bool): return .bool(b)
        case (.int(let i), .int): return .int(i)
        case (.int(let i), .double): return .double(Double(i))
        case (.double(let d), .double): return .double(d)
        case (.string(let s), .string): return .text(s)
        case (.int(let i), .decimal(let scale)):
            return .text(DecimalValue(units: i, scale: 0).widened(to: scale).description)
        case (.decimal(let d), .decimal(let scale)):
            return .text(d.widened(to: scale).description)
        case (.timestamp(let micros), .timestamp): return .text(Timestamp.formatISO8601(micros))
        case (.array, .array), (.object, .object): return .text(value.jsonText)
        default:
            throw .valueDoesNotFitColumn(table: table, column: column.name, type: column.type, value: value)
        }
    }
}

/// A cell as the database receives it.
enum SQLParameter: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case text(String)
}

extension DecimalValue {
    /// This value with at least `scale` fraction digits; never rounds (more digits than the column's scale are
    /// kept, the database decides).
    func widened(to scale: Int) -> DecimalValue {
        guard scale > self.scale else { return self }
        var units = self.units
        for _ in self.scale..<scale {
            let (product, overflow) = units.multipliedReportingOverflow(by: 10)
            if overflow { return self }
            units = product
        }
        return DecimalValue(units: units, scale: scale)
    }
}
