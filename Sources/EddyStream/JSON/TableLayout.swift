/// A table's columns with the JSON that does not change between answers rendered once: each column's
/// `"name":` member prefix, the `columns` array and the `keyColumns` array. A ``LiveTable`` makes one when
/// its columns change, so an answer renders only its rows.
///
/// ```swift
/// let layout = TableLayout(columns: [Column("location", .string)], keyColumns: [0])
/// var json = JSONWriter()
/// json.rows(rows, layout: layout)
/// ```
public struct TableLayout: Sendable {
    public let columns: [Column]
    public let keyColumns: [Int]
    /// `"name":` per column, escaped.
    let memberNames: [[UInt8]]
    /// `[{"name":"location","type":"string"},…]`
    public let columnsJSON: [UInt8]
    /// `["location"]`
    public let keyColumnsJSON: [UInt8]

    public init(columns: [Column], keyColumns: [Int]) {
        self.columns = columns
        self.keyColumns = keyColumns
        memberNames = columns.map { JSONWriter.memberName($0.name) }
        var json = JSONWriter(capacity: 32 * columns.count + 2)
        json.columns(columns)
        columnsJSON = json.bytes
        json = JSONWriter(capacity: 16 * keyColumns.count + 2)
        json.array { json in
            for index in keyColumns where index < columns.count { json.string(columns[index].name) }
        }
        keyColumnsJSON = json.bytes
    }
}
