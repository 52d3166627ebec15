public import EddyLog
public import Logging
public import NIOCore
import NIOPosix
import Synchronization

/// A Kafka broker over any ``Log``: existing Kafka clients (librdkafka, kafka-python, aiokafka, kcat,
/// the Java client) produce to and consume from Eddy's topics unchanged.
///
/// ```swift
/// let log = try FileLog(directory: "./eddy-data")
/// let broker = KafkaBroker(log: log, configuration: KafkaBrokerConfiguration())
/// try await broker.run { address in print("Kafka listener on \(address)") }  // until cancelled
/// ```
///
/// One broker is the whole cluster: node 0 leads every partition. Each connection's requests are
/// answered in order, one at a time, as Kafka does; a Fetch waiting for data suspends only its own
/// connection, and wakes on the log's append notifications rather than by polling. A frame that cannot be
/// a request (too large, truncated, an unknown API, a version the broker does not speak) closes the
/// connection with the reason logged.
public final class KafkaBroker: Sendable {
    public let log: any Log
    public let configuration: KafkaBrokerConfiguration
    let logger: Logger
    let groups: GroupCoordinator
    let producers = ProducerStateTable()
    let advertised: AdvertisedAddress

    public init(
        log: any Log, configuration: KafkaBrokerConfiguration, logger: Logger = Logger(label: "eddy.kafka")
    ) {
        self.log = log
        self.configuration = configuration
        self.logger = logger
        groups = GroupCoordinator(
            store: log.consumerGroups, initialRebalanceDelay: configuration.initialRebalanceDelay,
            logger: logger)
        advertised = AdvertisedAddress(
            host: configuration.advertisedHost
                ?? (["0.0.0.0", "::", ""].contains(configuration.host) ? "127.0.0.1" : configuration.host),
            port: configuration.advertisedPort ?? configuration.port)
    }

    /// Binds, calls `onListening` with the bound address, and serves until the task is cancelled;
    /// then closes the listener and every connection.
    public func run(onListening: @Sendable (SocketAddress) -> Void = { _ in }) async throws {
        let maxFrameBytes = configuration.maxRequestBytes
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // Produce requests are often hundreds of KB: reads of up to 1 MiB take a whole request at once,
            // so the frame decoder hands it on without first copying 64 KB pieces together.
            .childChannelOption(
                .recvAllocator,
                value: AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 64 << 10, maximum: 1 << 20)
            )
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(KafkaFrameDecoder(maxFrameBytes: maxFrameBytes)))
                    try channel.pipeline.syncOperations.addHandler(KafkaResponseWriter())
                    return try NIOAsyncChannel<ByteBuffer, KafkaResponseFrame>(
                        wrappingChannelSynchronously: channel)
                }
            }
        guard let address = server.channel.localAddress else { throw KafkaBrokerError.notBound }
        if configuration.advertisedPort == nil, let port = address.port { advertised.port = port }
        logger.info("Kafka listener on \(address), advertising \(advertised.host):\(advertised.port)")
        onListening(address)
        let sweeper = Task { await groups.sweepForever() }
        defer { sweeper.cancel() }
        try await withTaskCancellationHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await self.serve(connection) }
                    }
                }
            }
        } onCancel: {
            server.channel.close(promise: nil)
        }
    }

    /// Answers one connection's requests in order until it closes or sends something that is not a request.
    func serve(_ connection: NIOAsyncChannel<ByteBuffer, KafkaResponseFrame>) async {
        let peer = connection.channel.remoteAddress.map { "\($0)" } ?? "unknown peer"
        do {
            try await connection.executeThenClose { inbound, outbound in
                try await withTaskCancellationHandler {
                    var session = KafkaSession(authenticated: configuration.sasl == nil)
                    for try await frame in inbound {
                        if let response = try await respond(to: frame, peer: peer, session: &session) {
                            try await outbound.write(response)
                        }
                        if session.mustClose {
                            logger.info("closing Kafka connection from \(peer) after a refused SASL request")
                            return
                        }
                    }
                } onCancel: {
                    connection.channel.close(promise: nil)
                }
            }
        } catch let error as KafkaFrameError {
            logger.warning("closing Kafka connection from \(peer): \(error)")
        } catch let error as KafkaRequestError {
            logger.warning("closing Kafka connection from \(peer): \(error)")
        } catch {
            logger.debug("Kafka connection from \(peer) ended: \(error)")
        }
    }
}

/// The address the broker tells clients to connect to. The port is known only after binding port 0.
final class AdvertisedAddress: Sendable {
    let host: String
    private let _port: Mutex<Int>

    init(host: String, port: Int) {
        self.host = host
        _port = Mutex(port)
    }

    var port: Int {
        get { _port.withLock { $0 } }
        set { _port.withLock { $0 = newValue } }
    }
}

/// Why the broker could not start.
public enum KafkaBrokerError: Error, CustomStringConvertible {
    case notBound

    public var description: String {
        switch self {
        case .notBound: "the Kafka listener has no local address after binding"
        }
    }
}

/// Why a request frame closed its connection.
public enum KafkaRequestError: Error, CustomStringConvertible {
    case malformedHeader(KafkaCodecError)
    case unknownApiKey(Int16, correlationId: Int32)
    case unsupportedVersion(ApiKey, Int16, correlationId: Int32)
    case malformedBody(ApiKey, Int16, KafkaCodecError)
    case trailingBytes(ApiKey, Int16, Int)
    case notAuthenticated(ApiKey, correlationId: Int32)
    case authenticationFailed(String)
    /// The stored batches of a Fetch answer could not be read back (in-process callers only; the network
    /// path sends them from the file).
    case unreadableStoredBatches(LogError)

    public var description: String {
        switch self {
        case .malformedHeader(let error): "malformed request header: \(error)"
        case .unknownApiKey(let key, let correlation):
            "unknown API key \(key) (correlation id \(correlation))"
        case .unsupportedVersion(let api, let version, let correlation):
            "\(api) v\(version) is not supported (versions \(api.supportedVersions.lowerBound)-\(api.supportedVersions.upperBound); correlation id \(correlation))"
        case .malformedBody(let api, let version, let error): "malformed \(api) v\(version) request: \(error)"
        case .trailingBytes(let api, let version, let count):
            "\(api) v\(version) request has \(count) bytes after its last field"
        case .notAuthenticated(let api, let correlation):
            "\(api) request before SASL authentication (ILLEGAL_SASL_STATE; correlation id \(correlation)): is the client configured for SASL?"
        case .authenticationFailed(let reason): "SASL authentication failed: \(reason)"
        case .unreadableStoredBatches(let error): "reading stored batches for a Fetch answer failed: \(error)"
        }
    }
}
