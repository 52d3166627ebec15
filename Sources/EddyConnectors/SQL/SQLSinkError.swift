public import EddyStream

/// Why a SQL sink refused a batch before talking to the database.
public enum SQLSinkError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidIdentifier(String, kind: String, reason: String)
    case keyColumnOutOfRange(table: String, index: Int, columnCount: Int)
    case rowWidthMismatch(table: String, expected: Int, got: Int)
    case valueDoesNotFitColumn(table: String, column: String, type: ColumnType, value: Value)
    /// The table exists but lacks columns the pipeline writes.
    case tableMismatch(table: String, missingColumns: [String])
    case noColumns(table: String)

    public var description: String {
        switch self {
        case .invalidIdentifier(let name, let kind, let reason):
            "invalid \(kind) name '\(name)': \(reason)"
        case .keyColumnOutOfRange(let table, let index, let count):
            "table '\(table)': key column index \(index) is outside its \(count) columns"
        case .rowWidthMismatch(let table, let expected, let got):
            "table '\(table)': a row has \(got) values but the table has \(expected) columns"
        case .valueDoesNotFitColumn(let table, let column, let type, let value):
            "table '\(table)': value \(value) does not fit column '\(column)' of type \(type)"
        case .tableMismatch(let table, let missing):
            "table '\(table)' already exists without column(s) \(missing.joined(separator: ", ")); "
                + "drop or rename it, or write to another table"
        case .noColumns(let table):
            "table '\(table)': a batch must have at least one column"
        }
    }
}
