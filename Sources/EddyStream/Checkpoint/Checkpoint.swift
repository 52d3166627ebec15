import EddyLog

/// Everything a pipeline needs to resume exactly where it stood: source offsets and operator state, in ONE
/// file, so they can never disagree. Written after a batch's results reached its sinks.
///
/// A full checkpoint (``sequence`` 0, the folder's base) holds the whole state; a delta (``sequence`` 1, 2 …
/// on the base of the same ``generation``) holds only the groups changed or removed since the previous
/// checkpoint, with complete offsets and counters. Restore = base, then its deltas in order.
struct Checkpoint: Codable, Sendable, Equatable {
    var version: Int = 3
    var pipeline: String
    var fingerprint: String
    var topic: String
    /// Next offset to read, per partition.
    var offsets: [Int: Offset]
    var recordsIn: Int64
    var deadLetters: Int64
    var writtenAtMillis: Int64
    var outputs: [OutputCheckpoint]
    /// End offset of the dead-letter topic when the checkpoint was written (nil: the topic did not exist, or a
    /// version 1 checkpoint). Dead letters past it came from batches after the checkpoint; the restore reads
    /// them so the replay does not append them again (see ``DeadLetterQueue``).
    var deadLetterEnd: Offset? = nil
    /// The same for the late-rows topic.
    var lateRowsEnd: Offset? = nil
    /// Which base this belongs to: compaction writes a new base with the next generation.
    var generation: Int64 = 0
    /// 0 for a base (full state); n for the n-th delta on the base of ``generation``.
    var sequence: Int64 = 0

    var isDelta: Bool { sequence > 0 }
}

struct OutputCheckpoint: Codable, Sendable, Equatable {
    var table: String
    var nextBatchId: Int64
    var rowsOut: Int64
    var lateRows: Int64
    var aggregation: AggregationOperator.Snapshot?
}
