import EddyLog
import Testing

@testable import EddyStream

@Suite struct DeadLetterTests {
    @Test func undecodableRecordsGoToTheDeadLetterTopicWithHeadersAndAreCounted() async throws {
        let log = try Fixtures.log()
        let good = Fixtures.motion("2024-08-23T15:00:00Z", "Caixa", duration: 2)
        try log.append(
            [
                ProducerRecord(value: Array(good.utf8)),
                ProducerRecord(key: Array("k".utf8), value: Array("[1, 2]".utf8)),
                ProducerRecord(value: [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]),  // {"\xFF":1}
                ProducerRecord(value: Array(#"{"location": "Caixa", "duration": "#.utf8)),
                // A mistyped field is not a dead letter: it becomes null (from_json semantics).
                ProducerRecord(value: Array(#"{"location": "Caixa", "duration": "long"}"#.utf8)),
                ProducerRecord(value: Array(good.utf8)),
            ], to: TopicPartition("motion", 0))
        let sink = CollectingSink()
        let pipeline = Pipeline("dlq").source(topic: "motion", schema: Fixtures.motionSchema)
            .groupBy("location").aggregate(.count(as: "n"), .count("duration", as: "with_duration"))
            .output(mode: .complete, to: sink)
        let runner = try PipelineRunner(pipeline, log: log, dataDirectory: nil, clock: ManualClock())
        try await runner.step()
        #expect(sink.last?.rows == [[.string("Caixa"), .int(3), .int(2)]])
        let status = runner.status
        #expect(status.recordsIn == 6)
        #expect(status.deadLetters == 3)
        #expect(status.recentDeadLetters.map(\.offset) == [1, 2, 3])
        #expect(
            status.recentDeadLetters.map(\.reason) == ["not_an_object", "invalid_utf8", "malformed_json"])
        // The bad values themselves, for the dashboard (invalid UTF-8 shown with replacement characters).
        #expect(
            status.recentDeadLetters.map(\.value) == [
                "[1, 2]", "{\"\u{FFFD}\":1}", #"{"location": "Caixa", "duration": "#,
            ])

        let dead = try log.read(TopicPartition("motion.dlq", 0), from: 0, maxBytes: 1 << 20)
        var records: [(value: [UInt8], key: [UInt8]?, headers: [Header])] = []
        dead.forEach { records.append((Array($0.value), $0.key.map { Array($0) }, $0.headers())) }
        #expect(records.count == 3)
        #expect(records[0].value == Array("[1, 2]".utf8))
        #expect(records[0].key == Array("k".utf8))
        let headers = Dictionary(
            records[1].headers.map { ($0.key, String(decoding: $0.value ?? [], as: UTF8.self)) },
            uniquingKeysWith: { a, _ in a })
        #expect(headers["eddy.dlq.reason"] == "invalid_utf8")
        #expect(headers["eddy.source.topic"] == "motion")
        #expect(headers["eddy.source.partition"] == "0")
        #expect(headers["eddy.source.offset"] == "2")
        #expect(records[1].value == [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D])
    }

    @Test func aConfiguredDeadLetterTopicIsUsed() async throws {
        let log = try Fixtures.log()
        try Fixtures.produce(log, ["not json", "42"])
        let pipeline = Pipeline("dlq2").source(topic: "motion", schema: Fixtures.motionSchema)
            .deadLetters(to: "bad-motion")
            .output(mode: .append, to: CollectingSink())
        let runner = try PipelineRunner(pipeline, log: log, dataDirectory: nil, clock: ManualClock())
        try await runner.step()
        #expect(try log.offsets(of: TopicPartition("bad-motion", 0)).end == 2)
        #expect(runner.status.deadLetters == 2)
    }
}
