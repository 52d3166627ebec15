/// Compressed sparse rows (CSR): row `r`'s entries are `columns[offsets[r]..<offsets[r+1]]` and the same
/// range of `values`, columns ascending within a row. ALS reads one row per solve, so the entries it
/// needs are contiguous.
///
/// ```swift
/// let byUser = ratings.byUser()
/// for entry in byUser.range(of: 0) { print(byUser.columns[entry], byUser.values[entry]) }
/// ```
public struct SparseRows: Sendable {
    public let rowCount: Int
    public let columnCount: Int
    public let offsets: [Int]
    public let columns: [Int32]
    public let values: [Float]

    public init(offsets: [Int], columns: [Int32], values: [Float], columnCount: Int) {
        precondition(offsets.first == 0 && offsets.last == columns.count && columns.count == values.count)
        self.rowCount = offsets.count - 1
        self.columnCount = columnCount
        self.offsets = offsets
        self.columns = columns
        self.values = values
    }

    /// Builds CSR from coordinates in O(n): a counting sort by column, then a stable one by row, so
    /// columns come out ascending in each row.
    public init(rows: [Int32], columns: [Int32], values: [Float], rowCount: Int, columnCount: Int) {
        let n = values.count
        let byColumn = Self.countingOrder(keys: columns, keyCount: columnCount, order: nil)
        var offsets = [Int](repeating: 0, count: rowCount + 1)
        let order = Self.countingOrder(keys: rows, keyCount: rowCount, order: byColumn, offsets: &offsets)
        var sortedColumns = [Int32](repeating: 0, count: n)
        var sortedValues = [Float](repeating: 0, count: n)
        for (position, source) in order.enumerated() {
            sortedColumns[position] = columns[source]
            sortedValues[position] = values[source]
        }
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.offsets = offsets
        self.columns = sortedColumns
        self.values = sortedValues
    }

    public func range(of row: Int) -> Range<Int> { offsets[row]..<offsets[row + 1] }

    public func count(of row: Int) -> Int { offsets[row + 1] - offsets[row] }

    public var entryCount: Int { columns.count }

    private static func countingOrder(keys: [Int32], keyCount: Int, order: [Int]?) -> [Int] {
        var offsets = [Int](repeating: 0, count: keyCount + 1)
        return countingOrder(keys: keys, keyCount: keyCount, order: order, offsets: &offsets)
    }

    /// Positions of `keys` stably sorted by key, visiting them in `order` (or 0..<n); `offsets` receives
    /// each key's start.
    private static func countingOrder(keys: [Int32], keyCount: Int, order: [Int]?, offsets: inout [Int])
        -> [Int]
    {
        let n = keys.count
        for key in keys { offsets[Int(key) + 1] += 1 }
        for k in 0..<keyCount { offsets[k + 1] += offsets[k] }
        var next = Array(offsets.dropLast())
        var sorted = [Int](repeating: 0, count: n)
        if let order {
            for source in order {
                let key = Int(keys[source])
                sorted[next[key]] = source
                next[key] += 1
            }
        } else {
            for source in 0..<n {
                let key = Int(keys[source])
                sorted[next[key]] = source
                next[key] += 1
            }
        }
        return sorted
    }
}
