import Foundation
public import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The embedded, durable ``Log``: topics in a data directory, each partition a directory of segment files
/// holding Kafka v2 record batches, with sparse offset and time indexes.
///
/// ```swift
/// let log = try FileLog(directory: "./eddy-data")
/// try log.createTopic("motion", config: TopicConfig(partitions: 3))
/// try log.append([ProducerRecord(key: Array("Caixa".utf8), value: Array(json.utf8))], to: "motion")
/// let fetched = try log.read(TopicPartition("motion", 0), from: 0, maxBytes: 1 << 20)
/// ```
///
/// Layout: `<directory>/topics/<topic>/topic.json` (the ``TopicConfig``), `<topic>/writer.lock`,
/// `<topic>/<partition>/<baseOffset>.log|.index|.timeindex`, and `<directory>/consumer-groups/`.
///
/// **Durability** follows ``flushPolicy`` (see ``FlushPolicy``): with `.always` an append returns after
/// `fsync`; with `.interval` a background thread `fsync`s every `millis` milliseconds and whenever a
/// partition reaches `bytes` unflushed (see ``FlushPolicy``); with `.os` the kernel decides. Under every policy an append's bytes are in
/// the kernel before it returns, so they survive `kill -9`.
///
/// **Crash recovery.** Opening a topic for writing scans the active segment (and any sealed segment whose
/// indexes do not match its file), checks every batch's length and CRC-32C, truncates the file after the
/// last whole valid batch, logs what was dropped, and rebuilds the indexes.
///
/// **Several processes.** A process takes the topic's writer lock (`flock` on `writer.lock`) the first time
/// it creates, appends to, or deletes the topic, and keeps it until ``close()``; a second writer gets
/// ``LogError/locked(path:holder:)`` naming the holder's pid. Readers take no lock: they read only whole
/// batches whose CRC matches, below the file size they saw, and never modify files. A reading process
/// follows another process's appends by checking the active segment's size (and, at most every 20 ms,
/// the segment list) on each read; its ``waitForData(_:beyond:timeout:)`` polls that way every 20 ms,
/// while waiters in the writing process are woken directly by the append (waiting on a topic that does not
/// exist yet checks for it every 20 ms). A topic deleted or re-created by another process is noticed only by
/// reopening the log.
///
/// Segments are at most 1 GiB whatever ``TopicConfig/segmentBytes`` says (index positions are 32-bit, as
/// in Kafka).
///
/// **Retention** (``TopicConfig/retentionMillis``, ``TopicConfig/retentionBytes``) deletes whole segments
/// when a segment rolls, every `retentionCheckInterval`, and on ``enforceRetention()``.
public final class FileLog: Log {
    public static let defaultMaxRecordBytes = 1 << 20

    public let directory: String
    public let flushPolicy: FlushPolicy
    /// The largest key + value + headers size of one record.
    public let maxRecordBytes: Int
    public let consumerGroups: any ConsumerGroupStore

    let clock: LogClock
    let logger: Logger
    private let partitioner = Partitioner()
    private let topics = Mutex<[String: FileTopic]>([:])
    private let background: BackgroundFlusher
    /// The data directory and its `topics` directory as opened (device and inode: two, so a reused inode
    /// number alone does not hide a replacement), and what went wrong with them since, if anything.
    private let identity: [FileSystem.Identity?]
    private let lost = Mutex<LogError?>(nil)

    static let pollInterval: Duration = .milliseconds(20)

    /// Opens (creating if needed) the data directory. Topics are opened lazily on first use.
    public init(
        directory: String, flushPolicy: FlushPolicy = .default,
        maxRecordBytes: Int = FileLog.defaultMaxRecordBytes,
        clock: LogClock = .system, retentionCheckInterval: Duration = .seconds(300),
        logger: Logger = Logger(label: "eddy.log")
    ) throws(LogError) {
        self.directory = directory
        self.flushPolicy = flushPolicy
        self.maxRecordBytes = maxRecordBytes
        self.clock = clock
        self.logger = logger
        try FileSystem.makeDirectories(directory + "/topics")
        // Topics whose deletion a crash interrupted (see deleteTopic): finish it.
        for name in FileSystem.list(directory + "/trash") {
            try? FileSystem.removeTree(directory + "/trash/" + name)
        }
        consumerGroups = try FileConsumerGroupStore(directory: directory + "/consumer-groups")
        identity = [FileSystem.identity(of: directory), FileSystem.identity(of: directory + "/topics")]
        background = BackgroundFlusher(policy: flushPolicy, retentionInterval: retentionCheckInterval)
        background.start(log: self)
    }

    deinit {
        background.stop()
        closeTopics()
    }

    /// Flushes every partition this process writes, releases the writer locks and stops the background
    /// thread. The object must not be used afterwards.
    public func close() {
        background.stop()
        closeTopics()
    }

