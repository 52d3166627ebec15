/// A position in a partition: the offset of a record, as in Kafka. The first record of a partition has
/// offset 0; offsets only grow, and survive retention (the start offset moves forward instead).
public typealias Offset = Int64

/// Milliseconds since the Unix epoch, the unit of Kafka record timestamps.
public typealias TimestampMillis = Int64

/// One partition of one topic.
public struct TopicPartition: Hashable, Sendable, CustomStringConvertible, Codable {
    public var topic: String
    public var partition: Int

    public init(_ topic: String, _ partition: Int) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)-\(partition)" }
}

/// A record header: a string key and optional bytes, as in Kafka.
public struct Header: Hashable, Sendable {
    public var key: String
    public var value: [UInt8]?

    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = Array(value.utf8)
    }
}

/// A record to append. The log assigns its offset; `timestamp` defaults to the append time.
///
/// ```swift
/// let record = ProducerRecord(key: Array("Caixa".utf8), value: Array(json.utf8))
/// let meta = try log.append([record], to: "motion")
/// ```
public struct ProducerRecord: Sendable {
    public var key: [UInt8]?
    public var value: [UInt8]
    public var headers: [Header]
    public var timestamp: TimestampMillis?

    public init(
        key: [UInt8]? = nil, value: [UInt8], headers: [Header] = [], timestamp: TimestampMillis? = nil
    ) {
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }
}

/// A record read back from the log, owning its bytes. Convenient for tools and tests; the engine's hot
/// path uses ``RecordView`` through ``FetchedRecords/forEach(_:)`` instead, which copies nothing.
public struct ConsumerRecord: Sendable, Hashable {
    public var topicPartition: TopicPartition
    public var offset: Offset
    public var timestamp: TimestampMillis
    public var key: [UInt8]?
    public var value: [UInt8]
    public var headers: [Header]

    public init(
        topicPartition: TopicPartition, offset: Offset, timestamp: TimestampMillis, key: [UInt8]?,
        value: [UInt8],
        headers: [Header]
    ) {
        self.topicPartition = topicPartition
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers
    }
}

/// Where an appended record landed.
public struct RecordMetadata: Sendable, Hashable {
    public var partition: Int
    public var offset: Offset
    public var timestamp: TimestampMillis

    public init(partition: Int, offset: Offset, timestamp: TimestampMillis) {
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
    }
}
