import EddyApps
import EddyLog
import EddyStream
import Foundation

/// The retail query (seed 002: filter nulls, group by location, sum/sum/avg) over events already in the log,
/// measured the way a user runs it: `eddy run retail --trigger once --format json --seed-query-only` as its
/// own process, wall time, CPU time and peak RSS of that process. The output is checked against the
/// generator's own totals, so a fast but wrong run fails instead of looking good. `eddy bench retail` runs it.
///
/// With `duckDBPython`, DuckDB runs the same query over the same events written as JSON lines, in its own
/// process, right after Eddy in the same run (see ``DuckDBRetailQuery``), and the table compares the two.
///
/// A second figure is latency: records appended at a steady rate while the pipeline runs continuously in
/// this process; the time from each append until the live table reflects it (p50/p99).
///
/// ```swift
/// print(try await RetailBenchmark.run(eddy: "/path/to/eddy", events: 5_000_000))
/// ```
public enum RetailBenchmark {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// One timed child process.
    struct Measured {
        var seconds: Double
        var cpuSeconds: Double
        var peakKiB: Int
    }

    /// What is timed: the whole retail job (four tables) or the seed query alone (`--seed-query-only`).
    public enum Job: String, Sendable, CaseIterable {
        case full
        case seedQuery = "seed-query"
    }

    public static func run(
        eddy: String, job: Job = .full, events: Int = 5_000_000, partitions: Int = 3, workers: Int = 2,
        runs: Int = 3,
        duckDBPython: String? = nil, latencyRate: Int = 100_000, latencySeconds: Double = 3,
        workDirectory: String? = nil
    ) async throws -> String {
        let base = workDirectory ?? NSTemporaryDirectory()
        let work = (base as NSString).appendingPathComponent("eddy-bench-retail-\(getpid())")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let jsonLines = duckDBPython == nil ? nil : (work as NSString).appendingPathComponent("motion.jsonl")

        let (expected, bytes) = try fill(
            directory: work, events: events, partitions: partitions, jsonLines: jsonLines)
        var eddyRuns: [Measured] = []
        var duckRuns: [DuckDBRetailQuery.Result] = []
        for _ in 0..<max(1, runs) {
            let (output, measured) = try execute(
                eddy,
                [
                    "run", "retail", "--data-dir", work, "--trigger", "once", "--format", "json",
                    "--reset", "--workers", String(workers), "--name", "bench-retail",
                ] + (job == .seedQuery ? ["--seed-query-only"] : ["--output", "areas"]))
            try verify(output, expected)
            eddyRuns.append(measured)
            if let duckDBPython, let jsonLines {
                let result = try DuckDBRetailQuery.run(
                    python: duckDBPython, file: jsonLines, fullJob: job == .full)
                try verify(duckDB: result, expected)
                duckRuns.append(result)
            }
        }
        func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
        let what =
            job == .full
            ? "full job: areas, windows, customers, top; DuckDB: table + 4 GROUP BYs" : "seed 002 query"
        var report = String(
            format:
                "retail (\(what), --trigger once, %d workers): %d events, %.0f MiB in %d partitions, "
                + "%d runs (alternating), totals checked against the generator\n",
            workers, events,
            Double(bytes) / 1_048_576, partitions, runs)
        let rate = { (s: Double) in Double(events) / s / 1e6 }
        let eddyBest = eddyRuns.map(\.seconds).min()!
        let eddyMedian = median(eddyRuns.map(\.seconds))
        let eddyCPU = median(eddyRuns.map(\.cpuSeconds))
        let eddyPeak = eddyRuns.map(\.peakKiB).max()!
        report +=
            "  engine              events/s (best)  whole process s (best / median)  CPU s  peak RSS  ratio\n"
        if duckRuns.isEmpty {
            report += String(
                format:
                    "  eddy                %7.2fM         %.3f / %.3f                    %5.2f  %5.1f MiB\n",
                rate(eddyBest), eddyBest, eddyMedian, eddyCPU, Double(eddyPeak) / 1024)
        } else {
            let duckBest = duckRuns.map(\.processSeconds).min()!
            let duckMedian = median(duckRuns.map(\.processSeconds))
            let duckQuery = duckRuns.map(\.querySeconds).min()!
            let duckCPU = median(duckRuns.map(\.cpuSeconds))
            let duckPeak = duckRuns.map(\.peakKiB).max()!
            report += String(
                format:
                    "  eddy                %7.2fM         %.3f / %.3f                    %5.2f  %5.1f MiB  %.2fx\n",
                rate(eddyBest), eddyBest, eddyMedian, eddyCPU, Double(eddyPeak) / 1024, duckBest / eddyBest)
            report += String(
                format:
                    "  duckdb (process)    %7.2fM         %.3f / %.3f                    %5.2f  %5.1f MiB  1.00x\n",
                rate(duckBest), duckBest, duckMedian, duckCPU, Double(duckPeak) / 1024)
            report += String(
                format:
                    "  duckdb (query only) %7.2fM         %.3f                                          %.2fx\n",
                rate(duckQuery), duckQuery, duckQuery / eddyBest)
            report +=
                "  ratio = DuckDB's time / Eddy's (above 1: Eddy is faster); both processes end to end\n"
        }
        if latencySeconds > 0 {
            report += try await latency(
                rate: latencyRate, seconds: latencySeconds, directory: work + "/latency")
        }
        return report
    }

