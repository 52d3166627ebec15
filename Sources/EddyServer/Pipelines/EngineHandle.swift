public import EddyLog
public import EddyStream

/// A running engine pipeline seen through ``PipelineHandle``: its runner's status, translated, and the live
/// tables its outputs write to. Partition positions come from the status's lag and the log's end offsets.
///
/// ```swift
/// let retail = RetailPipeline()
/// let runner = try PipelineRunner(plan: retail.pipeline(display: nil, to: nil).build(), log: log, checkpoints: store)
/// let handle = EngineHandle(runner: runner, tables: retail.liveTables, log: log)
/// let server = EddyServer(pipelines: [handle], log: log)
/// ```
public struct EngineHandle: PipelineHandle {
    public let runner: PipelineRunner
    public let tables: [any LiveTableReader]
    let log: any Log

    public init(runner: PipelineRunner, tables: [any LiveTableReader], log: any Log) {
        self.runner = runner
        self.tables = tables
        self.log = log
    }

    public var name: String { runner.plan.name }

    public var state: PipelineSnapshot.State {
        PipelineSnapshot.State(rawValue: runner.state.rawValue) ?? .running
    }

    public func status() -> PipelineSnapshot {
        let status = runner.status
        var partitions: [PartitionProgress] = []
        for (partition, lag) in status.lag {
            let end = (try? log.offsets(of: TopicPartition(status.topic, partition)).end) ?? lag
            partitions.append(
                PartitionProgress(
                    topic: status.topic, partition: partition, position: max(0, end - lag), endOffset: end))
        }
        partitions.sort { $0.partition < $1.partition }
        var lastBatch: BatchSummary?
        if let id = status.lastBatchId, let finished = status.lastBatchMillis {
            lastBatch = BatchSummary(
                id: id, finishedAtMicros: finished * 1000, durationMillis: status.lastBatchDurationMillis ?? 0
            )
        }
        return PipelineSnapshot(
            state: PipelineSnapshot.State(rawValue: status.state.rawValue) ?? .running,
            sources: [status.topic],
            partitions: partitions,
            recordsIn: status.recordsIn,
            recordsOut: status.recordsOut,
            recordsPerSecond: status.recordsPerSecond,
            deadLetters: status.deadLetters,
            lateRecords: status.lateRows,
            lastBatch: lastBatch,
            checkpointAgeSeconds: status.checkpointAgeMillis.map { Double($0) / 1000 },
            recentDeadLetters: status.recentDeadLetters.map {
                DeadLetterSummary(
                    reason: $0.reason, topic: status.topic, partition: $0.partition, offset: $0.offset,
                    detail: String($0.detail.prefix(300)), value: $0.value)
            },
            error: status.error)
    }
}
