import ArgumentParser
import EddyApps
import EddyConnectors
import EddyLog
import EddyServer
import EddyStream
import Foundation
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
            A sales "sink" may also be postgres://USER[:PASSWORD]@HOST:PORT/DB.
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
        name: .customLong("pipeline"), help: "A seed pipeline to run (repeatable): \(SeedPipeline.names).")
    var pipelines: [SeedPipeline] = []

    @Flag(help: "Delete the pipelines' checkpoints first and start from the beginning of their topics.")
    var reset = false

    func run() async throws {
        let file = try config.map(ServeConfiguration.load(path:)) ?? ServeConfiguration()
        let host = self.host ?? file.host ?? "127.0.0.1"
        let port = self.port ?? file.port ?? 8080
        var dataDir = self.dataDir
        if dataDir.explicitPath == nil { dataDir.explicitPath = file.dataDir }
        try ServeCommand.checkPort(host: host, port: port)
        let log = try dataDir.openLog(flush: .default)
        // The file's pipelines with their settings, then any --pipeline the file does not name.
        var chosen = file.pipelines
        for kind in pipelines where !chosen.contains(where: { $0.kind == kind }) {
            chosen.append(ServeConfiguration.Pipeline(kind: kind))
        }
        var launched: [LaunchedPipeline] = []
        for pipeline in chosen.sorted(by: { $0.kind.rawValue < $1.kind.rawValue }) {
            launched.append(
                try pipeline.kind.launch(
                    log: log, dataDirectory: dataDir.path, reset: reset, topic: pipeline.topic,
                    sink: pipeline.sink))
        }
        let server = EddyServer(pipelines: launched.map(\.handle), log: log)
        try await ServeCommand.serve(server, host: host, port: port, services: launched.map(\.service)) {
            port in
            announce(
                "Eddy is serving http://\(host):\(port)/ (API under /api, metrics at /metrics); Ctrl-C stops."
            )
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
        _ server: EddyServer, host: String, port: Int, services: [any Service],
        onRunning: @escaping @Sendable (Int) -> Void
    ) async throws {
        do {
            try await server.run(host: host, port: port, services: services) { port in
                onRunning(port)
            }
        } catch let error where "\(error)".contains("Address already in use") {
            throw CLIError.invalidArgument(
                "port \(port) on \(host) is already in use; choose another with --port")
        }
    }
}

/// Prints a line straight to stdout (unbuffered), so a script or test reading the URL sees it at once.
func announce(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// A seed pipeline `eddy serve` and `eddy demo` can run, with the live tables the API serves.
enum SeedPipeline: String, ExpressibleByArgument, CaseIterable, Hashable {
    case retail
    /// Seed 003: totals per product, exactly-once into `<data-dir>/sales.sqlite` and live for the API.
    case sales

    static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The topic the pipeline reads and the partitions `eddy demo` creates it with.
    var topic: (name: String, partitions: Int) {
        switch self {
        case .retail: ("motion", 3)
        case .sales: (SalesPipeline.defaultTopic, 3)
        }
    }

    /// Starts the pipeline on `topic` (default: the seed's); the sales totals go to `sink` (default:
    /// `<data-dir>/sales.sqlite`).
    func launch(
        log: FileLog, dataDirectory: String, reset: Bool, topic: String? = nil, sink sinkURL: SinkURL? = nil
    ) throws -> LaunchedPipeline {
        do {
            let store = CheckpointStore(dataDirectory: dataDirectory, pipeline: rawValue)
            if reset { try store.reset() }
            switch self {
            case .retail:
                let retail = RetailPipeline(name: rawValue, topic: topic ?? self.topic.name)
                let plan = try retail.pipeline(display: nil, to: nil).checkpointInterval(.seconds(5)).build()
                let runner = try PipelineRunner(plan: plan, log: log, checkpoints: store)
                return LaunchedPipeline(
                    handle: EngineHandle(runner: runner, tables: retail.liveTables, log: log),
                    service: PipelineService(runner: runner))
            case .sales:
                let sales = SalesPipeline(name: rawValue, topic: topic ?? self.topic.name)
                let url = sinkURL ?? .sqlite(path: dataDirectory + "/sales.sqlite")
                if reset, case .sqlite(let database) = url {
                    try? FileManager.default.removeItem(atPath: database)
                }
                // The database is the exactly-once record; the live table is its in-memory mirror for the API.
                let table = LiveTable(SalesPipeline.table)
                let sink = FanOutSink(table, try SalesPipeline.sink(for: url))
                let plan = try sales.pipeline(to: sink).checkpointInterval(.seconds(5)).build()
                let runner = try PipelineRunner(plan: plan, log: log, checkpoints: store)
                return LaunchedPipeline(
                    handle: EngineHandle(runner: runner, tables: [table], log: log),
                    service: PipelineService(runner: runner))
            }
        } catch {
            throw CLIError.invalidArgument("pipeline \(rawValue) cannot start: \(error)")
        }
    }
}

/// A pipeline ready to run: what the server reads, and the service that runs it.
struct LaunchedPipeline {
    var handle: any PipelineHandle
    var service: any Service
}
