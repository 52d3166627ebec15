import EddyConnectors
import EddyLog
import EddyStream
import Foundation
import Logging
import PostgresNIO
import Testing

/// The server `scripts/services/postgres.sh start` provides, if any.
enum TestPostgres {
    static let url: String? = {
        let value = ProcessInfo.processInfo.environment["EDDY_TEST_POSTGRES_URL"]
        if value == nil {
            print(
                "PostgreSQL sink tests skipped: EDDY_TEST_POSTGRES_URL is not set "
                    + "(run them with scripts/test, or export it after scripts/services/postgres.sh start)")
        }
        return value
    }()

    static var isConfigured: Bool { url != nil }

    static func endpoint() throws -> PostgresEndpoint {
        guard case .postgres(let endpoint) = try SinkURL(parsing: url ?? "") else {
            fatalError("EDDY_TEST_POSTGRES_URL is not a postgres:// URL")
        }
        return endpoint
    }

    /// A plain connection for reading back and for sabotage.
    static func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T
    {
        let endpoint = try endpoint()
        let connection = try await PostgresConnection.connect(
            configuration: .init(
                host: endpoint.host, port: endpoint.port, username: endpoint.user,
                password: endpoint.password,
                database: endpoint.database, tls: .disable),
            id: 1, logger: Logger(label: "eddy.test.postgres"))
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

struct PostgresHarness: SinkHarness {
    var applicationName = "eddy-test"

    func makeSink() async throws -> any Sink {
        PostgresSink(endpoint: try TestPostgres.endpoint(), applicationName: applicationName)
    }

    func rows(of table: String, columns: [String], orderBy: String) async throws -> [[String?]] {
        let q = SQLDialect.postgres.quote
        let list = columns.map { "\(q($0))::text" }.joined(separator: ", ")
        return try await TestPostgres.withConnection { connection in
            let result = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT \(list) FROM \(q(table)) ORDER BY \(q(orderBy))"),
                logger: Logger(label: "eddy.test.postgres"))
            var rows: [[String?]] = []
            for try await row in result {
                rows.append(try row.map { cell in try cell.decode(String?.self) })
            }
            return rows
        }
    }
}

/// The same checks as the SQLite sink, against a real PostgreSQL server. Each test is skipped, with the
/// reason printed, when no server is configured.
@Suite("PostgreSQL sink", .enabled(if: TestPostgres.isConfigured, "EDDY_TEST_POSTGRES_URL is not set"))
struct PostgresSinkTests {
    @Test func createsTableAndUpsertsByKey() async throws {
        try await SQLSinkChecks.createsTableAndUpsertsByKey(PostgresHarness())
    }
    @Test func decimalsStayExact() async throws {
        try await SQLSinkChecks.decimalsStayExact(PostgresHarness())
    }
    @Test func offsetsRoundTripAcrossRestart() async throws {
        try await SQLSinkChecks.offsetsRoundTripAcrossRestart(PostgresHarness())
    }
    @Test func replayedBatchIsNoOp() async throws {
        try await SQLSinkChecks.replayedBatchIsNoOp(PostgresHarness())
    }
    @Test func renumberedBatchWithNewInputIsApplied() async throws {
        try await SQLSinkChecks.renumberedBatchWithNewInputIsApplied(PostgresHarness())
    }
    @Test func committedOffsetsAreTheLowestOverTables() async throws {
        try await SQLSinkChecks.committedOffsetsAreTheLowestOverTables(PostgresHarness())
    }
    @Test func appendInsertsEveryRow() async throws {
        try await SQLSinkChecks.appendInsertsEveryRow(PostgresHarness())
    }
    @Test func completeModeWithoutKeyReplacesTable() async throws {
        try await SQLSinkChecks.completeModeWithoutKeyReplacesTable(PostgresHarness())
    }
    @Test func completeModeWithKeyUpserts() async throws {
        try await SQLSinkChecks.completeModeWithKeyUpserts(PostgresHarness())
    }
    @Test func quotesIdentifiers() async throws {
        try await SQLSinkChecks.quotesIdentifiers(PostgresHarness())
    }
    @Test func badBatchChangesNothing() async throws {
        try await SQLSinkChecks.badBatchChangesNothing(PostgresHarness())
    }
    @Test func existingTableWithoutColumnsIsReported() async throws {
        try await SQLSinkChecks.existingTableWithoutColumnsIsReported(PostgresHarness())
    }

