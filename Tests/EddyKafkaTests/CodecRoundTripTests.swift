import NIOCore
import Testing

@testable import EddyKafka

/// Every message, at every advertised version and at its first flexible version: encoding, decoding and
/// encoding again gives the same bytes, decoding consumes the whole encoding, and at the newest advertised
/// version the decoded value equals the original (the samples set only fields that version carries).
@Suite struct CodecRoundTripTests {
    func check<M: KafkaMessage & Equatable>(_ message: M, equalAt: Int16? = nil) throws {
        let versions = Array(M.apiKey.supportedVersions) + [M.apiKey.firstFlexibleVersion]
        for version in Set(versions).sorted() {
            var encoded = ByteBuffer()
            try message.encode(into: &encoded, version: version)
            var reading = encoded
            let decoded = try M(from: &reading, version: version)
            #expect(reading.readableBytes == 0, "\(M.self) v\(version) left \(reading.readableBytes) bytes")
            var again = ByteBuffer()
            try decoded.encode(into: &again, version: version)
            #expect(again == encoded, "\(M.self) v\(version) re-encodes differently")
            if version == (equalAt ?? M.apiKey.supportedVersions.upperBound) {
                #expect(decoded == message, "\(M.self) v\(version) decodes to a different value")
            }
            // A truncated message is an error, never a crash.
            if encoded.readableBytes > 0 {
                var truncated = encoded.getSlice(at: encoded.readerIndex, length: encoded.readableBytes - 1)!
                #expect(throws: KafkaCodecError.self) { _ = try M(from: &truncated, version: version) }
            }
        }
    }

