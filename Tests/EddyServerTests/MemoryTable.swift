import EddyStream
import Synchronization

/// A small keyed live table for tests: upserts by key, sorts on demand.
final class MemoryTable: LiveTableReader {
    let name: String
    let columns: [Column]
    let keyColumns: [Int]
    private let state = Mutex<(rows: [[String]: Row], version: UInt64)>(([:], 0))

    init(name: String, columns: [Column], keyColumns: [Int]) {
        self.name = name
        self.columns = columns
        self.keyColumns = keyColumns
    }

    func upsert(_ rows: [Row]) {
        state.withLock { state in
            for row in rows { state.rows[keyColumns.map { Self.text(row[$0]) }] = row }
            state.version += 1
        }
    }

    func lookup(key: [String]) -> [Row] {
        state.withLock { $0.rows[key].map { [$0] } ?? [] }
    }

    func query(orderBy column: String?, descending: Bool, limit: Int?) -> [Row] {
        let rows = state.withLock { Array($0.rows.values) }
        let index = column.flatMap { name in columns.firstIndex { $0.name == name } }
        var sorted = rows.sorted { a, b in
            if let index {
                let less = Self.less(a[index], b[index])
                let greater = Self.less(b[index], a[index])
                if less || greater { return descending ? greater : less }
            }
            return keyColumns.map { Self.text(a[$0]) }.lexicographicallyPrecedes(
                keyColumns.map { Self.text(b[$0]) })
        }
        if let limit, sorted.count > limit { sorted.removeLast(sorted.count - limit) }
        return sorted
    }

    var rowCount: Int { state.withLock { $0.rows.count } }
    var version: UInt64 { state.withLock { $0.version } }

    static func text(_ value: Value) -> String {
        switch value {
        case .string(let s): s
        case .int(let i): String(i)
        case .timestamp(let t): String(t)
        case .decimal(let d): d.description
        case .double(let d): String(d)
        case .bool(let b): String(b)
        default: ""
        }
    }

    static func less(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)), (.timestamp(let x), .timestamp(let y)): x < y
        case (.double(let x), .double(let y)): x < y
        case (.decimal(let x), .decimal(let y)): x < y
        case (.string(let x), .string(let y)): x < y
        default: false
        }
    }
}
