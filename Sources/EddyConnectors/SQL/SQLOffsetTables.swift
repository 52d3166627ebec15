/// The bookkeeping tables an exactly-once SQL sink keeps beside the results, and their statements.
///
/// - `eddy_offsets(pipeline, table_name, topic, partition, next_offset, batch_id)`: per result table and
///   source partition, the next offset to read once the table's last committed batch is applied. Written in
///   the same transaction as that batch's rows, so rows and offsets commit together or not at all.
///   ``Sink/committedOffsets(pipeline:)`` answers the lowest offset over the pipeline's tables, so a restart
///   never skips input a table lacks.
/// - `eddy_sink_batches(pipeline, table_name, batch_id)`: the last batch applied to each table.
///
/// A batch is a replay — and is skipped — when its id is not above the table's last one *and* its offsets
/// do not go beyond the table's stored offsets. Requiring both keeps an engine that numbers batches anew
/// after a restart (while reading new input) from having its new batches mistaken for old ones.
///
/// ```swift
/// let sql = SQLOffsetTables(dialect: .sqlite)
/// for statement in sql.createStatements { try db.execute(statement) }
/// ```
public struct SQLOffsetTables: Sendable {
    public static let offsetsTable = "eddy_offsets"
    public static let batchesTable = "eddy_sink_batches"

    public var dialect: SQLDialect

    public init(dialect: SQLDialect) { self.dialect = dialect }

    private func q(_ name: String) -> String { dialect.quote(name) }
    private func p(_ n: Int) -> String { dialect == .sqlite ? "?\(n)" : "$\(n)" }
    private var text: String { dialect == .sqlite ? "TEXT" : "text" }
    private var integer: String { dialect == .sqlite ? "INTEGER" : "bigint" }

    public var createStatements: [String] {
        [
            "CREATE TABLE IF NOT EXISTS \(q(Self.offsetsTable)) (\(q("pipeline")) \(text) NOT NULL, "
                + "\(q("table_name")) \(text) NOT NULL, \(q("topic")) \(text) NOT NULL, "
                + "\(q("partition")) \(integer) NOT NULL, \(q("next_offset")) \(integer) NOT NULL, "
                + "\(q("batch_id")) \(integer) NOT NULL, "
                + "PRIMARY KEY (\(q("pipeline")), \(q("table_name")), \(q("topic")), \(q("partition"))))",
            "CREATE TABLE IF NOT EXISTS \(q(Self.batchesTable)) (\(q("pipeline")) \(text) NOT NULL, "
                + "\(q("table_name")) \(text) NOT NULL, \(q("batch_id")) \(integer) NOT NULL, "
                + "PRIMARY KEY (\(q("pipeline")), \(q("table_name"))))",
        ]
    }

    /// Parameters: pipeline, table name. Returns `batch_id`.
    public var selectLastBatch: String {
        "SELECT \(q("batch_id")) FROM \(q(Self.batchesTable)) WHERE \(q("pipeline")) = \(p(1)) "
            + "AND \(q("table_name")) = \(p(2))"
    }

    /// Parameters: pipeline, table name, batch id.
    public var upsertLastBatch: String {
        "INSERT INTO \(q(Self.batchesTable)) (\(q("pipeline")), \(q("table_name")), \(q("batch_id"))) "
            + "VALUES (\(p(1)), \(p(2)), \(p(3))) ON CONFLICT (\(q("pipeline")), \(q("table_name"))) "
            + "DO UPDATE SET \(q("batch_id")) = excluded.\(q("batch_id"))"
    }

    /// Parameters: pipeline, table name, topic, partition, next offset, batch id.
    public var upsertOffset: String {
        "INSERT INTO \(q(Self.offsetsTable)) (\(q("pipeline")), \(q("table_name")), \(q("topic")), "
            + "\(q("partition")), \(q("next_offset")), \(q("batch_id"))) "
            + "VALUES (\(p(1)), \(p(2)), \(p(3)), \(p(4)), \(p(5)), \(p(6))) "
            + "ON CONFLICT (\(q("pipeline")), \(q("table_name")), \(q("topic")), \(q("partition"))) DO UPDATE SET "
            + "\(q("next_offset")) = excluded.\(q("next_offset")), \(q("batch_id")) = excluded.\(q("batch_id"))"
    }

    /// Parameters: pipeline, table name. Returns topic, partition, next offset.
    public var selectTableOffsets: String {
        "SELECT \(q("topic")), \(q("partition")), \(q("next_offset")) FROM \(q(Self.offsetsTable)) "
            + "WHERE \(q("pipeline")) = \(p(1)) AND \(q("table_name")) = \(p(2))"
    }

    /// Parameter: pipeline. Returns topic, partition and the lowest next offset over the pipeline's tables.
    public var selectOffsets: String {
        "SELECT \(q("topic")), \(q("partition")), MIN(\(q("next_offset"))) FROM \(q(Self.offsetsTable)) "
            + "WHERE \(q("pipeline")) = \(p(1)) GROUP BY \(q("topic")), \(q("partition"))"
    }
}
