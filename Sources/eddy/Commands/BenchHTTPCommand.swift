import ArgumentParser
import EddyBenchmarks
import Foundation

/// `eddy bench http`: Eddy's HTTP paths under wrk, each beside a bare Hummingbird hello-world.
///
/// ```text
/// eddy bench http                       # 10 s per run, 12 connections
/// eddy bench http --seconds 20 --rounds 3
/// ```
struct BenchHTTPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "Measure requests/s and p99 of the HTTP API against a bare Hummingbird server (needs wrk).",
        discussion: """
            Starts three servers as child processes of this binary — a bare Hummingbird hello-world (the \
            anchor), eddy demo (simulators and pipelines running) and a server over a live table of --rows rows \
            that changes --changes times a second — and runs wrk against /health, /api/retail/areas?top=3, a \
            top-10 of the table (the same request repeated) and 100 varied top-N requests (so the rendered-answer \
            cache hardly ever helps), each right after an anchor run. Prints the ratios the targets are stated in \
            (≥ 0.80 of the anchor's requests/s, p99 within 1.5×). Install wrk with: apt-get install wrk.
            """)

    @Option(help: "Seconds per wrk run.")
    var seconds: Int = 10

    @Option(help: "Connections wrk keeps open.")
    var connections: Int = 12

    @Option(help: "Rows of the live table.")
    var rows: Int = 1_000_000

    @Option(help: "Rows of the table upserted per second while it is queried (one write each).")
    var changes: Int = 1_000

    @Option(help: "Rounds per target (anchor run + target run each); the median ratio is reported.")
    var rounds: Int = 1

    @Option(help: "The wrk executable.")
    var wrk: String = "wrk"

    @Option(help: .hidden)
    var serve: String?

    @Option(help: .hidden)
    var port: Int = 0

    func validate() throws {
        guard seconds > 0, connections > 0, rounds > 0 else {
            throw ValidationError("--seconds, --connections and --rounds must be positive")
        }
        guard rows > 0, changes >= 0 else {
            throw ValidationError("--rows must be positive, --changes 0 or more")
        }
    }

    func run() async throws {
        switch serve {
        case "anchor":
            return try await HTTPBenchmarkServers.runAnchor(port: port)
        case "table":
            return try await HTTPBenchmarkServers.runTable(port: port, rows: rows, changes: changes)
        case "table-uncached":
            return try await HTTPBenchmarkServers.runTable(
                port: port, rows: rows, changes: changes, cache: false)
        case nil:
            break
        case let other?:
            throw ValidationError("--serve must be anchor or table (got '\(other)')")
        }
        guard Self.onPath(wrk) else {
            throw CLIError.invalidArgument("wrk is not installed; install it with: sudo apt-get install wrk")
        }
        var options = HTTPBenchmark.Options(
            eddy: URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path)
        options.wrk = wrk
        options.seconds = seconds
        options.connections = connections
        options.rows = rows
        options.changes = changes
        options.rounds = rounds
        print(try await HTTPBenchmark.run(options) { printError($0) })
    }

    static func onPath(_ name: String) -> Bool {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(name)")
        }
    }
}