    struct Totals {
        var hundredths: [String: Int64] = [:]
        var traffic: [String: Int64] = [:]
    }

    /// Writes `events` seeded readings (2% with a null duration or location) into topic `motion`, and the
    /// same readings one per line into `jsonLines` when given.
    static func fill(directory: String, events: Int, partitions: Int, jsonLines: String? = nil) throws -> (
        Totals, Int
    ) {
        var lines: FileHandle? = nil
        if let jsonLines {
            guard FileManager.default.createFile(atPath: jsonLines, contents: nil),
                let handle = FileHandle(forWritingAtPath: jsonLines)
            else { throw Failure(description: "cannot create \(jsonLines)") }
            lines = handle
        }
        defer { try? lines?.close() }
        var pending: [UInt8] = []
        let log = try FileLog(directory: directory, flushPolicy: .os)
        try log.createTopic("motion", config: TopicConfig(partitions: partitions))
        var simulator = MotionSimulator(seed: 20_240_823, nullRate: 0.02)
        var totals = Totals()
        var batch: [ProducerRecord] = []
        batch.reserveCapacity(4096)
        var bytes = 0
        var next = 0
        for i in 0..<events {
            let record = simulator.next()
            bytes += record.value.count
            batch.append(record)
            if batch.count == 4096 || i == events - 1 {
                for r in batch { tally(r.value, into: &totals) }
                if let lines {
                    pending.removeAll(keepingCapacity: true)
                    for r in batch {
                        pending += r.value
                        pending.append(0x0A)
                    }
                    try lines.write(contentsOf: pending)
                }
                try log.append(batch, to: TopicPartition("motion", next % partitions))
                next += 1
                batch.removeAll(keepingCapacity: true)
            }
        }
        return (totals, bytes)
    }

    /// The generator's lines have a fixed layout; read location, duration and traffic without a JSON library.
    static func tally(_ value: [UInt8], into totals: inout Totals) {
        let text = String(decoding: value, as: UTF8.self)
        func field(_ name: String) -> Substring? {
            guard let r = text.range(of: "\"\(name)\": ") else { return nil }
            let rest = text[r.upperBound...]
            let end = rest.firstIndex(where: { $0 == "," || $0 == "}" }) ?? rest.endIndex
            let raw = rest[..<end]
            return raw == "null" ? nil : raw
        }
        guard let location = field("location"), let duration = field("duration"),
            let traffic = field("traffic_count").flatMap({ Int64($0) })
        else { return }
        let name = String(location.dropFirst().dropLast())
        let parts = duration.split(separator: ".")
        var hundredths = Int64(parts[0])! * 100
        if parts.count > 1 {
            let fraction = parts[1].count == 1 ? parts[1] + "0" : parts[1]
            hundredths += Int64(fraction)!
        }
        totals.hundredths[name, default: 0] += hundredths
        totals.traffic[name, default: 0] += traffic
    }

    static func verify(_ output: String, _ expected: Totals) throws {
        var seen: [String: (Double, Int64)] = [:]
        for line in output.split(separator: "\n") {
            guard let data = line.data(using: .utf8),
                let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
                let location = object["location"] as? String,
                let duration = (object["total_duration"] as? NSNumber)?.doubleValue,
                let traffic = (object["total_traffic"] as? NSNumber)?.int64Value
            else { continue }
            seen[location] = (duration, traffic)
        }
        guard seen.count == expected.traffic.count else {
            throw Failure(
                description: "expected \(expected.traffic.count) locations, the run printed \(seen.count)")
        }
        for (location, traffic) in expected.traffic {
            let want = Double(expected.hundredths[location]!) / 100
            guard let got = seen[location], got.1 == traffic, abs(got.0 - want) <= 1e-9 * max(1, want) else {
                throw Failure(
                    description: "wrong totals for \(location): got \(String(describing: seen[location])), "
                        + "want (\(want), \(traffic))")
            }
        }
    }

    static func verify(duckDB result: DuckDBRetailQuery.Result, _ expected: Totals) throws {
        guard result.totals.count == expected.traffic.count else {
            throw Failure(
                description:
                    "expected \(expected.traffic.count) locations, DuckDB returned \(result.totals.count)")
        }
        for (location, traffic) in expected.traffic {
            let want = Double(expected.hundredths[location]!) / 100
            guard let got = result.totals[location], got.traffic == traffic,
                abs(got.duration - want) <= 1e-9 * max(1, want)
            else {
                throw Failure(description: "DuckDB's totals for \(location) differ from the generator's")
            }
        }
    }

