import EddyLog
import NIOCore

@testable import EddyKafka

/// Drives a ``KafkaBroker`` over a ``MemoryLog`` request by request, without sockets: encodes a request
/// frame as a client would, runs the broker's dispatch, and decodes the response frame.
struct BrokerHarness {
    let log: any Log
    let broker: KafkaBroker
    var correlation: Int32 = 0

    /// A broker over `log` (a fresh ``MemoryLog`` unless given: a second harness over the same log is a
    /// restarted broker).
    init(autoCreate: Bool = false, log: any Log = MemoryLog(), sasl: KafkaSASL? = nil) {
        self.log = log
        var configuration = KafkaBrokerConfiguration()
        configuration.sasl = sasl
        configuration.port = 19092
        configuration.autoCreateTopics = autoCreate
        configuration.initialRebalanceDelay = .milliseconds(20)
        broker = KafkaBroker(log: log, configuration: configuration)
    }

    static func frame<Request: KafkaMessage>(_ request: Request, version: Int16, correlation: Int32) throws
        -> ByteBuffer
    {
        var buffer = ByteBuffer()
        RequestHeader(
            apiKey: Request.apiKey.rawValue, apiVersion: version, correlationId: correlation, clientId: "test"
        )
        .encode(into: &buffer)
        try request.encode(into: &buffer, version: version)
        return buffer
    }

    func send<Request: KafkaMessage, Response: KafkaMessage>(
        _ request: Request, version: Int16, expecting: Response.Type = Response.self
    ) async throws -> Response {
        var session = KafkaSession(authenticated: true)
        return try await send(request, version: version, session: &session)
    }

    /// ``send(_:version:expecting:)`` on a connection in `session`'s state.
    func send<Request: KafkaMessage, Response: KafkaMessage>(
        _ request: Request, version: Int16, session: inout KafkaSession,
        expecting: Response.Type = Response.self
    ) async throws -> Response {
        let frame = try Self.frame(request, version: version, correlation: 42)
        guard var response = try await broker.handle(frame: frame, peer: "test", session: &session) else {
            throw HarnessError.noResponse
        }
        let size = response.readInteger(as: Int32.self)
        guard Int(size ?? -1) == response.readableBytes else { throw HarnessError.badSize }
        let header = try ResponseHeader(from: &response, apiKey: Response.apiKey, version: version)
        guard header.correlationId == 42 else { throw HarnessError.badCorrelation }
        let decoded = try Response(from: &response, version: version)
        guard response.readableBytes == 0 else { throw HarnessError.trailing }
        return decoded
    }

    enum HarnessError: Error { case noResponse, badSize, badCorrelation, trailing }
}

/// Record batches as a client sends them, built with the log's own encoder (a memory log's stored bytes).
enum ClientBatch {
    static func make(_ values: [String], keys: [String?]? = nil) throws -> [UInt8] {
        let scratch = MemoryLog()
        try scratch.createTopic("scratch", config: TopicConfig(partitions: 1))
        let records = values.enumerated().map { i, value in
            ProducerRecord(
                key: keys?[i].map { Array($0.utf8) }, value: Array(value.utf8),
                timestamp: 1_700_000_000_000 + Int64(i))
        }
        try scratch.append(records, to: TopicPartition("scratch", 0))
        return try scratch.read(TopicPartition("scratch", 0), from: 0, maxBytes: 1 << 20).batches
    }
}
