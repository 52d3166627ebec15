/// A pipeline's progress and health at one moment, as `GET /api/pipelines/{name}` shows it (the
/// server's view; ``EngineHandle`` fills it from the engine's `PipelineStatus`).
///
/// ```swift
/// var status = PipelineSnapshot(state: .running)
/// status.partitions = [PartitionProgress(topic: "motion", partition: 0, position: 90, endOffset: 100)]
/// status.partitions[0].lag  // 10
/// ```
public struct PipelineSnapshot: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        case starting, running, stopping, stopped, failed
    }

    public var state: State
    /// Topics the pipeline reads.
    public var sources: [String]
    public var partitions: [PartitionProgress]
    /// Records read since the pipeline started (this process).
    public var recordsIn: Int64
    /// Result rows written to sinks since the pipeline started.
    public var recordsOut: Int64
    /// Input records per second over the last few seconds.
    public var recordsPerSecond: Double
    /// Records sent to the dead-letter topic (unparseable or invalid).
    public var deadLetters: Int64
    /// Records that arrived behind the watermark and were routed aside.
    public var lateRecords: Int64
    public var lastBatch: BatchSummary?
    /// Seconds since the last checkpoint (or sink commit); nil before the first one.
    public var checkpointAgeSeconds: Double?
    /// The most recent dead letters, newest last; a handful, for the dashboard.
    public var recentDeadLetters: [DeadLetterSummary]
    /// Why the pipeline failed, when it did.
    public var error: String?

    public init(
        state: State, sources: [String] = [], partitions: [PartitionProgress] = [], recordsIn: Int64 = 0,
        recordsOut: Int64 = 0, recordsPerSecond: Double = 0, deadLetters: Int64 = 0, lateRecords: Int64 = 0,
        lastBatch: BatchSummary? = nil, checkpointAgeSeconds: Double? = nil,
        recentDeadLetters: [DeadLetterSummary] = [], error: String? = nil
    ) {
        self.state = state
        self.sources = sources
        self.partitions = partitions
        self.recordsIn = recordsIn
        self.recordsOut = recordsOut
        self.recordsPerSecond = recordsPerSecond
        self.deadLetters = deadLetters
        self.lateRecords = lateRecords
        self.lastBatch = lastBatch
        self.checkpointAgeSeconds = checkpointAgeSeconds
        self.recentDeadLetters = recentDeadLetters
        self.error = error
    }

    /// Total records not yet read across all partitions.
    public var totalLag: Int64 { partitions.reduce(0) { $0 + $1.lag } }
}

/// How far a pipeline has read one source partition.
public struct PartitionProgress: Sendable, Hashable {
    public var topic: String
    public var partition: Int
    /// The next offset the pipeline will read.
    public var position: Int64
    /// One past the partition's last record.
    public var endOffset: Int64

    public init(topic: String, partition: Int, position: Int64, endOffset: Int64) {
        self.topic = topic
        self.partition = partition
        self.position = position
        self.endOffset = endOffset
    }

    public var lag: Int64 { max(0, endOffset - position) }
}

/// The last completed batch of a pipeline.
public struct BatchSummary: Sendable, Hashable {
    public var id: Int64
    /// When it finished, microseconds since the Unix epoch.
    public var finishedAtMicros: Int64
    public var durationMillis: Double

    public init(id: Int64, finishedAtMicros: Int64, durationMillis: Double) {
        self.id = id
        self.finishedAtMicros = finishedAtMicros
        self.durationMillis = durationMillis
    }
}

/// One record that went to the dead-letter topic, with the reason.
public struct DeadLetterSummary: Sendable, Hashable {
    public var reason: String
    public var topic: String
    public var partition: Int
    public var offset: Int64
    /// What exactly was wrong (the parser's message, the field), bounded for display.
    public var detail: String
    /// The start of the record's value, bounded for display.
    public var value: String

    public init(
        reason: String, topic: String, partition: Int, offset: Int64, detail: String, value: String = ""
    ) {
        self.value = value
        self.reason = reason
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.detail = detail
    }
}
