import ArgumentParser
import EddyApps
import EddyConnectors
import EddyLog
import EddyServer
import EddyStream
import Foundation
import NIOCore
import ServiceLifecycle

/// `eddy serve`: runs the chosen seed pipelines and serves the HTTP API and dashboard over their live tables.
///
/// ```text
/// eddy serve --pipeline retail                  # http://127.0.0.1:8080/
/// eddy serve --pipeline retail --port 9000 --host 0.0.0.0
/// eddy serve --config eddy.json                  # see ServeConfiguration
/// ```
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Run pipelines and serve the HTTP API (/api, /metrics, /openapi.json) and the dashboard (/).",
        discussion: """
            Each --pipeline runs continuously from its checkpoint under <data-dir>/checkpoints/<name>/ (the \
            start of its topic the first time). Ctrl-C (SIGINT) or SIGTERM stops taking requests, finishes the \
            current batches, checkpoints and exits; the next start continues where this one stopped.

            --config FILE reads the same settings from JSON (flags win over the file):
              {"host": "127.0.0.1", "port": 8080, "dataDir": "eddy-data",
               "pipelines": [{"kind": "retail", "topic": "motion"},
                             {"kind": "sales", "sink": "sqlite:eddy-data/sales.sqlite"}]}
            "kind" is an app (\(AppRegistry.standard.names)), or "sql" with "file": a SQL file whose queries' \
            results the API serves as tables of pipeline "sql"; every app takes "topic", and its own settings:
            \(AppRegistry.standard.settingsHelp)
            """)

    @OptionGroup var dataDir: DataDirOptions

    @Option(
        help:
            "Address to listen on (default: 127.0.0.1, which keeps the API on this machine; 0.0.0.0 opens it to the network)."
    )
    var host: String?

    @Option(help: "TCP port to listen on, 0 picks a free one (default: 8080).")
    var port: Int?

    @Option(
        help: ArgumentHelp("Settings as JSON: host, port, dataDir, pipelines (see above).", valueName: "file")
    )
    var config: String?

    @Option(
        name: .customLong("pipeline"),
        help: "An app to run (repeatable): \(AppRegistry.standard.names).")
    var pipelines: [String] = []

    @Flag(help: "Delete the pipelines' checkpoints first and start from the beginning of their topics.")
    var reset = false

    @OptionGroup var access: AccessTokenOptions

    @OptionGroup var tls: TLSOptions

    @OptionGroup var kafka: KafkaListenerOptions

    @Flag(name: .customLong("no-kafka"), help: "Do not listen for Kafka clients.")
    var noKafka = false

    func validate() throws {
        for name in pipelines where AppRegistry.standard.app(named: name) == nil {
            throw ValidationError(
                "--pipeline '\(name)' is not an app; choose from \(AppRegistry.standard.names)")
        }
    }

    func run() async throws {
        // SQL files are served as app "sql" ({"kind": "sql", "file": "…"}); it has no default to run alone.
        let registry = AppRegistry(AppRegistry.standard.apps + [SQLApp()])
        let file =
            try config.map { try ServeConfiguration.load(path: $0, registry: registry) }
            ?? ServeConfiguration()
        let host = self.host ?? file.host ?? "127.0.0.1"
        let port = self.port ?? file.port ?? 8080
        var dataDir = self.dataDir
        if dataDir.explicitPath == nil { dataDir.explicitPath = file.dataDir }
        try ServeCommand.checkPort(host: host, port: port)
        let certificate = try tls.load()
        let token = try access.resolve(host: host)
        let log = try dataDir.openLog(flush: .default)
        let listener = try kafka.service(log: log, disabled: noKafka)
        // The file's pipelines with their settings, then any --pipeline the file does not name.
        var chosen = file.pipelines
        for name in pipelines where !chosen.contains(where: { $0.kind == name }) {
            chosen.append(ServeConfiguration.Pipeline(kind: name))
        }
        let deployment = try ServeCommand.deploy(
            chosen.sorted { $0.kind < $1.kind }.map { AppChoice($0.kind, settings: $0.settings) },
            from: registry,
            log: log, dataDirectory: dataDir.path, reset: reset, accessToken: token)
        let scheme = tls.scheme
        try await ServeCommand.serve(
            deployment.server, host: host, port: port,
            services: deployment.services + (listener.map { [$0] } ?? []), log: log, tls: certificate
        ) { port in
            announce(
                "Eddy is serving \(scheme)://\(host):\(port)/ (API under /api, metrics at /metrics); Ctrl-C stops."
            )
        }
    }

    /// The registry's deployment, with the CLI's one-line errors.
    static func deploy(
        _ choices: [AppChoice], from registry: AppRegistry, log: FileLog, dataDirectory: String, reset: Bool,
        accessToken: String?
    ) throws -> AppDeployment {
        do {
            return try registry.deploy(
                choices, log: log, dataDirectory: dataDirectory, reset: reset, accessToken: accessToken)
        } catch let error as AppLaunchError {
            let reason =
                switch error.reason {
                case let reason as PipelineError: reason.withHint
                case let reason as LogError: reason.withHint
                default: "\(error.reason)"
                }
            throw CLIError.invalidArgument("pipeline \(error.app) cannot start: \(reason)")
        } catch let error as UnknownAppError {
            throw CLIError.invalidArgument(error.description)
        }
    }

    static func checkPort(host: String, port: Int) throws {
        guard (0...65535).contains(port) else {
            throw CLIError.invalidArgument("--port must be between 0 and 65535 (got \(port))")
        }
        guard PortAvailability.isFree(host: host, port: port) else {
            throw CLIError.invalidArgument(
                "port \(port) on \(host) is already in use (another eddy?); choose another with --port, e.g. --port \(port + 1)"
            )
        }
    }

    /// Runs the server and services until SIGINT/SIGTERM; a bind failure that slipped past the early check
    /// still gets the --port message.
    static func serve(
        _ server: EddyServer, host: String, port: Int, services: [any Service], log: FileLog,
        tls: TLSCertificate? = nil, onRunning: @escaping @Sendable (Int) -> Void
    ) async throws {
        do {
            let group = server.serviceGroup(
                host: host, port: port, services: services + [DataDirectoryWatch(log: log)], tls: tls,
                gracefulShutdownSignals: []
            ) { port in
                // Apps that read this server's own API (api-to-parquet without a url) learn where it is. Its
                // plain-HTTP client would not trust a self-signed certificate, so under TLS it is not told
                // (README: such an app needs its own `url`).
                if tls == nil { LocalAPI.announce(host: host, port: port, token: server.accessToken) }
                onRunning(port)
            }
            // The first SIGINT/SIGTERM stops gracefully (server first, pipelines checkpoint last); a second,
            // or a stop that takes too long, exits at once.
            let interrupt = InterruptSignal.install(deadline: InterruptSignal.stopDeadline) {
                Task { await group.triggerGracefulShutdown() }
            }
            defer { withExtendedLifetime(interrupt) {} }
            try await group.run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw CLIError.invalidArgument(
                "port \(port) on \(host) is already in use; choose another with --port")
        }
    }
}

/// Prints a line straight to stdout (unbuffered), so a script or test reading the URL sees it at once.
func announce(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
