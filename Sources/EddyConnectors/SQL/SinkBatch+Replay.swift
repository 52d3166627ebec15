import EddyLog
import EddyStream

extension SinkBatch {
    /// Whether this batch was already applied to a table whose last batch is `lastBatchId` with `stored`
    /// offsets (see ``SQLOffsetTables``): its id is not newer and it reads nothing beyond what is stored.
    func isReplay(lastBatchId: Int64?, stored: SourceOffsets) -> Bool {
        guard let lastBatchId, batchId <= lastBatchId else { return false }
        return offsets.allSatisfy { topicPartition, next in (stored[topicPartition] ?? -1) >= next }
    }
}
