import EddyLog

/// A record that could not be decoded, as the status API reports it.
public struct DeadLetterEntry: Sendable, Hashable, Codable {
    public var partition: Int
    public var offset: Offset
    public var reason: String
    public var detail: String
}

/// Header keys of dead-letter and late-row records.
public enum DeadLetterHeaders {
    public static let reason = "eddy.dlq.reason"
    public static let detail = "eddy.dlq.detail"
    public static let sourceTopic = "eddy.source.topic"
    public static let sourcePartition = "eddy.source.partition"
    public static let sourceOffset = "eddy.source.offset"
    public static let sourceTimestamp = "eddy.source.timestamp"
    public static let lateTable = "eddy.late.table"
    public static let lateWatermark = "eddy.late.watermark"
}

/// Collects undecodable records during a batch and appends them to the dead-letter topic (created on first
/// use) with headers naming the reason and where the record came from; the value is the original bytes.
struct DeadLetterQueue {
    let topic: String
    let sourceTopic: String
    private(set) var pending: [ProducerRecord] = []
    private(set) var count: Int64 = 0
    private(set) var recent: [DeadLetterEntry] = []
    private var topicReady = false

    init(topic: String, sourceTopic: String) {
        self.topic = topic
        self.sourceTopic = sourceTopic
    }

    mutating func add(_ record: RecordView, partition: Int, reason: String, detail: String) {
        count += 1
        let headers = [
            Header(DeadLetterHeaders.reason, reason),
            Header(DeadLetterHeaders.detail, detail),
            Header(DeadLetterHeaders.sourceTopic, sourceTopic),
            Header(DeadLetterHeaders.sourcePartition, String(partition)),
            Header(DeadLetterHeaders.sourceOffset, String(record.offset)),
            Header(DeadLetterHeaders.sourceTimestamp, String(record.timestamp)),
        ]
        pending.append(
            ProducerRecord(
                key: record.key.map { Array($0) }, value: Array(record.value), headers: headers,
                timestamp: record.timestamp))
        recent.append(
            DeadLetterEntry(partition: partition, offset: record.offset, reason: reason, detail: detail))
        if recent.count > 20 { recent.removeFirst(recent.count - 20) }
    }

    /// Takes over another queue's counts and pending records (a parallel worker's).
    mutating func absorb(_ other: DeadLetterQueue) {
        count += other.count
        pending += other.pending
        recent += other.recent
        if recent.count > 20 { recent.removeFirst(recent.count - 20) }
    }

    /// A queue for the same topics with nothing in it.
    var empty: DeadLetterQueue { DeadLetterQueue(topic: topic, sourceTopic: sourceTopic) }

    /// Restores the count after a restart (the records themselves are already in the topic).
    mutating func restore(count: Int64) { self.count = count }

    mutating func flush(to log: any Log) throws(PipelineError) {
        guard !pending.isEmpty else { return }
        if !topicReady {
            try ensureTopic(topic, in: log)
            topicReady = true
        }
        do {
            try log.append(pending, to: topic)
        } catch {
            throw .log(error)
        }
        pending.removeAll(keepingCapacity: true)
    }
}

/// Creates `topic` with one partition unless it exists.
func ensureTopic(_ topic: String, in log: any Log) throws(PipelineError) {
    do {
        _ = try log.describeTopic(topic)
    } catch .topicNotFound {
        do {
            try log.createTopic(topic, config: TopicConfig(partitions: 1))
        } catch .topicAlreadyExists {
            return
        } catch {
            throw .log(error)
        }
    } catch {
        throw .log(error)
    }
}
