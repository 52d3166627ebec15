import EddyLog
import EddyStream
import Hummingbird

extension EddyServer {
    func addTopicRoutes(to router: Router<BasicRequestContext>) {
        router.get("/api/topics") { _, _ in
            var json = JSONWriter(capacity: 1024)
            let topics = try describeTopics()
            json.object {
                $0.field("topics") { json in
                    json.array { json in
                        for topic in topics { writeTopic(topic, into: &json) }
                    }
                }
            }
            return Response.json(json.bytes)
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
            var json = JSONWriter(capacity: 512)
            writeTopic(topic, into: &json)
            return Response.json(json.bytes)
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

    func writeTopic(_ topic: TopicDescription, into json: inout JSONWriter) {
        let now = ContinuousClock.now
        var totalRate = 0.0
        var partitionRates: [Double] = []
        for partition in topic.partitions {
            let rate = rates.rate(
                of: "\(topic.name)/\(partition.partition)", value: partition.endOffset, now: now)
            partitionRates.append(rate)
            totalRate += rate
        }
        json.object { json in
            json.field("name") { $0.string(topic.name) }
            json.field("partitionCount") { $0.int(topic.partitions.count) }
            json.field("records") {
                $0.int(topic.partitions.reduce(0) { $0 + ($1.endOffset - $1.startOffset) })
            }
            json.field("bytes") { $0.int(topic.partitions.reduce(0) { $0 + $1.bytes }) }
            json.field("recordsPerSecond") { $0.double(totalRate) }
            json.field("retentionMillis") { json in
                if let retention = topic.config.retentionMillis { json.int(retention) } else { json.null() }
            }
            json.field("partitions") { json in
                json.array { json in
                    for (index, partition) in topic.partitions.enumerated() {
                        json.object { json in
                            json.field("partition") { $0.int(partition.partition) }
                            json.field("startOffset") { $0.int(partition.startOffset) }
                            json.field("endOffset") { $0.int(partition.endOffset) }
                            json.field("records") { $0.int(partition.endOffset - partition.startOffset) }
                            json.field("bytes") { $0.int(partition.bytes) }
                            json.field("segments") { $0.int(partition.segments) }
                            json.field("recordsPerSecond") { $0.double(partitionRates[index]) }
                        }
                    }
                }
            }
        }
    }
}
