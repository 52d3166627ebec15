extension FileLog {
    /// Deletes whole segments that retention no longer keeps, in every topic this process writes.
    /// Returns the number of segments deleted.
    @discardableResult
    public func enforceRetention() throws(LogError) -> Int {
        let now = clock.now()
        var deleted = 0
        for topic in openTopics where topic.hasWriterLock {
            for partition in topic.partitions { deleted += try partition.enforceRetention(now: now) }
        }
        return deleted
    }

    /// `fsync`s every partition with unflushed appends.
    public func flush() throws(LogError) {
        for topic in openTopics {
            for partition in topic.partitions { try partition.flushIfDue(intervalNanos: 0) }
        }
    }
}
