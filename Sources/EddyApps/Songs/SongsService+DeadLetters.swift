import EddyLog
import EddyServer
import EddyStream
import Synchronization

extension SongsService {
    static func deadLetterTopic(of topic: String) -> String { topic + ".dlq" }

    /// Per source partition, the highest offset of `topic` this app already dead-lettered: both topics are
    /// re-read from the start after a restart, and a record must not be dead-lettered twice.
    func alreadyRouted(from topic: String) throws -> [Int: Offset] {
        let dlq = Self.deadLetterTopic(of: topic)
        guard (try? log.describeTopic(dlq)) != nil else { return [:] }
        var routed: [Int: Offset] = [:]
        for partition in try log.describeTopic(dlq).partitions.map(\.partition) {
            let tp = TopicPartition(dlq, partition)
            var position = try log.offsets(of: tp).start
            let end = try log.offsets(of: tp).end
            while position < end {
                let fetched = try log.read(tp, from: position, maxBytes: 1 << 20)
                for record in fetched.records() {
                    let headers = Dictionary(
                        record.headers.map {
                            ($0.key, $0.value.map { String(decoding: $0, as: UTF8.self) } ?? "")
                        },
                        uniquingKeysWith: { _, last in last })
                    guard headers[DeadLetterHeaders.pipeline] == SongsApp.appName,
                        headers[DeadLetterHeaders.sourceTopic] == topic,
                        let source = headers[DeadLetterHeaders.sourcePartition].flatMap({ Int($0) }),
                        let offset = headers[DeadLetterHeaders.sourceOffset].flatMap({ Offset($0) })
                    else { continue }
                    routed[source] = max(routed[source] ?? -1, offset)
                }
                guard fetched.nextOffset > position else { break }
                position = fetched.nextOffset
            }
        }
        return routed
    }

    /// Appends the records this service could not use to `<topic>.dlq` (created on first use), unless a run
    /// before this one already did, and counts them.
    func deadLetter(
        _ letters: [(offset: Offset, value: [UInt8], problem: SongRecords.Problem)], topic: String,
        partition: Int
    ) throws {
        let mark = state.withLock { $0.routed[topic]?[partition] ?? -1 }
        let fresh = letters.filter { $0.offset > mark }
        state.withLock { s in
            s.deadLetters += Int64(letters.count)
            for letter in letters.suffix(10) {
                s.recentDeadLetters.append(
                    DeadLetterSummary(
                        reason: letter.problem.reason, topic: topic, partition: partition,
                        offset: letter.offset,
                        detail: String(letter.problem.description.prefix(200))))
            }
            if s.recentDeadLetters.count > 20 {
                s.recentDeadLetters.removeFirst(s.recentDeadLetters.count - 20)
            }
        }
        guard !fresh.isEmpty else { return }
        let dlq = Self.deadLetterTopic(of: topic)
        try SongsApp.createTopics([dlq], in: log)
        let records = fresh.map { letter in
            ProducerRecord(
                value: letter.value,
                headers: [
                    Header(key: DeadLetterHeaders.reason, value: Array(letter.problem.reason.utf8)),
                    Header(key: DeadLetterHeaders.detail, value: Array(letter.problem.description.utf8)),
                    Header(key: DeadLetterHeaders.pipeline, value: Array(SongsApp.appName.utf8)),
                    Header(key: DeadLetterHeaders.sourceTopic, value: Array(topic.utf8)),
                    Header(key: DeadLetterHeaders.sourcePartition, value: Array(String(partition).utf8)),
                    Header(key: DeadLetterHeaders.sourceOffset, value: Array(String(letter.offset).utf8)),
                ])
        }
        try log.append(records, to: TopicPartition(dlq, 0))
        state.withLock { $0.routed[topic, default: [:]][partition] = fresh.last!.offset }
    }
}
