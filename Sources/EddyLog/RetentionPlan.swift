/// Which whole segments retention deletes, shared by ``FileLog`` and ``MemoryLog`` so both follow the same
/// rules (Kafka's):
///
/// - by age: leading segments whose newest record timestamp is older than `now - retentionMillis`. When
///   even the active segment is entirely expired, it is rolled first so it can go too (the partition then
///   holds no records; its start offset equals its end offset).
/// - by size: leading inactive segments are deleted while the partition would still hold at least
///   `retentionBytes` without them (Kafka's rule: retention.bytes is the size kept, rounded up to whole
///   segments).
///
/// The start offset moves to the base offset of the first kept segment.
struct RetentionPlan: Equatable {
    struct Segment {
        var bytes: Int64
        var maxTimestamp: TimestampMillis
        var isEmpty: Bool
    }

    var rollActive: Bool
    var deleteCount: Int

    /// `segments` are in offset order; the last is the active one.
    static func plan(segments: [Segment], config: TopicConfig, now: TimestampMillis) -> RetentionPlan {
        var deleteCount = 0
        var rollActive = false
        if let retention = config.retentionMillis {
            let cutoff = now - retention
            while deleteCount < segments.count {
                let segment = segments[deleteCount]
                if segment.isEmpty || segment.maxTimestamp >= cutoff { break }
                deleteCount += 1
            }
            if deleteCount == segments.count { rollActive = true }
        }
        if let limit = config.retentionBytes {
            var total = segments.reduce(Int64(0)) { $0 + $1.bytes }
            for segment in segments[..<deleteCount] { total -= segment.bytes }
            while deleteCount < segments.count - 1, total - segments[deleteCount].bytes >= limit {
                total -= segments[deleteCount].bytes
                deleteCount += 1
            }
        }
        return RetentionPlan(rollActive: rollActive, deleteCount: deleteCount)
    }
}
