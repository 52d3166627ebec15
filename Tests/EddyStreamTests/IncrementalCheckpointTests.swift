import EddyLog
import Foundation
import Testing

@testable import EddyStream

/// Incremental checkpoints: a base plus deltas restores exactly the live state, a torn delta is ignored,
/// compaction replaces the chain, and the fingerprint refuses a checkpoint of another plan.
@Suite struct IncrementalCheckpointTests {
    typealias Random = BatchDifferentialTests.Random

    static let schema: Schema = [Column("k", .string), Column("t", .timestamp), Column("v", .int)]

    enum Shape: CaseIterable { case plain, tumbling, session }

    static func shaped(_ shape: Shape) -> Pipeline {
        let base = Pipeline("p").source(topic: "t", schema: schema)
        switch shape {
        case .plain:
            return base.groupBy("k")
                .aggregate(
                    .count(as: "n"), .sum("v", as: "s"), .countDistinct("v", as: "d"), .max("v", as: "m"),
                    .avg("v", as: "a")
                )
                .output(mode: .update, to: CollectingSink())
        case .tumbling:
            return base.withWatermark("t", delay: .seconds(5))
                .groupBy(.tumbling(on: "t", size: .seconds(10)), "k")
                .aggregate(.count(as: "n"), .sum("v", as: "s"), .min("v", as: "lo"))
                .output(mode: .append, to: CollectingSink())
        case .session:
            return base.withWatermark("t", delay: .seconds(5))
                .groupBy(.session(on: "t", gap: .seconds(3)), "k")
                .aggregate(.count(as: "n"), .sum("v", as: "s"))
                .output(mode: .append, to: CollectingSink())
        }
    }

    /// A snapshot in a canonical order, so two states compare equal whatever their dictionaries' order.
    static func canonical(_ s: AggregationOperator.Snapshot) -> AggregationOperator.Snapshot {
        var s = s
        s.groups.sort { "\($0.key)" < "\($1.key)" }
        s.sessions.sort { "\($0.key)" < "\($1.key)" }
        return s
    }

    static func checkpoint(_ snapshot: AggregationOperator.Snapshot, sequence: Int64) -> Checkpoint {
        Checkpoint(
            pipeline: "p", fingerprint: "f", topic: "t", offsets: [0: sequence], recordsIn: 0, deadLetters: 0,
            writtenAtMillis: 0,
            outputs: [
                OutputCheckpoint(table: "p", nextBatchId: 0, rowsOut: 0, lateRows: 0, aggregation: snapshot)
            ],
            generation: 1, sequence: sequence)
    }

