import EddyLog
import Logging
import NIOCore

extension KafkaBroker {
    func createTopics(_ request: CreateTopicsRequest) -> CreateTopicsResponse {
        var response = CreateTopicsResponse()
        for topic in request.topics {
            var result = CreateTopicsResponse.Result()
            result.name = topic.name
            var config = TopicConfig(
                partitions: topic.numPartitions < 0
                    ? configuration.defaultPartitions : Int(topic.numPartitions))
            var failure: (ErrorCode, String)? = nil
            if topic.replicationFactor > 1 {
                failure = (
                    .invalidReplicationFactor,
                    "replication factor \(topic.replicationFactor) is larger than the 1 broker available"
                )
            } else if !topic.assignments.isEmpty {
                failure = (.invalidReplicaAssignment, "manual replica assignments are not supported")
            }
            for entry in topic.configs where failure == nil {
                let value = entry.value ?? ""
                switch entry.name {
                case "retention.ms":
                    guard let millis = Int64(value) else {
                        failure = (.invalidConfig, "retention.ms=\(value) is not a number"); break
                    }
                    config.retentionMillis = millis < 0 ? nil : millis
                case "retention.bytes":
                    guard let bytes = Int64(value) else {
                        failure = (.invalidConfig, "retention.bytes=\(value) is not a number"); break
                    }
                    config.retentionBytes = bytes < 0 ? nil : bytes
                case "segment.bytes":
                    guard let bytes = Int64(value), bytes > 0 else {
                        failure = (.invalidConfig, "segment.bytes=\(value) is not a positive number"); break
                    }
                    config.segmentBytes = bytes
                case "cleanup.policy":
                    if value != "delete" {
                        failure = (.invalidConfig, "cleanup.policy=\(value) is not supported (only delete)")
                    }
                default:
                    logger.info("CreateTopics \(topic.name): ignoring config \(entry.name)")
                }
            }
            if let (code, message) = failure {
                result.errorCode = code.rawValue
                result.errorMessage = message
            } else if request.validateOnly {
                if (try? log.describeTopic(topic.name)) != nil {
                    result.errorCode = ErrorCode.topicAlreadyExists.rawValue
                    result.errorMessage = "topic '\(topic.name)' already exists"
                }
            } else {
                do {
                    try log.createTopic(topic.name, config: config)
                } catch {
                    result.errorCode = error.kafkaErrorCode.rawValue
                    result.errorMessage = error.description
                }
            }
            response.topics.append(result)
        }
        return response
    }

    func deleteTopics(_ request: DeleteTopicsRequest) -> DeleteTopicsResponse {
        var response = DeleteTopicsResponse()
        for name in request.topicNames {
            var result = DeleteTopicsResponse.Result()
            result.name = name
            do {
                try log.deleteTopic(name)
            } catch {
                result.errorCode = error.kafkaErrorCode.rawValue
            }
            response.responses.append(result)
        }
        return response
    }

    func describeConfigs(_ request: DescribeConfigsRequest) -> DescribeConfigsResponse {
        var response = DescribeConfigsResponse()
        for resource in request.resources {
            var result = DescribeConfigsResponse.Result()
            result.resourceType = resource.resourceType
            result.resourceName = resource.resourceName
            var entries: [(name: String, value: String, isDefault: Bool, type: Int8)] = []
            switch resource.resourceType {
            case DescribeConfigsRequest.topicResource:
                do {
                    let config = try log.describeTopic(resource.resourceName).config
                    entries = [
                        ("cleanup.policy", "delete", true, 7),
                        (
                            "retention.ms", String(config.retentionMillis ?? -1),
                            config.retentionMillis == nil, 5
                        ),
                        (
                            "retention.bytes", String(config.retentionBytes ?? -1),
                            config.retentionBytes == nil, 5
                        ),
                        (
                            "segment.bytes", String(config.segmentBytes),
                            config.segmentBytes == TopicConfig.defaultSegmentBytes, 3
                        ),
                        ("compression.type", "producer", true, 2),
                        ("max.message.bytes", String(1 << 20), true, 3),
                    ]
                } catch {
                    result.errorCode = error.kafkaErrorCode.rawValue
                    result.errorMessage = error.description
                }
            case DescribeConfigsRequest.brokerResource:
                entries = [
                    ("auto.create.topics.enable", String(configuration.autoCreateTopics), false, 1),
                    ("num.partitions", String(configuration.defaultPartitions), false, 3),
                    ("socket.request.max.bytes", String(configuration.maxRequestBytes), false, 3),
                    ("default.replication.factor", "1", true, 4),
                ]
            default:
                result.errorCode = ErrorCode.invalidRequest.rawValue
                result.errorMessage =
                    "resource type \(resource.resourceType) is not supported (topics: 2, brokers: 4)"
            }
            for entry in entries where resource.configurationKeys?.contains(entry.name) ?? true {
                var config = DescribeConfigsResponse.Config()
                config.name = entry.name
                config.value = entry.value
                config.readOnly = resource.resourceType == DescribeConfigsRequest.brokerResource
                config.isDefault = entry.isDefault
                config.configSource = entry.isDefault ? 5 : (resource.resourceType == 2 ? 1 : 4)
                config.configType = entry.type
                result.configs.append(config)
            }
            response.results.append(result)
        }
        return response
    }

    func initProducerId(_ request: InitProducerIdRequest) -> InitProducerIdResponse {
        var response = InitProducerIdResponse()
        if request.transactionalId != nil {
            response.errorCode = ErrorCode.transactionalIdAuthorizationFailed.rawValue
            return response
        }
        response.producerId = producers.newProducerId()
        response.producerEpoch = 0
        return response
    }
}
