import Synchronization

/// A topic of a ``FileLog``: its partitions and, once this process writes to it, its writer lock.
final class FileTopic: Sendable {
    let name: String
    let directory: String
    private let configState: Mutex<TopicConfig>
    let partitions: [PartitionLog]
    private let lock: Mutex<DirectoryLock?>

    init(name: String, directory: String, config: TopicConfig, log: FileLog, lock: DirectoryLock?)
        throws(LogError)
    {
        self.name = name
        self.directory = directory
        configState = Mutex(config)
        var partitions: [PartitionLog] = []
        for p in 0..<config.partitions {
            partitions.append(
                try PartitionLog(
                    topicPartition: TopicPartition(name, p), directory: directory + "/\(p)", config: config,
                    policy: log.flushPolicy, writer: lock != nil, logger: log.logger,
                    requestFlush: log.requestFlush))
        }
        self.partitions = partitions
        self.lock = Mutex(lock)
    }

    var config: TopicConfig { configState.withLock { $0 } }

    /// Replaces the in-memory config (the caller has written `topic.json`).
    func update(config: TopicConfig) {
        configState.withLock { $0 = config }
        for partition in partitions { partition.update(config: config) }
    }

    var hasWriterLock: Bool { lock.withLock { $0 != nil } }

    /// Takes the topic's writer lock if this process does not hold it yet, then recovers every partition.
    func acquireWriterLock() throws(LogError) {
        try lock.withLock { (held) throws(LogError) in
            guard held == nil else { return }
            let acquired = try DirectoryLock.acquire(directory + "/writer.lock")
            for partition in partitions { try partition.becomeWriter() }
            held = acquired
        }
    }

    func releaseWriterLock() {
        lock.withLock { $0 = nil }
    }

    func describe() -> TopicDescription {
        TopicDescription(name: name, config: config, partitions: partitions.map { $0.describe() })
    }
}
