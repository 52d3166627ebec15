import EddyLog
import Testing

@testable import EddyStream

@Suite struct DecimalOverflowTests {
    @Test func overflowingDecimalArithmeticAndSumsBecomeNullInsteadOfTrapping() async throws {
        let log = try Fixtures.log(topic: "sales")
        let schema: Schema = [
            Column("product", .string), Column("quantity", .int), Column("price", .decimal(scale: 2)),
        ]
        try Fixtures.produce(
            log,
            [
                #"{"product": "a", "quantity": 9000000000000000000, "price": 10.00}"#,
                #"{"product": "b", "quantity": 1, "price": 90000000000000000.00}"#,
                #"{"product": "b", "quantity": 1, "price": 90000000000000000.00}"#,
                #"{"product": "c", "quantity": 2, "price": 0.05}"#,
            ], topic: "sales")
        let sink = CollectingSink()
        let pipeline = Pipeline("overflow").source(topic: "sales", schema: schema)
            .groupBy("product")
            .aggregate(
                .sum(col("quantity") * col("price"), as: "total"), .sum("price", as: "prices"),
                .max("price", as: "top_price")
            )
            .output(mode: .complete, to: sink)
        let runner = try PipelineRunner(pipeline, log: log, dataDirectory: nil, clock: ManualClock())
        try await runner.step()
        let rows = Dictionary(
            uniqueKeysWithValues: try #require(sink.last).rows.map { ($0[0].stringValue!, $0) })
        #expect(rows["a"]?[1] == .null)  // 9e18 × 10.00 does not fit
        #expect(rows["b"]?[1] == .null)  // 2 × 9e16 with 2 fraction digits does not fit
        #expect(rows["b"]?[2] == .null)
        #expect(rows["c"]?[1] == .decimal(DecimalValue(units: 10, scale: 2)))
        #expect(
            Value.compare(
                .decimal(DecimalValue(units: .max, scale: 0)), .decimal(DecimalValue(units: 1, scale: 5)))
                == 1)
    }
}
