/// A running pipeline's figures at one moment, for the API, the dashboard and `eddy` status lines.
///
/// ```swift
/// let status = runner.status
/// print(status.state, status.recordsIn, status.recordsPerSecond, status.lag)
/// ```
public struct PipelineStatus: Sendable, Codable, Hashable {
    public enum State: String, Sendable, Codable, Hashable {
        case starting, running, stopping, stopped, failed
    }

    public var name: String
    public var topic: String
    public var state: State
    /// Set when `state` is `failed`.
    public var error: String?
    public var trigger: String
    public var tables: [String]
    public var recordsIn: Int64 = 0
    public var recordsOut: Int64 = 0
    /// Input rate over the last batch interval.
    public var recordsPerSecond: Double = 0
    /// Records not yet read, per partition.
    public var lag: [Int: Int64] = [:]
    public var deadLetters: Int64 = 0
    public var lateRows: Int64 = 0
    public var stateRows: Int = 0
    /// The state's encoded size, estimated from the last full checkpoint's bytes per group.
    public var stateBytes: Int64 = 0
    /// Bytes the last checkpoint wrote (a delta: the changed groups; a base: the whole state), and in all
    /// since the start.
    public var checkpointBytesLast: Int64 = 0
    public var checkpointBytesTotal: Int64 = 0
    /// Deltas written on the current base since the last compaction.
    public var checkpointDeltas: Int = 0
    public var lastBatchId: Int64?
    public var lastBatchMillis: Int64?
    public var lastBatchDurationMillis: Double?
    public var lastCheckpointMillis: Int64?
    /// Milliseconds since the last checkpoint, when the snapshot was taken.
    public var checkpointAgeMillis: Int64?
    public var recentDeadLetters: [DeadLetterEntry] = []

    public var totalLag: Int64 { lag.values.reduce(0, +) }
}