    @Test func createsNumericColumns() async throws {
        let harness = PostgresHarness()
        let table = harness.unique("typed")
        let sink = try await harness.makeSink()
        try await sink.write(
            Batches.sales(pipeline: harness.unique("p"), table: table, batchId: 0, [("A", 1, 1)]))
        let types = try await TestPostgres.withConnection { connection in
            var binds = PostgresBindings()
            binds.append(table)
            let rows = try await connection.query(
                PostgresQuery(
                    unsafeSQL: "SELECT column_name::text, data_type::text FROM information_schema.columns "
                        + "WHERE table_name = $1 ORDER BY ordinal_position", binds: binds),
                logger: Logger(label: "eddy.test.postgres"))
            var types: [[String]] = []
            for try await (name, type) in rows.decode((String, String).self) { types.append([name, type]) }
            return types
        }
        #expect(types == [["product_name", "text"], ["total_sales", "numeric"], ["units", "bigint"]])
        try await sink.close()
    }

    /// The server drops the sink's session (as in a restart): the next batch is retried on a new connection,
    /// applied once, with its offsets.
    @Test func survivesATerminatedSession() async throws {
        var harness = PostgresHarness()
        harness.applicationName = harness.unique("eddy-terminate")
        let table = harness.unique("t")
        let pipeline = harness.unique("p")
        let sink = PostgresSink(
            endpoint: try TestPostgres.endpoint(),
            retry: .init(initialDelay: .milliseconds(20), maxDelay: .milliseconds(100), maxAttempts: 20),
            applicationName: harness.applicationName)
        try await sink.write(
            Batches.sales(
                pipeline: pipeline, table: table, batchId: 0, [("A", 100, 1)],
                offsets: [TopicPartition("o", 0): 1]))
        let terminated = try await TestPostgres.withConnection { connection in
            var binds = PostgresBindings()
            binds.append(harness.applicationName)
            let rows = try await connection.query(
                PostgresQuery(
                    unsafeSQL:
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
                    binds: binds),
                logger: Logger(label: "eddy.test.postgres"))
            var count = 0
            for try await _ in rows { count += 1 }
            return count
        }
        #expect(terminated == 1)
        try await sink.write(
            Batches.sales(
                pipeline: pipeline, table: table, batchId: 1, [("A", 250, 2)],
                offsets: [TopicPartition("o", 0): 2]))
        #expect(await sink.connectionCount == 2)
        #expect(
            try await harness.rows(
                of: table, columns: ["product_name", "total_sales"], orderBy: "product_name") == [
                    ["A", "2.50"]
                ])
        #expect(try await sink.committedOffsets(pipeline: pipeline) == [TopicPartition("o", 0): 2])
        try await sink.close()
    }
}

/// Needs no server: nothing listens on port 1.
@Suite("PostgreSQL sink without a server")
struct PostgresUnreachableTests {
    @Test func unreachableServerFailsWithHostAndPort() async throws {
        let sink = PostgresSink(
            endpoint: PostgresEndpoint(
                user: "eddy", password: "hunter2", host: "127.0.0.1", port: 1, database: "x"),
            retry: .init(initialDelay: .milliseconds(1), maxDelay: .milliseconds(2), maxAttempts: 3))
        let error = await #expect(throws: PostgresSinkError.self) {
            try await sink.write(Batches.sales(pipeline: "p", table: "t", batchId: 0, [("A", 1, 1)]))
        }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains("127.0.0.1:1"))
        #expect(message.contains("3 attempt"))
        #expect(!message.contains("hunter2"))
        #expect(await sink.retries == 2)
    }
}
