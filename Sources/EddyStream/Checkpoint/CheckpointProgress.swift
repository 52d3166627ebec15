/// Where a running pipeline's checkpoint folder stands: the base's generation and size, the deltas written
/// on it, and the bytes checkpoints wrote (for the status and `/metrics`).
struct CheckpointProgress: Sendable {
    var generation: Int64 = 0
    /// Deltas on the current base.
    var sequence: Int64 = 0
    var baseBytes = 0
    var deltaBytes = 0
    /// No usable base (none yet, or a write failed and a delta's changes may be lost): write one next.
    var needsBase = true
    var lastBytes = 0
    var totalBytes: Int64 = 0
    /// Encoded bytes per group in the last base, to estimate the state's size between bases.
    var bytesPerRow: Double = 0

    init() {}

    init(restoredFrom chain: CheckpointChain, stateRows: Int) {
        generation = chain.base.generation
        sequence = chain.latest.sequence
        baseBytes = chain.baseBytes
        deltaBytes = chain.deltaBytes
        needsBase = false
        bytesPerRow = Self.perRow(bytes: chain.baseBytes, rows: stateRows)
    }

    mutating func recordDelta(bytes: Int) {
        sequence += 1
        deltaBytes += bytes
        lastBytes = bytes
        totalBytes += Int64(bytes)
        needsBase = false
    }

    mutating func recordBase(generation: Int64, bytes: Int, stateRows: Int) {
        self.generation = generation
        sequence = 0
        baseBytes = bytes
        deltaBytes = 0
        lastBytes = bytes
        totalBytes += Int64(bytes)
        needsBase = false
        bytesPerRow = Self.perRow(bytes: bytes, rows: stateRows)
    }

    /// The state's encoded size now, estimated from the last base's bytes per group (0 before any base).
    func estimatedStateBytes(stateRows: Int) -> Int64 { Int64(bytesPerRow * Double(stateRows)) }

    private static func perRow(bytes: Int, rows: Int) -> Double {
        rows > 0 ? Double(bytes) / Double(rows) : 0
    }
}
