public import EddyLog

/// Appends each result row to a topic as a JSON object (as ``JSONLinesSink`` writes it, without the batch),
/// keyed by the row's key columns when it has some, so a downstream pipeline or consumer reads the results.
/// At-least-once: a batch replayed after a crash is appended again.
///
/// ```swift
/// pipeline.output("areas", mode: .update, to: TopicSink(log: log, topic: "areas"))
/// ```
public struct TopicSink: Sink {
    public let log: any Log
    public let topic: String

    /// Creates `topic` (one partition) when it does not exist yet.
    public init(log: any Log, topic: String) throws(LogError) {
        self.log = log
        self.topic = topic
        do {
            _ = try log.describeTopic(topic)
        } catch .topicNotFound {
            _ = try log.createTopic(topic, config: TopicConfig(partitions: 1))
        }
    }

    public func write(_ batch: SinkBatch) async throws {
        guard !batch.rows.isEmpty else { return }
        var records: [ProducerRecord] = []
        records.reserveCapacity(batch.rows.count)
        for row in batch.rows {
            var json = JSONWriter(capacity: 128)
            json.row(row, columns: batch.columns)
            var key: [UInt8]?
            if !batch.keyColumns.isEmpty {
                key = Array(batch.keyColumns.map { row[$0].renderedForDisplay }.joined(separator: "|").utf8)
            }
            records.append(ProducerRecord(key: key, value: json.bytes))
        }
        try log.append(records, to: topic)
    }
}
