import Foundation

/// `eddy bench http`: requests per second and p99 latency of Eddy's HTTP paths under `wrk`, each run
/// right after a run of a bare Hummingbird hello-world on the same machine (the anchor), so every figure is
/// a ratio taken under the same load.
///
/// Targets, at 12 connections: `/health` and a seed endpoint of `eddy demo` (simulators and pipelines
/// running), and a top-10 of a 1M-row live table that changes 1,000 times a second — once the same request
/// repeated (a dashboard polling), once varied over 100 orderings and limits so the rendered-answer cache
/// hardly ever helps (the general path).
public enum HTTPBenchmark {
    public struct Options: Sendable {
        public var eddy: String
        public var wrk: String = "wrk"
        public var seconds: Int = 10
        public var connections: Int = 12
        public var threads: Int = 2
        public var rows: Int = 1_000_000
        public var changes: Int = 1_000
        public var rounds: Int = 1

        public init(eddy: String) {
            self.eddy = eddy
        }
    }

    /// One wrk run's figures.
    public struct Measurement: Sendable {
        public var requestsPerSecond: Double
        public var p99Millis: Double
        public var failures: Int
    }

    /// Why the benchmark could not measure what it set out to.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        init(_ description: String) {
            self.description = description
        }
    }

    struct Target {
        var label: String
        var server: Server
        var path: String
        var script: String?
    }

    enum Server { case demo, table, uncachedTable }

    public static func run(_ options: Options, progress: (String) -> Void) async throws -> String {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "eddy-bench-http-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let script = scratch.appendingPathComponent("varied.lua").path
        try variedScript.write(toFile: script, atomically: true, encoding: .utf8)

        progress("starting the anchor, eddy demo and a \(options.rows)-row table server…")
        let anchor = try ChildServer.start(options.eddy, ["bench", "http", "--serve", "anchor"])
        defer { anchor.stop() }
        let demo = try ChildServer.start(
            options.eddy,
            ["demo", "--port", "0", "--no-kafka", "--data-dir", scratch.appendingPathComponent("demo").path])
        defer { demo.stop() }
        let table = try ChildServer.start(
            options.eddy,
            [
                "bench", "http", "--serve", "table", "--rows", String(options.rows), "--changes",
                String(options.changes),
            ])
        defer { table.stop() }
        let uncached = try ChildServer.start(
            options.eddy,
            [
                "bench", "http", "--serve", "table-uncached", "--rows", String(options.rows), "--changes",
                String(options.changes),
            ])
        defer { uncached.stop() }
        let ports: [Server: Int] = [.demo: demo.port, .table: table.port, .uncachedTable: uncached.port]

        let top = "/api/pipelines/bench/tables/scores?orderBy=score&desc=true&limit=10"
        let targets = [
            Target(label: "eddy demo GET /health", server: .demo, path: "/health"),
            Target(
                label: "eddy demo GET /api/retail/areas?top=3", server: .demo, path: "/api/retail/areas?top=3"
            ),
            Target(
                label: "top-10 of \(options.rows) rows, \(options.changes) changes/s, same request",
                server: .table, path: top),
            Target(
                label: "top-10 of \(options.rows) rows, \(options.changes) changes/s, no answer cache",
                server: .uncachedTable, path: top),
            Target(
                label: "top-N of \(options.rows) rows, \(options.changes) changes/s, 100 variants",
                server: .table, path: top, script: script),
        ]
        // Warm up every path once (JIT-free, but the first top-N query builds the table's ordering index).
        for target in targets {
            let port = ports[target.server]!
            _ = try measure(options, port: port, path: target.path, script: target.script, seconds: 2)
        }
        _ = try measure(options, port: anchor.port, path: "/", script: nil, seconds: 2)

        var lines = [
            "HTTP: wrk -t\(options.threads) -c\(options.connections) -d\(options.seconds)s; each target right after a "
                + "bare Hummingbird hello-world sent the same requests; median of \(options.rounds) round(s)",
            "",
            pad("target", 62) + pad("req/s", 10) + pad("p99 ms", 9) + pad("anchor req/s", 14)
                + pad("anchor p99", 12)
                + pad("req/s ratio", 13) + pad("p99 ratio", 11) + "target (≥0.80, ≤1.5×)",
        ]
        for target in targets {
            var pairs: [(anchor: Measurement, target: Measurement)] = []
            for round in 1...options.rounds {
                progress("\(target.label): round \(round) of \(options.rounds)")
                let a = try measure(
                    options, port: anchor.port, path: "/", script: nil, seconds: options.seconds)
                let port = ports[target.server]!
                let t = try measure(
                    options, port: port, path: target.path, script: target.script, seconds: options.seconds)
                guard t.failures == 0 else {
                    throw HTTPBenchmark.Failure(
                        "\(target.label): \(t.failures) responses were not 2xx or failed")
                }
                pairs.append((a, t))
            }
            let median = pairs.sorted {
                $0.target.requestsPerSecond / $0.anchor.requestsPerSecond
                    < $1.target.requestsPerSecond / $1.anchor.requestsPerSecond
            }[pairs.count / 2]
            let rate = median.target.requestsPerSecond / median.anchor.requestsPerSecond
            let p99 = median.target.p99Millis / median.anchor.p99Millis
            let met = rate >= 0.8 && p99 <= 1.5
            lines.append(
                pad(target.label, 62) + pad(String(format: "%.0f", median.target.requestsPerSecond), 10)
                    + pad(String(format: "%.2f", median.target.p99Millis), 9)
                    + pad(String(format: "%.0f", median.anchor.requestsPerSecond), 14)
                    + pad(String(format: "%.2f", median.anchor.p99Millis), 12)
                    + pad(String(format: "%.2f", rate), 13) + pad(String(format: "%.2f", p99), 11)
                    + (met ? "met" : "NOT met"))
        }
        return lines.joined(separator: "\n")
    }

    /// One wrk run against `127.0.0.1:port` + `path` (or the requests `script` makes).
    static func measure(_ options: Options, port: Int, path: String, script: String?, seconds: Int) throws
        -> Measurement
    {
        var arguments = [
            "-t\(options.threads)", "-c\(options.connections)", "-d\(seconds)s", "--latency", "--timeout",
            "5s",
        ]
        if let script { arguments += ["-s", script] }
        arguments.append("http://127.0.0.1:\(port)\(path)")
        let output = try runToEnd(options.wrk, arguments)
        return try parse(wrk: output)
    }

    /// The figures of wrk's report: `Requests/sec:`, the 99% line of `--latency`, non-2xx and socket errors.
    public static func parse(wrk output: String) throws -> Measurement {
        var rate: Double?
        var p99: Double?
        var failures = 0
        for line in output.split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            if words.first == "Requests/sec:", words.count == 2 { rate = Double(words[1]) }
            if words.first == "99%", words.count == 2 { p99 = millis(String(words[1])) }
            if line.contains("Non-2xx or 3xx responses:"), let n = words.last.flatMap({ Int($0) }) {
                failures += n
            }
            if line.contains("Socket errors:") {
                failures += words.compactMap { Int($0.trimmingCharacters(in: .punctuationCharacters)) }
                    .reduce(0, +)
            }
        }
        guard let rate, let p99 else { throw HTTPBenchmark.Failure("wrk printed no figures:\n\(output)") }
        return Measurement(requestsPerSecond: rate, p99Millis: p99, failures: failures)
    }

    /// `4.60ms`, `812.00us`, `1.02s` in milliseconds.
    static func millis(_ text: String) -> Double? {
        for (unit, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where text.hasSuffix(unit) {
            return Double(text.dropLast(unit.count)).map { $0 * scale }
        }
        return nil
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func runToEnd(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw HTTPBenchmark.Failure(
                "\(executable) failed (\(process.terminationStatus)): \(String(decoding: data, as: UTF8.self))"
            )
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// 100 request variants: two orderings, both directions, limits 1 to 25.
    static let variedScript = """
        local n = 0
        request = function()
          n = n + 1
          local column = (n % 2 == 0) and "score" or "visits"
          local desc = (math.floor(n / 2) % 2 == 0) and "true" or "false"
          local limit = (math.floor(n / 4) % 25) + 1
          return wrk.format("GET", "/api/pipelines/bench/tables/scores?orderBy=" .. column .. "&desc=" .. desc .. "&limit=" .. limit)
        end
        """
}

/// A server in a child process: started, its port read from its first `listening on PORT` (or `http://…:PORT/`)
/// line, stopped with SIGTERM (SIGKILL after 10 s) — also when the benchmark fails.
final class ChildServer: @unchecked Sendable {
    let process: Process
    let port: Int

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    static func start(_ executable: String, _ arguments: [String]) throws -> ChildServer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let handle = output.fileHandleForReading
        var seen = ""
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline {
            let data = handle.availableData
            if data.isEmpty { break }
            seen += String(decoding: data, as: UTF8.self)
            if let port = Self.port(in: seen) {
                // Keep draining so a chatty child never blocks on a full pipe.
                handle.readabilityHandler = { $0.availableData.isEmpty ? ($0.readabilityHandler = nil) : () }
                return ChildServer(process: process, port: port)
            }
        }
        process.terminate()
        process.waitUntilExit()
        throw HTTPBenchmark.Failure("\(arguments.joined(separator: " ")) did not start: \(seen)")
    }

    static func port(in text: String) -> Int? {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("listening on "), let port = Int(line.dropFirst("listening on ".count)) {
                return port
            }
            if let range = line.range(of: "http://127.0.0.1:") {
                let digits = line[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits) { return port }
            }
        }
        return nil
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
