import EddyLog
import Testing

@testable import EddyStream

@Suite struct StatusTests {
    @Test func statusReportsCountsLagBatchesAndCheckpointAge() async throws {
        let log = try Fixtures.log(partitions: 2)
        try Fixtures.produce(
            log,
            (0..<20).map { Fixtures.motion("2024-08-23T15:00:00Z", "A\($0 % 2)", duration: 1) } + ["oops"])
        let clock = ManualClock(startMillis: 1_000)
        let directory = Fixtures.temporaryDirectory()
        let pipeline = Pipeline("status").source(topic: "motion", schema: Fixtures.motionSchema)
            .groupBy("location").count()
            .output(mode: .update, to: LiveTable("t"))
            .maxRecordsPerBatch(8)
            .checkpointInterval(.zero)
        let runner = try PipelineRunner(pipeline, log: log, dataDirectory: directory, clock: clock)
        #expect(runner.status.state == .starting)
        try await runner.step()
        var status = runner.status
        #expect(status.recordsIn == 8)
        #expect(status.totalLag == 13)
        #expect(status.lastBatchId == 0)
        #expect(status.lastBatchMillis == 1_000)
        clock.advance(by: .seconds(3))
        #expect(runner.status.checkpointAgeMillis == 3_000)
        try await runner.step()
        try await runner.step()
        status = runner.status
        #expect(status.recordsIn == 21)
        #expect(status.totalLag == 0)
        #expect(status.deadLetters == 1)
        #expect(status.recentDeadLetters.first?.reason == "not_an_object")
        #expect(status.lastBatchId == 2)
        #expect(status.stateRows == 2)
        #expect(status.tables == ["status"])
    }
}
