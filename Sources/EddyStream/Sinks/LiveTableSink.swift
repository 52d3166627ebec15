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
        var rows: [Row] = []
        var index: [[String]: Int] = [:]
        var version: UInt64 = 0
        var lastBatchId: Int64 = -1
        var subscribers: [UInt64: AsyncStream<UInt64>.Continuation] = [:]
        var nextSubscriber: UInt64 = 0
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
    /// Filtering comes before ordering, and a limit selects with a bounded heap — O(n log limit), not a
    /// sort of the whole table — so a top-10 of a large table stays cheap.
    public func query(
        orderBy column: String?, descending: Bool, limit: Int?, where include: ((Row) -> Bool)?
    ) -> [Row] {
        let (columns, keyColumns, rows) = state.withLock { ($0.columns, $0.keyColumns, $0.rows) }
        let candidates = include.map { rows.filter($0) } ?? rows
        let precedes: (Row, Row) -> Bool
        if let column, let i = columns.firstIndex(where: { $0.name == column }) {
            precedes = { a, b in
                let c = Value.compare(a[i], b[i])
                if c != 0 { return descending ? c > 0 : c < 0 }
                return LiveTable.keyLess(a, b, keyColumns)
            }
        } else if !keyColumns.isEmpty {
            precedes = { a, b in
                descending ? LiveTable.keyLess(b, a, keyColumns) : LiveTable.keyLess(a, b, keyColumns)
            }
        } else {
            // No order asked for and no key: table order.
            guard let limit else { return candidates }
            return Array(candidates.prefix(max(0, limit)))
        }
        guard let limit, limit < candidates.count else { return candidates.sorted(by: precedes) }
        return TopK.select(max(0, limit), from: candidates, by: precedes)
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
                s.rows = []
                s.index = [:]
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
        switch batch.mode {
        case .complete:
            s.rows = batch.rows
            s.index = [:]
            if keyed {
                for (i, row) in s.rows.enumerated() { s.index[LiveTable.key(of: row, s.keyColumns)] = i }
            }
            return true
        case .update where keyed:
            for row in batch.rows {
                let key = LiveTable.key(of: row, s.keyColumns)
                if let i = s.index[key] {
                    s.rows[i] = row
                } else {
                    s.index[key] = s.rows.count
                    s.rows.append(row)
                }
            }
        case .update, .append:
            s.rows.append(contentsOf: batch.rows)
            if keyed {
                for (i, row) in batch.rows.enumerated() {
                    s.index[LiveTable.key(of: row, s.keyColumns)] = s.rows.count - batch.rows.count + i
                }
            }
        }
        if s.rows.count > maxRows {
            s.rows.removeFirst(s.rows.count - maxRows)
            s.index = [:]
            if keyed {
                for (i, row) in s.rows.enumerated() { s.index[LiveTable.key(of: row, s.keyColumns)] = i }
            }
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
