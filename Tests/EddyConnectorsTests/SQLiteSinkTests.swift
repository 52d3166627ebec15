import EddyConnectors
import EddyLog
import EddyStream
import Foundation
import Testing

/// A fresh SQLite file per harness.
struct SQLiteHarness: SinkHarness {
    let path: String

    init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "eddy-sqlite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("sink.sqlite").path
    }

    func makeSink() async throws -> any Sink { try SQLiteSink(path: path) }

    func rows(of table: String, columns: [String], orderBy: String) async throws -> [[String?]] {
        let db = try SQLiteConnection(path: path)
        let q = SQLDialect.sqlite.quote
        let list = columns.map { "CAST(\(q($0)) AS TEXT)" }.joined(separator: ", ")
        let statement = try db.prepare("SELECT \(list) FROM \(q(table)) ORDER BY \(q(orderBy))")
        var rows: [[String?]] = []
        while try statement.step() {
            rows.append(columns.indices.map { statement.isNull(Int32($0)) ? nil : statement.text(Int32($0)) })
        }
        return rows
    }
}

@Suite("SQLite sink")
struct SQLiteSinkTests {
    @Test func createsTableAndUpsertsByKey() async throws {
        try await SQLSinkChecks.createsTableAndUpsertsByKey(try SQLiteHarness())
    }
    @Test func decimalsStayExact() async throws {
        try await SQLSinkChecks.decimalsStayExact(try SQLiteHarness())
    }
    @Test func offsetsRoundTripAcrossRestart() async throws {
        try await SQLSinkChecks.offsetsRoundTripAcrossRestart(try SQLiteHarness())
    }
    @Test func replayedBatchIsNoOp() async throws {
        try await SQLSinkChecks.replayedBatchIsNoOp(try SQLiteHarness())
    }
    @Test func renumberedBatchWithNewInputIsApplied() async throws {
        try await SQLSinkChecks.renumberedBatchWithNewInputIsApplied(try SQLiteHarness())
    }
    @Test func committedOffsetsAreTheLowestOverTables() async throws {
        try await SQLSinkChecks.committedOffsetsAreTheLowestOverTables(try SQLiteHarness())
    }
    @Test func appendInsertsEveryRow() async throws {
        try await SQLSinkChecks.appendInsertsEveryRow(try SQLiteHarness())
    }
    @Test func completeModeWithoutKeyReplacesTable() async throws {
        try await SQLSinkChecks.completeModeWithoutKeyReplacesTable(try SQLiteHarness())
    }
    @Test func completeModeWithKeyUpserts() async throws {
        try await SQLSinkChecks.completeModeWithKeyUpserts(try SQLiteHarness())
    }
    @Test func quotesIdentifiers() async throws {
        try await SQLSinkChecks.quotesIdentifiers(try SQLiteHarness())
    }
    @Test func badBatchChangesNothing() async throws {
        try await SQLSinkChecks.badBatchChangesNothing(try SQLiteHarness())
    }
    @Test func existingTableWithoutColumnsIsReported() async throws {
        try await SQLSinkChecks.existingTableWithoutColumnsIsReported(try SQLiteHarness())
    }

    @Test func storesDecimalsAsTextAndTimestampsAsISO8601() async throws {
        let harness = try SQLiteHarness()
        let sink = try SQLiteSink(path: harness.path)
        let columns = [
            Column("k", .string), Column("at", .timestamp), Column("ok", .bool), Column("ratio", .double),
            Column("amount", .decimal(scale: 2)), Column("tags", .array(.string)),
        ]
        // 2024-02-29T23:59:59.000001Z and one before the epoch.
        try await sink.write(
            SinkBatch(
                pipeline: "p", table: "t", batchId: 0, mode: .update, columns: columns, keyColumns: [0],
                rows: [
                    [
                        .string("a"), .timestamp(1_709_251_199_000_001), .bool(true), .double(0.5),
                        .decimal(DecimalValue(units: 1999, scale: 2)), .array([.string("x\"y"), .null]),
                    ],
                    [.string("b"), .timestamp(-1), .bool(false), .int(2), .int(3), .null],
                ], offsets: [:]))
        let db = try SQLiteConnection(path: harness.path)
        let statement = try db.prepare(
            "SELECT k, at, ok, ratio, amount, typeof(amount), tags FROM t ORDER BY k")
        var rows: [[String?]] = []
        while try statement.step() { rows.append((0..<7).map { statement.text(Int32($0)) }) }
        #expect(
            rows == [
                ["a", "2024-02-29T23:59:59.000001Z", "1", "0.5", "19.99", "text", "[\"x\\\"y\",null]"],
                ["b", "1969-12-31T23:59:59.999999Z", "0", "2.0", "3.00", "text", nil],
            ])
    }

    @Test func closedSinkRefusesWrites() async throws {
        let sink = try SQLiteSink(path: try SQLiteHarness().path)
        try await sink.close()
        await #expect(throws: SQLiteError.self) {
            try await sink.write(Batches.sales(pipeline: "p", table: "t", batchId: 0, [("A", 1, 1)]))
        }
    }

    @Test func unopenablePathNamesTheFile() throws {
        let error = #expect(throws: SQLiteError.self) {
            try SQLiteSink(path: "/nonexistent-dir-eddy/x.sqlite")
        }
        #expect(error?.description.contains("/nonexistent-dir-eddy/x.sqlite") == true)
    }

    @Test func countsAppliedAndSkippedBatches() async throws {
        let sink = try SQLiteSink(path: try SQLiteHarness().path)
        try await sink.write(Batches.sales(pipeline: "p", table: "t", batchId: 3, [("A", 1, 1)]))
        try await sink.write(Batches.sales(pipeline: "p", table: "t", batchId: 3, [("A", 2, 2)]))
        #expect(await sink.appliedBatches == 1)
        #expect(await sink.skippedReplays == 1)
        #expect(try await sink.lastBatchId(pipeline: "p", table: "t") == 3)
    }
}
