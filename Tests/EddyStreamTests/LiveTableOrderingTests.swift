import Testing

@testable import EddyStream

/// The maintained orderings of ``LiveTable`` (``OrderedRowIndex``) against the unindexed scan, over random
/// upserts, appends and complete batches with ties and nulls: every query answers exactly what a scan of
/// the same rows answers.
@Suite struct LiveTableOrderingTests {
    static let columns = [Column("id", .string), Column("score", .int), Column("ratio", .double)]

    struct Random: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state ^ (state >> 29)
        }
    }

    static func row(_ key: Int, _ random: inout Random) -> Row {
        let score: Value =
            Int.random(in: 0..<10, using: &random) == 0
            ? .null : .int(Int64.random(in: 0..<25, using: &random))
        let ratio: Value = .double(Double(Int.random(in: 0..<1000, using: &random)) / 7)
        return [.string("k\(key)"), score, ratio]
    }

    func expectSameAsScan(_ table: LiveTable, _ random: inout Random, _ place: String) {
        let rows = table.rows
        for column in [nil, "score", "ratio", "id"] as [String?] {
            for descending in [false, true] {
                for limit in [1, 3, 10, 57, nil] as [Int?] {
                    let expected = LiveTable.scan(
                        rows, columns: Self.columns, keyColumns: table.keyColumns, orderBy: column,
                        descending: descending, limit: limit, where: nil)
                    let answered = table.query(orderBy: column, descending: descending, limit: limit)
                    #expect(
                        answered == expected,
                        "\(place): \(column ?? "key") desc \(descending) limit \(limit ?? -1)")
                }
            }
            let odd: (Row) -> Bool = { row in
                if case .int(let score) = row[1] { return score % 2 == 1 }
                return false
            }
            let expected = LiveTable.scan(
                rows, columns: Self.columns, keyColumns: table.keyColumns, orderBy: column, descending: true,
                limit: 7, where: odd)
            #expect(
                table.query(orderBy: column, descending: true, limit: 7, where: odd) == expected,
                "\(place) filtered")
        }
    }

    @Test(arguments: [1, 2, 3])
    func upsertsKeepEveryOrderingEqualToAScan(seed: UInt64) async throws {
        var random = Random(state: seed)
        let table = LiveTable("t")
        var batch: Int64 = 0
        func write(_ mode: OutputMode, _ rows: [Row]) async throws {
            try await table.write(
                SinkBatch(
                    pipeline: "p", table: "t", batchId: batch, mode: mode, columns: Self.columns,
                    keyColumns: [0],
                    rows: rows, offsets: [:]))
            batch += 1
        }
        try await write(.complete, (0..<300).map { Self.row($0, &random) })
        expectSameAsScan(table, &random, "after complete")  // builds every index
        for round in 0..<40 {
            let count = Int.random(in: 1...60, using: &random)
            // Mostly existing keys (moves within the orderings), some new ones.
            try await write(
                .update, (0..<count).map { _ in Self.row(Int.random(in: 0..<400, using: &random), &random) })
            if round % 8 == 7 { expectSameAsScan(table, &random, "round \(round)") }
        }
        try await write(.complete, (0..<120).map { Self.row($0 * 3, &random) })
        expectSameAsScan(table, &random, "after a second complete batch")
    }

    @Test func appendTablesWithoutKeysAndTrimmedTablesAnswerLikeAScan() async throws {
        var random = Random(state: 9)
        let appended = LiveTable("a")
        let trimmed = LiveTable("b", maxRows: 150)
        for batch in 0..<10 {
            let rows = (0..<40).map { _ in Self.row(Int.random(in: 0..<50, using: &random), &random) }
            for table in [appended, trimmed] {
                try await table.write(
                    SinkBatch(
                        pipeline: "p", table: table.name, batchId: Int64(batch), mode: .append,
                        columns: Self.columns,
                        keyColumns: [], rows: rows, offsets: [:]))
            }
            expectSameAsScan(appended, &random, "append \(batch)")
            expectSameAsScan(trimmed, &random, "trimmed \(batch)")
        }
        #expect(trimmed.rowCount == 150)
    }
}
