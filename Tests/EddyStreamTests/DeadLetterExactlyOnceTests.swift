import EddyLog
import Testing

@testable import EddyStream

/// Dead letters across a crash between a batch (which appended them) and its checkpoint: the replay after the
/// restart re-reads those source records and must not append them again.
@Suite struct DeadLetterExactlyOnceTests {
    private func pipeline(_ sink: some Sink) -> Pipeline {
        Pipeline("dlq-once").source(topic: "motion", schema: Fixtures.motionSchema)
            .groupBy("location").aggregate(.count(as: "n"))
            .output(mode: .complete, to: sink)
            // Only the very first batch is checkpointed (the manual clock never advances).
            .checkpointInterval(.seconds(3600))
    }

    private func lines(_ range: Range<Int>) -> [String] {
        range.map { i in
            i % 3 == 0 ? "garbage-\(i)" : Fixtures.motion("2024-08-23T15:00:00Z", "L\(i % 4)", duration: 1)
        }
    }

    private func deadLetterSources(_ log: MemoryLog) throws -> [String] {
        let fetched = try log.read(TopicPartition("motion.dlq", 0), from: 0, maxBytes: 16 << 20)
        return fetched.records().map { record in
            let headers = Dictionary(
                record.headers.map { ($0.key, String(decoding: $0.value ?? [], as: UTF8.self)) },
                uniquingKeysWith: { first, _ in first })
            return "\(headers[DeadLetterHeaders.sourcePartition] ?? "?")/"
                + "\(headers[DeadLetterHeaders.sourceOffset] ?? "?")"
        }
    }

    @Test func restartsDoNotAppendDeadLettersTwice() async throws {
        let directory = Fixtures.temporaryDirectory()
        let log = try Fixtures.log(partitions: 2)
        let all = lines(0..<600)
        try Fixtures.produce(log, Array(all[0..<100]))
        // Three lives, each killed after batches that were not checkpointed.
        for life in 0..<3 {
            let runner = try PipelineRunner(
                pipeline(CollectingSink()), log: log, dataDirectory: directory, clock: ManualClock())
            try await runner.step()
            try Fixtures.produce(log, Array(all[(100 + life * 150)..<(250 + life * 150)]))
            try await runner.step()
        }
        try Fixtures.produce(log, Array(all[550..<600]))
        let runner = try PipelineRunner(
            pipeline(CollectingSink()), log: log, dataDirectory: directory, clock: ManualClock())
        try await runner.step()
        let sources = try deadLetterSources(log)
        #expect(sources.count == 200)
        #expect(Set(sources).count == 200)
        #expect(runner.status.deadLetters == 200)
        #expect(runner.status.recordsIn == 600)
    }

    @Test func anotherPipelineOnTheSameTopicStillRoutesItsOwn() async throws {
        let directory = Fixtures.temporaryDirectory()
        let log = try Fixtures.log(partitions: 1)
        try Fixtures.produce(log, lines(0..<30))
        for name in ["a", "b"] {
            var p = pipeline(CollectingSink())
            p.name = name
            let runner = try PipelineRunner(p, log: log, dataDirectory: directory, clock: ManualClock())
            try await runner.step()
        }
        #expect(try deadLetterSources(log).count == 20)
    }

    @Test func lateRowsArePublishedOnceAcrossACrash() async throws {
        let directory = Fixtures.temporaryDirectory()
        let log = try Fixtures.log()
        let pipeline = Pipeline("late-once").source(topic: "motion", schema: Fixtures.motionSchema)
            .withWatermark("timestamp", delay: .seconds(10))
            .groupBy(.tumbling(on: "timestamp", size: .minutes(1)), "location")
            .count()
            .output(mode: .append, to: CollectingSink())
            .lateRows(to: "motion.late")
            .checkpointInterval(.seconds(3600))
        let event = { (time: String) in Fixtures.motion("2024-08-23T" + time + "Z", "A", duration: 1) }
        do {
            let runner = try PipelineRunner(
                pipeline, log: log, dataDirectory: directory, clock: ManualClock())
            try Fixtures.produce(log, [event("15:00:05"), event("15:00:50"), event("15:01:10")])
            try await runner.step()  // checkpointed: the watermark is 15:01:00
            try Fixtures.produce(log, [event("15:00:30"), event("15:02:20")])
            try await runner.step()  // 15:00:30 is late and published; no checkpoint, then the "crash"
        }
        let runner = try PipelineRunner(pipeline, log: log, dataDirectory: directory, clock: ManualClock())
        try await runner.step()
        #expect(runner.status.lateRows == 1)
        let late = try log.read(TopicPartition("motion.late", 0), from: 0, maxBytes: 1 << 20).records()
        #expect(late.count == 1)
        #expect(late.first?.headers.contains { $0.key == DeadLetterHeaders.sourceOffset } == true)
    }

    @Test func aBatchCapBelowOneIsRefused() {
        for cap in [0, -5] {
            #expect(throws: PipelineError.self) {
                try pipeline(CollectingSink()).maxRecordsPerBatch(cap).build()
            }
        }
    }

    @Test func versionOneCheckpointsStillLoad() throws {
        var checkpoint = Checkpoint(
            pipeline: "p", fingerprint: "f", topic: "t", offsets: [0: 5], recordsIn: 5, deadLetters: 1,
            writtenAtMillis: 9, outputs: [], deadLetterEnd: 3, lateRowsEnd: nil)
        #expect(try Checkpoint(decoding: checkpoint.encoded()) == checkpoint)
        checkpoint.version = 1
        checkpoint.deadLetterEnd = nil
        #expect(try Checkpoint(decoding: checkpoint.encoded()) == checkpoint)
    }
}
