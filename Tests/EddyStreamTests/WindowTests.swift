import EddyLog
import Testing

@testable import EddyStream

@Suite struct WindowTests {
    private func ts(_ text: String) -> Value {
        .timestamp(Timestamp.parseISO8601("2024-08-23T" + text + "Z")!)
    }
    private func event(_ time: String, _ location: String = "A", customer: String = "c1") -> String {
        Fixtures.motion("2024-08-23T" + time + "Z", location, duration: 1, traffic: 1, customer: customer)
    }

    @Test func tumblingAppendEmitsOnlyClosedWindowsAndCountsLateRows() async throws {
        let log = try Fixtures.log()
        let sink = CollectingSink()
        let pipeline = Pipeline("tumbling").source(topic: "motion", schema: Fixtures.motionSchema)
            .withWatermark("timestamp", delay: .seconds(10))
            .groupBy(.tumbling(on: "timestamp", size: .minutes(1)), "location")
            .count()
            .output(mode: .append, to: sink)
            .lateRows(to: "motion.late")
        let runner = try PipelineRunner(pipeline, log: log, dataDirectory: nil, clock: ManualClock())
        try Fixtures.produce(log, [event("15:00:05"), event("15:00:50"), event("15:01:10")])
        try await runner.step()
        #expect(sink.last?.rows == [[ts("15:00:00"), ts("15:01:00"), .string("A"), .int(2)]])
        // 15:00:30 is behind the watermark (15:01:00): late. 15:01:05 is out of order but still on time.
        try Fixtures.produce(log, [event("15:00:30"), event("15:01:05"), event("15:02:20")])
        try await runner.step()
        #expect(sink.last?.rows == [[ts("15:01:00"), ts("15:02:00"), .string("A"), .int(2)]])
        #expect(runner.status.lateRows == 1)
        let late = try log.read(TopicPartition("motion.late", 0), from: 0, maxBytes: 1 << 20)
        var lateValues: [String] = []
        late.forEach { lateValues.append(String(decoding: $0.value, as: UTF8.self)) }
        #expect(lateValues.count == 1)
        #expect(lateValues.first?.contains("2024-08-23T15:00:30.000000Z") == true)
    }

