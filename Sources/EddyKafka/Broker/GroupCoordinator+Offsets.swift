import EddyLog
import Logging
import NIOCore

extension GroupCoordinator {
    /// OffsetCommit: fenced by generation for a group member; a commit with no generation (-1) and no
    /// member id is a standalone consumer's and always accepted.
    func commit(_ request: OffsetCommitRequest, log: any Log) -> OffsetCommitResponse {
        var groupError = ErrorCode.none
        if request.groupId.isEmpty {
            groupError = .invalidGroupId
        } else if request.generationId >= 0 || !request.memberId.isEmpty {
            if let group = groups[request.groupId], group.members[request.memberId] != nil {
                groups[request.groupId]?.members[request.memberId]?.lastSeen = ContinuousClock.now
                // As in Kafka: while members rejoin (PreparingRebalance) the current generation may still
                // commit what it processed; once the new generation exists but has no assignment yet
                // (CompletingRebalance), commits wait for it.
                if request.generationId != group.generation {
                    groupError = .illegalGeneration
                } else if group.state == .completingRebalance {
                    groupError = .rebalanceInProgress
                }
            } else {
                groupError = .unknownMemberId
            }
        }
        var response = OffsetCommitResponse()
        var offsets: [TopicPartition: Offset] = [:]
        for topic in request.topics {
            var topicResponse = OffsetCommitResponse.Topic()
            topicResponse.name = topic.name
            let partitions = (try? log.describeTopic(topic.name))?.config.partitions
            for partition in topic.partitions {
                var entry = OffsetCommitResponse.Partition()
                entry.partitionIndex = partition.partitionIndex
                if groupError != .none {
                    entry.errorCode = groupError.rawValue
                } else if let partitions, (0..<partitions).contains(Int(partition.partitionIndex)) {
                    offsets[TopicPartition(topic.name, Int(partition.partitionIndex))] =
                        partition.committedOffset
                } else {
                    entry.errorCode = ErrorCode.unknownTopicOrPartition.rawValue
                }
                topicResponse.partitions.append(entry)
            }
            response.topics.append(topicResponse)
        }
        if !offsets.isEmpty {
            do {
                try store.commit(group: request.groupId, offsets: offsets)
            } catch {
                logger.error("committing offsets of group \(request.groupId) failed: \(error)")
                for t in response.topics.indices {
                    for p in response.topics[t].partitions.indices
                    where response.topics[t].partitions[p].errorCode == 0 {
                        response.topics[t].partitions[p].errorCode = ErrorCode.unknownServerError.rawValue
                    }
                }
            }
        }
        return response
    }

    func fetchOffsets(_ request: OffsetFetchRequest, log: any Log) -> OffsetFetchResponse {
        var response = OffsetFetchResponse()
        do {
            let requested: [OffsetFetchRequest.Topic]
            if let topics = request.topics {
                requested = topics
            } else {
                requested = try log.topicNames().compactMap { name in
                    let committed = try store.committed(group: request.groupId, topic: name)
                    guard !committed.isEmpty else { return nil }
                    var topic = OffsetFetchRequest.Topic()
                    topic.name = name
                    topic.partitionIndexes = committed.keys.sorted().map { Int32($0) }
                    return topic
                }
            }
            for topic in requested {
                let committed = try store.committed(group: request.groupId, topic: topic.name)
                var topicResponse = OffsetFetchResponse.Topic()
                topicResponse.name = topic.name
                for index in topic.partitionIndexes {
                    var partition = OffsetFetchResponse.Partition()
                    partition.partitionIndex = index
                    partition.committedOffset = committed[Int(index)] ?? -1
                    topicResponse.partitions.append(partition)
                }
                response.topics.append(topicResponse)
            }
        } catch {
            logger.error("reading offsets of group \(request.groupId) failed: \(error)")
            response.errorCode = ErrorCode.coordinatorNotAvailable.rawValue
        }
        return response
    }

    func list() -> ListGroupsResponse {
        var response = ListGroupsResponse()
        var names = Set(groups.keys)
        if let stored = try? store.groups() { names.formUnion(stored) }
        response.groups = names.sorted().map { name in
            var group = ListGroupsResponse.Group()
            group.groupId = name
            group.protocolType = groups[name]?.protocolType ?? "consumer"
            return group
        }
        return response
    }

    func describe(_ request: DescribeGroupsRequest) -> DescribeGroupsResponse {
        var response = DescribeGroupsResponse()
        let stored = Set((try? store.groups()) ?? [])
        for name in request.groups {
            var described = DescribeGroupsResponse.Group()
            described.groupId = name
            if let group = groups[name] {
                described.groupState = group.state.rawValue
                described.protocolType = group.protocolType
                described.protocolData =
                    group.state == .stable || group.state == .completingRebalance ? group.protocolName : ""
                described.members = group.order.compactMap { group.members[$0] }.map { member in
                    var entry = DescribeGroupsResponse.Member()
                    entry.memberId = member.id
                    entry.groupInstanceId = member.instanceId
                    entry.clientId = member.clientId
                    entry.clientHost = member.clientHost
                    entry.memberMetadata =
                        member.protocols.first { $0.name == group.protocolName }?.metadata ?? ByteBuffer()
                    entry.memberAssignment = member.assignment
                    return entry
                }
            } else {
                described.groupState = stored.contains(name) ? State.empty.rawValue : "Dead"
                described.protocolType = stored.contains(name) ? "consumer" : ""
            }
            response.groups.append(described)
        }
        return response
    }
}
