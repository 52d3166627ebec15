import EddyLog
import Testing

@testable import EddyStream

@Suite struct FastPathTests {
    private func readings(_ n: Int) -> [String] {
        let locations = ["Entrada", "Caixa", "Corredor_A", "Sessao_de_Eletronicos"]
        return (0..<n).map { i in
            if i % 97 == 0 { return "not json at all" }
            if i % 31 == 0 { return #"{"location": "Caixa", "duration": "abc", "traffic_count": 2}"# }
            return Fixtures.motion(
                "2024-08-23T15:00:00Z", i % 13 == 0 ? nil : locations[i % 4],
                duration: i % 11 == 0 ? nil : Double(i % 300) + 0.37,
                traffic: i % 10)
        }
    }

    private func query(_ p: Pipeline) -> Pipeline {
        p.filter(col("duration").isNotNull && col("location").isNotNull)
            .groupBy("location")
            .aggregate(
                .sum("duration", as: "total_duration"), .sum("traffic_count", as: "total_traffic"),
                .avg("duration", as: "avg_duration"), .count(as: "n"), .min("duration", as: "min_d"),
                .max("traffic_count", as: "max_t"))
    }

    @Test(arguments: [1, 2]) func fastPathMatchesTheGenericPath(workers: Int) async throws {
        let log = try Fixtures.log(partitions: 3)
        try Fixtures.produce(log, readings(5000))
        let fastSink = CollectingSink()
        let fast = query(Pipeline("fast").source(topic: "motion", schema: Fixtures.motionSchema))
            .output(mode: .complete, to: fastSink).workers(workers).maxRecordsPerBatch(700)
        #expect(try fast.build().usesFastPath)
        let genericSink = CollectingSink()
        // The row-by-row operators are the reference.
        var generic = query(
            Pipeline("generic").source(topic: "motion", schema: Fixtures.motionSchema).filter { _ in true }
        )
        .output(mode: .complete, to: genericSink)
        generic.rowByRow = true
        #expect(try !generic.build().usesFastPath)
        let r1 = try PipelineRunner(fast.trigger(.once), log: log, dataDirectory: nil, clock: ManualClock())
        try await r1.run()
        let r2 = try PipelineRunner(
            generic.trigger(.once), log: log, dataDirectory: nil, clock: ManualClock())
        try await r2.run()
        let a = try #require(fastSink.last).rows
        let b = try #require(genericSink.last).rows
        #expect(a.count == 4 && b.count == 4)
        for (x, y) in zip(a, b) {
            #expect(x[0] == y[0])
            #expect(abs(x[1].doubleValue! - y[1].doubleValue!) < 1e-6)
            #expect(x[2] == y[2])
            #expect(abs(x[3].doubleValue! - y[3].doubleValue!) < 1e-9)
            #expect(x[4] == y[4])
            #expect(x[5] == y[5])
            #expect(x[6] == y[6])
        }
        #expect(r1.status.recordsIn == 5000)
        #expect(r1.status.deadLetters == r2.status.deadLetters)
        #expect(r1.status.deadLetters == 52)
        #expect(try log.offsets(of: TopicPartition("motion.dlq", 0)).end == 104)
        #expect(fastSink.all.count > 1)  // bounded batches
    }
}

@Suite struct ProjectionTests {
    @Test func onlyReferencedFieldsAreScannedUnlessAClosureCouldReadAny() throws {
        let base = Pipeline("p").source(topic: "motion", schema: Fixtures.motionSchema)
        let plan = try base.withWatermark("timestamp", delay: .seconds(1))
            .groupBy(.tumbling(on: "timestamp", size: .seconds(60)), "location")
            .aggregate(.sum("duration", as: "d"))
            .output(mode: .update, to: CollectingSink()).build()
        // timestamp 0, location 2, duration 5
        #expect(plan.projection == [0, 2, 5])
        let withClosure = try base.filter { $0.isNotNull("id_sensor") }.output(
            mode: .append, to: CollectingSink()
        ).build()
        #expect(withClosure.projection == nil)
    }
}
