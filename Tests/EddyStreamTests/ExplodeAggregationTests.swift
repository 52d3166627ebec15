import EddyLog
import Testing

@testable import EddyStream

/// The compiled explode-and-aggregate path against the generic one, on the nulls and overflows the sales
/// validation would normally keep out: null elements, null keys, null or mistyped numbers, huge values.
@Suite struct ExplodeAggregationTests {
    static let item: [Column] = [
        Column("name", .string), Column("n", .int), Column("price", .decimal(scale: 2)),
    ]
    static let schema: Schema = [Column("id", .int), Column("items", .array(.object(item)))]

    static func lines() -> [String] {
        var out: [String] = []
        let names = [#""a""#, #""b""#, #""ç""#, "null", #""""#, "7"]
        let numbers = ["1", "2", "-3", "null", "1.5", #""x""#, "9223372036854775807"]
        let prices = ["1.25", "0.01", "-2.5", "null", "10", "92233720368547758.07", "3.999"]
        var k = 0
        for i in 0..<600 {
            if i % 50 == 7 {
                out.append("{oops")
                continue
            }
            if i % 41 == 3 {
                out.append(#"{"id": \#(i), "items": null}"#)
                continue
            }
            var items: [String] = []
            for _ in 0..<(i % 4) {
                k += 1
                if k % 23 == 0 {
                    items.append("null")
                    continue
                }
                items.append(
                    #"{"name": \#(names[k % names.count]), "n": \#(numbers[(k / 2) % numbers.count]), "#
                        + #""price": \#(prices[(k / 3) % prices.count])}"#)
            }
            out.append(#"{"id": \#(i), "items": [\#(items.joined(separator: ","))]}"#)
        }
        return out
    }

    func query(_ p: Pipeline) -> Pipeline {
        p.explode("items", as: "it")
            .groupBy(keys: [NamedExpression("name", col("it.name"))])
            .aggregate(
                .sum(col("it.n") * col("it.price"), as: "value"),
                .sum(col("it.price") * col("it.n"), as: "v2"),
                .sum(col("it.n"), as: "n"), .sum(col("it.price"), as: "p"), .count(as: "rows"))
    }

    @Test(arguments: [1, 2]) func compiledPathMatchesTheGenericPath(workers: Int) async throws {
        let log = MemoryLog()
        try log.createTopic("t", config: TopicConfig(partitions: 2))
        try log.append(Self.lines().map { ProducerRecord(value: Array($0.utf8)) }, to: "t")

        let fastSink = CollectingSink()
        let fast = query(Pipeline("fast").source(topic: "t", schema: Self.schema))
            .output(mode: .complete, to: fastSink).workers(workers).maxRecordsPerBatch(90)
        let plan = try fast.build()
        #expect(plan.explodePath != nil && plan.usesFastPath)
        let genericSink = CollectingSink()
        let generic = query(
            Pipeline("generic").source(topic: "t", schema: Self.schema).filter { _ in true }
        ).output(mode: .complete, to: genericSink)
        #expect(try !generic.build().usesFastPath)

        let r1 = try PipelineRunner(fast.trigger(.once), log: log, dataDirectory: nil, clock: ManualClock())
        try await r1.run()
        let r2 = try PipelineRunner(
            generic.trigger(.once), log: log, dataDirectory: nil, clock: ManualClock())
        try await r2.run()

        func text(_ rows: [Row]) -> [String] { rows.map { "\($0)" }.sorted() }
        let a = try #require(fastSink.last).rows
        let b = try #require(genericSink.last).rows
        #expect(b.count >= 5)
        #expect(b.contains { $0[0] == .null })
        #expect(b.contains { $0[1] == .null || $0[3] == .null })  // an overflowed or all-null sum
        #expect(text(a) == text(b))
        #expect(r2.status.deadLetters >= 12)
        #expect(r1.status.deadLetters == r2.status.deadLetters)
        #expect(fastSink.all.count > 1)
    }

    @Test func otherShapesStayOnTheGenericPath() throws {
        let base = Pipeline("p").source(topic: "t", schema: Self.schema)
        let outer = try base.explode("items", as: "it", keepEmpty: true)
            .groupBy(keys: [NamedExpression("name", col("it.name"))]).aggregate(.count(as: "rows"))
            .output(mode: .complete, to: CollectingSink()).build()
        #expect(outer.explodePath == nil)
        let average = try base.explode("items", as: "it")
            .groupBy(keys: [NamedExpression("name", col("it.name"))]).aggregate(.avg(col("it.n"), as: "a"))
            .output(mode: .complete, to: CollectingSink()).build()
        #expect(average.explodePath == nil)
        let rowCheckOnly = try base.validate("v") { _ in nil }.explode("items", as: "it")
            .groupBy(keys: [NamedExpression("name", col("it.name"))]).aggregate(.count(as: "rows"))
            .output(mode: .complete, to: CollectingSink()).build()
        #expect(rowCheckOnly.explodePath == nil)
    }
}
