/// A pipeline output kept in memory and queryable while the pipeline runs: the table the HTTP API and the
/// dashboard read. Reads are consistent snapshots; writers never wait for readers for long.
///
/// ```swift
/// let top = areas.query(orderBy: "total_traffic", descending: true, limit: 3)
/// ```
public protocol LiveTableReader: Sendable {
    var name: String { get }
    var columns: [Column] { get }
    var keyColumns: [Int] { get }
    /// Rows whose key columns equal `key` (rendered as strings, in key-column order).
    func lookup(key: [String]) -> [Row]
    /// Rows sorted by the named column (nil: key order), at most `limit`.
    func query(orderBy column: String?, descending: Bool, limit: Int?) -> [Row]
    /// The same over the rows that pass `include`; readers filter before they order.
    func query(orderBy column: String?, descending: Bool, limit: Int?, where include: ((Row) -> Bool)?)
        -> [Row]
    var rowCount: Int { get }
    /// Incremented whenever the table changes; lets readers cheaply detect updates.
    var version: UInt64 { get }
    /// One consistent answer: the rows of ``query(orderBy:descending:limit:where:)`` with the version, row
    /// count and layout they were read at.
    func answer(orderBy column: String?, descending: Bool, limit: Int?, where include: ((Row) -> Bool)?)
        -> TableAnswer
}

/// Rows read from a table together with what a response says about them, all from one moment.
public struct TableAnswer: Sendable {
    public var version: UInt64
    public var rowCount: Int
    public var layout: TableLayout
    public var rows: [Row]

    public init(version: UInt64, rowCount: Int, layout: TableLayout, rows: [Row]) {
        self.version = version
        self.rowCount = rowCount
        self.layout = layout
        self.rows = rows
    }
}

extension LiveTableReader {
    /// Orders everything, then filters: correct for any reader; ``LiveTable`` filters first.
    public func query(orderBy column: String?, descending: Bool, limit: Int?, where include: ((Row) -> Bool)?)
        -> [Row]
    {
        guard let include else { return query(orderBy: column, descending: descending, limit: limit) }
        let rows = query(orderBy: column, descending: descending, limit: nil).filter(include)
        return limit.map { Array(rows.prefix($0)) } ?? rows
    }

    /// Reads each part on its own: a reader that can change between the reads overrides this.
    public func answer(
        orderBy column: String?, descending: Bool, limit: Int?, where include: ((Row) -> Bool)?
    )
        -> TableAnswer
    {
        let version = version
        let rows = query(orderBy: column, descending: descending, limit: limit, where: include)
        return TableAnswer(
            version: version, rowCount: rowCount,
            layout: TableLayout(columns: columns, keyColumns: keyColumns),
            rows: rows)
    }
}
