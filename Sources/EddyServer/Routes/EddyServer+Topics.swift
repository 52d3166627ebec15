import EddyLog
import EddyStream
import Hummingbird

extension EddyServer {
    func addTopicRoutes(to router: Router<BasicRequestContext>) {
        router.get("/api/topics") { _, _ in
            struct List: Encodable { var topics: [TopicDocument] }
            return Response.json(try List(topics: try describeTopics().map(document(of:))).jsonBytes())
        }

        router.get("/api/topics/{name}") { _, context in
            let name = try context.pathParameter("name")
            guard let log else { throw APIError.notFound("no log is open, so there are no topics") }
            let topic: TopicDescription
            do {
                topic = try log.describeTopic(name)
            } catch {
                throw APIError.notFound(
                    "topic '\(name)' does not exist; create it with eddy topics create \(name)")
            }
            return Response.json(try document(of: topic).jsonBytes())
        }
    }

    func describeTopics() throws(APIError) -> [TopicDescription] {
        guard let log else { return [] }
        do {
            return try log.topicNames().sorted().compactMap { try? log.describeTopic($0) }
        } catch {
            throw APIError(
                status: .serviceUnavailable, code: "log_unavailable",
                message: "the log cannot list topics: \(error)")
        }
    }

    /// The topic's document (`Topic` in `/openapi.json`), with its append rates since the last look.
    func document(of topic: TopicDescription) -> TopicDocument {
        let now = ContinuousClock.now
        let partitions = topic.partitions.map { partition in
            TopicDocument.Partition(
                partition: partition.partition, startOffset: partition.startOffset,
                endOffset: partition.endOffset, records: partition.endOffset - partition.startOffset,
                bytes: partition.bytes, segments: partition.segments,
                recordsPerSecond: rates.rate(
                    of: "\(topic.name)/\(partition.partition)", value: partition.endOffset, now: now))
        }
        return TopicDocument(
            name: topic.name, partitionCount: partitions.count,
            records: partitions.reduce(0) { $0 + $1.records }, bytes: partitions.reduce(0) { $0 + $1.bytes },
            recordsPerSecond: partitions.reduce(0) { $0 + $1.recordsPerSecond },
            retentionMillis: JSONNullable(topic.config.retentionMillis), partitions: partitions)
    }
}

/// What `GET /api/topics/{name}` answers: `Topic` in `/openapi.json`.
struct TopicDocument: Encodable {
    var name: String
    var partitionCount: Int
    /// Records retained (end − start offsets).
    var records: Int64
    var bytes: Int64
    /// Append rate over the last seconds.
    var recordsPerSecond: Double
    var retentionMillis: JSONNullable<Int64>
    var partitions: [Partition]

    struct Partition: Encodable {
        var partition: Int
        var startOffset: Int64
        var endOffset: Int64
        var records: Int64
        var bytes: Int64
        var segments: Int
        var recordsPerSecond: Double
    }
}