    @Test(arguments: Shape.allCases)
    func baseAndDeltasRestoreTheLiveStateForRandomUpdates(_ shape: Shape) throws {
        let plan = try Self.shaped(shape).build()
        let aggregation = try #require(plan.outputs[0].aggregation)
        let mode = plan.outputs[0].table.mode
        for seed in 0..<12 {
            var r = Random(state: UInt64(seed) &* 7919 &+ 1)
            let live = AggregationOperator(plan: aggregation, tracksChanges: mode == .update)
            var base: [UInt8]?
            var deltas: [[UInt8]] = []
            var now: Int64 = 1_700_000_000_000_000
            var checkpoints = 0
            var evicted = false
            for _ in 0..<40 {
                for _ in 0..<r.int(0...30) {
                    // Mostly forward, sometimes back in time (late rows), keys from a small set.
                    now += Int64(r.int(-1_000...2_000)) * 1000
                    let row: Row = [
                        .string("k\(r.int(0...9))"), .timestamp(now),
                        r.chance(0.1) ? .null : .int(Int64(r.int(-5...50))),
                    ]
                    live.process(row) { _ in }
                }
                _ = live.finishBatch(mode: mode)
                evicted =
                    evicted || !live.removedKeys.isEmpty
                    || live.changedSessionKeys.contains { live.sessions[$0] == nil }
                guard r.chance(0.5) else { continue }
                checkpoints += 1
                if base == nil || r.chance(0.1) {
                    base = Self.checkpoint(live.snapshot(), sequence: 0).encoded()
                    live.forgetChanges()
                    deltas = []
                } else {
                    deltas.append(
                        Self.checkpoint(live.takeChanges(), sequence: Int64(deltas.count + 1)).encoded())
                }
                let restored = AggregationOperator(plan: aggregation)
                let decodedBase = try Checkpoint(decoding: try #require(base))
                restored.restore(try #require(decodedBase.outputs[0].aggregation))
                var chain = CheckpointChain(base: decodedBase, baseBytes: 0)
                for bytes in deltas {
                    let delta = try Checkpoint(decoding: bytes)
                    restored.apply(try #require(delta.outputs[0].aggregation))
                    chain.deltas.append(delta)
                }
                let expected = Self.canonical(live.snapshot())
                #expect(Self.canonical(restored.snapshot()) == expected, "seed \(seed)")
                #expect(Self.canonical(try #require(chain.folded().outputs[0].aggregation)) == expected)
            }
            #expect(checkpoints > 5)
            if shape != .plain { #expect(evicted, "the watermark never closed a window (seed \(seed))") }
        }
    }

    @Test func aDeltaHoldsOnlyTheChangedGroups() throws {
        let plan = try Self.shaped(.plain).build()
        let live = AggregationOperator(plan: try #require(plan.outputs[0].aggregation))
        for i in 0..<5000 { live.process([.string("g\(i)"), .timestamp(0), .int(1)]) { _ in } }
        _ = live.finishBatch(mode: .update)
        let full = Self.checkpoint(live.snapshot(), sequence: 0).encoded().count
        live.forgetChanges()
        for i in stride(from: 0, to: 5000, by: 500) {
            for _ in 0..<3 { live.process([.string("g\(i)"), .timestamp(0), .int(2)]) { _ in } }
        }
        let delta = live.takeChanges()
        #expect(delta.groups.count == 10)
        #expect(Self.checkpoint(delta, sequence: 1).encoded().count * 100 < full)
        #expect(live.takeChanges().groups.isEmpty)
    }

    // MARK: Through the runner and the checkpoint folder

    let locations = ["Entrada", "Corredor_A", "Corredor_B", "Caixa"]

    private func events(_ range: Range<Int>) -> [String] {
        range.map { i in
            Fixtures.motion(
                "2024-08-23T15:\(String(format: "%02d", i / 60 % 60)):\(String(format: "%02d", i % 60))Z",
                locations[i % locations.count], duration: Double(i % 13) + 0.25, traffic: i % 5,
                customer: "Cliente_\(i % 97)")
        }
    }

    private func pipeline(_ sink: some Sink, filter: EddyStream.Expression = col("duration").isNotNull)
        -> Pipeline
    {
        Pipeline("inc").source(topic: "motion", schema: Fixtures.motionSchema)
            .filter(filter)
            .groupBy("customer_id", "location")
            .aggregate(.sum("duration", as: "total_duration"), .count(as: "n"))
            .output(mode: .update, to: sink)
            .checkpointInterval(.zero)
    }

    private func runner(
        _ pipeline: Pipeline, _ log: MemoryLog, _ directory: String, policy: CompactionPolicy
    ) throws -> PipelineRunner {
        var store = CheckpointStore(dataDirectory: directory, pipeline: pipeline.name)
        store.compaction = policy
        return try PipelineRunner(plan: pipeline.build(), log: log, checkpoints: store, clock: ManualClock())
    }

    private func table(_ table: LiveTable) -> [String: [String]] {
        Fixtures.keyed(
            SinkBatch(
                pipeline: "", table: "", batchId: 0, mode: .complete, columns: table.columns,
                keyColumns: table.keyColumns, rows: table.rows, offsets: [:]))
    }

    private func uninterrupted(_ all: [String]) async throws -> [String: [String]] {
        let log = try Fixtures.log(partitions: 2)
        try Fixtures.produce(log, all)
        let live = LiveTable("t")
        try await PipelineRunner(pipeline(live), log: log, dataDirectory: nil, clock: ManualClock()).step()
        return table(live)
    }

    private func files(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/checkpoints/inc")) ?? [])
            .sorted()
    }

    /// First life: batches of `sizes` events, each checkpointed, then a "crash" (no stop).
    private func firstLife(
        _ log: MemoryLog, _ directory: String, _ all: [String], sizes: [Int], policy: CompactionPolicy
    ) async throws -> PipelineStatus {
        let runner = try runner(pipeline(LiveTable("t")), log, directory, policy: policy)
        var at = 0
        for size in sizes {
            try Fixtures.produce(log, Array(all[at..<(at + size)]))
            at += size
            try await runner.step()
        }
        return runner.status
    }

    private func secondLife(
        _ log: MemoryLog, _ directory: String, _ all: [String], from: Int, policy: CompactionPolicy
    ) async throws -> (table: [String: [String]], status: PipelineStatus) {
        try Fixtures.produce(log, Array(all[from...]))
        let live = LiveTable("t")
        let runner = try runner(pipeline(live), log, directory, policy: policy)
        try await runner.step()
        return (table(live), runner.status)
    }

    @Test func restartFromBasePlusDeltasEqualsUninterruptedRun() async throws {
        let all = events(0..<900)
        let expected = try await uninterrupted(all)
        let directory = Fixtures.temporaryDirectory()
        let log = try Fixtures.log(partitions: 2)
        let policy = CompactionPolicy(maxDeltas: 100, maxDeltaFraction: 100)
        let status = try await firstLife(log, directory, all, sizes: [400, 20, 30, 10], policy: policy)
        #expect(files(directory).filter { $0.hasPrefix("delta-1-") }.count == 3)
        #expect(status.checkpointDeltas == 3)
        #expect(status.checkpointBytesLast > 0 && status.checkpointBytesTotal > status.checkpointBytesLast)
        #expect(status.stateBytes > 0)
        let base = try FileManager.default.attributesOfItem(
            atPath: directory + "/checkpoints/inc/checkpoint.bin")
        // The last batch touched at most 10 of ~390 groups.
        #expect(status.checkpointBytesLast * 5 < (base[.size] as? Int64 ?? 0))
        let (restarted, after) = try await secondLife(log, directory, all, from: 460, policy: policy)
        #expect(restarted == expected)
        #expect(after.recordsIn == 900)
    }

    @Test func aTornLastDeltaIsIgnoredAndItsBatchReplayed() async throws {
        let all = events(0..<600)
        let expected = try await uninterrupted(all)
        let directory = Fixtures.temporaryDirectory()
        let log = try Fixtures.log(partitions: 2)
        let policy = CompactionPolicy(maxDeltas: 100, maxDeltaFraction: 100)
        _ = try await firstLife(log, directory, all, sizes: [300, 50, 50], policy: policy)
        // The last delta loses its tail, as if the disk lost the end of a write.
        let torn = directory + "/checkpoints/inc/delta-1-2.bin"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: torn))
        try bytes.prefix(bytes.count - 5).write(to: URL(fileURLWithPath: torn))
        let store = CheckpointStore(dataDirectory: directory, pipeline: "inc")
        let chain = try #require(try store.loadChain())
        #expect(chain.deltas.count == 1)
        #expect(chain.latest.offsets.values.reduce(0, +) == 350)
        #expect(!FileManager.default.fileExists(atPath: torn))
        let (restarted, after) = try await secondLife(log, directory, all, from: 400, policy: policy)
        #expect(restarted == expected)
        #expect(after.recordsIn == 600)
    }

    @Test func compactionWritesANewBaseAndDeletesOldDeltas() async throws {
        let all = events(0..<800)
        let expected = try await uninterrupted(all)
        let directory = Fixtures.temporaryDirectory()
        let log = try Fixtures.log(partitions: 2)
        let policy = CompactionPolicy(maxDeltas: 2, maxDeltaFraction: 100)
        // base(gen 1), delta 1, delta 2, base(gen 2), delta 1
        _ = try await firstLife(log, directory, all, sizes: [300, 10, 10, 10, 10], policy: policy)
        #expect(files(directory).filter { $0.hasPrefix("delta-") } == ["delta-2-1.bin"])
        let chain = try #require(try CheckpointStore(dataDirectory: directory, pipeline: "inc").loadChain())
        #expect(chain.base.generation == 2 && chain.deltas.count == 1)
        // A small fraction compacts as soon as the deltas add up to it.
        let (restarted, _) = try await secondLife(log, directory, all, from: 340, policy: policy)
        #expect(restarted == expected)
    }

    @Test func aDeltaLargerThanTheFractionBecomesABase() async throws {
        let directory = Fixtures.temporaryDirectory()
        let log = try Fixtures.log(partitions: 2)
        let all = events(0..<700)
        // The second batch changes every group: its delta would exceed half the base.
        _ = try await firstLife(
            log, directory, all, sizes: [300, 400],
            policy: CompactionPolicy(maxDeltas: 100, maxDeltaFraction: 0.5))
        let chain = try #require(try CheckpointStore(dataDirectory: directory, pipeline: "inc").loadChain())
        #expect(chain.base.generation == 2 && chain.deltas.isEmpty)
    }

    // MARK: Fingerprint

    @Test func aChangedExpressionIsRefusedWithTheDifference() async throws {
        let directory = Fixtures.temporaryDirectory()
        let log = try Fixtures.log(partitions: 1)
        try Fixtures.produce(log, events(0..<50))
        let first = try PipelineRunner(
            pipeline(LiveTable("t"), filter: col("duration") > 1.0), log: log, dataDirectory: directory,
            clock: ManualClock())
        try await first.step()
        let second = try PipelineRunner(
            pipeline(LiveTable("t"), filter: col("duration") > 2.0), log: log, dataDirectory: directory,
            clock: ManualClock())
        await #expect {
            try await second.resume()
        } throws: { error in
            guard case .checkpointMismatch(_, let detail)? = error as? PipelineError else { return false }
            return detail.contains("2.0") || detail.contains("> 2")
        }
    }

    @Test func anUnnamedClosureMakesThePipelineNonResumable() async throws {
        let directory = Fixtures.temporaryDirectory()
        let log = try Fixtures.log(partitions: 1)
        try Fixtures.produce(log, events(0..<50))
        func closurePipeline(_ name: String?) -> Pipeline {
            let base = Pipeline("closure").source(topic: "motion", schema: Fixtures.motionSchema)
            let filtered =
                if let name { base.filter(name) { !$0.isNull("location") } } else {
                    base.filter { !$0.isNull("location") }
                }
            return filtered.groupBy("location").aggregate(.count(as: "n")).output(
                mode: .update, to: LiveTable("t")
            )
            .checkpointInterval(.zero)
        }
        #expect(
            try closurePipeline(nil).build().unnamedClosures == ["'filter {closure}' of output 'closure'"])
        // Without a checkpoint it runs (and checkpoints); resuming that checkpoint is refused.
        try await PipelineRunner(
            closurePipeline(nil), log: log, dataDirectory: directory, clock: ManualClock()
        )
        .step()
        await #expect {
            try await PipelineRunner(
                closurePipeline(nil), log: log, dataDirectory: directory, clock: ManualClock()
            ).resume()
        } throws: { error in
            guard case .checkpointNotResumable(_, _, let stage)? = error as? PipelineError else {
                return false
            }
            return stage.contains("filter {closure}") && "\(error)".contains("name it")
        }
        // Named, it resumes its own checkpoint; renamed (the code changed meaning), it is refused.
        try CheckpointStore(dataDirectory: directory, pipeline: "closure").reset()
        try await PipelineRunner(
            closurePipeline("located"), log: log, dataDirectory: directory, clock: ManualClock()
        )
        .step()
        try await PipelineRunner(
            closurePipeline("located"), log: log, dataDirectory: directory, clock: ManualClock()
        )
        .resume()
        await #expect(throws: PipelineError.self) {
            try await PipelineRunner(
                closurePipeline("located-v2"), log: log, dataDirectory: directory, clock: ManualClock()
            ).resume()
        }
    }

    @Test func groupKeysPrintTheirExpressionWhenRenamed() throws {
        let a = Pipeline("g").source(topic: "motion", schema: Fixtures.motionSchema)
            .groupBy(keys: [col("location").as("k")]).aggregate(.count(as: "n")).output(
                mode: .update, to: LiveTable("t"))
        let b = Pipeline("g").source(topic: "motion", schema: Fixtures.motionSchema)
            .groupBy(keys: [col("customer_id").as("k")]).aggregate(.count(as: "n"))
            .output(mode: .update, to: LiveTable("t"))
        #expect(try a.build().fingerprint != b.build().fingerprint)
        // Plain column keys keep the fingerprint they always had, so existing checkpoints still resume.
        let c = Pipeline("g").source(topic: "motion", schema: Fixtures.motionSchema)
            .groupBy("location").aggregate(.count(as: "n")).output(mode: .update, to: LiveTable("t"))
        #expect(try c.build().fingerprint.contains("groupBy location agg"))
    }
}
