import Hummingbird
public import Logging
public import ServiceLifecycle
import UnixSignals

extension EddyServer {
    /// Runs the server and `services` (pipelines, simulators) in one `ServiceGroup` until SIGINT or SIGTERM,
    /// then shuts them down gracefully in reverse order: the server stops taking requests first, the
    /// pipelines checkpoint last.
    ///
    /// ```swift
    /// try await server.run(host: "127.0.0.1", port: 8080, services: [PipelineService(runner: runner)]) { port in
    ///     print("http://127.0.0.1:\(port)/")
    /// }
    /// ```
    public func run(
        host: String, port: Int, services: [any Service], logger: Logger = Logger(label: "eddy.server"),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let app = application(host: host, port: port, logger: logger, onServerRunning: onServerRunning)
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) } + [.init(service: app)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
