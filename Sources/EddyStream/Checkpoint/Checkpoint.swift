import EddyLog

/// Everything a pipeline needs to resume exactly where it stood: source offsets and operator state, in ONE
/// file, so they can never disagree. Written after a batch's results reached its sinks.
struct Checkpoint: Codable, Sendable, Equatable {
    var version: Int = 1
    var pipeline: String
    var fingerprint: String
    var topic: String
    /// Next offset to read, per partition.
    var offsets: [Int: Offset]
    var recordsIn: Int64
    var deadLetters: Int64
    var writtenAtMillis: Int64
    var outputs: [OutputCheckpoint]
}

struct OutputCheckpoint: Codable, Sendable, Equatable {
    var table: String
    var nextBatchId: Int64
    var rowsOut: Int64
    var lateRows: Int64
    var aggregation: AggregationOperator.Snapshot?
}
