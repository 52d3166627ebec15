import EddyLog
import Synchronization
import Testing

@testable import EddyStream

@Suite struct ConsoleSinkTests {
    let columns = [
        Column("location", .string), Column("total_duration", .double), Column("total_traffic", .int),
        Column("avg_duration", .double),
    ]

    @Test func emptyBatchLooksLikeSparks() {
        let batch = SinkBatch(
            pipeline: "retail", table: "retail", batchId: 0, mode: .complete, columns: columns,
            keyColumns: [0],
            rows: [], offsets: [:])
        #expect(
            ConsoleSink.render(batch) == """
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +--------+--------------+-------------+------------+
                |location|total_duration|total_traffic|avg_duration|
                +--------+--------------+-------------+------------+
                +--------+--------------+-------------+------------+


                """)
    }

    @Test func rowsAreRightAlignedTruncatedAndUseJavaDoubles() {
        let batch = SinkBatch(
            pipeline: "retail", table: "retail", batchId: 1, mode: .complete, columns: columns,
            keyColumns: [0],
            rows: [
                [.string("Corredor_B"), .double(2063.7500000000005), .int(86), .double(147.4107142857143)],
                [
                    .string("Sessao_de_Eletronicos"), .double(3381.460000000001), .int(110),
                    .double(161.0219047619048),
                ],
                [.string("Caixa"), .double(314005.3), .int(11465), .double(153.0)],
            ], offsets: [:])
        #expect(
            ConsoleSink.render(batch) == """
                -------------------------------------------
                Batch: 1
                -------------------------------------------
                +--------------------+------------------+-------------+-----------------+
                |            location|    total_duration|total_traffic|     avg_duration|
                +--------------------+------------------+-------------+-----------------+
                |          Corredor_B|2063.7500000000005|           86|147.4107142857143|
                |Sessao_de_Eletron...| 3381.460000000001|          110|161.0219047619048|
                |               Caixa|          314005.3|        11465|            153.0|
                +--------------------+------------------+-------------+-----------------+


                """)
    }

    @Test func javaDoubleFormatting() {
        #expect(Value.javaDoubleString(1e7) == "1.0E7")
        #expect(Value.javaDoubleString(12345678.9) == "1.23456789E7")
        #expect(Value.javaDoubleString(0.001) == "0.001")
        #expect(Value.javaDoubleString(0.0001) == "1.0E-4")
        #expect(Value.javaDoubleString(-2.5) == "-2.5")
        #expect(Value.javaDoubleString(100) == "100.0")
        #expect(Value.javaDoubleString(9999999.0) == "9999999.0")
    }

    @Test func moreThanNumRowsSaysSo() {
        let rows: [Row] = (0..<3).map { [.int(Int64($0))] }
        let text = ConsoleSink.showString(columns: ["n"], rows: rows, numRows: 2)
        #expect(text.hasSuffix("+---+\nonly showing top 2 rows\n"))
    }

    @Test func jsonLinesCarryTheBatchAndExactValues() async throws {
        let lines = LinesCollector()
        let sink = JSONLinesSink(write: { lines.append($0) })
        try await sink.write(
            SinkBatch(
                pipeline: "p", table: "t", batchId: 3, mode: .update,
                columns: [
                    Column("product", .string), Column("total", .decimal(scale: 2)), Column("at", .timestamp),
                    Column("avg", .double),
                ],
                keyColumns: [0],
                rows: [
                    [
                        .string("Mouse \"pro\""), .decimal(DecimalValue(units: 1050, scale: 2)),
                        .timestamp(0),
                        .double(7),
                    ]
                ],
                offsets: [:]))
        // A whole double keeps its `.0`, as Spark's JSON writer prints it.
        #expect(
            lines.text
                == #"{"batch":3,"product":"Mouse \"pro\"","total":10.50,"at":"1970-01-01T00:00:00.000000Z","avg":7.0}"#
                + "\n")
    }

    @Test func timestampsParseAndFormat() {
        #expect(Timestamp.parseISO8601("2024-08-23T15:22:16.968007Z") == 1_724_426_536_968_007)
        #expect(Timestamp.parseISO8601("2024-08-23T17:22:16.968007+02:00") == 1_724_426_536_968_007)
        #expect(Timestamp.format(1_724_426_536_968_007) == "2024-08-23 15:22:16.968007")
        #expect(Timestamp.formatISO8601(1_724_426_520_000_000) == "2024-08-23T15:22:00.000000Z")
        #expect(Timestamp.formatISO8601(1_724_426_536_968_007) == "2024-08-23T15:22:16.968007Z")
        #expect(Timestamp.formatISO8601(-1) == "1969-12-31T23:59:59.999999Z")
        #expect(Timestamp.parseISO8601("2024-13-01T00:00:00Z") == nil)
        #expect(Timestamp.parseISO8601("yesterday") == nil)
    }
}

final class LinesCollector: Sendable {
    private let storage = Mutex("")
    func append(_ s: String) { storage.withLock { $0 += s } }
    var text: String { storage.withLock { $0 } }
}
