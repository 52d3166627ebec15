import EddyKafka
import EddyLog
import EddyServer
import Foundation
import NIOCore
import ServiceLifecycle

/// The Kafka listener as a service beside the HTTP server and the pipelines of `eddy serve` and `eddy demo`:
/// it stops taking connections on graceful shutdown, like the HTTP server.
struct KafkaListenerService: Service {
    let broker: KafkaBroker

    func run() async throws {
        let configuration = broker.configuration
        do {
            try await cancelWhenGracefulShutdown {
                try await broker.run { address in
                    // On stderr: stdout's first line stays the HTTP address scripts and tests read.
                    printError(
                        "Kafka clients: bootstrap servers \(address.ipAddress ?? configuration.host):\(address.port ?? configuration.port)"
                    )
                }
            }
        } catch is CancellationError {
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw CLIError.invalidArgument(
                "port \(configuration.port) on \(configuration.host) is already in use (another Kafka?); choose another with --kafka-port, or --no-kafka"
            )
        }
    }
}

extension KafkaListenerOptions {
    /// The listener for `serve`/`demo`, or nil with `--no-kafka`; a taken port is refused before anything
    /// starts.
    func service(log: any Log, disabled: Bool) throws -> KafkaListenerService? {
        guard !disabled else { return nil }
        let configuration = try configuration()
        guard PortAvailability.isFree(host: configuration.host, port: configuration.port) else {
            throw CLIError.invalidArgument(
                "Kafka port \(configuration.port) on \(configuration.host) is already in use (another Kafka?); choose another with --kafka-port, or --no-kafka"
            )
        }
        return KafkaListenerService(broker: KafkaBroker(log: log, configuration: configuration))
    }
}
