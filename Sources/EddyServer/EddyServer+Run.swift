import Hummingbird
public import Logging
public import ServiceLifecycle
public import UnixSignals

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
        tls: TLSCertificate? = nil, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await serviceGroup(
            host: host, port: port, services: services, logger: logger, tls: tls,
            gracefulShutdownSignals: [.sigterm, .sigint],
            onServerRunning: onServerRunning
        ).run()
    }

    /// The server and `services` as one group, shut down in reverse order, on `gracefulShutdownSignals` or
    /// when the caller triggers it (a CLI that handles signals itself passes none).
    public func serviceGroup(
        host: String, port: Int, services: [any Service], logger: Logger = Logger(label: "eddy.server"),
        tls: TLSCertificate? = nil, gracefulShutdownSignals: [UnixSignal],
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> ServiceGroup {
        let app = application(
            host: host, port: port, logger: logger, tls: tls, onServerRunning: onServerRunning)
        return ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: BackgroundService(service: $0)) } + [
                    .init(service: app)
                ],
                gracefulShutdownSignals: gracefulShutdownSignals,
                logger: logger))
    }
}
