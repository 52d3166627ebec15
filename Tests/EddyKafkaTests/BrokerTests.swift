import CEddySupport
import EddyLog
import Foundation
import NIOCore
import Testing

@testable import EddyKafka

/// The broker's handlers over a memory log, request by request (no sockets).
@Suite struct BrokerTests {
    func produceRequest(_ topic: String, partition: Int32, batch: [UInt8], acks: Int16 = -1) -> ProduceRequest
    {
        var request = ProduceRequest()
        request.acks = acks
        var data = ProduceRequest.PartitionData()
        data.index = partition
        data.records = ByteBuffer(bytes: batch)
        var topicData = ProduceRequest.TopicData()
        topicData.name = topic
        topicData.partitionData = [data]
        request.topicData = [topicData]
        return request
    }

    func fetchRequest(
        _ topic: String, partition: Int32, offset: Int64, maxWaitMs: Int32 = 0, minBytes: Int32 = 1
    )
        -> FetchRequest
    {
        var request = FetchRequest()
        request.maxWaitMs = maxWaitMs
        request.minBytes = minBytes
        var p = FetchRequest.Partition()
        p.partition = partition
        p.fetchOffset = offset
        p.partitionMaxBytes = 1 << 20
        var t = FetchRequest.Topic()
        t.topic = topic
        t.partitions = [p]
        request.topics = [t]
        return request
    }

    func createTopic(_ harness: BrokerHarness, _ name: String, partitions: Int32) async throws {
        var request = CreateTopicsRequest()
        var topic = CreateTopicsRequest.Topic()
        topic.name = name
        topic.numPartitions = partitions
        topic.replicationFactor = 1
        request.topics = [topic]
        let response: CreateTopicsResponse = try await harness.send(request, version: 4)
        #expect(response.topics.map(\.errorCode) == [0])
    }

    @Test func apiVersionsAdvertisesEveryApiAndFallsBackToV0() async throws {
        let harness = BrokerHarness()
        let response: ApiVersionsResponse = try await harness.send(ApiVersionsRequest(), version: 3)
        #expect(response.errorCode == 0)
        #expect(Set(response.apiKeys.map(\.apiKey)) == Set(ApiKey.allCases.map(\.rawValue)))
        // A version from the future: a v0 response with UNSUPPORTED_VERSION and the list.
        let frame = try BrokerHarness.frame(ApiVersionsRequest(), version: 9, correlation: 5)
        var answer = try #require(try await harness.broker.handle(frame: frame, peer: "test"))
        _ = answer.readInteger(as: Int32.self)
        #expect(answer.readInteger(as: Int32.self) == 5)
        let fallback = try ApiVersionsResponse(from: &answer, version: 0)
        #expect(fallback.errorCode == ErrorCode.unsupportedVersion.rawValue)
        #expect(fallback.apiKeys.contains { $0.apiKey == 18 && $0.maxVersion == 3 })
    }

