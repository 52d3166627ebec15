import ArgumentParser
import EddyKafka
import EddyLog
import EddyServer
import Foundation
import NIOCore

/// `eddy broker`: the Kafka protocol listener alone over the data directory, for anyone who wants a Kafka
/// for development: point `bootstrap.servers` at it.
///
/// ```text
/// eddy broker                                    # 127.0.0.1:9092
/// eddy broker --kafka-port 19092 --kafka-auto-create
/// ```
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Run a Kafka-protocol broker over the data directory (no pipelines, no HTTP).",
        discussion: """
            Kafka clients (librdkafka/confluent-kafka, kafka-python, aiokafka, kcat, the Java client) produce, \
            consume and commit group offsets against Eddy's topics; a topic created by a client is an Eddy \
            topic, and group offsets are the ones `eddy groups describe` and `eddy consume --group` use. \
            Ctrl-C (SIGINT) or SIGTERM stops it. Example:
              eddy broker --kafka-port 9092 &
              kcat -b 127.0.0.1:9092 -L
            """)

    @OptionGroup var dataDir: DataDirOptions
    @OptionGroup var kafka: KafkaListenerOptions

    @Option(help: FlushChoice.help)
    var flush: FlushChoice = .interval

    func run() async throws {
        let configuration = try kafka.configuration()
        guard PortAvailability.isFree(host: configuration.host, port: configuration.port) else {
            throw CLIError.invalidArgument(
                "port \(configuration.port) on \(configuration.host) is already in use (another broker?); choose another with --kafka-port"
            )
        }
        let log = try dataDir.openLog(flush: flush.policy)
        defer { log.close() }
        let broker = KafkaBroker(log: log, configuration: configuration)
        let task = Task {
            try await broker.run { address in
                announce(
                    "Eddy Kafka broker listening on \(address.ipAddress ?? configuration.host):\(address.port ?? configuration.port) (data in \(dataDir.path)); Ctrl-C stops."
                )
            }
        }
        let interrupt = InterruptSignal.install { task.cancel() }
        defer { withExtendedLifetime(interrupt) {} }
        do {
            try await task.value
        } catch is CancellationError {
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw CLIError.invalidArgument(
                "port \(configuration.port) on \(configuration.host) is already in use; choose another with --kafka-port"
            )
        }
    }
}
