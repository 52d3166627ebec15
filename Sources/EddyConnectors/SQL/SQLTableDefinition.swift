public import EddyStream

/// A result table as a SQL sink sees it: name, typed columns, key columns. Generates the DDL and the
/// insert/upsert statements for either ``SQLDialect``, with every identifier quoted.
///
/// ```swift
/// let table = try SQLTableDefinition(
///     name: "product_sales", columns: [Column("product_name", .string), Column("total_sales", .decimal(scale: 2))],
///     keyColumns: [0], dialect: .postgres)
/// table.createStatement()   // CREATE TABLE IF NOT EXISTS "product_sales" (… PRIMARY KEY ("product_name"))
/// table.insertStatement(rows: 1, upsert: true)
/// ```
public struct SQLTableDefinition: Sendable, Hashable {
    public var name: String
    public var columns: [Column]
    public var keyColumns: [Int]
    public var dialect: SQLDialect

    public init(name: String, columns: [Column], keyColumns: [Int], dialect: SQLDialect) throws(SQLSinkError)
    {
        try dialect.validate(identifier: name, kind: "table")
        guard !columns.isEmpty else { throw .noColumns(table: name) }
        for column in columns { try dialect.validate(identifier: column.name, kind: "column") }
        for index in keyColumns where !columns.indices.contains(index) {
            throw .keyColumnOutOfRange(table: name, index: index, columnCount: columns.count)
        }
        self.name = name
        self.columns = columns
        self.keyColumns = keyColumns
        self.dialect = dialect
    }

    public init(batch: SinkBatch, dialect: SQLDialect) throws(SQLSinkError) {
        try self.init(
            name: batch.table, columns: batch.columns, keyColumns: batch.keyColumns, dialect: dialect)
    }

    var quotedName: String { dialect.quote(name) }

    public var hasKey: Bool { !keyColumns.isEmpty }

    /// `CREATE TABLE IF NOT EXISTS`, with the key columns as the primary key (the upsert's conflict target).
    public func createStatement() -> String {
        var parts = columns.map { "\(dialect.quote($0.name)) \(dialect.columnType($0.type))" }
        if hasKey {
            parts.append(
                "PRIMARY KEY (\(keyColumns.map { dialect.quote(columns[$0].name) }.joined(separator: ", ")))")
        }
        return "CREATE TABLE IF NOT EXISTS \(quotedName) (\(parts.joined(separator: ", ")))"
    }

    /// An INSERT of `rows` rows (parameters numbered row by row); with `upsert`, rows whose key exists
    /// replace the stored values instead.
    public func insertStatement(rows: Int, upsert: Bool) -> String {
        let names = columns.map { dialect.quote($0.name) }.joined(separator: ", ")
        var tuples: [String] = []
        tuples.reserveCapacity(rows)
        for row in 0..<rows {
            let base = row * columns.count
            let placeholders = columns.indices.map {
                dialect.placeholder(base + $0 + 1, type: columns[$0].type)
            }
            tuples.append("(" + placeholders.joined(separator: ", ") + ")")
        }
        var sql = "INSERT INTO \(quotedName) (\(names)) VALUES \(tuples.joined(separator: ", "))"
        if upsert && hasKey {
            let target = keyColumns.map { dialect.quote(columns[$0].name) }.joined(separator: ", ")
            let valueColumns = columns.indices.filter { !keyColumns.contains($0) }
            if valueColumns.isEmpty {
                sql += " ON CONFLICT (\(target)) DO NOTHING"
            } else {
                let sets = valueColumns.map {
                    let column = dialect.quote(columns[$0].name)
                    return "\(column) = excluded.\(column)"
                }
                sql += " ON CONFLICT (\(target)) DO UPDATE SET \(sets.joined(separator: ", "))"
            }
        }
        return sql
    }

    public func deleteAllStatement() -> String { "DELETE FROM \(quotedName)" }

    /// How a batch in `mode` is applied: upsert by key (update, complete), plain insert (append), or — for a
    /// keyless complete table — replace the whole table.
    public func plan(for mode: OutputMode) -> SQLWritePlan {
        switch mode {
        case .append: SQLWritePlan(replaceAll: false, upsert: false)
        case .update: SQLWritePlan(replaceAll: false, upsert: hasKey)
        case .complete: SQLWritePlan(replaceAll: !hasKey, upsert: hasKey)
        }
    }

    /// The rows to write, checked for width; with a key, only the last row of each key is kept, because one
    /// statement may not update the same row twice (PostgreSQL refuses, SQLite would do useless work).
    public func rowsToWrite(_ rows: [Row], upsert: Bool) throws(SQLSinkError) -> [Row] {
        for row in rows where row.count != columns.count {
            throw .rowWidthMismatch(table: name, expected: columns.count, got: row.count)
        }
        guard upsert && hasKey && rows.count > 1 else { return rows }
        var lastIndexOfKey: [[Value]: Int] = [:]
        lastIndexOfKey.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            lastIndexOfKey[keyColumns.map { row[$0] }] = index
        }
        if lastIndexOfKey.count == rows.count { return rows }
        return lastIndexOfKey.values.sorted().map { rows[$0] }
    }

    /// The parameters of one row, in column order.
    func parameters(of row: Row) throws(SQLSinkError) -> [SQLParameter] {
        var result: [SQLParameter] = []
        result.reserveCapacity(columns.count)
        for (value, column) in zip(row, columns) {
            result.append(try dialect.parameter(value, column: column, table: name))
        }
        return result
    }
}

/// How one batch is written: whether the table is emptied first, and whether rows upsert by key.
public struct SQLWritePlan: Sendable, Hashable {
    public var replaceAll: Bool
    public var upsert: Bool

    public init(replaceAll: Bool, upsert: Bool) {
        self.replaceAll = replaceAll
        self.upsert = upsert
    }
}