    @Test func produceStoresTheClientBatchAndFetchServesItAsStored() async throws {
        let harness = BrokerHarness()
        try await createTopic(harness, "motion", partitions: 2)
        let batch = try ClientBatch.make(["a", "b", "c"], keys: ["k1", nil, "k3"])
        for expectedBase in [Int64(0), 3] {
            let produced: ProduceResponse = try await harness.send(
                produceRequest("motion", partition: 1, batch: batch), version: 8)
            let result = try #require(produced.responses.first?.partitionResponses.first)
            #expect(result.errorCode == 0)
            #expect(result.baseOffset == expectedBase)
        }
        let fetched: FetchResponse = try await harness.send(
            fetchRequest("motion", partition: 1, offset: 0), version: 11)
        let partition = try #require(fetched.responses.first?.partitions.first)
        #expect(partition.errorCode == 0)
        #expect(partition.highWatermark == 6)
        let stored = Array(try #require(partition.records).readableBytesView)
        #expect(stored.count == 2 * batch.count)
        // Byte for byte as sent, except the base offset of the second batch.
        #expect(Array(stored[0..<batch.count]) == batch)
        #expect(Array(stored[(batch.count + 8)...]) == Array(batch[8...]))
        let records = FetchedRecords(
            topicPartition: TopicPartition("motion", 1), batches: stored, requestedOffset: 0, nextOffset: 6,
            highWatermark: 6, logStartOffset: 0
        ).records()
        #expect(records.map(\.offset) == [0, 1, 2, 3, 4, 5])
        #expect(records.map { String(decoding: $0.value, as: UTF8.self) } == ["a", "b", "c", "a", "b", "c"])
        #expect(records[0].key == Array("k1".utf8) && records[1].key == nil)
    }

    @Test func aCorruptBatchIsRefusedAndNothingIsStored() async throws {
        let harness = BrokerHarness()
        try await createTopic(harness, "motion", partitions: 1)
        var batch = try ClientBatch.make(["hello"])
        batch[batch.count - 3] ^= 0xFF
        let produced: ProduceResponse = try await harness.send(
            produceRequest("motion", partition: 0, batch: batch), version: 7)
        #expect(
            produced.responses.first?.partitionResponses.first?.errorCode == ErrorCode.corruptMessage.rawValue
        )
        #expect(try harness.log.offsets(of: TopicPartition("motion", 0)).end == 0)
    }

    @Test func produceToAMissingTopicNamesTheFixUnlessAutoCreateIsOn() async throws {
        let harness = BrokerHarness()
        let batch = try ClientBatch.make(["x"])
        let produced: ProduceResponse = try await harness.send(
            produceRequest("nope", partition: 0, batch: batch), version: 8)
        let result = try #require(produced.responses.first?.partitionResponses.first)
        #expect(result.errorCode == ErrorCode.unknownTopicOrPartition.rawValue)
        #expect(result.errorMessage?.contains("--kafka-auto-create") == true)

        let auto = BrokerHarness(autoCreate: true)
        let created: ProduceResponse = try await auto.send(
            produceRequest("fresh", partition: 0, batch: batch), version: 8)
        #expect(created.responses.first?.partitionResponses.first?.errorCode == 0)
        #expect(try auto.log.topicNames() == ["fresh"])
    }

    @Test func acksZeroGetsNoResponse() async throws {
        let harness = BrokerHarness()
        try await createTopic(harness, "motion", partitions: 1)
        let frame = try BrokerHarness.frame(
            produceRequest("motion", partition: 0, batch: try ClientBatch.make(["x"]), acks: 0), version: 8,
            correlation: 1)
        #expect(try await harness.broker.handle(frame: frame, peer: "test") == nil)
        #expect(try harness.log.offsets(of: TopicPartition("motion", 0)).end == 1)
    }

    @Test func fetchLongPollsUntilAnAppendWakesIt() async throws {
        let harness = BrokerHarness()
        try await createTopic(harness, "motion", partitions: 1)
        let started = ContinuousClock.now
        async let fetched: FetchResponse = harness.send(
            fetchRequest("motion", partition: 0, offset: 0, maxWaitMs: 300_000), version: 11)
        try await Task.sleep(for: .milliseconds(100))
        try harness.log.append([ProducerRecord(value: Array("late".utf8))], to: TopicPartition("motion", 0))
        let response = try await fetched
        let elapsed = ContinuousClock.now - started
        // Only "before the timeout" tells a wake-up from a timed-out wait: end-to-end suites that block the
        // cooperative pool (waiting on child processes) have delayed a wake-up by minutes on a busy machine.
        #expect(elapsed < .seconds(290), "woken by the append, not the 300 s timeout")
        #expect(response.responses.first?.partitions.first?.records?.readableBytes ?? 0 > 0)

        // Nothing arrives: the fetch returns empty after max.wait.ms.
        let waited = ContinuousClock.now
        let empty: FetchResponse = try await harness.send(
            fetchRequest("motion", partition: 0, offset: 1, maxWaitMs: 200), version: 11)
        #expect(ContinuousClock.now - waited >= .milliseconds(190))
        #expect(empty.responses.first?.partitions.first?.records?.readableBytes == 0)
    }

