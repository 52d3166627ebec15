import EddyApps
import EddyConnectors
import EddyLog
import EddyStream
import Foundation
import Synchronization

/// Seed 003's job over orders already in the log: validate, explode products, exact totals per product,
/// upserted into SQLite with the offsets in the same transaction. Reports orders/s for the whole run and for
/// processing alone (the time spent inside the SQLite sink is measured and reported separately), and checks
/// the stored totals against the simulator's own, so a fast but wrong run fails.
///
/// Beside it, DuckDB runs the same aggregation over the same orders as JSON lines
/// (`SELECT p.product_name, sum(p.quantity * p.price) FROM (SELECT unnest(products) AS p FROM read_json(…))
/// GROUP BY 1`), timed inside Python (the interpreter's start-up excluded), when `python` has `duckdb`.
///
/// ```swift
/// print(try await SalesBenchmark.run(orders: 1_000_000, python: ".build/venv/bin/python"))
/// ```
public enum SalesBenchmark {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func run(
        orders: Int = 1_000_000, partitions: Int = 2, workers: Int = 2, runs: Int = 3, python: String? = nil,
        workDirectory: String? = nil
    ) async throws -> String {
        let base = workDirectory ?? NSTemporaryDirectory()
        let work = (base as NSString).appendingPathComponent("eddy-bench-sales-\(getpid())")
        try? FileManager.default.removeItem(atPath: work)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }

        var path = ""
        let jsonLines = work + "/orders.jsonl"
        let (expected, bytes) = try fill(
            directory: work + "/log", jsonLines: jsonLines, orders: orders, partitions: partitions)
        let log = try FileLog(directory: work + "/log", flushPolicy: .os)