    private func closeTopics() {
        let all = topics.withLock { all -> [FileTopic] in
            defer { all.removeAll() }
            return Array(all.values)
        }
        for topic in all {
            for partition in topic.partitions {
                do {
                    try partition.flushIfDue(intervalNanos: 0)
                } catch {
                    logger.error("flushing \(partition.topicPartition) on close failed: \(error)")
                }
            }
            // Release now rather than when the last reference goes: a waiter or the background thread may
            // still hold the topic for a moment, and a reopen right after close must find the lock free.
            topic.releaseWriterLock()
        }
    }

    /// Asks the background thread to flush now (a partition reached the `interval` policy's byte limit).
    var requestFlush: @Sendable () -> Void {
        { [background] in background.requestFlush() }
    }

    var topicsDirectory: String { directory + "/topics" }

    /// Checks that the data directory is still the one opened: not removed, not replaced by another
    /// directory of the same name (a clean-up script's `rm -rf data; mkdir data`). The background thread
    /// checks every 100 ms; once lost, every append throws ``LogError/dataDirectoryLost(path:detail:)``.
    public func verifyStorage() throws(LogError) {
        if let problem = lost.withLock({ $0 }) { throw problem }
        let now = [FileSystem.identity(of: directory), FileSystem.identity(of: directory + "/topics")]
        let problem: LogError? =
            if now[0] == nil {
                .dataDirectoryLost(path: directory, detail: "was removed")
            } else if now != identity {
                .dataDirectoryLost(path: directory, detail: "was replaced by another directory")
            } else {
                nil
            }
        guard let problem else { return }
        lost.withLock { if $0 == nil { $0 = problem } }
        logger.error("\(problem)")
        throw problem
    }

    /// What ``verifyStorage()`` found wrong, without checking again.
    public var directoryProblem: LogError? { lost.withLock { $0 } }

    private func checkNotLost() throws(LogError) {
        if let problem = lost.withLock({ $0 }) { throw problem }
    }

    func topicDirectory(_ name: String) -> String { topicsDirectory + "/" + name }

    // MARK: Topics

    @discardableResult
    public func createTopic(_ name: String, config: TopicConfig) throws(LogError) -> TopicDescription {
        try TopicName.validate(name)
        try TopicName.validate(partitions: config.partitions)
        let dir = topicDirectory(name)
        let durable = flushPolicy != .os
        let topic = try topics.withLock { (all) throws(LogError) -> FileTopic in
            if all[name] != nil || FileSystem.exists(dir + "/topic.json") { throw .topicAlreadyExists(name) }
            try FileSystem.makeDirectories(dir)
            let lock = try DirectoryLock.acquire(dir + "/writer.lock")
            // Another process may have finished creating it while we waited for nothing: check again.
            if FileSystem.exists(dir + "/topic.json") { throw .topicAlreadyExists(name) }
            for p in 0..<config.partitions {
                let partitionDir = dir + "/\(p)"
                if FileSystem.isDirectory(partitionDir) { try FileSystem.removeTree(partitionDir) }
                try PartitionLog.createFiles(directory: partitionDir, durable: durable)
            }
            let json: Data
            do {
                json = try JSONEncoder().encode(config)
            } catch {
                throw .corrupt(path: dir + "/topic.json", detail: "cannot encode the topic config: \(error)")
            }
            try FileSystem.writeAtomically(Array(json), to: dir + "/topic.json")
            if durable { try FileSystem.syncDirectory(topicsDirectory) }
            let topic = try FileTopic(name: name, directory: dir, config: config, log: self, lock: lock)
            all[name] = topic
            return topic
        }
        logger.info("created topic \(name) with \(config.partitions) partition(s) in \(dir)")
        return topic.describe()
    }

    public func deleteTopic(_ name: String) throws(LogError) {
        try TopicName.validate(name)
        let topic = try self.topic(name)
        try topic.acquireWriterLock()
        try topics.withLock { (all) throws(LogError) in
            let trash = directory + "/trash"
            try FileSystem.makeDirectories(trash)
            let doomed = trash + "/\(name).\(getpid()).\(LogClock.monotonicNanos())"
            try FileSystem.rename(topic.directory, to: doomed)
            if flushPolicy != .os { try FileSystem.syncDirectory(topicsDirectory) }
            all[name] = nil
            try FileSystem.removeTree(doomed)
        }
        topic.releaseWriterLock()
        logger.info("deleted topic \(name)")
    }

    public func topicNames() throws(LogError) -> [String] {
        FileSystem.list(topicsDirectory).filter { FileSystem.exists(topicDirectory($0) + "/topic.json") }
            .sorted()
    }

    public func describeTopic(_ name: String) throws(LogError) -> TopicDescription {
        try topic(name).describe()
    }

    /// The topic, opened from disk (as a reader) on first use.
    func topic(_ name: String) throws(LogError) -> FileTopic {
        if let topic = topics.withLock({ $0[name] }) { return topic }
        try TopicName.validate(name)
        let dir = topicDirectory(name)
        guard let bytes = try FileSystem.readFile(dir + "/topic.json") else { throw .topicNotFound(name) }
        let config: TopicConfig
        do {
            config = try JSONDecoder().decode(TopicConfig.self, from: Data(bytes))
        } catch {
            throw .corrupt(path: dir + "/topic.json", detail: "not a topic config: \(error)")
        }
        let opened = try FileTopic(name: name, directory: dir, config: config, log: self, lock: nil)
        return topics.withLock { all in
            if let existing = all[name] { return existing }
            all[name] = opened
            return opened
        }
    }

