import EddyLog
import NIOCore

extension KafkaBroker {
    func listOffsets(_ request: ListOffsetsRequest, version: Int16) -> ListOffsetsResponse {
        var response = ListOffsetsResponse()
        for topic in request.topics {
            var topicResponse = ListOffsetsResponse.Topic()
            topicResponse.name = topic.name
            for requested in topic.partitions {
                var partition = ListOffsetsResponse.Partition()
                partition.partitionIndex = requested.partitionIndex
                let tp = TopicPartition(topic.name, Int(requested.partitionIndex))
                do {
                    let (start, end) = try log.offsets(of: tp)
                    switch requested.timestamp {
                    case ListOffsetsRequest.earliest:
                        partition.offset = start
                    case ListOffsetsRequest.latest:
                        partition.offset = end
                    default:
                        let offset = try log.offset(of: tp, atOrAfter: requested.timestamp)
                        if offset < end {
                            partition.offset = offset
                            partition.timestamp =
                                try log.read(tp, from: offset, maxBytes: 1).records().first?.timestamp ?? -1
                        }
                    }
                    partition.leaderEpoch = 0
                    if version == 0 && partition.offset >= 0 {
                        partition.oldStyleOffsets = [partition.offset]
                    }
                } catch {
                    partition.errorCode = error.kafkaErrorCode.rawValue
                }
                topicResponse.partitions.append(partition)
            }
            response.topics.append(topicResponse)
        }
        return response
    }
}
