import EddyLog
import NIOCore
import NIOEmbedded
import Testing

@testable import EddyKafka

/// A seeded fuzzer: random bytes, truncated and bit-flipped valid requests, wrong lengths, huge sizes,
/// unknown keys and versions. The broker must answer or refuse with an error, never crash; the frame
/// decoder must refuse oversized and undersized frames before buffering them.
@Suite struct ProtocolFuzzTests {
    /// xorshift64*: the same seed gives the same inputs on every run.
    struct SeededRandom: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 2_685_821_657_736_338_717
        }
    }

    func validFrames() throws -> [ByteBuffer] {
        var frames: [ByteBuffer] = []
        var metadata = MetadataRequest()
        metadata.topics = [.init(name: "motion")]
        frames.append(try BrokerHarness.frame(metadata, version: 8, correlation: 1))
        frames.append(try BrokerHarness.frame(ApiVersionsRequest(), version: 3, correlation: 2))
        var produce = ProduceRequest()
        var data = ProduceRequest.PartitionData()
        data.records = ByteBuffer(bytes: try ClientBatch.make(["a", "bb", "ccc"], keys: ["k", nil, "k"]))
        var topic = ProduceRequest.TopicData()
        topic.name = "motion"
        topic.partitionData = [data]
        produce.topicData = [topic]
        frames.append(try BrokerHarness.frame(produce, version: 8, correlation: 3))
        var fetch = FetchRequest()
        fetch.maxWaitMs = 0
        var partition = FetchRequest.Partition()
        partition.partitionMaxBytes = 1000
        var fetchTopic = FetchRequest.Topic()
        fetchTopic.topic = "motion"
        fetchTopic.partitions = [partition]
        fetch.topics = [fetchTopic]
        frames.append(try BrokerHarness.frame(fetch, version: 11, correlation: 4))
        var commit = OffsetCommitRequest()
        commit.groupId = "g"
        frames.append(try BrokerHarness.frame(commit, version: 7, correlation: 5))
        var create = CreateTopicsRequest()
        var createTopic = CreateTopicsRequest.Topic()
        createTopic.name = "other"
        createTopic.numPartitions = 2
        create.topics = [createTopic]
        frames.append(try BrokerHarness.frame(create, version: 4, correlation: 6))
        return frames
    }

    @Test func brokerSurvivesMutatedAndRandomFrames() async throws {
        let harness = BrokerHarness()
        try harness.log.createTopic("motion", config: TopicConfig(partitions: 1))
        var random = SeededRandom(state: 0x5EED_CAFE_F00D_0001)
        let frames = try validFrames()
        var answered = 0
        var refused = 0
        for round in 0..<3000 {
            var bytes: [UInt8]
            let base = Array(frames[round % frames.count].readableBytesView)
            switch round % 5 {
            case 0:  // random bytes
                bytes = (0..<Int.random(in: 0..<200, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
            case 1:  // truncated
                bytes = Array(base.prefix(Int.random(in: 0..<base.count, using: &random)))
            case 2:  // bit flips
                bytes = base
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8(
                        1 << Int.random(in: 0..<8, using: &random))
                }
            case 3:  // unknown key or version
                bytes = base
                bytes[0] = UInt8.random(in: 0...255, using: &random)
                bytes[3] = UInt8.random(in: 0...255, using: &random)
            default:  // a huge length somewhere in the body
                bytes = base
                let at = Int.random(in: 8..<max(9, bytes.count - 4), using: &random)
                if at + 4 <= bytes.count {
                    bytes.replaceSubrange(at..<(at + 4), with: [0x7F, 0xFF, 0xFF, 0xF0])
                }
            }
            do {
                if try await harness.broker.handle(frame: ByteBuffer(bytes: bytes), peer: "fuzz") != nil {
                    answered += 1
                }
            } catch {
                refused += 1
            }
        }
        #expect(answered > 0 && refused > 0, "answered \(answered), refused \(refused)")
    }

    @Test func frameDecoderSplitsReassemblesAndRefuses() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(KafkaFrameDecoder(maxFrameBytes: 1024)))
        var stream = ByteBuffer()
        stream.writeInteger(Int32(12))
        stream.writeBytes([UInt8](repeating: 1, count: 12))
        stream.writeInteger(Int32(10))
        stream.writeBytes([UInt8](repeating: 2, count: 10))
        // Delivered one byte at a time: two whole frames come out.
        for byte in stream.readableBytesView { try channel.writeInbound(ByteBuffer(bytes: [byte])) }
        #expect(try channel.readInbound(as: ByteBuffer.self)?.readableBytes == 12)
        #expect(try channel.readInbound(as: ByteBuffer.self)?.readableBytes == 10)
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)

        var huge = ByteBuffer()
        huge.writeInteger(Int32(1025))
        #expect(throws: KafkaFrameError.tooLarge(1025, max: 1024)) { try channel.writeInbound(huge) }
        _ = try? channel.finish()

        let second = EmbeddedChannel(handler: ByteToMessageHandler(KafkaFrameDecoder(maxFrameBytes: 1024)))
        var negative = ByteBuffer()
        negative.writeInteger(Int32(-5))
        #expect(throws: KafkaFrameError.tooSmall(-5)) { try second.writeInbound(negative) }
        _ = try? second.finish()
    }
}
