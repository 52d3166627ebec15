import ArgumentParser
import EddyKafka
import Foundation

/// `--kafka-host`, `--kafka-port`, `--kafka-advertised-host`, `--kafka-advertised-port`, `--kafka-auto-create`,
/// `--kafka-max-request-bytes`, `--kafka-sasl`, `--kafka-sasl-users`: the Kafka listener's flags, shared by
/// the commands that run it.
///
/// ```swift
/// struct Broker: AsyncParsableCommand {
///     @OptionGroup var kafka: KafkaListenerOptions
///     func run() async throws { let configuration = try kafka.configuration() }
/// }
/// ```
struct KafkaListenerOptions: ParsableArguments {
    @Option(
        name: .customLong("kafka-host"),
        help: "Address the Kafka listener binds (0.0.0.0 opens it to the network).")
    var host = "127.0.0.1"

    @Option(name: .customLong("kafka-port"), help: "Kafka listener port, 0 picks a free one.")
    var port = 9092

    @Option(
        name: .customLong("kafka-advertised-host"),
        help:
            "Host name clients are told to connect to (default: the bound address; 127.0.0.1 when binding 0.0.0.0)."
    )
    var advertisedHost: String?

    @Option(
        name: .customLong("kafka-advertised-port"),
        help:
            "Port clients are told to connect to, e.g. behind a proxy or port mapping (default: the bound port)."
    )
    var advertisedPort: Int?

    @Flag(
        name: .customLong("kafka-auto-create"),
        help: "Create a topic when a client produces to or asks for one that does not exist (off by default)."
    )
    var autoCreate = false

    @Option(
        name: .customLong("kafka-default-partitions"),
        help: "Partitions of an auto-created topic, or one created without a partition count.")
    var defaultPartitions = 1

    @Option(
        name: .customLong("kafka-max-request-bytes"),
        help:
            "Largest request a client may send, in bytes (100 MiB); a larger one closes its connection."
    )
    var maxRequestBytes = 100 << 20

    @Option(
        name: .customLong("kafka-sasl"),
        help: ArgumentHelp(
            "Require SASL authentication: plain or scram-sha-256 (clients: security.protocol=SASL_PLAINTEXT).",
            valueName: "mechanism"))
    var sasl: String?

    @Option(
        name: .customLong("kafka-sasl-users"),
        help: ArgumentHelp(
            "File of SASL users, one name:password per line (default: the EDDY_KAFKA_SASL_USERS environment variable, name:password entries separated by commas).",
            valueName: "file"))
    var saslUsers: String?

    /// The environment variable read when `--kafka-sasl` is given without `--kafka-sasl-users`.
    static let saslUsersVariable = "EDDY_KAFKA_SASL_USERS"

    func configuration() throws -> KafkaBrokerConfiguration {
        guard (0...65535).contains(port) else {
            throw CLIError.invalidArgument("--kafka-port must be between 0 and 65535 (got \(port))")
        }
        guard (1...10000).contains(defaultPartitions) else {
            throw CLIError.invalidArgument(
                "--kafka-default-partitions must be between 1 and 10000 (got \(defaultPartitions))")
        }
        guard maxRequestBytes >= 1024 else {
            throw CLIError.invalidArgument(
                "--kafka-max-request-bytes must be at least 1024 (got \(maxRequestBytes))")
        }
        var configuration = KafkaBrokerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.advertisedHost = advertisedHost
        if let advertisedPort {
            guard (1...65535).contains(advertisedPort) else {
                throw CLIError.invalidArgument(
                    "--kafka-advertised-port must be between 1 and 65535 (got \(advertisedPort))")
            }
            configuration.advertisedPort = advertisedPort
        }
        configuration.autoCreateTopics = autoCreate
        configuration.defaultPartitions = defaultPartitions
        configuration.maxRequestBytes = maxRequestBytes
        configuration.sasl = try saslConfiguration()
        return configuration
    }

    private func saslConfiguration() throws -> KafkaSASL? {
        guard let sasl else {
            if saslUsers != nil {
                throw CLIError.invalidArgument("--kafka-sasl-users needs --kafka-sasl plain|scram-sha-256")
            }
            return nil
        }
        guard
            let mechanism = SASLMechanism.allCases.first(where: {
                $0.rawValue.lowercased() == sasl.lowercased()
            })
        else {
            throw CLIError.invalidArgument(
                "--kafka-sasl must be plain or scram-sha-256 (got '\(sasl)')")
        }
        let text: String
        let source: String
        if let saslUsers {
            guard let contents = try? String(contentsOfFile: saslUsers, encoding: .utf8) else {
                throw CLIError.invalidArgument(
                    "cannot read the SASL users file '\(saslUsers)' (--kafka-sasl-users)")
            }
            (text, source) = (contents, "'\(saslUsers)'")
        } else if let variable = ProcessInfo.processInfo.environment[Self.saslUsersVariable] {
            (text, source) = (variable, Self.saslUsersVariable)
        } else {
            throw CLIError.invalidArgument(
                "--kafka-sasl needs users: --kafka-sasl-users FILE (name:password lines) or \(Self.saslUsersVariable)=name:password,..."
            )
        }
        do {
            return try KafkaSASL(mechanism: mechanism, users: KafkaSASL.parseUsers(text))
        } catch {
            throw CLIError.invalidArgument("SASL users in \(source): \(error)")
        }
    }
}