    static func bytes(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    @Test func apiVersions() throws {
        var request = ApiVersionsRequest()
        request.clientSoftwareName = "eddy-test"
        request.clientSoftwareVersion = "1.0"
        try check(request)
        var response = ApiVersionsResponse()
        response.apiKeys = [
            .init(apiKey: 0, minVersion: 3, maxVersion: 8), .init(apiKey: 18, minVersion: 0, maxVersion: 3),
        ]
        response.throttleTimeMs = 7
        try check(response)
    }

    @Test func metadata() throws {
        var request = MetadataRequest()
        request.topics = [.init(name: "motion"), .init(name: "sales")]
        request.allowAutoTopicCreation = false
        request.includeTopicAuthorizedOperations = true
        try check(request)
        var response = MetadataResponse()
        var broker = MetadataResponse.Broker()
        broker.nodeId = 3
        broker.host = "127.0.0.1"
        broker.port = 9092
        broker.rack = "r1"
        response.brokers = [broker]
        response.clusterId = "eddy"
        response.controllerId = 3
        var partition = MetadataResponse.Partition()
        partition.partitionIndex = 5
        partition.leaderId = 3
        partition.leaderEpoch = 2
        partition.replicaNodes = [3]
        partition.isrNodes = [3]
        partition.offlineReplicas = [4]
        var topic = MetadataResponse.Topic()
        topic.name = "motion"
        topic.isInternal = true
        topic.partitions = [partition]
        topic.topicAuthorizedOperations = 12
        response.topics = [topic]
        response.throttleTimeMs = 1
        response.clusterAuthorizedOperations = 9
        try check(response)
    }

    @Test func produce() throws {
        var request = ProduceRequest()
        request.acks = 1
        request.timeoutMs = 1500
        var partition = ProduceRequest.PartitionData()
        partition.index = 2
        partition.records = Self.bytes("batch bytes")
        var empty = ProduceRequest.PartitionData()
        empty.index = 3
        var topic = ProduceRequest.TopicData()
        topic.name = "motion"
        topic.partitionData = [partition, empty]
        request.topicData = [topic]
        try check(request)
        var response = ProduceResponse()
        var result = ProduceResponse.PartitionResponse()
        result.index = 2
        result.errorCode = 3
        result.baseOffset = 42
        result.logAppendTimeMs = 99
        result.logStartOffset = 7
        var recordError = ProduceResponse.BatchIndexAndErrorMessage()
        recordError.batchIndex = 1
        recordError.batchIndexErrorMessage = "bad"
        result.recordErrors = [recordError]
        result.errorMessage = "no"
        var topicResponse = ProduceResponse.TopicResponse()
        topicResponse.name = "motion"
        topicResponse.partitionResponses = [result]
        response.responses = [topicResponse]
        response.throttleTimeMs = 4
        try check(response)
    }

    @Test func fetch() throws {
        var request = FetchRequest()
        request.maxWaitMs = 100
        request.minBytes = 10
        request.maxBytes = 1000
        request.isolationLevel = 1
        request.sessionId = 5
        request.sessionEpoch = 6
        var partition = FetchRequest.Partition()
        partition.partition = 1
        partition.currentLeaderEpoch = 4
        partition.fetchOffset = 77
        partition.logStartOffset = 3
        partition.partitionMaxBytes = 512
        var topic = FetchRequest.Topic()
        topic.topic = "motion"
        topic.partitions = [partition]
        request.topics = [topic]
        var forgotten = FetchRequest.ForgottenTopic()
        forgotten.topic = "old"
        forgotten.partitions = [1, 2]
        request.forgottenTopicsData = [forgotten]
        request.rackId = "rack"
        try check(request)
        var response = FetchResponse()
        response.throttleTimeMs = 1
        response.errorCode = 0
        response.sessionId = 0
        var result = FetchResponse.Partition()
        result.partitionIndex = 1
        result.highWatermark = 100
        result.lastStableOffset = 100
        result.logStartOffset = 2
        var aborted = FetchResponse.AbortedTransaction()
        aborted.producerId = 9
        aborted.firstOffset = 10
        result.abortedTransactions = [aborted]
        result.preferredReadReplica = -1
        result.records = Self.bytes("records")
        var topicResponse = FetchResponse.Topic()
        topicResponse.topic = "motion"
        topicResponse.partitions = [result]
        response.responses = [topicResponse]
        try check(response)
    }

    @Test func listOffsets() throws {
        var request = ListOffsetsRequest()
        request.isolationLevel = 1
        var partition = ListOffsetsRequest.Partition()
        partition.partitionIndex = 2
        partition.currentLeaderEpoch = 1
        partition.timestamp = ListOffsetsRequest.earliest
        partition.maxNumOffsets = 1
        var topic = ListOffsetsRequest.Topic()
        topic.name = "motion"
        topic.partitions = [partition]
        request.topics = [topic]
        try check(request)
        var response = ListOffsetsResponse()
        var result = ListOffsetsResponse.Partition()
        result.partitionIndex = 2
        result.timestamp = 1_700_000_000_000
        result.offset = 12
        result.leaderEpoch = 0
        var topicResponse = ListOffsetsResponse.Topic()
        topicResponse.name = "motion"
        topicResponse.partitions = [result]
        response.topics = [topicResponse]
        response.throttleTimeMs = 2
        try check(response)
    }

    @Test func topics() throws {
        var create = CreateTopicsRequest()
        var topic = CreateTopicsRequest.Topic()
        topic.name = "motion"
        topic.numPartitions = 6
        topic.replicationFactor = 1
        var assignment = CreateTopicsRequest.Assignment()
        assignment.partitionIndex = 0
        assignment.brokerIds = [0]
        topic.assignments = [assignment]
        var config = CreateTopicsRequest.Config()
        config.name = "retention.ms"
        config.value = "1000"
        topic.configs = [config]
        create.topics = [topic]
        create.validateOnly = true
        try check(create)
        var created = CreateTopicsResponse()
        var result = CreateTopicsResponse.Result()
        result.name = "motion"
        result.errorCode = 36
        result.errorMessage = "exists"
        created.topics = [result]
        created.throttleTimeMs = 3
        try check(created)
        var delete = DeleteTopicsRequest()
        delete.topicNames = ["a", "b"]
        try check(delete)
        var deleted = DeleteTopicsResponse()
        var gone = DeleteTopicsResponse.Result()
        gone.name = "a"
        gone.errorCode = 3
        deleted.responses = [gone]
        deleted.throttleTimeMs = 1
        try check(deleted)
    }

    @Test func groups() throws {
        var find = FindCoordinatorRequest()
        find.key = "g"
        find.keyType = 0
        try check(find)
        var found = FindCoordinatorResponse()
        found.errorMessage = "ok"
        found.nodeId = 0
        found.host = "localhost"
        found.port = 9092
        found.throttleTimeMs = 1
        try check(found)

        var join = JoinGroupRequest()
        join.groupId = "g"
        join.sessionTimeoutMs = 6000
        join.rebalanceTimeoutMs = 30000
        join.memberId = "m1"
        join.groupInstanceId = "i1"
        join.protocolType = "consumer"
        var proto = JoinGroupRequest.SupportedProtocol()
        proto.name = "range"
        proto.metadata = Self.bytes("meta")
        join.protocols = [proto]
        try check(join)
        var joined = JoinGroupResponse()
        joined.throttleTimeMs = 1
        joined.generationId = 3
        joined.protocolName = "range"
        joined.leader = "m1"
        joined.memberId = "m1"
        var member = JoinGroupResponse.Member()
        member.memberId = "m1"
        member.groupInstanceId = "i1"
        member.metadata = Self.bytes("meta")
        joined.members = [member]
        try check(joined)

        var sync = SyncGroupRequest()
        sync.groupId = "g"
        sync.generationId = 3
        sync.memberId = "m1"
        sync.groupInstanceId = "i1"
        var assignment = SyncGroupRequest.Assignment()
        assignment.memberId = "m1"
        assignment.assignment = Self.bytes("assigned")
        sync.assignments = [assignment]
        try check(sync)
        var synced = SyncGroupResponse()
        synced.throttleTimeMs = 1
        synced.assignment = Self.bytes("assigned")
        try check(synced)

        var heartbeat = HeartbeatRequest()
        heartbeat.groupId = "g"
        heartbeat.generationId = 3
        heartbeat.memberId = "m1"
        heartbeat.groupInstanceId = "i1"
        try check(heartbeat)
        var beat = HeartbeatResponse()
        beat.throttleTimeMs = 1
        beat.errorCode = 27
        try check(beat)

        var leave = LeaveGroupRequest()
        leave.groupId = "g"
        var leaving = LeaveGroupRequest.Member()
        leaving.memberId = "m1"
        leave.members = [leaving]
        try check(leave)
        var left = LeaveGroupResponse()
        left.throttleTimeMs = 1
        var leftMember = LeaveGroupResponse.Member()
        leftMember.memberId = "m1"
        left.members = [leftMember]
        try check(left)

        var list = ListGroupsResponse()
        var listed = ListGroupsResponse.Group()
        listed.groupId = "g"
        listed.protocolType = "consumer"
        list.groups = [listed]
        list.throttleTimeMs = 1
        try check(ListGroupsRequest())
        try check(list)

        var describe = DescribeGroupsRequest()
        describe.groups = ["g"]
        describe.includeAuthorizedOperations = true
        try check(describe)
        var described = DescribeGroupsResponse()
        var group = DescribeGroupsResponse.Group()
        group.groupId = "g"
        group.groupState = "Stable"
        group.protocolType = "consumer"
        group.protocolData = "range"
        var describedMember = DescribeGroupsResponse.Member()
        describedMember.memberId = "m1"
        describedMember.groupInstanceId = "i1"
        describedMember.clientId = "c"
        describedMember.clientHost = "/127.0.0.1"
        describedMember.memberMetadata = Self.bytes("meta")
        describedMember.memberAssignment = Self.bytes("assigned")
        group.members = [describedMember]
        group.authorizedOperations = 5
        described.groups = [group]
        described.throttleTimeMs = 1
        try check(described)
    }

    @Test func offsets() throws {
        var commit = OffsetCommitRequest()
        commit.groupId = "g"
        commit.generationId = 2
        commit.memberId = "m1"
        commit.groupInstanceId = "i1"
        var partition = OffsetCommitRequest.Partition()
        partition.partitionIndex = 1
        partition.committedOffset = 99
        partition.committedLeaderEpoch = 0
        partition.committedMetadata = "meta"
        var topic = OffsetCommitRequest.Topic()
        topic.name = "motion"
        topic.partitions = [partition]
        commit.topics = [topic]
        try check(commit)
        var committed = OffsetCommitResponse()
        var result = OffsetCommitResponse.Partition()
        result.partitionIndex = 1
        result.errorCode = 22
        var topicResult = OffsetCommitResponse.Topic()
        topicResult.name = "motion"
        topicResult.partitions = [result]
        committed.topics = [topicResult]
        committed.throttleTimeMs = 1
        try check(committed)

        var fetch = OffsetFetchRequest()
        fetch.groupId = "g"
        var fetchTopic = OffsetFetchRequest.Topic()
        fetchTopic.name = "motion"
        fetchTopic.partitionIndexes = [0, 1]
        fetch.topics = [fetchTopic]
        try check(fetch)
        var all = OffsetFetchRequest()
        all.groupId = "g"
        all.topics = nil
        try check(all)
        var fetched = OffsetFetchResponse()
        var fetchedPartition = OffsetFetchResponse.Partition()
        fetchedPartition.partitionIndex = 1
        fetchedPartition.committedOffset = 99
        fetchedPartition.committedLeaderEpoch = 0
        fetchedPartition.metadata = nil
        var fetchedTopic = OffsetFetchResponse.Topic()
        fetchedTopic.name = "motion"
        fetchedTopic.partitions = [fetchedPartition]
        fetched.topics = [fetchedTopic]
        fetched.throttleTimeMs = 1
        try check(fetched)
    }

    @Test func configsAndProducers() throws {
        var describe = DescribeConfigsRequest()
        var resource = DescribeConfigsRequest.Resource()
        resource.resourceName = "motion"
        resource.configurationKeys = ["retention.ms"]
        describe.resources = [resource]
        describe.includeSynonyms = true
        describe.includeDocumentation = true
        try check(describe)
        var described = DescribeConfigsResponse()
        var result = DescribeConfigsResponse.Result()
        result.resourceType = 2
        result.resourceName = "motion"
        var config = DescribeConfigsResponse.Config()
        config.name = "retention.ms"
        config.value = "-1"
        config.configSource = 5
        var synonym = DescribeConfigsResponse.Synonym()
        synonym.name = "log.retention.ms"
        synonym.value = "-1"
        synonym.source = 5
        config.synonyms = [synonym]
        config.configType = 5
        config.documentation = "doc"
        result.configs = [config]
        described.results = [result]
        try check(described)

        var initRequest = InitProducerIdRequest()
        initRequest.transactionTimeoutMs = 60000
        try check(initRequest)
        var initResponse = InitProducerIdResponse()
        initResponse.producerId = 1234
        initResponse.producerEpoch = 1
        try check(initResponse)
    }

    /// Flexible versions: compact lengths (length + 1 as an unsigned varint) and tagged fields, whose unknown
    /// tags a reader skips.
    @Test func flexibleEncodingAndUnknownTags() throws {
        var request = ApiVersionsRequest()
        request.clientSoftwareName = "ab"
        request.clientSoftwareVersion = ""
        var encoded = ByteBuffer()
        try request.encode(into: &encoded, version: 3)
        #expect(Array(encoded.readableBytesView) == [3, 0x61, 0x62, 1, 0])
        // The same request with one unknown tagged field (tag 5, two bytes).
        var tagged = ByteBuffer(bytes: [3, 0x61, 0x62, 1, 1, 5, 2, 0xFF, 0xFF])
        let decoded = try ApiVersionsRequest(from: &tagged, version: 3)
        #expect(decoded == request)
        #expect(tagged.readableBytes == 0)
    }

    @Test func requestHeaders() throws {
        for (key, version) in [(ApiKey.metadata, Int16(8)), (.apiVersions, 3), (.produce, 9)] {
            let header = RequestHeader(
                apiKey: key.rawValue, apiVersion: version, correlationId: 77, clientId: "rdkafka")
            var buffer = ByteBuffer()
            header.encode(into: &buffer)
            var reading = buffer
            #expect(try RequestHeader(from: &reading) == header)
            #expect(reading.readableBytes == 0)
        }
        // The ApiVersions response header has no tagged fields even in v3 (KIP-511).
        var buffer = ByteBuffer()
        ResponseHeader(correlationId: 1).encode(into: &buffer, apiKey: .apiVersions, version: 3)
        #expect(buffer.readableBytes == 4)
        buffer.clear()
        ResponseHeader(correlationId: 1).encode(into: &buffer, apiKey: .metadata, version: 9)
        #expect(buffer.readableBytes == 5)
    }

    /// A count larger than the bytes left is refused before anything is allocated for it.
    @Test func hugeCountsAreRefused() throws {
        var buffer = ByteBuffer()
        buffer.writeInteger(Int32.max)  // topic array count
        #expect(throws: KafkaCodecError.self) { _ = try DeleteTopicsRequest(from: &buffer, version: 0) }
        var strings = ByteBuffer()
        strings.writeInteger(Int32(1))
        strings.writeInteger(Int16(30000))
        #expect(throws: KafkaCodecError.self) { _ = try DeleteTopicsRequest(from: &strings, version: 0) }
    }
}