    /// Appends at `rate` records/s for `seconds` while the seed query runs continuously into a live table;
    /// reports how long records took to show in the table.
    static func latency(rate: Int, seconds: Double, directory: String) async throws -> String {
        let log = try FileLog(directory: directory, flushPolicy: .os)
        try log.createTopic("motion", config: TopicConfig(partitions: 1))
        let table = LiveTable("areas")
        let pipeline = RetailPipeline.areasCountPipeline(topic: "motion", into: table)
        let runner = try PipelineRunner(pipeline, log: log, dataDirectory: nil)
        let running = Task { try await runner.run() }
        let clock = ContinuousClock()
        let batchSize = max(1, rate / 1000)  // one append per millisecond
        let total = Int(Double(rate) * seconds) / batchSize
        let appendedAt = LatencyLog(count: total)
        let updateStream = table.updates()
        let watcher = Task {
            var updates = updateStream.makeAsyncIterator()
            var seenBatches = 0
            while seenBatches < total, await updates.next() != nil {
                let processed = table.rows.reduce(Int64(0)) { $0 + ($1.last?.int64Value ?? 0) }
                let now = clock.now
                let complete = min(total, Int(processed) / batchSize)
                while seenBatches < complete {
                    appendedAt.arrived(seenBatches, at: now)
                    seenBatches += 1
                }
            }
        }
        var simulator = MotionSimulator(seed: 7)
        let start = clock.now
        for b in 0..<total {
            let due = start + .microseconds(Int64(b) * 1000)
            if clock.now < due { try await clock.sleep(until: due) }
            let records = (0..<batchSize).map { _ in simulator.next() }
            appendedAt.appended(b, at: clock.now)
            try log.append(records, to: TopicPartition("motion", 0))
        }
        let deadline = clock.now + .seconds(5)
        while appendedAt.arrivedCount < total && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        runner.stop()
        watcher.cancel()
        _ = try? await running.value
        let latencies = appendedAt.latencies().sorted()
        guard !latencies.isEmpty else { return "  latency: no batch reached the live table\n" }
        func percentile(_ p: Double) -> Double {
            latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
        return String(
            format: "  latency append -> live table at %d events/s (%d-record appends, %d measured): "
                + "p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", rate, batchSize, latencies.count,
            percentile(0.5),
            percentile(0.99), latencies.last!)
    }

    /// Runs `executable`; returns its stdout, wall seconds, CPU seconds and peak RSS (KiB) of that child
    /// alone (`wait4`'s usage: the children's cumulative figures would mix in other processes).
    static func execute(_ executable: String, _ arguments: [String]) throws -> (String, Measured) {
        let scratch = NSTemporaryDirectory() + "eddy-bench-child-\(getpid())"
        let outPath = scratch + ".out"
        let errPath = scratch + ".err"
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let clock = ContinuousClock()
        let start = clock.now
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw Failure(description: "wait4 failed: errno \(errno)") }
        }
        let elapsed = start.duration(to: clock.now)
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        // Exited normally with status 0: the low 7 bits (signal) and the exit code byte are zero.
        guard status == 0 else {
            let errors = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            throw Failure(
                description:
                    "\(executable) \(arguments.joined(separator: " ")) failed (wait status \(status)): "
                    + errors)
        }
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
        let measured = Measured(
            seconds: seconds(elapsed), cpuSeconds: s(usage.ru_utime) + s(usage.ru_stime),
            peakKiB: Int(usage.ru_maxrss))
        return (output, measured)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}

/// Append and arrival instants per appended batch, shared by the producer and the watcher.
final class LatencyLog: @unchecked Sendable {
    private let lock = NSLock()
    private var appended: [ContinuousClock.Instant?]
    private var arrived: [ContinuousClock.Instant?]
    private(set) var arrivedCount = 0

    init(count: Int) {
        appended = Array(repeating: nil, count: count)
        arrived = Array(repeating: nil, count: count)
    }

    func appended(_ i: Int, at instant: ContinuousClock.Instant) {
        lock.lock()
        appended[i] = instant
        lock.unlock()
    }

    func arrived(_ i: Int, at instant: ContinuousClock.Instant) {
        lock.lock()
        if arrived[i] == nil {
            arrived[i] = instant
            arrivedCount += 1
        }
        lock.unlock()
    }

    /// Milliseconds from append to arrival, for batches that have both.
    func latencies() -> [Double] {
        lock.lock()
        defer { lock.unlock() }
        var result: [Double] = []
        for (a, b) in zip(appended, arrived) {
            guard let a, let b else { continue }
            let d = a.duration(to: b)
            result.append(
                max(0, Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) * 1e-15))
        }
        return result
    }
}