    func partition(_ tp: TopicPartition) throws(LogError) -> PartitionLog {
        let topic = try topic(tp.topic)
        guard topic.partitions.indices.contains(tp.partition) else {
            throw .partitionNotFound(tp, partitions: topic.partitions.count)
        }
        return topic.partitions[tp.partition]
    }

    var openTopics: [FileTopic] { topics.withLock { Array($0.values) } }

    // MARK: Appending and reading

    @discardableResult
    public func append(_ records: [ProducerRecord], to topic: String) throws(LogError) -> [RecordMetadata] {
        try checkNotLost()
        let t = try self.topic(topic)
        try checkSizes(records)
        try t.acquireWriterLock()
        let now = clock.now()
        if t.partitions.count == 1 {
            let base = try t.partitions[0].append(records, now: now)
            return records.enumerated().map { i, record in
                RecordMetadata(partition: 0, offset: base + Int64(i), timestamp: record.timestamp ?? now)
            }
        }
        var result = [RecordMetadata](
            repeating: RecordMetadata(partition: 0, offset: 0, timestamp: 0), count: records.count)
        for (partition, indices) in partitioner.route(records, partitions: t.partitions.count) {
            let base = try t.partitions[partition].append(indices.lazy.map { records[$0] }, now: now)
            for (n, i) in indices.enumerated() {
                result[i] = RecordMetadata(
                    partition: partition, offset: base + Int64(n), timestamp: records[i].timestamp ?? now)
            }
        }
        return result
    }

    @discardableResult
    public func append(_ records: [ProducerRecord], to topicPartition: TopicPartition) throws(LogError)
        -> Offset
    {
        try checkNotLost()
        let partition = try self.partition(topicPartition)
        try checkSizes(records)
        try topic(topicPartition.topic).acquireWriterLock()
        return try partition.append(records, now: clock.now())
    }

    @discardableResult
    public func appendBatches(_ batches: UnsafeRawBufferPointer, to topicPartition: TopicPartition)
        throws(LogError) -> AppendedBatches
    {
        try checkNotLost()
        let partition = try self.partition(topicPartition)
        let headers: [RecordBatchHeader]
        switch RecordBatch.validate(batches, maxBatchBytes: maxBatchBytes) {
        case .success(let valid): headers = valid
        case .failure(let rejection): throw rejection.logError(topicPartition)
        }
        try topic(topicPartition.topic).acquireWriterLock()
        return try partition.appendBatches(batches, headers: headers, now: clock.now())
    }

    /// The largest client batch accepted: a record of ``maxRecordBytes`` plus framing (Kafka's
    /// `message.max.bytes` plays this part).
    public var maxBatchBytes: Int { max(maxRecordBytes, BatchChunks<[ProducerRecord]>.maxBatchBytes) + 4096 }

    private func checkSizes(_ records: [ProducerRecord]) throws(LogError) {
        for record in records {
            let size = RecordBatch.payloadSize(of: record)
            if size > maxRecordBytes { throw .recordTooLarge(size: size, max: maxRecordBytes) }
        }
    }

    public func read(_ topicPartition: TopicPartition, from offset: Offset, maxBytes: Int) throws(LogError)
        -> FetchedRecords
    {
        try partition(topicPartition).read(from: offset, maxBytes: maxBytes)
    }

    public func readStored(_ topicPartition: TopicPartition, from offset: Offset, maxBytes: Int)
        throws(LogError) -> StoredBatches
    {
        try partition(topicPartition).readStored(from: offset, maxBytes: maxBytes)
    }

    public func offsets(of topicPartition: TopicPartition) throws(LogError) -> (start: Offset, end: Offset) {
        try partition(topicPartition).offsets()
    }

    public func offset(of topicPartition: TopicPartition, atOrAfter timestamp: TimestampMillis)
        throws(LogError)
        -> Offset
    {
        try partition(topicPartition).offset(atOrAfter: timestamp)
    }

    public func waitForData(_ topicPartition: TopicPartition, beyond offset: Offset, timeout: Duration) async
        -> Bool
    {
        let deadline = ContinuousClock.now + timeout
        // A topic that does not exist yet may be created meanwhile (by this or another process).
        guard
            let partition = await TopicPoll.awaitPartition(
                until: deadline, interval: Self.pollInterval, { try? self.partition(topicPartition) })
        else { return false }
        while true {
            if partition.isWriter {
                // Appends in this process wake the waiter directly.
                let remaining = deadline - ContinuousClock.now
                if remaining <= .zero { return partition.refreshedEnd() > offset }
                return await partition.notifier.wait(beyond: offset, timeout: remaining)
            }
            if partition.refreshedEnd() > offset { return true }
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero || Task.isCancelled { return false }
            if await partition.notifier.wait(beyond: offset, timeout: min(remaining, Self.pollInterval)) {
                return true
            }
        }
    }
}