    @Test func fetchOutOfRangeAndUnknownPartition() async throws {
        let harness = BrokerHarness()
        try await createTopic(harness, "motion", partitions: 1)
        let beyond: FetchResponse = try await harness.send(
            fetchRequest("motion", partition: 0, offset: 10), version: 4)
        #expect(beyond.responses.first?.partitions.first?.errorCode == ErrorCode.offsetOutOfRange.rawValue)
        let unknown: FetchResponse = try await harness.send(
            fetchRequest("motion", partition: 7, offset: 0), version: 4)
        #expect(
            unknown.responses.first?.partitions.first?.errorCode == ErrorCode.unknownTopicOrPartition.rawValue
        )
    }

    @Test func metadataAndListOffsets() async throws {
        let harness = BrokerHarness()
        try await createTopic(harness, "motion", partitions: 3)
        try harness.log.append(
            (0..<5).map { ProducerRecord(value: [UInt8($0)], timestamp: 1000 + Int64($0) * 10) },
            to: TopicPartition("motion", 2))
        var request = MetadataRequest()
        request.topics = nil
        let metadata: MetadataResponse = try await harness.send(request, version: 8)
        #expect(metadata.brokers.map(\.port) == [19092])
        #expect(metadata.topics.map(\.name) == ["motion"])
        #expect(metadata.topics.first?.partitions.map(\.partitionIndex) == [0, 1, 2])
        request.topics = [.init(name: "missing")]
        let missing: MetadataResponse = try await harness.send(request, version: 8)
        #expect(missing.topics.first?.errorCode == ErrorCode.unknownTopicOrPartition.rawValue)

        for (timestamp, offset) in [
            (ListOffsetsRequest.earliest, Int64(0)), (ListOffsetsRequest.latest, 5), (1025, 3), (5000, -1),
        ] {
            var list = ListOffsetsRequest()
            var partition = ListOffsetsRequest.Partition()
            partition.partitionIndex = 2
            partition.timestamp = timestamp
            var topic = ListOffsetsRequest.Topic()
            topic.name = "motion"
            topic.partitions = [partition]
            list.topics = [topic]
            let response: ListOffsetsResponse = try await harness.send(list, version: 5)
            #expect(response.topics.first?.partitions.first?.offset == offset, "timestamp \(timestamp)")
        }
    }

    /// An idempotent producer's retry (same producer id, epoch and sequence) is acknowledged with the first
    /// offset and stored once; a gap in sequences is refused.
    @Test func idempotentProduceStoresARetryOnce() async throws {
        let harness = BrokerHarness()
        try await createTopic(harness, "motion", partitions: 1)
        let initialized: InitProducerIdResponse = try await harness.send(InitProducerIdRequest(), version: 1)
        #expect(initialized.errorCode == 0 && initialized.producerId >= 0)
        func batch(_ values: [String], sequence: Int32) throws -> [UInt8] {
            var bytes = try ClientBatch.make(values)
            bytes.withUnsafeMutableBytes { raw in
                raw.storeBytes(of: initialized.producerId.bigEndian, toByteOffset: 43, as: Int64.self)
                raw.storeBytes(of: Int16(0).bigEndian, toByteOffset: 51, as: Int16.self)
                raw.storeBytes(of: sequence.bigEndian, toByteOffset: 53, as: Int32.self)
                let crc = eddy_crc32c(0, raw.baseAddress! + 21, raw.count - 21)
                raw.storeBytes(of: crc.bigEndian, toByteOffset: 17, as: UInt32.self)
            }
            return bytes
        }
        let first = try batch(["a", "b"], sequence: 0)
        var offsets: [Int64] = []
        for _ in 0..<3 {
            let response: ProduceResponse = try await harness.send(
                produceRequest("motion", partition: 0, batch: first), version: 8)
            #expect(response.responses.first?.partitionResponses.first?.errorCode == 0)
            offsets.append(response.responses.first?.partitionResponses.first?.baseOffset ?? -1)
        }
        #expect(offsets == [0, 0, 0])
        let second: ProduceResponse = try await harness.send(
            produceRequest("motion", partition: 0, batch: try batch(["c"], sequence: 2)), version: 8)
        #expect(second.responses.first?.partitionResponses.first?.baseOffset == 2)
        let gap: ProduceResponse = try await harness.send(
            produceRequest("motion", partition: 0, batch: try batch(["d"], sequence: 9)), version: 8)
        #expect(
            gap.responses.first?.partitionResponses.first?.errorCode
                == ErrorCode.outOfOrderSequenceNumber.rawValue)
        #expect(try harness.log.offsets(of: TopicPartition("motion", 0)).end == 3)
    }

    /// The producer state a restart lost is rebuilt from the stored batches: a batch retried against the
    /// restarted broker (a new broker over the reopened data directory) is acknowledged with its first
    /// offset and not stored again, the next sequence is accepted, a gap and an old epoch are refused.
    @Test func idempotentProducerStateSurvivesABrokerRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "eddy-kafka-restart-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let producerId: Int64 = 4242
        func batch(_ values: [String], sequence: Int32, epoch: Int16 = 3) throws -> [UInt8] {
            var bytes = try ClientBatch.make(values)
            bytes.withUnsafeMutableBytes { raw in
                raw.storeBytes(of: producerId.bigEndian, toByteOffset: 43, as: Int64.self)
                raw.storeBytes(of: epoch.bigEndian, toByteOffset: 51, as: Int16.self)
                raw.storeBytes(of: sequence.bigEndian, toByteOffset: 53, as: Int32.self)
                let crc = eddy_crc32c(0, raw.baseAddress! + 21, raw.count - 21)
                raw.storeBytes(of: crc.bigEndian, toByteOffset: 17, as: UInt32.self)
            }
            return bytes
        }
        func produce(_ harness: BrokerHarness, _ bytes: [UInt8]) async throws -> (Int16, Int64) {
            let response: ProduceResponse = try await harness.send(
                produceRequest("orders", partition: 0, batch: bytes), version: 8)
            let partition = response.responses.first?.partitionResponses.first
            return (partition?.errorCode ?? -1, partition?.baseOffset ?? -2)
        }
        let tp = TopicPartition("orders", 0)
        do {
            let log = try FileLog(directory: directory)
            defer { log.close() }
            let harness = BrokerHarness(log: log)
            try await createTopic(harness, "orders", partitions: 1)
            // Someone else's records first, so the producer's offsets are not simply its sequences.
            _ = try log.append([ProducerRecord(value: Array("other".utf8))], to: tp)
            for (values, sequence) in [(["a", "b"], Int32(0)), (["c"], 2), (["d", "e", "f"], 3)] {
                let (error, _) = try await produce(harness, try batch(values, sequence: sequence))
                #expect(error == 0)
            }
            #expect(try log.offsets(of: tp).end == 7)
        }
        let log = try FileLog(directory: directory)
        defer { log.close() }
        let restarted = BrokerHarness(log: log)
        // The producer did not see the acknowledgement of its last batch and retries it.
        let retried = try await produce(restarted, try batch(["d", "e", "f"], sequence: 3))
        #expect(retried.0 == 0 && retried.1 == 4, "\(retried)")
        // An older retry still inside the five remembered batches gets its own first offset too.
        let older = try await produce(restarted, try batch(["c"], sequence: 2))
        #expect(older.0 == 0 && older.1 == 3, "\(older)")
        #expect(try log.offsets(of: tp).end == 7)
        let next = try await produce(restarted, try batch(["g"], sequence: 6))
        #expect(next.0 == 0 && next.1 == 7, "\(next)")
        let gap = try await produce(restarted, try batch(["h"], sequence: 9))
        #expect(gap.0 == ErrorCode.outOfOrderSequenceNumber.rawValue)
        let fenced = try await produce(restarted, try batch(["i"], sequence: 7, epoch: 2))
        #expect(fenced.0 == ErrorCode.invalidProducerEpoch.rawValue)
        #expect(try log.offsets(of: tp).end == 8)
    }
}