    @Test func tumblingUpdateEmitsChangedWindowsAndEvictsClosedOnes() async throws {
        let log = try Fixtures.log()
        let sink = CollectingSink()
        let pipeline = Pipeline("tumbling-update").source(topic: "motion", schema: Fixtures.motionSchema)
            .withWatermark("timestamp", delay: .seconds(10))
            .groupBy(.tumbling(on: "timestamp", size: .minutes(1)), "location")
            .count()
            .output(mode: .update, to: sink)
        let runner = try PipelineRunner(pipeline, log: log, dataDirectory: nil, clock: ManualClock())
        try Fixtures.produce(log, [event("15:01:10"), event("15:00:05"), event("15:00:50")])
        try await runner.step()
        #expect(
            sink.last?.rows == [
                [ts("15:00:00"), ts("15:01:00"), .string("A"), .int(2)],
                [ts("15:01:00"), ts("15:02:00"), .string("A"), .int(1)],
            ])
        try Fixtures.produce(log, [event("15:00:59"), event("15:01:30"), event("15:02:20")])
        try await runner.step()
        #expect(
            sink.last?.rows == [
                [ts("15:01:00"), ts("15:02:00"), .string("A"), .int(2)],
                [ts("15:02:00"), ts("15:03:00"), .string("A"), .int(1)],
            ])
        #expect(runner.status.lateRows == 1)
        // Only the window the watermark (15:02:10) has not closed stays in state.
        #expect(runner.status.stateRows == 1)
    }

    @Test func hoppingWindowsCountEachRowInEveryOverlappingWindow() async throws {
        let log = try Fixtures.log()
        let sink = CollectingSink()
        let pipeline = Pipeline("hopping").source(topic: "motion", schema: Fixtures.motionSchema)
            .groupBy(.hopping(on: "timestamp", size: .minutes(10), slide: .minutes(5)), "location")
            .count()
            .output(mode: .complete, to: sink)
        let runner = try PipelineRunner(pipeline, log: log, dataDirectory: nil, clock: ManualClock())
        try Fixtures.produce(log, [event("15:07:00"), event("15:02:00"), event("15:12:00")])
        try await runner.step()
        #expect(
            sink.last?.rows == [
                [ts("14:55:00"), ts("15:05:00"), .string("A"), .int(1)],
                [ts("15:00:00"), ts("15:10:00"), .string("A"), .int(2)],
                [ts("15:05:00"), ts("15:15:00"), .string("A"), .int(2)],
                [ts("15:10:00"), ts("15:20:00"), .string("A"), .int(1)],
            ])
    }

    @Test func hoppingAppendWithLateRows() async throws {
        let log = try Fixtures.log()
        let sink = CollectingSink()
        let pipeline = Pipeline("hopping-append").source(topic: "motion", schema: Fixtures.motionSchema)
            .withWatermark("timestamp", delay: .minutes(1))
            .groupBy(.hopping(on: "timestamp", size: .minutes(10), slide: .minutes(5)), "location")
            .count()
            .output(mode: .append, to: sink)
        let runner = try PipelineRunner(pipeline, log: log, dataDirectory: nil, clock: ManualClock())
        try Fixtures.produce(log, [event("15:02:00"), event("15:07:00"), event("15:12:00")])
        try await runner.step()
        // watermark 15:11: windows ending at or before it are final.
        #expect(
            sink.last?.rows == [
                [ts("14:55:00"), ts("15:05:00"), .string("A"), .int(1)],
                [ts("15:00:00"), ts("15:10:00"), .string("A"), .int(2)],
            ])
        try Fixtures.produce(log, [event("15:09:00"), event("15:11:30"), event("15:21:00")])
        try await runner.step()
        #expect(runner.status.lateRows == 1)
        #expect(
            sink.last?.rows == [
                [ts("15:05:00"), ts("15:15:00"), .string("A"), .int(3)],
                [ts("15:10:00"), ts("15:20:00"), .string("A"), .int(2)],
            ])
    }

    @Test func sessionWindowsMergeOutOfOrderRowsAndCloseOnWatermark() async throws {
        let log = try Fixtures.log()
        let sink = CollectingSink()
        let pipeline = Pipeline("sessions").source(topic: "motion", schema: Fixtures.motionSchema)
            .withWatermark("timestamp", delay: .minutes(1))
            .groupBy(.session(on: "timestamp", gap: .seconds(30)), "customer_id")
            .aggregate(.count(as: "events"), .sum("duration", as: "dwell"))
            .output(mode: .append, to: sink)
        let runner = try PipelineRunner(pipeline, log: log, dataDirectory: nil, clock: ManualClock())
        try Fixtures.produce(
            log,
            [
                event("15:00:00", customer: "a"), event("15:00:50", customer: "a"),
                event("15:00:10", customer: "b"),
                event("15:00:20", customer: "a"),  // out of order: bridges the two sessions of a
                event("15:02:00", customer: "a"),
            ])
        try await runner.step()
        // Watermark 15:01:00: b's session [15:00:10, 15:00:40) is closed; a's [15:00:00, 15:01:20) is not yet.
        #expect(sink.last?.rows == [[ts("15:00:10"), ts("15:00:40"), .string("b"), .int(1), .double(1)]])
        try Fixtures.produce(log, [event("15:05:00", customer: "c")])
        try await runner.step()
        #expect(
            sink.last?.rows == [
                [ts("15:00:00"), ts("15:01:20"), .string("a"), .int(3), .double(3)],
                [ts("15:02:00"), ts("15:02:30"), .string("a"), .int(1), .double(1)],
            ])
        #expect(runner.status.stateRows == 1)
    }
}
