import EddyServer
import EddyStream
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// The servers `eddy bench http` measures, each run in a child process of its own so the load generator,
/// the anchor and Eddy never share an address space.
public enum HTTPBenchmarkServers {
    /// A bare Hummingbird hello-world, answering every GET path: the anchor every figure is compared with.
    /// It is sent the same requests as the target it anchors (same paths, same wrk script), so the load
    /// generator does the same work in both runs.
    public static func runAnchor(port: Int) async throws {
        let router = Router()
        router.get("/") { _, _ in "Hello, world!" }
        router.get("**") { _, _ in "Hello, world!" }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in announce(channel.localAddress?.port ?? port) },
            logger: Logger(label: "bench.anchor"))
        try await ServiceGroup(
            configuration: .init(
                services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "bench"))
        ).run()
    }

    /// `eddy serve`'s server over one live table of `rows` keyed rows (`id`, `score`, `visits`, `area`),
    /// `changes` of which are upserted every second, one row per write (each write a new table version):
    /// the table `GET /api/pipelines/bench/tables/scores?orderBy=score&desc=true&limit=10` reads.
    public static func runTable(port: Int, rows: Int, changes: Int, cache: Bool = true) async throws {
        let table = LiveTable("scores", maxRows: rows + 1)
        var random = SystemRandomNumberGenerator()
        let batch = (0..<rows).map { i in Self.row(i, &random) }
        try await table.write(
            SinkBatch(
                pipeline: "bench", table: "scores", batchId: 0, mode: .complete, columns: columns,
                keyColumns: [0],
                rows: batch, offsets: [:]))
        let server = EddyServer(
            pipelines: [BenchHandle(table: table)], log: nil, cachesRenderedAnswers: cache)
        try await server.run(
            host: "127.0.0.1", port: port, services: [TableWriter(table: table, rows: rows, changes: changes)]
        ) { port in announce(port) }
    }

    static let columns = [
        Column("id", .string), Column("score", .double), Column("visits", .int), Column("area", .string),
    ]

    static func row(_ i: Int, _ random: inout SystemRandomNumberGenerator) -> Row {
        [
            .string("c\(i)"), .double(Double.random(in: 0..<1_000_000, using: &random)),
            .int(Int64.random(in: 0..<10_000, using: &random)), .string("area\(i % 16)"),
        ]
    }

    /// `listening on PORT`, the line the parent waits for.
    static func announce(_ port: Int) {
        FileHandle.standardOutput.write(Data("listening on \(port)\n".utf8))
    }

    /// Upserts `changes` random rows a second, one write each, paced every 10 ms.
    struct TableWriter: Service {
        let table: LiveTable
        let rows: Int
        let changes: Int

        func run() async throws {
            try await cancelWhenGracefulShutdown { try await write() }
        }

        private func write() async throws {
            var random = SystemRandomNumberGenerator()
            let clock = ContinuousClock()
            let start = clock.now
            var written = 0
            var batchId: Int64 = 1
            do {
                while !Task.isCancelled {
                    let elapsed = start.duration(to: clock.now)
                    let due =
                        Int(Double(elapsed.components.seconds) * Double(changes))
                        + Int(Double(elapsed.components.attoseconds) * 1e-18 * Double(changes))
                    while written < due {
                        let row = HTTPBenchmarkServers.row(Int.random(in: 0..<rows, using: &random), &random)
                        try await table.write(
                            SinkBatch(
                                pipeline: "bench", table: "scores", batchId: batchId, mode: .update,
                                columns: HTTPBenchmarkServers.columns, keyColumns: [0], rows: [row],
                                offsets: [:]))
                        batchId += 1
                        written += 1
                    }
                    try await Task.sleep(for: .milliseconds(10))
                }
            } catch is CancellationError {}
        }
    }

    struct BenchHandle: PipelineHandle {
        let table: LiveTable
        var name: String { "bench" }
        var tables: [any LiveTableReader] { [table] }
        func status() -> PipelineSnapshot { PipelineSnapshot(state: .running) }
    }
}
