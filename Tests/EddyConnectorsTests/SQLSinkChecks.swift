import EddyConnectors
import EddyLog
import EddyStream
import Testing

/// The behaviour every exactly-once SQL sink must have, written once and run per database.
enum SQLSinkChecks {
    static func createsTableAndUpsertsByKey(_ harness: some SinkHarness) async throws {
        let sink = try await harness.makeSink()
        let table = harness.unique("product_sales")
        let pipeline = harness.unique("sales")
        try await sink.write(
            Batches.sales(
                pipeline: pipeline, table: table, batchId: 0, [("Laptop", 1_000_00, 1), ("Mouse", 25_50, 2)]))
        try await sink.write(
            Batches.sales(pipeline: pipeline, table: table, batchId: 1, [("Laptop", 3_000_00, 3)]))
        let rows = try await harness.rows(
            of: table, columns: ["product_name", "total_sales", "units"], orderBy: "product_name")
        #expect(rows == [["Laptop", "3000.00", "3"], ["Mouse", "25.50", "2"]])
        try await sink.close()
    }

    static func decimalsStayExact(_ harness: some SinkHarness) async throws {
        let sink = try await harness.makeSink()
        let table = harness.unique("money")
        let pipeline = harness.unique("money")
        // 0.10 + 0.20 in binary floating point is 0.30000000000000004; the largest Int64 cents show any
        // detour through a double (which has 53 bits of mantissa).
        let columns = [Column("k", .string), Column("amount", .decimal(scale: 2))]
        let sum = DecimalValue(units: 10, scale: 2) + DecimalValue(units: 20, scale: 2)
        let batch = SinkBatch(
            pipeline: pipeline, table: table, batchId: 0, mode: .update, columns: columns, keyColumns: [0],
            rows: [
                [.string("a"), .decimal(sum)],
                [.string("b"), .decimal(DecimalValue(units: Int64.max, scale: 2))],
                [.string("c"), .decimal(DecimalValue(units: -5, scale: 2))],
                [.string("d"), .decimal(DecimalValue(units: 7, scale: 0))],
                [.string("e"), .null],
            ], offsets: [:])
        try await sink.write(batch)
        let rows = try await harness.rows(of: table, columns: ["k", "amount"], orderBy: "k")
        #expect(
            rows == [
                ["a", "0.30"], ["b", "92233720368547758.07"], ["c", "-0.05"], ["d", "7.00"], ["e", nil],
            ])
        try await sink.close()
    }

    static func offsetsRoundTripAcrossRestart(_ harness: some SinkHarness) async throws {
        let table = harness.unique("t")
        let pipeline = harness.unique("p")
        let first = try await harness.makeSink()
        #expect(try await first.committedOffsets(pipeline: pipeline) == nil)
        let offsets: SourceOffsets = [TopicPartition("orders", 0): 10, TopicPartition("orders", 1): 7]
        try await first.write(
            Batches.sales(pipeline: pipeline, table: table, batchId: 0, [("A", 1, 1)], offsets: offsets))
        let later: SourceOffsets = [TopicPartition("orders", 0): 15, TopicPartition("orders", 1): 7]
        try await first.write(
            Batches.sales(pipeline: pipeline, table: table, batchId: 1, [("A", 2, 2)], offsets: later))
        try await first.close()

        let restarted = try await harness.makeSink()
        #expect(try await restarted.committedOffsets(pipeline: pipeline) == later)
        #expect(try await restarted.committedOffsets(pipeline: harness.unique("other")) == nil)
        try await restarted.close()
    }

    static func replayedBatchIsNoOp(_ harness: some SinkHarness) async throws {
        let table = harness.unique("t")
        let pipeline = harness.unique("p")
        let sink = try await harness.makeSink()
        let offsets: SourceOffsets = [TopicPartition("orders", 0): 20]
        try await sink.write(
            Batches.sales(
                pipeline: pipeline, table: table, batchId: 0, [("A", 100, 1)],
                offsets: [TopicPartition("orders", 0): 10]))
        try await sink.write(
            Batches.sales(pipeline: pipeline, table: table, batchId: 1, [("A", 300, 2)], offsets: offsets))
        try await sink.close()

        // A restarted pipeline that re-sends batches 1 and 0 (it crashed after the commit but before learning
        // of it) must change nothing — neither rows nor offsets — even if the re-sent rows differ.
        let restarted = try await harness.makeSink()
        try await restarted.write(
            Batches.sales(pipeline: pipeline, table: table, batchId: 1, [("A", 999, 9)], offsets: offsets))
        try await restarted.write(
            Batches.sales(
                pipeline: pipeline, table: table, batchId: 0, [("B", 1, 1)],
                offsets: [TopicPartition("orders", 0): 10]))
        #expect(
            try await harness.rows(
                of: table, columns: ["product_name", "total_sales", "units"], orderBy: "product_name") == [
                    ["A", "3.00", "2"]
                ])
        #expect(try await restarted.committedOffsets(pipeline: pipeline) == offsets)
        try await restarted.write(
            Batches.sales(
                pipeline: pipeline, table: table, batchId: 2, [("B", 1, 1)],
                offsets: [TopicPartition("orders", 0): 21]))
        #expect(
            try await harness.rows(of: table, columns: ["product_name"], orderBy: "product_name") == [
                ["A"], ["B"],
            ])
        try await restarted.close()
    }

    static func renumberedBatchWithNewInputIsApplied(_ harness: some SinkHarness) async throws {
        // An engine that restarts from an older checkpoint numbers its batches from there; a batch that reads
        // beyond the stored offsets is new work whatever its id.
        let table = harness.unique("t")
        let pipeline = harness.unique("p")
        let sink = try await harness.makeSink()
        try await sink.write(
            Batches.sales(
                pipeline: pipeline, table: table, batchId: 7, [("A", 100, 1)],
                offsets: [TopicPartition("orders", 0): 10]))
        try await sink.write(
            Batches.sales(
                pipeline: pipeline, table: table, batchId: 3, [("A", 500, 5)],
                offsets: [TopicPartition("orders", 0): 12]))
        #expect(
            try await harness.rows(of: table, columns: ["product_name", "units"], orderBy: "product_name")
                == [["A", "5"]])
        #expect(try await sink.committedOffsets(pipeline: pipeline) == [TopicPartition("orders", 0): 12])
        try await sink.close()
    }

    static func committedOffsetsAreTheLowestOverTables(_ harness: some SinkHarness) async throws {
        let pipeline = harness.unique("p")
        let sink = try await harness.makeSink()
        let partition = TopicPartition("orders", 0)
        try await sink.write(
            Batches.sales(
                pipeline: pipeline, table: harness.unique("a"), batchId: 0, [("A", 1, 1)],
                offsets: [partition: 30]))
        try await sink.write(
            Batches.sales(
                pipeline: pipeline, table: harness.unique("b"), batchId: 0, [("A", 1, 1)],
                offsets: [partition: 20]))
        #expect(try await sink.committedOffsets(pipeline: pipeline) == [partition: 20])
        try await sink.close()
    }

    static func appendInsertsEveryRow(_ harness: some SinkHarness) async throws {
        let table = harness.unique("events")
        let pipeline = harness.unique("p")
        let sink = try await harness.makeSink()
        let columns = [Column("name", .string), Column("n", .int)]
        for id in Int64(0)..<2 {
            try await sink.write(
                SinkBatch(
                    pipeline: pipeline, table: table, batchId: id, mode: .append, columns: columns,
                    keyColumns: [],
                    rows: [[.string("x"), .int(id)], [.string("x"), .int(id)]], offsets: [:]))
        }
        #expect(
            try await harness.rows(of: table, columns: ["name", "n"], orderBy: "n") == [
                ["x", "0"], ["x", "0"], ["x", "1"], ["x", "1"],
            ])
        try await sink.close()
    }

    static func completeModeWithoutKeyReplacesTable(_ harness: some SinkHarness) async throws {
        let table = harness.unique("top")
        let pipeline = harness.unique("p")
        let sink = try await harness.makeSink()
        let columns = [Column("area", .string), Column("traffic", .int)]
        try await sink.write(
            SinkBatch(
                pipeline: pipeline, table: table, batchId: 0, mode: .complete, columns: columns,
                keyColumns: [],
                rows: [[.string("Caixa"), .int(3)], [.string("Entrada"), .int(1)]], offsets: [:]))
        try await sink.write(
            SinkBatch(
                pipeline: pipeline, table: table, batchId: 1, mode: .complete, columns: columns,
                keyColumns: [],
                rows: [[.string("Entrada"), .int(5)]], offsets: [:]))
        #expect(
            try await harness.rows(of: table, columns: ["area", "traffic"], orderBy: "area") == [
                ["Entrada", "5"]
            ])
        try await sink.close()
    }

    static func completeModeWithKeyUpserts(_ harness: some SinkHarness) async throws {
        let table = harness.unique("areas")
        let pipeline = harness.unique("p")
        let sink = try await harness.makeSink()
        try await sink.write(
            Batches.sales(
                pipeline: pipeline, table: table, batchId: 0, mode: .complete, [("A", 1, 1), ("B", 2, 2)]))
        // Duplicate keys inside one batch: the last row wins.
        try await sink.write(
            Batches.sales(
                pipeline: pipeline, table: table, batchId: 1, mode: .complete,
                [("A", 5, 5), ("B", 6, 6), ("A", 7, 7)]))
        #expect(
            try await harness.rows(of: table, columns: ["product_name", "units"], orderBy: "product_name")
                == [["A", "7"], ["B", "6"]])
        try await sink.close()
    }

    static func quotesIdentifiers(_ harness: some SinkHarness) async throws {
        // A table and columns named like SQL, with quotes and spaces, must mean exactly themselves.
        let table = harness.unique("order \"items\"; DROP TABLE x")
        let pipeline = harness.unique("p")
        let sink = try await harness.makeSink()
        let columns = [Column("select", .string), Column("the \"value\"", .int)]
        try await sink.write(
            SinkBatch(
                pipeline: pipeline, table: table, batchId: 0, mode: .update, columns: columns,
                keyColumns: [0],
                rows: [[.string("k"), .int(1)]], offsets: [:]))
        #expect(
            try await harness.rows(of: table, columns: ["select", "the \"value\""], orderBy: "select") == [
                ["k", "1"]
            ])
        try await sink.close()
    }

    static func badBatchChangesNothing(_ harness: some SinkHarness) async throws {
        let table = harness.unique("t")
        let pipeline = harness.unique("p")
        let sink = try await harness.makeSink()
        let good: SourceOffsets = [TopicPartition("orders", 0): 5]
        try await sink.write(
            Batches.sales(pipeline: pipeline, table: table, batchId: 0, [("A", 100, 1)], offsets: good))
        var bad = Batches.sales(
            pipeline: pipeline, table: table, batchId: 1, [("A", 200, 2)],
            offsets: [TopicPartition("orders", 0): 9])
        bad.rows.append([.string("B"), .string("not money"), .int(1)])
        await #expect(throws: SQLSinkError.self) { try await sink.write(bad) }
        #expect(
            try await harness.rows(
                of: table, columns: ["product_name", "total_sales"], orderBy: "product_name") == [
                    ["A", "1.00"]
                ])
        #expect(try await sink.committedOffsets(pipeline: pipeline) == good)
        try await sink.close()
    }

    static func existingTableWithoutColumnsIsReported(_ harness: some SinkHarness) async throws {
        let table = harness.unique("t")
        let pipeline = harness.unique("p")
        let sink = try await harness.makeSink()
        try await sink.write(
            SinkBatch(
                pipeline: pipeline, table: table, batchId: 0, mode: .update, columns: [Column("k", .string)],
                keyColumns: [0], rows: [[.string("a")]], offsets: [:]))
        try await sink.close()
        let other = try await harness.makeSink()
        let error = await #expect(throws: SQLSinkError.self) {
            try await other.write(Batches.sales(pipeline: pipeline, table: table, batchId: 1, [("A", 1, 1)]))
        }
        #expect(
            error == .tableMismatch(table: table, missingColumns: ["product_name", "total_sales", "units"]))
        try await other.close()
    }
}
