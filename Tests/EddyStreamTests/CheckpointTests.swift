import EddyLog
import Foundation
import Synchronization
import Testing

@testable import EddyStream

@Suite struct CheckpointTests {
    let locations = ["Entrada", "Corredor_A", "Corredor_B", "Caixa"]

    private func events(_ range: Range<Int>) -> [String] {
        range.map { i in
            Fixtures.motion(
                "2024-08-23T15:\(String(format: "%02d", i / 60 % 60)):\(String(format: "%02d", i % 60))Z",
                i % 7 == 0 ? nil : locations[i % locations.count], duration: Double(i % 13) + 0.25,
                traffic: i % 5,
                customer: "Cliente_\(i % 11)")
        }
    }

    private func pipeline(_ sink: some Sink) -> Pipeline {
        Pipeline("ckpt").source(topic: "motion", schema: Fixtures.motionSchema)
            .filter(col("duration").isNotNull && col("location").isNotNull)
            .groupBy("location")
            .aggregate(
                .sum("duration", as: "total_duration"), .sum("traffic_count", as: "total_traffic"),
                .avg("duration", as: "avg_duration"), .countDistinct("customer_id", as: "customers")
            )
            .output(mode: .update, to: sink)
            .checkpointInterval(.zero)
    }

    private func uninterrupted(_ all: [String]) async throws -> [String: [String]] {
        let log = try Fixtures.log(partitions: 2)
        try Fixtures.produce(log, all)
        let table = LiveTable("t")
        let runner = try PipelineRunner(pipeline(table), log: log, dataDirectory: nil, clock: ManualClock())
        try await runner.step()
        return Fixtures.keyed(
            SinkBatch(
                pipeline: "", table: "", batchId: 0, mode: .complete, columns: table.columns,
                keyColumns: table.keyColumns, rows: table.rows, offsets: [:]))
    }

    @Test func restartFromCheckpointAfterCrashEqualsUninterruptedRun() async throws {
        let all = events(0..<400)
        let expected = try await uninterrupted(all)
        let directory = Fixtures.temporaryDirectory()
        let log = try Fixtures.log(partitions: 2)
        // First life: two batches, checkpointed after each, then a "crash" (no stop, no close).
        do {
            let runner = try PipelineRunner(
                pipeline(LiveTable("t")), log: log, dataDirectory: directory, clock: ManualClock())
            try Fixtures.produce(log, Array(all[0..<150]))
            try await runner.step()
            try Fixtures.produce(log, Array(all[150..<250]))
            try await runner.step()
        }
        #expect(CheckpointStore(dataDirectory: directory, pipeline: "ckpt").exists)
        try Fixtures.produce(log, Array(all[250..<400]))
        // Second life: a fresh in-memory table; update mode re-sends all groups after the restore.
        let table = LiveTable("t")
        let runner = try PipelineRunner(
            pipeline(table), log: log, dataDirectory: directory, clock: ManualClock())
        try await runner.step()
        let restarted = Fixtures.keyed(
            SinkBatch(
                pipeline: "", table: "", batchId: 0, mode: .complete,
                columns: table.columns, keyColumns: table.keyColumns, rows: table.rows, offsets: [:]))
        #expect(restarted == expected)
        #expect(runner.status.recordsIn == 400)
        #expect(table.lastBatchId == 2)
    }

    @Test func crashBetweenSinkCommitAndCheckpointReplaysExactlyToTheSinkOffsets() async throws {
        let all = events(0..<300)
        let expected = try await uninterrupted(all)
        let directory = Fixtures.temporaryDirectory()
        let log = try Fixtures.log(partitions: 2)
        let database = OffsetStoringSink()
        do {
            // Checkpoints only at the first batch: later batches reach the sink but not the checkpoint.
            let p = pipeline(database).checkpointInterval(.seconds(3600))
            let runner = try PipelineRunner(p, log: log, dataDirectory: directory, clock: ManualClock())
            try Fixtures.produce(log, Array(all[0..<100]))
            try await runner.step()
            try Fixtures.produce(log, Array(all[100..<200]))
            try await runner.step()
        }
        let writesBefore = database.stored.withLock { $0.writes }
        try Fixtures.produce(log, Array(all[200..<300]))
        let runner = try PipelineRunner(
            pipeline(database).checkpointInterval(.seconds(3600)), log: log, dataDirectory: directory,
            clock: ManualClock())
        try await runner.step()
        let rows = database.stored.withLock { $0.rows }
        var actual: [String: [String]] = [:]
        for (key, row) in rows { actual[key.joined(separator: "|")] = row.map(\.renderedForDisplay) }
        #expect(actual == expected)
        // The replay of batch 1 was not sent again; only the new batch was.
        #expect(database.stored.withLock { $0.writes } == writesBefore + 1)
    }

    @Test func aCheckpointOfAnotherDefinitionIsRefused() async throws {
        let directory = Fixtures.temporaryDirectory()
        let log = try Fixtures.log()
        try Fixtures.produce(log, events(0..<10))
        let runner = try PipelineRunner(
            pipeline(CollectingSink()), log: log, dataDirectory: directory, clock: ManualClock())
        try await runner.step()
        let other = Pipeline("ckpt").source(topic: "motion", schema: Fixtures.motionSchema)
            .groupBy("id_sensor").count().output(mode: .complete, to: CollectingSink())
        let second = try PipelineRunner(other, log: log, dataDirectory: directory, clock: ManualClock())
        await #expect(throws: PipelineError.self) { try await second.step() }
        try CheckpointStore(dataDirectory: directory, pipeline: "ckpt").reset()
        try await second.step()
    }
}
