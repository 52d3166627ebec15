import EddyLog
import Testing

@testable import EddyStream

@Suite struct TriggerTests {
    private func counting(_ sink: some Sink, trigger: Trigger) -> Pipeline {
        Pipeline("trigger").source(topic: "motion", schema: Fixtures.motionSchema)
            .groupBy("location").count()
            .output(mode: .complete, to: sink)
            .trigger(trigger)
    }

    @Test func onceProcessesWhatIsThereThenStops() async throws {
        let log = try Fixtures.log(partitions: 3)
        try Fixtures.produce(
            log, (0..<50).map { Fixtures.motion("2024-08-23T15:00:00Z", "L\($0 % 3)", duration: 1) })
        let sink = CollectingSink()
        let runner = try PipelineRunner(
            counting(sink, trigger: .once), log: log, dataDirectory: nil, clock: ManualClock())
        try await runner.run()
        #expect(sink.all.count == 1)
        #expect(sink.last?.rows.map { $0[1] } == [.int(17), .int(17), .int(16)])
        #expect(runner.status.state == .stopped)
    }

    @Test func availableNowSplitsIntoBoundedBatches() async throws {
        let log = try Fixtures.log()
        try Fixtures.produce(
            log, (0..<10).map { _ in Fixtures.motion("2024-08-23T15:00:00Z", "A", duration: 1) })
        let sink = CollectingSink()
        let p = counting(sink, trigger: .availableNow).maxRecordsPerBatch(4)
        let runner = try PipelineRunner(p, log: log, dataDirectory: nil, clock: ManualClock())
        try await runner.run()
        #expect(sink.all.map(\.batchId) == [0, 1, 2])
        #expect(sink.all.map { $0.rows.first?[1] } == [.int(4), .int(8), .int(10)])
    }

    @Test func processingTimeRunsMicroBatchesOnTheInjectedClock() async throws {
        let log = try Fixtures.log()
        let sink = CollectingSink()
        let clock = ManualClock(startMillis: 0)
        let runner = try PipelineRunner(
            counting(sink, trigger: .processingTime(.seconds(2))), log: log, dataDirectory: nil, clock: clock)
        try Fixtures.produce(log, [Fixtures.motion("2024-08-23T15:00:00Z", "A", duration: 1)])
        let task = Task { try await runner.run() }
        // Virtual time: the trigger's sleeps advance the manual clock, so batches follow at once.
        while clock.nowMillis() < 20_000 { await Task.yield() }
        runner.stop()
        try await task.value
        // Batch 0 ran at t=0; afterwards no new data, so no further batches.
        #expect(sink.all.map(\.batchId) == [0])
        #expect(runner.status.lastBatchMillis == 0)
    }

    @Test func continuousEmitsAsSoonAsInputIsDrainedAndStopsCleanly() async throws {
        let log = try Fixtures.log()
        let table = LiveTable("areas")
        let runner = try PipelineRunner(counting(table, trigger: .continuous), log: log, dataDirectory: nil)
        var updates = table.updates().makeAsyncIterator()
        let task = Task { try await runner.run() }
        _ = await updates.next()  // batch 0 (empty)
        try Fixtures.produce(log, [Fixtures.motion("2024-08-23T15:00:00Z", "A", duration: 1)])
        _ = await updates.next()
        #expect(table.lookup(key: ["A"]) == [[.string("A"), .int(1)]])
        try Fixtures.produce(log, [Fixtures.motion("2024-08-23T15:00:00Z", "A", duration: 1)])
        _ = await updates.next()
        #expect(table.lookup(key: ["A"]) == [[.string("A"), .int(2)]])
        runner.stop()
        try await task.value
        #expect(runner.status.state == .stopped)
        #expect(runner.status.recordsIn == 2)
    }

    @Test func triggerParsing() {
        #expect(Trigger(parsing: "once") == .availableNow)
        #expect(Trigger(parsing: "continuous") == .continuous)
        #expect(Trigger(parsing: "1s") == .processingTime(.seconds(1)))
        #expect(Trigger(parsing: "250ms") == .processingTime(.milliseconds(250)))
        #expect(Trigger(parsing: "2m") == .processingTime(.seconds(120)))
        #expect(Trigger(parsing: "soon") == nil)
        #expect(Trigger(parsing: "0s") == nil)
    }
}
