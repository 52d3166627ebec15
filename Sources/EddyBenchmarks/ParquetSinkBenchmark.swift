import EddyConnectors
import EddyFormats
import EddyLog
import EddyStream
import Foundation

/// The Parquet sink's own speed: seed 002 readings (retail's input, seven columns) as the engine's result
/// rows, written in append batches through the real ``FileSink`` (rows to columns, Parquet with ZSTD,
/// fsync, commit-log entry, rename), against the retail pipeline's 1M events/s. Beside it, the same rows
/// already in columns written by `ParquetWriter` alone, to show what the sink's row-to-column step and
/// commit protocol cost.
///
/// ```swift
/// print(try ParquetSinkBenchmark.run(records: 2_000_000, batchRows: 100_000, folder: "/tmp/x"))
/// ```
public enum ParquetSinkBenchmark {
    public static func run(records: Int, batchRows: Int, repeats: Int = 3, folder: String) async throws
        -> String
    {
        let table = try ParquetBenchmark.motionTable(records)
        let columns = [
            Column("timestamp", .timestamp), Column("id_sensor", .string), Column("location", .string),
            Column("customer_id", .string), Column("movement_detected", .bool), Column("duration", .double),
            Column("traffic_count", .int),
        ]
        let rows = engineRows(table)
        var batches: [SinkBatch] = []
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + batchRows)
            batches.append(
                SinkBatch(
                    pipeline: "bench", table: "readings", batchId: Int64(batches.count), mode: .append,
                    columns: columns, keyColumns: [], rows: Array(rows[start..<end]),
                    offsets: [TopicPartition("readings", 0): Int64(end)]))
            start = end
        }
        var lines = [
            "Parquet sink, seed 002 readings: \(records) rows in append batches of \(batchRows), ZSTD, "
                + "dictionary on, best of \(repeats)"
        ]
        func report(_ name: String, _ seconds: Double, _ note: String = "") {
            lines.append(
                name.padding(toLength: 52, withPad: " ", startingAt: 0)
                    + String(format: "%12.0f rows/s %8.3f s", Double(records) / seconds, seconds) + note)
        }
        let options = FileSink.Options(parquet: ParquetWriteOptions(codec: .zstd, dictionary: true))
        var best = Double.infinity
        for run in 0..<repeats {
            let directory = folder + "/sink-\(run)"
            let sink = try FileSink(directory: directory, format: .parquet, options: options)
            let clock = ContinuousClock.now
            for batch in batches { try await sink.write(batch) }
            best = min(best, ParquetBenchmark.seconds(since: clock))
            let committed = await sink.committedBatches
            precondition(committed == batches.count)
            try? FileManager.default.removeItem(atPath: directory)
        }
        report("FileSink parquet:DIR (rows → columns → file → log)", best, "  (target ≥ 1,000,000)")

        best = .infinity
        for _ in 0..<repeats {
            let clock = ContinuousClock.now
            var converted = 0
            for batch in batches {
                converted += try ColumnTable(rows: batch.rows, columns: batch.columns).rowCount
            }
            best = min(best, ParquetBenchmark.seconds(since: clock))
            precondition(converted == records)
        }
        report("  of which rows → columns (ColumnTable(rows:))", best)

        best = .infinity
        var direct = ParquetWriteOptions(codec: .zstd, dictionary: true)
        direct.rowGroupRows = batchRows
        for _ in 0..<repeats {
            let clock = ContinuousClock.now
            try ParquetWriter.write(table, to: folder + "/direct.parquet", options: direct)
            best = min(best, ParquetBenchmark.seconds(since: clock))
        }
        report("ParquetWriter alone (columns in, row groups of a batch)", best)
        return lines.joined(separator: "\n")
    }

    /// The readings as the engine's rows (what a `select *` over the readings topic emits).
    static func engineRows(_ table: ColumnTable) -> [Row] {
        var rows: [Row] = []
        rows.reserveCapacity(table.rowCount)
        for r in 0..<table.rowCount {
            var row: Row = []
            row.reserveCapacity(table.columns.count)
            for (c, column) in table.columns.enumerated() {
                if column.isNull(r) {
                    row.append(.null)
                    continue
                }
                switch column.values {
                case .int64(let v)?: row.append(c == 0 ? .timestamp(v[r]) : .int(v[r]))
                case .bytes?: row.append(.string(column.values!.string(at: r)))
                case .boolean(let v)?: row.append(.bool(v[r]))
                case .double(let v)?: row.append(.double(v[r]))
                default: row.append(.null)
                }
            }
            rows.append(row)
        }
        return rows
    }
}
