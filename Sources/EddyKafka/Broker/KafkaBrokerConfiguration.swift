/// How a ``KafkaBroker`` listens and behaves.
///
/// ```swift
/// var configuration = KafkaBrokerConfiguration()
/// configuration.port = 9092
/// configuration.autoCreateTopics = true
/// let broker = KafkaBroker(log: log, configuration: configuration)
/// ```
public struct KafkaBrokerConfiguration: Sendable {
    /// The address to bind.
    public var host = "127.0.0.1"
    /// The port to bind; 0 picks a free one (``KafkaBroker/run(onListening:)`` reports it).
    public var port = 9092
    /// The host clients are told to connect to (Metadata, FindCoordinator); nil: `host`, or `127.0.0.1`
    /// when binding every interface.
    public var advertisedHost: String? = nil
    /// The port clients are told to connect to; nil: the bound port.
    public var advertisedPort: Int? = nil
    /// Create a topic when a client produces to or asks metadata of one that does not exist (Kafka's
    /// `auto.create.topics.enable`). Off by default: a typo should not create a topic.
    public var autoCreateTopics = false
    /// Partitions of an auto-created topic, and of a CreateTopics request that asks for the default.
    public var defaultPartitions = 1
    /// A request frame larger than this closes the connection before it is read (memory stays bounded).
    public var maxRequestBytes = 100 << 20
    /// The broker's node id in Metadata.
    public var nodeId: Int32 = 0
    /// The cluster id in Metadata.
    public var clusterId = "eddy"
    /// How long an empty group waits for more members before completing its first rebalance (Kafka's
    /// `group.initial.rebalance.delay.ms`, 3 s there; shorter here so a development group forms quickly).
    public var initialRebalanceDelay: Duration = .milliseconds(300)
    /// SASL authentication every connection must complete before anything but ApiVersions; nil: none
    /// (PLAINTEXT).
    public var sasl: KafkaSASL? = nil

    public init() {}
}
