import EddyLog

/// A log that only knows topic metadata, for the topic endpoints (reads and appends are not needed there).
final class TopicsLog: Log, @unchecked Sendable {
    // Immutable after init.
    private let topics: [String: TopicDescription]

    init(_ topics: [TopicDescription]) {
        self.topics = Dictionary(uniqueKeysWithValues: topics.map { ($0.name, $0) })
    }

    func createTopic(_ name: String, config: TopicConfig) throws(LogError) -> TopicDescription {
        throw .invalidTopicName(name, reason: "read-only test log")
    }
    func deleteTopic(_ name: String) throws(LogError) { throw .topicNotFound(name) }
    func topicNames() throws(LogError) -> [String] { Array(topics.keys) }
    func describeTopic(_ name: String) throws(LogError) -> TopicDescription {
        guard let topic = topics[name] else { throw .topicNotFound(name) }
        return topic
    }
    func append(_ records: [ProducerRecord], to topic: String) throws(LogError) -> [RecordMetadata] {
        throw .topicNotFound(topic)
    }
    func append(_ records: [ProducerRecord], to topicPartition: TopicPartition) throws(LogError) -> Offset {
        throw .topicNotFound(topicPartition.topic)
    }
    func read(_ topicPartition: TopicPartition, from offset: Offset, maxBytes: Int) throws(LogError)
        -> FetchedRecords
    {
        throw .topicNotFound(topicPartition.topic)
    }
    func offsets(of topicPartition: TopicPartition) throws(LogError) -> (start: Offset, end: Offset) {
        throw .topicNotFound(topicPartition.topic)
    }
    func offset(of topicPartition: TopicPartition, atOrAfter timestamp: TimestampMillis) throws(LogError)
        -> Offset
    {
        throw .topicNotFound(topicPartition.topic)
    }
    func waitForData(_ topicPartition: TopicPartition, beyond offset: Offset, timeout: Duration) async -> Bool
    { false }
    var consumerGroups: any ConsumerGroupStore { NoGroups() }

    struct NoGroups: ConsumerGroupStore {
        func commit(group: String, offsets: [TopicPartition: Offset]) throws(LogError) {}
        func committed(group: String, topic: String) throws(LogError) -> [Int: Offset] { [:] }
        func groups() throws(LogError) -> [String] { [] }
    }
}
