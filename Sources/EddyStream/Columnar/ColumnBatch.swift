/// Records decoded into columns: one ``ColumnVector`` per input column of the pipeline, filled row by row by
/// the JSON scanner (only the fields the plan reads; the others stay null), then run through the plan a
/// column at a time. Reused from batch to batch.
///
/// ```swift
/// let batch = ColumnBatch(columns: plan.inputColumns, scanned: [0, 2], capacity: 4096)
/// batch.append(record, logTimestamp: view.timestamp)   // after scanning a record
/// if batch.isFull { run(batch); batch.clear() }
/// ```
final class ColumnBatch: @unchecked Sendable {
    let capacity: Int
    let vectors: [ColumnVector]
    /// Per scanned field (in the scanner's schema), the vector it fills.
    private let scannedInto: [ColumnVector]
    private let logTimestamp: ColumnVector?
    private(set) var count = 0

    /// - Parameters:
    ///   - columns: the pipeline's input columns (the schema's, then the log timestamp if asked).
    ///   - scanned: positions in `columns` of the fields the scanner fills, in scan order.
    ///   - logTimestampColumn: whether the last column is the record's log timestamp.
    init(columns: [Column], scanned: [Int], logTimestampColumn: Bool, capacity: Int = 4096) {
        self.capacity = capacity
        let vectors = columns.map { ColumnVector(kind: ColumnVector.kind(for: $0.type), capacity: capacity) }
        self.vectors = vectors
        scannedInto = scanned.map { vectors[$0] }
        logTimestamp = logTimestampColumn ? vectors.last : nil
    }

    var isFull: Bool { count == capacity }

    func clear() {
        count = 0
        for v in scannedInto { v.reset() }
    }

    /// Adds one scanned record as the next row; `logTimestamp` is the record's log time in milliseconds.
    @inline(__always)
    func append(_ record: ScannedRecord, logTimestamp millis: Int64) {
        let row = count
        for (field, vector) in scannedInto.enumerated() {
            switch vector.kind {
            case .double:
                if let v = record.double(field) { vector.setDouble(row, v) } else { vector.setNull(row) }
            case .int:
                if let v = record.int(field) { vector.setInt(row, v) } else { vector.setNull(row) }
            case .timestamp:
                if let v = record.timestamp(field) { vector.setInt(row, v) } else { vector.setNull(row) }
            case .bool:
                if let v = record.bool(field) { vector.setBool(row, v) } else { vector.setNull(row) }
            case .string:
                if record.withStringBytes(field, { vector.setString(row, $0) }) == nil { vector.setNull(row) }
            case .boxed:
                vector.setBoxed(row, record.value(field))
            }
        }
        logTimestamp?.setInt(row, millis &* 1000)
        count += 1
    }

    /// The row as a ``Row`` of `vectors` (for a row closure).
    static func row(_ vectors: [ColumnVector], _ r: Int) -> Row {
        vectors.map { $0.value(at: r) }
    }
}
