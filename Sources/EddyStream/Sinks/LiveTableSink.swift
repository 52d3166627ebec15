import Synchronization

/// A result table kept in memory and queryable while the pipeline runs (the HTTP API's and dashboard's view).
/// As a ``Sink`` it applies each batch per its mode: complete replaces the table, update upserts rows by key,
/// append adds rows (keeping the newest `maxRows`).
///
/// ```swift
/// let areas = LiveTable("areas")
/// let pipeline = Pipeline("retail").source(topic: "motion", schema: schema)
///     .groupBy("location").aggregate(.sum("traffic_count", as: "total_traffic"))
///     .output(mode: .update, to: areas)
/// // elsewhere, while it runs:
/// let busiest = areas.query(orderBy: "total_traffic", descending: true, limit: 3)
/// for await version in areas.updates() { ... }   // e.g. to push server-sent events
/// ```
public final class LiveTable: Sink, LiveTableReader {
    public let name: String
    public let maxRows: Int
    private let state: Mutex<State>

    struct State {
        var columns: [Column] = []
        var keyColumns: [Int] = []
        /// The columns' JSON, rendered once per change of columns.
        var layout = TableLayout(columns: [], keyColumns: [])
        var rows: [Row] = []
        var index: [[String]: Int] = [:]
        var version: UInt64 = 0
        var lastBatchId: Int64 = -1
        var subscribers: [UInt64: AsyncStream<UInt64>.Continuation] = [:]
        var nextSubscriber: UInt64 = 0
        /// The orderings queries have asked for (by order column; nil: key order), kept as rows change.
        var orderings: [OrderedRowIndex] = []
        /// True once the table has dropped its oldest rows to stay within `maxRows`: positions shift on each
        /// trim, so such a table is scanned instead of indexed.
        var trims = false
    }

    public init(_ name: String, maxRows: Int = 100_000) {
        self.name = name
        self.maxRows = maxRows
        self.state = Mutex(State())
    }

    public var columns: [Column] { state.withLock { $0.columns } }
    public var keyColumns: [Int] { state.withLock { $0.keyColumns } }
    public var rowCount: Int { state.withLock { $0.rows.count } }
    public var version: UInt64 { state.withLock { $0.version } }
    /// The id of the last batch applied (-1 before the first).
    public var lastBatchId: Int64 { state.withLock { $0.lastBatchId } }

    /// All rows, in table order (insertion order for keyed rows).
    public var rows: [Row] { state.withLock { $0.rows } }

    public func lookup(key: [String]) -> [Row] {
        state.withLock { s in
            if let i = s.index[key] { return [s.rows[i]] }
            guard !s.keyColumns.isEmpty else { return [] }
            return s.rows.filter { LiveTable.key(of: $0, s.keyColumns) == key }
        }
    }

    public func query(orderBy column: String?, descending: Bool, limit: Int?) -> [Row] {
        query(orderBy: column, descending: descending, limit: limit, where: nil)
    }

    /// Rows that pass `include` (all when nil), ordered by `column` (nil: key order) and cut to `limit`.
    /// Filtering comes before ordering. The first query by an ordering builds an index of it that every later
    /// write maintains (``OrderedRowIndex``), so a top-N of a large, changing table is a walk of about N
    /// entries; a table that trims its oldest rows is scanned with a bounded heap instead — O(n log limit).
    public func query(
        orderBy column: String?, descending: Bool, limit: Int?, where include: ((Row) -> Bool)?
    ) -> [Row] {
        answer(orderBy: column, descending: descending, limit: limit, where: include).rows
    }

    /// The query's rows with the version, row count and layout of the moment they were read, under one lock.
    public func answer(
        orderBy column: String?, descending: Bool, limit: Int?, where include: ((Row) -> Bool)?
    ) -> TableAnswer {
        enum Read {
            case indexed(TableAnswer)
            case scan(TableAnswer)
        }
        let read = state.withLock { s -> Read in
            let orderColumn = column.flatMap { name in s.columns.firstIndex { $0.name == name } }
            let ordered = column == nil ? !s.keyColumns.isEmpty : orderColumn != nil
            guard ordered, !s.trims else {
                return .scan(
                    TableAnswer(version: s.version, rowCount: s.rows.count, layout: s.layout, rows: s.rows))
            }
            let which =
                s.orderings.firstIndex { $0.column == orderColumn }
                ?? {
                    var index = OrderedRowIndex(column: orderColumn, keyColumns: s.keyColumns)
                    index.rebuild(s.rows)
                    s.orderings.append(index)
                    return s.orderings.count - 1
                }()
            let rows = s.rows
            let positions = s.orderings[which].first(
                limit ?? rows.count, descending: descending, rows: rows, where: include)
            return .indexed(
                TableAnswer(
                    version: s.version, rowCount: rows.count, layout: s.layout,
                    rows: positions.map { rows[Int($0)] }))
        }
        switch read {
        case .indexed(let answer):
            return answer
        case .scan(var answer):
            // Sorting a snapshot happens outside the lock, so writers do not wait for it.
            answer.rows = Self.scan(
                answer.rows, columns: answer.layout.columns, keyColumns: answer.layout.keyColumns,
                orderBy: column,
                descending: descending, limit: limit, where: include)
            return answer
        }
    }

