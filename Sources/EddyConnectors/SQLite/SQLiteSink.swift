import CSQLite
import EddyLog
public import EddyStream
import Logging

/// An exactly-once sink into a SQLite database file: each batch's rows and the source offsets it reflects
/// commit in one transaction (WAL mode), and ``committedOffsets(pipeline:)`` tells a restarted pipeline
/// where to resume.
///
/// Tables are created when absent from the batch's columns (decimals as TEXT with their exact digits, see
/// ``SQLDialect/sqlite``); update and complete batches upsert by the key columns, append batches insert.
/// A batch already applied (same or older id, no offsets beyond those stored) is a replay and is skipped.
///
/// ```swift
/// let sink = try SQLiteSink(path: "data/sales.sqlite")
/// try await sink.write(batch)
/// let resume = try await sink.committedOffsets(pipeline: "sales")   // [ecommerce_sales-0: 1234]
/// ```
public actor SQLiteSink: Sink {
    /// How hard SQLite works to make a commit durable.
    public enum Synchronous: String, Sendable {
        /// fsync the WAL on every commit: a committed batch survives power loss.
        case full = "FULL"
        /// fsync at checkpoints only: a committed batch survives a process crash; power loss may roll back the
        /// last batches — together with their offsets, so results stay exactly-once (the batches are redone).
        case normal = "NORMAL"
    }

    public struct Options: Sendable {
        public var synchronous: Synchronous
        /// How long a write waits for another connection's lock before failing with SQLITE_BUSY.
        public var busyTimeoutMillis: Int

        public init(synchronous: Synchronous = .full, busyTimeoutMillis: Int = 5000) {
            self.synchronous = synchronous
            self.busyTimeoutMillis = busyTimeoutMillis
        }
    }

    public nonisolated let path: String
    private let connection: SQLiteConnection
    private let selectLastBatch: SQLiteStatement
    private let upsertLastBatch: SQLiteStatement
    private let upsertOffset: SQLiteStatement
    private let selectOffsets: SQLiteStatement
    private let selectTableOffsets: SQLiteStatement
    private var tables: [String: PreparedTable] = [:]
    private var isClosed = false
    private let logger = Logger(label: "eddy.sink.sqlite")

    /// Batches applied and replays skipped since this sink opened (for metrics and tests).
    public private(set) var appliedBatches = 0
    public private(set) var skippedReplays = 0

    public init(path: String, options: Options = Options()) throws(SQLiteError) {
        let connection = try SQLiteConnection(path: path)
        try connection.execute(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = \(options.synchronous.rawValue); "
                + "PRAGMA busy_timeout = \(max(0, options.busyTimeoutMillis))")
        let offsets = SQLOffsetTables(dialect: .sqlite)
        try connection.transaction { () throws(SQLiteError) in
            for statement in offsets.createStatements { try connection.execute(statement) }
        }
        self.path = path
        self.connection = connection
        self.selectLastBatch = try connection.prepare(offsets.selectLastBatch)
        self.upsertLastBatch = try connection.prepare(offsets.upsertLastBatch)
        self.upsertOffset = try connection.prepare(offsets.upsertOffset)
        self.selectOffsets = try connection.prepare(offsets.selectOffsets)
        self.selectTableOffsets = try connection.prepare(offsets.selectTableOffsets)
    }

    public func write(_ batch: SinkBatch) async throws {
        guard !isClosed else {
            throw SQLiteError(code: SQLITE_MISUSE, message: "sink is closed", context: path)
        }
        let table = try preparedTable(for: batch)
        let plan = table.definition.plan(for: batch.mode)
        // Convert every value before opening the transaction: a bad value fails the batch without a rollback.
        let rows = try table.definition.rowsToWrite(batch.rows, upsert: plan.upsert).map {
            row throws(SQLSinkError) in try table.definition.parameters(of: row)
        }
        let statement = plan.upsert ? table.upsert : table.insert
        let applied = try connection.transaction { () throws(SQLiteError) -> Bool in
            let last = try lastBatchId(pipeline: batch.pipeline, table: batch.table)
            if last != nil,
                batch.isReplay(lastBatchId: last, stored: try storedOffsets(batch.pipeline, batch.table))
            {
                return false
            }
            if plan.replaceAll {
                try table.deleteAll.step()
                table.deleteAll.reset()
            }
            for row in rows {
                for (index, parameter) in row.enumerated() {
                    try bind(parameter, at: Int32(index + 1), to: statement)
                }
                defer { statement.reset() }
                try statement.step()
            }
            try recordBatch(batch)
            return true
        }
        if applied {
            appliedBatches += 1
        } else {
            skippedReplays += 1
            logger.debug(
                "skipped replayed batch",
                metadata: [
                    "pipeline": "\(batch.pipeline)", "table": "\(batch.table)", "batch": "\(batch.batchId)",
                ])
        }
    }

    public func committedOffsets(pipeline: String) async throws -> SourceOffsets? {
        defer { selectOffsets.reset() }
        try selectOffsets.bind(1, text: pipeline)
        let offsets = try Self.readOffsets(selectOffsets)
        return offsets.isEmpty ? nil : offsets
    }

    private func storedOffsets(_ pipeline: String, _ table: String) throws(SQLiteError) -> SourceOffsets {
        defer { selectTableOffsets.reset() }
        try selectTableOffsets.bind(1, text: pipeline)
        try selectTableOffsets.bind(2, text: table)
        return try Self.readOffsets(selectTableOffsets)
    }

    private static func readOffsets(_ statement: SQLiteStatement) throws(SQLiteError) -> SourceOffsets {
        var offsets: SourceOffsets = [:]
        while try statement.step() {
            offsets[TopicPartition(statement.text(0) ?? "", Int(statement.int(1)))] = statement.int(2)
        }
        return offsets
    }

    /// The id of the last batch applied to `table` by `pipeline`, or nil before the first.
    public func lastBatchId(pipeline: String, table: String) throws(SQLiteError) -> Int64? {
        defer { selectLastBatch.reset() }
        try selectLastBatch.bind(1, text: pipeline)
        try selectLastBatch.bind(2, text: table)
        return try selectLastBatch.step() ? selectLastBatch.int(0) : nil
    }

    public func close() async throws {
        guard !isClosed else { return }
        isClosed = true
        tables.removeAll()
        // Fold the WAL back into the main file so the database is one self-contained file at rest.
        try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    private func recordBatch(_ batch: SinkBatch) throws(SQLiteError) {
        defer { upsertLastBatch.reset() }
        try upsertLastBatch.bind(1, text: batch.pipeline)
        try upsertLastBatch.bind(2, text: batch.table)
        try upsertLastBatch.bind(3, int: batch.batchId)
        try upsertLastBatch.step()
        for (topicPartition, nextOffset) in batch.offsets {
            defer { upsertOffset.reset() }
            try upsertOffset.bind(1, text: batch.pipeline)
            try upsertOffset.bind(2, text: batch.table)
            try upsertOffset.bind(3, text: topicPartition.topic)
            try upsertOffset.bind(4, int: Int64(topicPartition.partition))
            try upsertOffset.bind(5, int: nextOffset)
            try upsertOffset.bind(6, int: batch.batchId)
            try upsertOffset.step()
        }
    }

    private func bind(_ parameter: SQLParameter, at index: Int32, to statement: SQLiteStatement)
        throws(SQLiteError)
    {
        switch parameter {
        case .null: try statement.bindNull(index)
        case .bool(let b): try statement.bind(index, int: b ? 1 : 0)
        case .int(let i): try statement.bind(index, int: i)
        case .double(let d): try statement.bind(index, double: d)
        case .text(let s): try statement.bind(index, text: s)
        }
    }

    /// The table's statements, creating the table first when absent and checking an existing one has the
    /// batch's columns.
    private func preparedTable(for batch: SinkBatch) throws -> PreparedTable {
        if let table = tables[batch.table], table.definition.columns == batch.columns,
            table.definition.keyColumns == batch.keyColumns
        {
            return table
        }
        let definition = try SQLTableDefinition(batch: batch, dialect: .sqlite)
        try connection.execute(definition.createStatement())
        let existing = try existingColumns(of: definition.name)
        let missing = definition.columns.map(\.name).filter { !existing.contains($0) }
        if !missing.isEmpty {
            throw SQLSinkError.tableMismatch(table: definition.name, missingColumns: missing)
        }
        let table = PreparedTable(
            definition: definition,
            insert: try connection.prepare(definition.insertStatement(rows: 1, upsert: false)),
            upsert: try connection.prepare(definition.insertStatement(rows: 1, upsert: true)),
            deleteAll: try connection.prepare(definition.deleteAllStatement()))
        tables[batch.table] = table
        return table
    }

    private func existingColumns(of table: String) throws(SQLiteError) -> Set<String> {
        let statement = try connection.prepare("SELECT name FROM pragma_table_info(?1)")
        try statement.bind(1, text: table)
        var names: Set<String> = []
        while try statement.step() { names.insert(statement.text(0) ?? "") }
        return names
    }

    private struct PreparedTable {
        var definition: SQLTableDefinition
        var insert: SQLiteStatement
        var upsert: SQLiteStatement
        var deleteAll: SQLiteStatement
    }
}
