import EddyLog
import Logging
import NIOCore

extension KafkaBroker {
    func metadata(_ request: MetadataRequest, version: Int16) -> MetadataResponse {
        var response = MetadataResponse()
        var broker = MetadataResponse.Broker()
        broker.nodeId = configuration.nodeId
        broker.host = advertised.host
        broker.port = Int32(advertised.port)
        response.brokers = [broker]
        response.clusterId = configuration.clusterId
        response.controllerId = configuration.nodeId
        let names: [String]
        if let topics = request.topics, !(version == 0 && topics.isEmpty) {
            names = topics.map(\.name)
        } else {
            names = (try? log.topicNames()) ?? []
        }
        for name in names {
            var topic = MetadataResponse.Topic()
            topic.name = name
            do {
                let description: TopicDescription
                do {
                    description = try log.describeTopic(name)
                } catch .topicNotFound(_)
                    where configuration.autoCreateTopics && request.allowAutoTopicCreation
                {
                    description = try autoCreate(name)
                }
                topic.partitions = (0..<description.config.partitions).map { index in
                    var partition = MetadataResponse.Partition()
                    partition.partitionIndex = Int32(index)
                    partition.leaderId = configuration.nodeId
                    partition.leaderEpoch = 0
                    partition.replicaNodes = [configuration.nodeId]
                    partition.isrNodes = [configuration.nodeId]
                    return partition
                }
            } catch {
                topic.errorCode = error.kafkaErrorCode.rawValue
            }
            response.topics.append(topic)
        }
        return response
    }

    /// Creates a topic a client named without creating it (`--kafka-auto-create`).
    func autoCreate(_ name: String) throws(LogError) -> TopicDescription {
        do {
            let description = try log.createTopic(
                name, config: TopicConfig(partitions: configuration.defaultPartitions))
            logger.info("auto-created topic \(name) with \(configuration.defaultPartitions) partition(s)")
            return description
        } catch .topicAlreadyExists(_) {
            return try log.describeTopic(name)
        }
    }

    func findCoordinator(_ request: FindCoordinatorRequest) -> FindCoordinatorResponse {
        var response = FindCoordinatorResponse()
        guard request.keyType == 0 else {
            response.errorCode = ErrorCode.coordinatorNotAvailable.rawValue
            response.errorMessage = "transactions are not supported by Eddy"
            response.nodeId = -1
            return response
        }
        response.nodeId = configuration.nodeId
        response.host = advertised.host
        response.port = Int32(advertised.port)
        return response
    }
}
