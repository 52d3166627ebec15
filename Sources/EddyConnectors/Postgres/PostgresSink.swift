import EddyLog
public import EddyStream
public import Logging
import PostgresNIO

/// An exactly-once sink into PostgreSQL (through postgres-nio): each batch's rows and the source offsets
/// it reflects commit in one transaction, beside the results in `eddy_offsets` / `eddy_sink_batches`.
///
/// Tables are created when absent (decimals as `numeric`, so money stays exact end to end); update and
/// complete batches upsert by key, append batches insert. When the server is unreachable or restarts, the
/// sink logs where and why, waits (exponential backoff, capped) and retries the whole transaction. Every
/// attempt first re-reads the last batch applied, so a commit whose acknowledgement was lost is recognised
/// and not applied twice.
///
/// ```swift
/// let sink = PostgresSink(endpoint: try PostgresEndpoint(parsing: "postgres://eddy@127.0.0.1:5432/shop"))
/// try await sink.write(batch)
/// let resume = try await sink.committedOffsets(pipeline: "sales")
/// ```
public actor PostgresSink: Sink {
    /// How a sink waits for an unreachable server.
    public struct RetryPolicy: Sendable {
        public var initialDelay: Duration
        public var maxDelay: Duration
        /// Attempts per operation before giving up; nil retries until the task is cancelled, which suits a
        /// long-running pipeline (its source simply waits).
        public var maxAttempts: Int?

        public init(
            initialDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(10),
            maxAttempts: Int? = nil
        ) {
            self.initialDelay = initialDelay
            self.maxDelay = maxDelay
            self.maxAttempts = maxAttempts
        }
    }

    /// PostgreSQL allows 65 535 parameters per statement; stay well below so statements stay small.
    static let maxParametersPerStatement = 20_000

    public nonisolated let endpoint: PostgresEndpoint
    private let retry: RetryPolicy
    private let applicationName: String
    private let logger: Logger
    private let driverLogger: Logger
    private let offsetTables = SQLOffsetTables(dialect: .postgres)
    private var connection: PostgresConnection?
    /// Connections opened so far (more than one means the sink reconnected).
    public private(set) var connectionCount = 0
    private var preparedTables: [String: SQLTableDefinition] = [:]
    private var bookkeepingReady = false
    private var isClosed = false

    /// Batches applied, replays skipped and transient failures retried since this sink was made.
    public private(set) var appliedBatches = 0
    public private(set) var skippedReplays = 0
    public private(set) var retries = 0

    /// - Parameter applicationName: shown in `pg_stat_activity`, so operators see which sessions are Eddy's.
    public init(
        endpoint: PostgresEndpoint, retry: RetryPolicy = RetryPolicy(), applicationName: String = "eddy",
        logger: Logger? = nil
    ) {
        self.endpoint = endpoint
        self.applicationName = applicationName
        self.retry = retry
        self.logger = logger ?? Logger(label: "eddy.sink.postgres")
        var driverLogger = Logger(label: "eddy.sink.postgres.driver")
        driverLogger.logLevel = .error
        self.driverLogger = driverLogger
    }

    public func write(_ batch: SinkBatch) async throws {
        guard !isClosed else { throw PostgresSinkError.closed }
        let definition = try SQLTableDefinition(batch: batch, dialect: .postgres)
        let plan = definition.plan(for: batch.mode)
        let rows = try definition.rowsToWrite(batch.rows, upsert: plan.upsert).map {
            row throws(SQLSinkError) in try definition.parameters(of: row)
        }
        let applied = try await withRetry("writing batch \(batch.batchId) of '\(batch.table)'") {
            connection in
            try await self.prepare(definition, on: connection)
            return try await self.apply(
                batch, definition: definition, rows: rows, plan: plan, on: connection)
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
        let offsets = try await withRetry("reading committed offsets") { connection in
            try await self.prepareBookkeeping(on: connection)
            var binds = PostgresBindings()
            binds.append(pipeline)
            return try await self.offsets(
                PostgresQuery(unsafeSQL: self.offsetTables.selectOffsets, binds: binds), on: connection)
        }
        return offsets.isEmpty ? nil : offsets
    }

    /// The id of the last batch applied to `table` by `pipeline`, or nil before the first.
    public func lastBatchId(pipeline: String, table: String) async throws -> Int64? {
        try await withRetry("reading the last batch id") { connection in
            try await self.prepareBookkeeping(on: connection)
            return try await self.lastBatchId(pipeline: pipeline, table: table, on: connection)
        }
    }

    /// A sink dropped without ``close()`` (its owner failed first) still closes its connection; the
    /// closure holds the connection until the close is done (postgres-nio requires a connection to be
    /// closed before it goes).
    deinit {
        if let connection {
            connection.close().whenComplete { _ in _ = connection }
        }
    }

    public func close() async throws {
        guard !isClosed else { return }
        isClosed = true
        if let connection {
            self.connection = nil
            try? await connection.close()
        }
    }

    // MARK: - The transaction

    private func apply(
        _ batch: SinkBatch, definition: SQLTableDefinition, rows: [[SQLParameter]], plan: SQLWritePlan,
        on connection: PostgresConnection
    ) async throws -> Bool {
        try await query("BEGIN", on: connection)
        do {
            // One writer per pipeline table at a time, even across processes: the check below and the writes
            // must not interleave with another instance's.
            var lockBinds = PostgresBindings()
            lockBinds.append("\(batch.pipeline)\u{1F}\(batch.table)")
            try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT pg_advisory_xact_lock(hashtext($1))", binds: lockBinds),
                logger: driverLogger)
            let last = try await lastBatchId(pipeline: batch.pipeline, table: batch.table, on: connection)
            if last != nil {
                var binds = PostgresBindings()
                binds.append(batch.pipeline)
                binds.append(batch.table)
                let stored = try await offsets(
                    PostgresQuery(unsafeSQL: offsetTables.selectTableOffsets, binds: binds), on: connection)
                if batch.isReplay(lastBatchId: last, stored: stored) {
                    try await query("ROLLBACK", on: connection)
                    return false
                }
            }
            if plan.replaceAll { try await query(definition.deleteAllStatement(), on: connection) }
            let rowsPerStatement = max(
                1, min(1000, Self.maxParametersPerStatement / definition.columns.count))
            var start = 0
            while start < rows.count {
                let end = min(rows.count, start + rowsPerStatement)
                var binds = PostgresBindings(capacity: (end - start) * definition.columns.count)
                for row in rows[start..<end] {
                    for parameter in row { Self.append(parameter, to: &binds) }
                }
                let sql = definition.insertStatement(rows: end - start, upsert: plan.upsert)
                try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: driverLogger)
                start = end
            }
            var batchBinds = PostgresBindings()
            batchBinds.append(batch.pipeline)
            batchBinds.append(batch.table)
            batchBinds.append(batch.batchId)
            try await connection.query(
                PostgresQuery(unsafeSQL: offsetTables.upsertLastBatch, binds: batchBinds),
                logger: driverLogger)
            for (topicPartition, nextOffset) in batch.offsets {
                var binds = PostgresBindings()
                binds.append(batch.pipeline)
                binds.append(batch.table)
                binds.append(topicPartition.topic)
                binds.append(Int64(topicPartition.partition))
                binds.append(nextOffset)
                binds.append(batch.batchId)
                try await connection.query(
                    PostgresQuery(unsafeSQL: offsetTables.upsertOffset, binds: binds), logger: driverLogger)
            }
        } catch {
            // When the connection is gone the server rolls back by itself; otherwise end the transaction so
            // the connection is usable again.
            try? await query("ROLLBACK", on: connection)
            throw error
        }
        // If COMMIT's reply is lost the outcome is unknown; the retry's replay check settles it.
        try await query("COMMIT", on: connection)
        return true
    }

    private func offsets(_ query: PostgresQuery, on connection: PostgresConnection) async throws
        -> SourceOffsets
    {
        let rows = try await connection.query(query, logger: driverLogger)
        var offsets: SourceOffsets = [:]
        for try await (topic, partition, next) in rows.decode((String, Int64, Int64).self) {
            offsets[TopicPartition(topic, Int(partition))] = next
        }
        return offsets
    }

    private func lastBatchId(pipeline: String, table: String, on connection: PostgresConnection) async throws
        -> Int64?
    {
        var binds = PostgresBindings()
        binds.append(pipeline)
        binds.append(table)
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: offsetTables.selectLastBatch, binds: binds), logger: driverLogger)
        var last: Int64?
        for try await (id) in rows.decode(Int64.self) { last = id }
        return last
    }

    private static func append(_ parameter: SQLParameter, to binds: inout PostgresBindings) {
        switch parameter {
        case .null: binds.appendNull()
        case .bool(let b): binds.append(b)
        case .int(let i): binds.append(i)
        case .double(let d): binds.append(d)
        case .text(let s): binds.append(s)
        }
    }

    // MARK: - Tables

    private func prepareBookkeeping(on connection: PostgresConnection) async throws {
        guard !bookkeepingReady else { return }
        for statement in offsetTables.createStatements {
            try await createIgnoringRace(statement, on: connection)
        }
        bookkeepingReady = true
    }

    private func prepare(_ definition: SQLTableDefinition, on connection: PostgresConnection) async throws {
        try await prepareBookkeeping(on: connection)
        if preparedTables[definition.name] == definition { return }
        try await createIgnoringRace(definition.createStatement(), on: connection)
        var binds = PostgresBindings()
        binds.append(definition.name)
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: "SELECT column_name::text FROM information_schema.columns "
                    + "WHERE table_schema = current_schema() AND table_name = $1",
                binds: binds),
            logger: driverLogger)
        var existing: Set<String> = []
        for try await (name) in rows.decode(String.self) { existing.insert(name) }
        let missing = definition.columns.map(\.name).filter { !existing.contains($0) }
        if !missing.isEmpty {
            throw SQLSinkError.tableMismatch(table: definition.name, missingColumns: missing)
        }
        preparedTables[definition.name] = definition
    }

    /// `CREATE TABLE IF NOT EXISTS` can still fail with a unique violation on the catalog when two sessions
    /// create the same table at once; the table then exists, which is all we wanted.
    private func createIgnoringRace(_ statement: String, on connection: PostgresConnection) async throws {
        do {
            try await query(statement, on: connection)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            logger.debug("table created concurrently by another session")
        }
    }

    private func query(_ sql: String, on connection: PostgresConnection) async throws {
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: driverLogger)
    }

    // MARK: - Connections and retries

    private func connected() async throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        connection = nil
        var configuration = PostgresConnection.Configuration(
            host: endpoint.host, port: endpoint.port, username: endpoint.user, password: endpoint.password,
            database: endpoint.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        connectionCount += 1
        let connection = try await PostgresConnection.connect(
            configuration: configuration, id: connectionCount, logger: driverLogger)
        self.connection = connection
        return connection
    }

    /// Runs `operation` on a live connection, reconnecting and retrying after transient failures.
    private func withRetry<T: Sendable>(
        _ what: String, _ operation: (PostgresConnection) async throws -> T
    ) async throws -> T {
        var delay = retry.initialDelay
        var attempt = 1
        while true {
            do {
                let connection = try await connected()
                return try await operation(connection)
            } catch let error as SQLSinkError {
                throw error
            } catch {
                let failure = PostgresFailure(error)
                guard failure.isTransient else { throw PostgresSinkError.rejected(what, failure.message) }
                if let connection {
                    self.connection = nil
                    try? await connection.close()
                }
                if let maxAttempts = retry.maxAttempts, attempt >= maxAttempts {
                    throw PostgresSinkError.unreachable(
                        endpoint: endpoint.hostAndPort, attempts: attempt, lastError: failure.message)
                }
                logger.warning(
                    """
                    PostgreSQL at \(endpoint.hostAndPort) unavailable while \(what): \(failure.message); \
                    retrying in \(delay.secondsText) (attempt \(attempt))
                    """)
                retries += 1
                try await Task.sleep(for: delay)
                delay = min(delay * 2, retry.maxDelay)
                attempt += 1
            }
        }
    }
}

extension PostgresEndpoint {
    var hostAndPort: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension Duration {
    fileprivate var secondsText: String {
        let millis = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        return millis % 1000 == 0 ? "\(millis / 1000)s" : "\(Double(millis) / 1000)s"
    }
}
