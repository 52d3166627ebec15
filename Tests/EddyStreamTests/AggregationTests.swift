import EddyLog
import Testing

@testable import EddyStream

@Suite struct AggregationTests {
    @Test func groupByComputesSumCountAvgMinMaxAndDistinct() async throws {
        let log = try Fixtures.log()
        try Fixtures.produce(
            log,
            [
                Fixtures.motion("2024-08-23T15:00:00Z", "Caixa", duration: 10.5, traffic: 2, customer: "a"),
                Fixtures.motion("2024-08-23T15:00:01Z", "Caixa", duration: 4.5, traffic: 3, customer: "b"),
                Fixtures.motion("2024-08-23T15:00:02Z", "Entrada", duration: 1, traffic: 1, customer: "a"),
                Fixtures.motion("2024-08-23T15:00:03Z", "Caixa", duration: nil, traffic: 5, customer: "a"),
                Fixtures.motion("2024-08-23T15:00:04Z", nil, duration: 3, traffic: 7, customer: "c"),
            ])
        let sink = CollectingSink()
        let pipeline = Pipeline("agg").source(topic: "motion", schema: Fixtures.motionSchema)
            .filter(col("location").isNotNull)
            .groupBy("location")
            .aggregate(
                .count(as: "n"), .count("duration", as: "with_duration"), .sum("duration", as: "total"),
                .sum("traffic_count", as: "traffic"), .avg("duration", as: "avg"),
                .min("duration", as: "min"),
                .max("traffic_count", as: "max_traffic"), .countDistinct("customer_id", as: "customers")
            )
            .output(mode: .complete, to: sink)
        let runner = try PipelineRunner(pipeline, log: log, dataDirectory: nil, clock: ManualClock())
        try await runner.step()
        let rows = Fixtures.keyed(sink.last)
        #expect(rows["Caixa"] == ["Caixa", "3", "2", "15.0", "10", "7.5", "4.5", "5", "2"])
        #expect(rows["Entrada"] == ["Entrada", "1", "1", "1.0", "1", "1.0", "1.0", "1", "1"])
        #expect(rows.count == 2)
        #expect(
            sink.last?.columns.map(\.type) == [
                .string, .int, .int, .double, .int, .double, .double, .int, .int,
            ])
    }

    @Test func updateModeEmitsOnlyChangedGroupsAndCompleteEmitsAll() async throws {
        let log = try Fixtures.log()
        let update = CollectingSink()
        let complete = CollectingSink()
        let pipeline = Pipeline("modes").source(topic: "motion", schema: Fixtures.motionSchema)
            .fork { $0.groupBy("location").count().output("u", mode: .update, to: update) }
            .fork { $0.groupBy("location").count().output("c", mode: .complete, to: complete) }
        let runner = try PipelineRunner(pipeline, log: log, dataDirectory: nil, clock: ManualClock())
        try Fixtures.produce(
            log,
            [
                Fixtures.motion("2024-08-23T15:00:00Z", "A", duration: 1),
                Fixtures.motion("2024-08-23T15:00:00Z", "B", duration: 1),
            ])
        try await runner.step()
        try Fixtures.produce(log, [Fixtures.motion("2024-08-23T15:00:00Z", "B", duration: 1)])
        try await runner.step()
        #expect(update.all.map(\.batchId) == [0, 1])
        #expect(Fixtures.keyed(update.last) == ["B": ["B", "2"]])
        #expect(Fixtures.keyed(complete.last) == ["A": ["A", "1"], "B": ["B", "2"]])
        // No new input: no batch (as in Spark).
        try await runner.step()
        #expect(update.all.count == 2)
    }

    @Test func explodeArrayOfObjectsAndSumExactDecimals() async throws {
        let log = try Fixtures.log(topic: "sales")
        let schema: Schema = [
            Column("order_id", .string),
            Column(
                "products",
                .array(
                    .object([
                        Column("product_name", .string), Column("quantity", .int),
                        Column("price", .decimal(scale: 2)),
                    ]))),
        ]
        try Fixtures.produce(
            log,
            [
                #"{"order_id": "1", "products": [{"product_name": "Mouse", "quantity": 3, "price": 0.10}, {"product_name": "Cabo", "quantity": 1, "price": 19.99}]}"#,
                #"{"order_id": "2", "products": [{"product_name": "Mouse", "quantity": 1, "price": 0.20}]}"#,
                #"{"order_id": "3", "products": []}"#,
            ], topic: "sales")
        let sink = CollectingSink()
        let pipeline = Pipeline("sales").source(topic: "sales", schema: schema)
            .explode("products", as: "product")
            .groupBy("product.product_name")
            .aggregate(.sum(col("product.quantity") * col("product.price"), as: "total_sales"))
            .output(mode: .update, to: sink)
        let runner = try PipelineRunner(pipeline, log: log, dataDirectory: nil, clock: ManualClock())
        try await runner.step()
        let batch = try #require(sink.last)
        #expect(
            batch.columns == [Column("product_name", .string), Column("total_sales", .decimal(scale: 2))])
        let totals = Dictionary(uniqueKeysWithValues: batch.rows.map { ($0[0].stringValue!, $0[1]) })
        #expect(totals["Mouse"] == .decimal(DecimalValue(units: 50, scale: 2)))
        #expect(totals["Cabo"] == .decimal(DecimalValue(units: 1999, scale: 2)))
        #expect(batch.keyColumns == [0])
    }

    @Test func selectWithColumnAndClosureFilterAppendMode() async throws {
        let log = try Fixtures.log()
        try Fixtures.produce(
            log,
            [
                Fixtures.motion("2024-08-23T15:00:00Z", "Caixa", duration: 120, traffic: 2),
                Fixtures.motion("2024-08-23T15:00:00Z", "Entrada", duration: 30, traffic: 2),
                Fixtures.motion("2024-08-23T15:00:00Z", "Caixa", duration: nil, traffic: 2),
            ])
        let sink = CollectingSink()
        let pipeline = Pipeline("rows").source(topic: "motion", schema: Fixtures.motionSchema)
            .filter { $0.isNotNull("duration") }
            .withColumn("minutes", col("duration") / 60)
            .filter(col("minutes") >= 1.0 || col("location") == "Entrada")
            .select(
                col("location").as("where"), col("minutes").as("minutes"),
                (col("traffic_count") * 10).as("t10")
            )
            .output(mode: .append, to: sink)
        let runner = try PipelineRunner(pipeline, log: log, dataDirectory: nil, clock: ManualClock())
        try await runner.step()
        let rows = try #require(sink.last).rows
        #expect(
            rows == [
                [.string("Caixa"), .double(2), .int(20)], [.string("Entrada"), .double(0.5), .int(20)],
            ])
        #expect(sink.last?.columns.map(\.type) == [.string, .double, .int])
    }

    @Test func orderByAndLimitGiveTopNInCompleteMode() async throws {
        let log = try Fixtures.log()
        try Fixtures.produce(
            log,
            ["A", "B", "B", "C", "C", "C"].map {
                Fixtures.motion("2024-08-23T15:00:00Z", $0, duration: 1, traffic: 1)
            })
        let sink = CollectingSink()
        let pipeline = Pipeline("top").source(topic: "motion", schema: Fixtures.motionSchema)
            .groupBy("location").aggregate(.sum("traffic_count", as: "traffic"))
            .orderBy(.descending("traffic")).limit(2)
            .output(mode: .complete, to: sink)
        let runner = try PipelineRunner(pipeline, log: log, dataDirectory: nil, clock: ManualClock())
        try await runner.step()
        #expect(sink.last?.rows == [[.string("C"), .int(3)], [.string("B"), .int(2)]])
    }
}
