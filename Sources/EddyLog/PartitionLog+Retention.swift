import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension PartitionLog {
    /// Deletes whole segments per the topic's retention; returns how many.
    func enforceRetention(now: TimestampMillis) throws(LogError) -> Int {
        try state.withLock { (s) throws(LogError) -> Int in
            guard s.isWriter else { return 0 }
            return try applyRetention(&s, now: now)
        }
    }

    @discardableResult
    func applyRetention(_ s: inout State, now: TimestampMillis) throws(LogError) -> Int {
        let plan = RetentionPlan.plan(
            segments: s.segments.map {
                RetentionPlan.Segment(bytes: $0.size, maxTimestamp: $0.maxTimestamp, isEmpty: $0.isEmpty)
            }, config: s.config, now: now)
        guard plan.deleteCount > 0 else { return 0 }
        if plan.rollActive { try roll(&s) }
        let doomed = s.segments[..<plan.deleteCount]
        s.segments.removeFirst(plan.deleteCount)
        for segment in doomed { try segment.deleteFiles() }
        if s.policy != .os { try FileSystem.syncDirectory(directory) }
        logger.info(
            "retention deleted \(plan.deleteCount) segment(s) of \(topicPartition); log now starts at offset \(s.start)"
        )
        return plan.deleteCount
    }
}