        var measurements: [(total: Double, sink: Double, cpu: Double)] = []
        for run in 0..<max(1, runs) {
            let database = work + "/sales-\(run).sqlite"
            let sink = TimedSink(UpdatedAtSink(try SQLiteSink(path: database)))
            let pipeline = SalesPipeline(name: "bench-sales-\(run)", workers: workers).pipeline(to: sink)
                .trigger(.once)
            let runner = try PipelineRunner(pipeline, log: log, dataDirectory: nil)
            let cpuStarted = processCPUSeconds()
            let started = ContinuousClock.now
            try await runner.run()
            let total = (ContinuousClock.now - started).seconds
            let cpu = processCPUSeconds() - cpuStarted
            try verify(database: database, expected: expected)
            measurements.append((total, sink.seconds, cpu))
            path = runner.plan.usesFastPath ? "compiled explode-and-aggregate path" : "generic path"
        }
        let best = measurements.min { $0.total < $1.total }!
        let median = measurements.sorted { $0.total < $1.total }[measurements.count / 2]
        func line(_ label: String, _ m: (total: Double, sink: Double, cpu: Double)) -> String {
            let processing = m.total - m.sink
            return String(
                format:
                    "  %@ %.3f s  %.2fM orders/s overall; processing %.3f s (%.2fM orders/s), SQLite sink %.1f ms; "
                    + "CPU %.3f s (%.2fM orders per CPU-second)",
                label, m.total, Double(orders) / m.total / 1e6, processing, Double(orders) / processing / 1e6,
                m.sink * 1000, m.cpu, Double(orders) / m.cpu / 1e6)
        }
        var report = String(
            format:
                "sales (seed 003: validate, explode, Σ quantity × price per product → SQLite, --trigger once): "
                + "%d orders, %.0f MiB in %d partitions, %d worker(s), %d runs, in-process, %@\n",
            orders, Double(bytes) / 1_048_576, partitions, workers, measurements.count, path)
        report += line("best  ", best) + "\n" + line("median", median) + "\n"
        if let python {
            let (text, seconds) = try duckDB(
                python: python, jsonLines: jsonLines, orders: orders, expected: expected)
            report += text
            if let seconds, seconds > 0 {
                report += String(
                    format: "  Eddy processing (best) vs DuckDB: %.2f× DuckDB's orders/s\n",
                    seconds / (best.total - best.sink))
            }
        } else {
            report += "  DuckDB: skipped (pass the path of a Python that has duckdb)\n"
        }
        return report
    }

    /// Product → Σ centavos, from the simulator's lines read without a JSON library.
    typealias Totals = [String: Int64]

    static func fill(directory: String, jsonLines: String, orders: Int, partitions: Int) throws -> (
        Totals, Int
    ) {
        let log = try FileLog(directory: directory, flushPolicy: .os)
        try log.createTopic(SalesPipeline.defaultTopic, config: TopicConfig(partitions: partitions))
        _ = FileManager.default.createFile(atPath: jsonLines, contents: nil)
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: jsonLines))
        defer { try? file.close() }
        var simulator = SalesSimulator(seed: 20_240_823)
        var totals = Totals()
        var batch: [ProducerRecord] = []
        var text: [UInt8] = []
        var bytes = 0
        var next = 0
        for i in 0..<orders {
            let record = simulator.next()
            bytes += record.value.count
            tally(record.value, into: &totals)
            text.append(contentsOf: record.value)
            text.append(0x0A)
            batch.append(record)
            if batch.count == 4096 || i == orders - 1 {
                try log.append(batch, to: TopicPartition(SalesPipeline.defaultTopic, next % partitions))
                next += 1
                batch.removeAll(keepingCapacity: true)
                file.write(Data(text))
                text.removeAll(keepingCapacity: true)
            }
        }
        log.close()
        return (totals, bytes)
    }

    /// `"product_name": "X", "quantity": N, "price": P.PP` in the simulator's fixed layout, read byte by byte
    /// (an independent reading of the input: no JSON library, no scanner of ours).
    static func tally(_ value: [UInt8], into totals: inout Totals) {
        value.withUnsafeBufferPointer { bytes in
            func find(_ needle: StaticString, from start: Int) -> Int? {
                let n = needle.utf8CodeUnitCount
                let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: n)
                var i = start
                while i + n <= bytes.count {
                    if bytes[i] == pattern[0] && (1..<n).allSatisfy({ bytes[i + $0] == pattern[$0] }) {
                        return i + n
                    }
                    i += 1
                }
                return nil
            }
            var at = 0
            while let nameStart = find("\"product_name\": \"", from: at) {
                var nameEnd = nameStart
                while bytes[nameEnd] != UInt8(ascii: "\"") { nameEnd += 1 }
                let name = String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)
                var i = find("\"quantity\": ", from: nameEnd)!
                var quantity: Int64 = 0
                while bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") {
                    quantity = quantity * 10 + Int64(bytes[i] - UInt8(ascii: "0"))
                    i += 1
                }
                i = find("\"price\": ", from: i)!
                var cents: Int64 = 0
                var fraction = -1  // digits seen after the point
                while i < bytes.count, fraction < 2 {
                    let b = bytes[i]
                    if b == UInt8(ascii: ".") {
                        fraction = 0
                    } else if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") {
                        cents = cents * 10 + Int64(b - UInt8(ascii: "0"))
                        if fraction >= 0 { fraction += 1 }
                    } else {
                        break
                    }
                    i += 1
                }
                for _ in 0..<(2 - max(fraction, 0)) { cents *= 10 }
                totals[name, default: 0] += quantity * cents
                at = i
            }
        }
    }

    static func verify(database: String, expected: Totals) throws {
        let db = try SQLiteConnection(path: database)
        let statement = try db.prepare("SELECT product_name, total_sales FROM product_sales")
        var seen = Totals()
        while try statement.step() {
            let text = statement.text(1) ?? ""
            let parts = text.split(separator: ".")
            guard parts.count == 2, parts[1].count == 2, let units = Int64(parts[0]),
                let cents = Int64(parts[1])
            else {
                throw Failure(description: "total_sales '\(text)' is not exact centavos")
            }
            seen[statement.text(0) ?? ""] = units * 100 + cents
        }
        guard seen == expected else {
            throw Failure(
                description:
                    "stored totals differ from the simulator's: \(seen.count) vs \(expected.count) products")
        }
    }

    /// The report line, and DuckDB's best time when it ran.
    static func duckDB(python: String, jsonLines: String, orders: Int, expected: Totals) throws -> (
        String, Double?
    ) {
        let script = """
            import duckdb, sys, time
            path = sys.argv[1]
            con = duckdb.connect()
            query = ("SELECT p.product_name, sum(p.quantity * p.price) FROM (SELECT unnest(products) AS p "
                     "FROM read_json(?, format='newline_delimited')) GROUP BY 1")
            best = None
            for _ in range(3):
                start = time.perf_counter()
                rows = con.execute(query, [path]).fetchall()
                elapsed = time.perf_counter() - start
                best = elapsed if best is None else min(best, elapsed)
            for name, total in rows:
                print(f"{name}\\t{total}")
            print(f"ELAPSED\\t{best}")
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, jsonLines]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return (
                "  DuckDB: failed (exit \(process.terminationStatus)); is duckdb installed for \(python)?\n",
                nil
            )
        }
        var elapsed = 0.0
        var totals = Totals()
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 2 else { continue }
            if fields[0] == "ELAPSED" {
                elapsed = Double(fields[1]) ?? 0
            } else {
                // read_json infers DOUBLE for the prices, so DuckDB's sums are binary floating point: compare
                // them rounded to the centavo.
                totals[fields[0]] = Int64(((Double(fields[1]) ?? .nan) * 100).rounded())
            }
        }
        let agrees = totals == expected ? "same totals" : "DIFFERENT totals"
        let text = String(
            format: "  DuckDB %@ (best of 3, JSON lines): %.3f s  %.2fM orders/s (%@)\n",
            duckDBVersion(python), elapsed, Double(orders) / elapsed / 1e6, agrees)
        return (text, elapsed)
    }

    /// User + system CPU time of this process so far (all threads), in seconds.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func duckDBVersion(_ python: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import duckdb; print(duckdb.__version__)"]
        let output = Pipe()
        process.standardOutput = output
        guard (try? process.run()) != nil else { return "" }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Measures the time spent inside another sink's `write`.
final class TimedSink: Sink {
    let base: any Sink
    private let nanoseconds = Atomic<Int64>(0)

    init(_ base: any Sink) { self.base = base }

    var seconds: Double { Double(nanoseconds.load(ordering: .relaxed)) / 1e9 }

    func write(_ batch: SinkBatch) async throws {
        let started = ContinuousClock.now
        defer {
            let elapsed = ContinuousClock.now - started
            nanoseconds.add(
                elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000,
                ordering: .relaxed)
        }
        try await base.write(batch)
    }

    func committedOffsets(pipeline: String) async throws -> SourceOffsets? {
        try await base.committedOffsets(pipeline: pipeline)
    }

    func close() async throws { try await base.close() }
}

extension Duration {
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
