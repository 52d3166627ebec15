public import EddyLog

/// A record that could not be decoded, as the status API reports it.
public struct DeadLetterEntry: Sendable, Hashable, Codable {
    public var partition: Int
    public var offset: Offset
    public var reason: String
    public var detail: String
    /// The start of the record's value (at most 200 bytes, invalid UTF-8 replaced), for a person to look at.
    public var value: String
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
    /// The pipeline that routed the record (several pipelines may share one dead-letter topic).
    public static let pipeline = "eddy.pipeline"
}

/// Collects undecodable records during a batch and appends them to the dead-letter topic (created on first
/// use) with headers naming the reason and where the record came from; the value is the original bytes.
///
/// Guarantee: exactly once per pipeline and source record, across crashes. A batch appends its dead letters
/// before its checkpoint, so a process killed in between re-reads those source records after the restart.
/// Dead letters are appended in source order per source partition and carry `eddy.pipeline` and
/// `eddy.source.partition/offset`; at restore the runner reads the topic from the end offset recorded in the
/// checkpoint (``Checkpoint/deadLetterEnd``; bounded by what was appended since) and records, per source
/// partition, the highest source offset already routed (``routed``). ``add(_:partition:reason:detail:)`` still
/// counts a record at or below that mark (the restored count predates it) but does not append it again.
struct DeadLetterQueue {
    let topic: String
    let sourceTopic: String
    let pipeline: String
    /// Per source partition, the highest source offset this pipeline already has in the topic.
    var routed: [Int: Offset] = [:]
    private(set) var pending: [ProducerRecord] = []
    private(set) var count: Int64 = 0
    private(set) var recent: [DeadLetterEntry] = []
    private var topicReady = false

    init(topic: String, sourceTopic: String, pipeline: String) {
        self.topic = topic
        self.sourceTopic = sourceTopic
        self.pipeline = pipeline
    }

    mutating func add(_ record: RecordView, partition: Int, reason: String, detail: String) {
        count += 1
        if let mark = routed[partition], record.offset <= mark { return }
        let headers = [
            Header(DeadLetterHeaders.reason, reason),
            Header(DeadLetterHeaders.detail, detail),
            Header(DeadLetterHeaders.sourceTopic, sourceTopic),
            Header(DeadLetterHeaders.sourcePartition, String(partition)),
            Header(DeadLetterHeaders.sourceOffset, String(record.offset)),
            Header(DeadLetterHeaders.sourceTimestamp, String(record.timestamp)),
            Header(DeadLetterHeaders.pipeline, pipeline),
        ]
        pending.append(
            ProducerRecord(
                key: record.key.map { Array($0) }, value: Array(record.value), headers: headers,
                timestamp: record.timestamp))
        recent.append(
            DeadLetterEntry(
                partition: partition, offset: record.offset, reason: reason, detail: detail,
                value: String(
                    decoding: UnsafeRawBufferPointer(rebasing: record.value.prefix(200)), as: UTF8.self)))
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
    var empty: DeadLetterQueue {
        var queue = DeadLetterQueue(topic: topic, sourceTopic: sourceTopic, pipeline: pipeline)
        queue.routed = routed
        return queue
    }

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

/// Per late-rows table (`eddy.late.table`; "" for dead letters) and source partition, the highest
/// `eddy.source.offset` that `pipeline` routed from `sourceTopic` into partition 0 of `topic` at or after
/// `from` (nil: from the topic's start). Reads forward to the end, so the cost is bounded by what was
/// appended since `from`. A topic that does not exist yet has routed nothing.
func routedSourceOffsets(
    in topic: String, from: Offset?, pipeline: String, sourceTopic: String, log: any Log
) throws(PipelineError) -> [String: [Int: Offset]] {
    let partition = TopicPartition(topic, 0)
    var marks: [String: [Int: Offset]] = [:]
    do {
        let (start, end) = try log.offsets(of: partition)
        var next = max(start, from ?? start)
        while next < end {
            let fetched = try log.read(partition, from: next, maxBytes: 4 << 20)
            if fetched.isEmpty { break }
            for record in fetched.records() {
                var headers: [String: String] = [:]
                for header in record.headers {
                    headers[header.key] = String(decoding: header.value ?? [], as: UTF8.self)
                }
                guard headers[DeadLetterHeaders.pipeline] == pipeline,
                    headers[DeadLetterHeaders.sourceTopic] == sourceTopic,
                    let p = headers[DeadLetterHeaders.sourcePartition].flatMap({ Int($0) }),
                    let offset = headers[DeadLetterHeaders.sourceOffset].flatMap({ Offset($0) })
                else { continue }
                marks[headers[DeadLetterHeaders.lateTable] ?? "", default: [:]][p] = max(
                    marks[headers[DeadLetterHeaders.lateTable] ?? ""]?[p] ?? offset, offset)
            }
            next = fetched.nextOffset
        }
    } catch .topicNotFound, .partitionNotFound {
        return [:]
    } catch {
        throw .log(error)
    }
    return marks
}

/// The end offset of partition 0 of `topic`, nil when the topic does not exist yet.
func endOffset(of topic: String, in log: any Log) throws(PipelineError) -> Offset? {
    do {
        return try log.offsets(of: TopicPartition(topic, 0)).end
    } catch .topicNotFound, .partitionNotFound {
        return nil
    } catch {
        throw .log(error)
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
