import Foundation
import Logging

extension FileLog {
    /// Changes a topic's retention (nil keeps records forever, as does a negative value, Kafka's -1),
    /// durably (`topic.json` is replaced atomically), and applies it at once. Takes the topic's writer lock.
    @discardableResult
    public func setRetention(of topic: String, millis: Int64?, bytes: Int64?) throws(LogError)
        -> TopicDescription
    {
        let t = try self.topic(topic)
        try t.acquireWriterLock()
        var config = t.config
        config.retentionMillis = millis.flatMap { $0 < 0 ? nil : $0 }
        config.retentionBytes = bytes.flatMap { $0 < 0 ? nil : $0 }
        let path = t.directory + "/topic.json"
        let json: Data
        do {
            json = try JSONEncoder().encode(config)
        } catch {
            throw .corrupt(path: path, detail: "cannot encode the topic config: \(error)")
        }
        try FileSystem.writeAtomically(Array(json), to: path)
        t.update(config: config)
        let now = clock.now()
        for partition in t.partitions { _ = try partition.enforceRetention(now: now) }
        logger.info(
            "topic \(topic): retention set to \(config.retentionMillis.map { "\($0) ms" } ?? "unlimited time"), \(config.retentionBytes.map { "\($0) bytes" } ?? "unlimited size")"
        )
        return t.describe()
    }

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
