import Synchronization

/// Committed consumer-group offsets held in memory: the ``ConsumerGroupStore`` of ``MemoryLog``.
public final class MemoryConsumerGroupStore: ConsumerGroupStore {
    private let offsets = Mutex<[String: [TopicPartition: Offset]]>([:])

    public init() {}

    public func commit(group: String, offsets: [TopicPartition: Offset]) throws(LogError) {
        self.offsets.withLock { all in
            all[group, default: [:]].merge(offsets) { _, new in new }
        }
    }

    public func committed(group: String, topic: String) throws(LogError) -> [Int: Offset] {
        offsets.withLock { all in
            var result: [Int: Offset] = [:]
            for (tp, offset) in all[group] ?? [:] where tp.topic == topic { result[tp.partition] = offset }
            return result
        }
    }

    public func groups() throws(LogError) -> [String] {
        offsets.withLock { $0.keys.sorted() }
    }
}