    /// The query without an index: filter, then a bounded heap for a limit or a sort for everything. Ties
    /// go by key, then by position, as in ``OrderedRowIndex``.
    static func scan(
        _ rows: [Row], columns: [Column], keyColumns: [Int], orderBy column: String?, descending: Bool,
        limit: Int?, where include: ((Row) -> Bool)?
    ) -> [Row] {
        let candidates = rows.indices.filter { include?(rows[$0]) ?? true }
        let orderColumn = column.flatMap { name in columns.firstIndex { $0.name == name } }
        guard orderColumn != nil || !keyColumns.isEmpty else {
            // No order asked for and no key: table order.
            return candidates.prefix(limit.map { max(0, $0) } ?? candidates.count).map { rows[$0] }
        }
        let precedes: (Int, Int) -> Bool = { a, b in
            if let i = orderColumn {
                let c = Value.compare(rows[a][i], rows[b][i])
                if c != 0 { return descending ? c > 0 : c < 0 }
            }
            for key in keyColumns {
                let c = Value.compare(rows[a][key], rows[b][key])
                if c != 0 { return orderColumn == nil && descending ? c > 0 : c < 0 }
            }
            return orderColumn == nil && descending ? a > b : a < b
        }
        guard let limit, limit < candidates.count else {
            return candidates.sorted(by: precedes).map { rows[$0] }
        }
        return TopK.select(max(0, limit), from: candidates, by: precedes).map { rows[$0] }
    }

    /// Versions as the table changes (the newest only, if the reader falls behind). Ends when the reader stops
    /// iterating.
    public func updates() -> AsyncStream<UInt64> {
        let (stream, continuation) = AsyncStream<UInt64>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { s in
            let id = s.nextSubscriber
            s.nextSubscriber += 1
            s.subscribers[id] = continuation
            return id
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    public func write(_ batch: SinkBatch) async throws {
        let subscribers: [AsyncStream<UInt64>.Continuation]
        let version: UInt64
        (subscribers, version) = state.withLock { s in
            if s.columns != batch.columns || s.keyColumns != batch.keyColumns {
                s.columns = batch.columns
                s.keyColumns = batch.keyColumns
                s.layout = TableLayout(columns: batch.columns, keyColumns: batch.keyColumns)
                s.rows = []
                s.index = [:]
                s.orderings = []
            }
            s.lastBatchId = batch.batchId
            let changed = apply(batch, to: &s)
            if changed || batch.mode == .complete { s.version += 1 }
            return (Array(s.subscribers.values), s.version)
        }
        for subscriber in subscribers { subscriber.yield(version) }
    }

    private func apply(_ batch: SinkBatch, to s: inout State) -> Bool {
        let keyed = !s.keyColumns.isEmpty
        // Moved out while rows change so they can read `s.rows` without overlapping access.
        var orderings = s.orderings
        s.orderings = []
        defer { s.orderings = orderings }
        switch batch.mode {
        case .complete:
            s.rows = batch.rows
            s.index = [:]
            if keyed {
                for (i, row) in s.rows.enumerated() { s.index[LiveTable.key(of: row, s.keyColumns)] = i }
            }
            for k in orderings.indices { orderings[k].rebuild(s.rows) }
            return true
        case .update where keyed:
            for row in batch.rows {
                let key = LiveTable.key(of: row, s.keyColumns)
                if let i = s.index[key] {
                    for k in orderings.indices { orderings[k].remove(Int32(i), rows: s.rows) }
                    s.rows[i] = row
                    for k in orderings.indices { orderings[k].insert(Int32(i), rows: s.rows) }
                } else {
                    s.index[key] = s.rows.count
                    s.rows.append(row)
                    for k in orderings.indices { orderings[k].insert(Int32(s.rows.count - 1), rows: s.rows) }
                }
            }
        case .update, .append:
            let first = s.rows.count
            s.rows.append(contentsOf: batch.rows)
            if keyed {
                for (i, row) in batch.rows.enumerated() {
                    s.index[LiveTable.key(of: row, s.keyColumns)] = first + i
                }
            }
            for k in orderings.indices {
                for position in first..<s.rows.count { orderings[k].insert(Int32(position), rows: s.rows) }
            }
        }
        if s.rows.count > maxRows {
            s.rows.removeFirst(s.rows.count - maxRows)
            s.index = [:]
            if keyed {
                for (i, row) in s.rows.enumerated() { s.index[LiveTable.key(of: row, s.keyColumns)] = i }
            }
            s.trims = true
            orderings = []
        }
        return !batch.rows.isEmpty
    }

    public func close() async throws {
        let subscribers = state.withLock { s in
            let all = Array(s.subscribers.values)
            s.subscribers = [:]
            return all
        }
        for subscriber in subscribers { subscriber.finish() }
    }

    /// The key of a row as strings, the form ``lookup(key:)`` takes.
    static func key(of row: Row, _ keyColumns: [Int]) -> [String] {
        keyColumns.map { i in
            if case .string(let s) = row[i] { return s }
            return row[i].renderedForDisplay
        }
    }

    static func keyLess(_ a: Row, _ b: Row, _ keyColumns: [Int]) -> Bool {
        for i in keyColumns {
            let c = Value.compare(a[i], b[i])
            if c != 0 { return c < 0 }
        }
        return false
    }
}
