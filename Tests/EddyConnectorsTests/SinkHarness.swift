import EddyConnectors
import EddyLog
import EddyStream
import Testing

/// One database behind the shared SQL sink checks: opens sinks on it and reads tables back as text, so the
/// same expectations run against SQLite and PostgreSQL.
protocol SinkHarness: Sendable {
    /// A new sink instance on the same database (a "restart" when called again).
    func makeSink() async throws -> any Sink
    /// Rows of `table` with each listed column as text (NULL → nil), ordered by `orderBy`.
    func rows(of table: String, columns: [String], orderBy: String) async throws -> [[String?]]
    /// A unique name for this run, so tests sharing one server never collide.
    func unique(_ base: String) -> String
}

extension SinkHarness {
    func unique(_ base: String) -> String { "\(base)_\(UInt32.random(in: 0...UInt32.max))" }
}

/// Builders for readable batches.
enum Batches {
    static let salesColumns = [
        Column("product_name", .string), Column("total_sales", .decimal(scale: 2)), Column("units", .int),
    ]

    static func sales(
        pipeline: String, table: String, batchId: Int64, mode: OutputMode = .update,
        _ rows: [(String, Int64, Int64)], offsets: SourceOffsets = [:]
    ) -> SinkBatch {
        SinkBatch(
            pipeline: pipeline, table: table, batchId: batchId, mode: mode, columns: salesColumns,
            keyColumns: [0],
            rows: rows.map { [.string($0.0), .decimal(DecimalValue(units: $0.1, scale: 2)), .int($0.2)] },
            offsets: offsets)
    }
}
