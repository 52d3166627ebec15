/// Row positions of a ``LiveTable`` kept sorted by one ordering, maintained as rows change, so a top-N is a
/// walk of N entries instead of a scan of the table.
///
/// The positions live in sorted chunks of at most `2 × chunkSize` (a two-level sorted list): finding a
/// row is a binary search over the chunks' last entries and then within one chunk, and an insert or a
/// removal moves at most one chunk's entries. A 1M-row table has ~2,000 chunks; an upsert costs two
/// searches of ~21 comparisons and a memmove of a few kilobytes.
///
/// The ordering is total: the order column (or none), then the key columns, then the position, so every
/// row has exactly one place and ties come out in key order, as the unindexed query returns them.
///
/// ```swift
/// var index = OrderedRowIndex(column: 2, keyColumns: [0])
/// index.rebuild(rows)
/// index.insert(7, rows: rows)                     // after rows[7] was set
/// let top = index.first(10, descending: true, rows: rows, where: nil)
/// ```
struct OrderedRowIndex {
    /// The column ordered by; nil orders by the key columns alone.
    let column: Int?
    let keyColumns: [Int]
    private(set) var chunks: [[Int32]] = []
    private(set) var count = 0
    private let chunkSize = 512

    init(column: Int?, keyColumns: [Int]) {
        self.column = column
        self.keyColumns = keyColumns
    }

    /// Whether row `a` comes before row `b` in ascending order.
    @inline(__always)
    func less(_ a: Int32, _ b: Int32, _ rows: [Row]) -> Bool {
        let order = compare(a, b, rows)
        return order < 0
    }

    /// Compares the order column, then the key columns, then the positions.
    @inline(__always)
    func compare(_ a: Int32, _ b: Int32, _ rows: [Row]) -> Int {
        if a == b { return 0 }
        let left = rows[Int(a)]
        let right = rows[Int(b)]
        if let column {
            let c = Value.compare(left[column], right[column])
            if c != 0 { return c }
        }
        for key in keyColumns {
            let c = Value.compare(left[key], right[key])
            if c != 0 { return c }
        }
        return a < b ? -1 : 1
    }

    /// Sorts every row of `rows` afresh. The order column is copied out first so the sort compares
    /// contiguous values instead of reaching into each row.
    mutating func rebuild(_ rows: [Row]) {
        var all = (0..<Int32(rows.count)).map { $0 }
        if let column {
            let keys = rows.map { $0[column] }
            all.sort { a, b in
                let c = Value.compare(keys[Int(a)], keys[Int(b)])
                return c != 0 ? c < 0 : compare(a, b, rows) < 0
            }
        } else {
            all.sort { less($0, $1, rows) }
        }
        chunks = stride(from: 0, to: all.count, by: chunkSize).map {
            Array(all[$0..<min($0 + chunkSize, all.count)])
        }
        count = all.count
    }

    /// The chunk that holds (or would hold) `row`: the first whose last entry does not come before it.
    private func chunk(for row: Int32, _ rows: [Row]) -> Int {
        var low = 0
        var high = chunks.count - 1
        while low < high {
            let middle = (low + high) / 2
            if less(chunks[middle][chunks[middle].count - 1], row, rows) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }

    /// The first place in `entries` whose row does not come before `row`.
    private func lowerBound(_ entries: [Int32], _ row: Int32, _ rows: [Row]) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if less(entries[middle], row, rows) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Adds position `row`, whose values are already in `rows`.
    mutating func insert(_ row: Int32, rows: [Row]) {
        count += 1
        guard !chunks.isEmpty else {
            chunks = [[row]]
            return
        }
        let c = chunk(for: row, rows)
        let place = lowerBound(chunks[c], row, rows)
        chunks[c].insert(row, at: place)
        if chunks[c].count > 2 * chunkSize {
            let upper = Array(chunks[c][chunkSize...])
            chunks[c].removeSubrange(chunkSize...)
            chunks.insert(upper, at: c + 1)
        }
    }

    /// Removes position `row`, found by the values `rows` holds for it now (call before they change).
    /// Returns false when it was not there.
    @discardableResult
    mutating func remove(_ row: Int32, rows: [Row]) -> Bool {
        guard !chunks.isEmpty else { return false }
        let c = chunk(for: row, rows)
        let place = lowerBound(chunks[c], row, rows)
        guard place < chunks[c].count, chunks[c][place] == row else { return false }
        chunks[c].remove(at: place)
        count -= 1
        if chunks[c].isEmpty { chunks.remove(at: c) }
        return true
    }

    /// Up to `limit` positions in order (largest order value first when `descending`; ties always in key
    /// order), skipping rows `include` refuses.
    func first(_ limit: Int, descending: Bool, rows: [Row], where include: ((Row) -> Bool)?) -> [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(min(limit, count))
        guard limit > 0 else { return result }
        if !descending {
            for chunk in chunks {
                for row in chunk where include?(rows[Int(row)]) ?? true {
                    result.append(row)
                    if result.count == limit { return result }
                }
            }
            return result
        }
        // Descending by the order column, but ties ascending by key: walk back a run of equal values at a
        // time, and take each run from its start.
        var run: [Int32] = []
        var chunkIndex = chunks.count - 1
        var entry = chunks.last.map { $0.count - 1 } ?? -1
        while chunkIndex >= 0 {
            run.removeAll(keepingCapacity: true)
            let head = chunks[chunkIndex][entry]
            // Collect the run of rows whose order value equals head's, newest position first.
            while chunkIndex >= 0 {
                let row = chunks[chunkIndex][entry]
                if let column, Value.compare(rows[Int(row)][column], rows[Int(head)][column]) != 0 { break }
                if column == nil, row != head { break }
                run.append(row)
                entry -= 1
                if entry < 0 {
                    chunkIndex -= 1
                    if chunkIndex >= 0 { entry = chunks[chunkIndex].count - 1 }
                }
            }
            if column == nil {
                // Key order reversed entirely.
                for row in run where include?(rows[Int(row)]) ?? true {
                    result.append(row)
                    if result.count == limit { return result }
                }
            } else {
                for row in run.reversed() where include?(rows[Int(row)]) ?? true {
                    result.append(row)
                    if result.count == limit { return result }
                }
            }
        }
        return result
    }
}
