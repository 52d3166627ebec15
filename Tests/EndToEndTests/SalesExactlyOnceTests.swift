import EddyConnectors
import EddyLog
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `eddy run sales` killed with SIGKILL at random points, over and over, while orders keep arriving: at the
/// end every product's totals must equal the exact sums over the valid input, computed here independently —
/// nothing lost, nothing counted twice.
@Suite(.serialized) struct SalesExactlyOnceTests {
    static let products: [(String, Int64)] = [
        ("Notebook Dell Inspiron 15", 389_900), ("Mouse sem Fio Logitech", 8_990), ("Livro Sapiens", 5_990),
        ("Kindle Paperwhite", 79_900), ("Air Fryer Mondial 4L", 39_990), ("Café em Grãos 1kg", 6_490),
        ("Console PlayStation 5", 379_990), ("Travesseiro Nasa", 8_990),
    ]

    /// Orders with exact centavo totals; about 1 in 50 has a wrong total_value and must not count.
    struct OrderSource {
        var state: UInt64
        var expected: [String: [Int64]] = [:]  // product → [centavos, units, order lines]
        var invalid = 0

        mutating func random(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }

        static func money(_ cents: Int64) -> String {
            "\(cents / 100).\(String(format: "%02d", cents % 100))"
        }

        mutating func next(_ sequence: Int) -> ProducerRecord {
            var items: [String] = []
            var lines: [(String, Int64, Int64)] = []
            var total: Int64 = 0
            var used = Set<Int>()
            for _ in 0...random(4) {
                let index = random(SalesExactlyOnceTests.products.count)
                guard used.insert(index).inserted else { continue }
                let (name, price) = SalesExactlyOnceTests.products[index]
                let quantity = Int64(1 + random(5))
                total += quantity * price
                lines.append((name, quantity, price))
                items.append(
                    #"{"product_name":"\#(name)","quantity":\#(quantity),"price":\#(Self.money(price))}"#)
            }
            let valid = random(50) != 0
            if valid {
                for (name, quantity, price) in lines {
                    var entry = expected[name] ?? [0, 0, 0]
                    entry[0] += quantity * price
                    entry[1] += quantity
                    entry[2] += 1
                    expected[name] = entry
                }
            } else {
                invalid += 1
                total += 1  // one centavo off
            }
            let document = String(format: "%011d", random(1_000_000_000) * 100 + random(100))
            let json =
                #"{"order_id":"order-\#(sequence)","client_document":"\#(document)","products":[\#(items.joined(separator: ","))],"#
                + #""total_value":\#(Self.money(total)),"sale_datetime":"2024-08-23T15:22:16.968007Z"}"#
            return ProducerRecord(key: Array(document.utf8), value: Array(json.utf8))
        }
    }

    /// Produces orders into the log from this process while the pipeline process is killed and restarted.
    final class Producer: @unchecked Sendable {
        let log: FileLog
        let lock = NSLock()
        var source = OrderSource(state: 42)
        var produced = 0
        var stop = false
        var done = false

        init(log: FileLog) { self.log = log }

        /// Appends `perBatch` orders every ~15 ms until ``stop`` is set.
        func run(perBatch: Int) {
            while !(lock.withLock { stop }) {
                lock.lock()
                let records = (0..<perBatch).map { source.next(produced + $0) }
                produced += perBatch
                lock.unlock()
                _ = try? log.append(records, to: "ecommerce_sales")
                usleep(15_000)
            }
            lock.lock()
            done = true
            lock.unlock()
        }
    }

    /// `committed` answers Σ next_offset over eddy_offsets: the orders the sink has committed so far.
    func runKillLoop(
        eddy: EddyBinary, sink: String, kills: Int, committed: () throws -> Int64,
        readTotals: () throws -> [String: [Int64]]
    ) throws {
        #expect(try eddy.run(["topics", "create", "ecommerce_sales", "--partitions", "3"]).status == 0)
        let log = try FileLog(directory: eddy.dataDir)
        let producer = Producer(log: log)
        let thread = Thread { producer.run(perBatch: 50) }
        thread.start()

        // A random pause before each kill, stretched while runs make no progress (a loaded machine starts the
        // process slowly), so the kills keep landing in the middle of work rather than all during start-up.
        var seed: UInt64 = 7
        var stretch: useconds_t = 1
        func pause() -> useconds_t {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1
            return useconds_t(150_000 + (seed >> 33) % 600_000) * stretch
        }
        let arguments = [
            "run", "sales", "--sink", sink, "--checkpoint-interval", "0.1", "--max-records-per-batch", "1000",
        ]
        var killed = 0
        var progress: [Int64] = []
        var killsWithBacklog = 0
        while killed < kills {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: EddyBinary.path)
            process.arguments = arguments + ["--data-dir", eddy.dataDir]
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            let errPath = eddy.workDirectory + "/run-\(killed).err"
            _ = FileManager.default.createFile(atPath: errPath, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: errPath)
            try process.run()
            usleep(pause())
            kill(process.processIdentifier, SIGKILL)
            let producedAtKill = Int64(producer.lock.withLock { producer.produced })
            process.waitUntilExit()
            #expect(
                process.terminationReason == .uncaughtSignal,
                "eddy exited by itself: \(process.terminationStatus)")
            killed += 1
            progress.append((try? committed()) ?? 0)
            if progress.last! < producedAtKill { killsWithBacklog += 1 }
            let advanced = progress.count < 2 || progress[progress.count - 1] > progress[progress.count - 2]
            stretch = advanced ? max(1, stretch / 2) : min(8, stretch * 2)
        }
        // The kills must land while work is going on: the committed position moves between many of them, and
        // at some of them orders were waiting that the killed run had not committed (usually several; the
        // pipeline catches up quickly, so one is required).
        let advances = zip(progress, progress.dropFirst()).filter { $0 < $1 }.count
        let lastErrors =
            (try? String(contentsOfFile: eddy.workDirectory + "/run-\(kills - 1).err", encoding: .utf8)) ?? ""
        #expect(
            advances >= 5,
            "committed offsets after each kill: \(progress); last stderr: \(lastErrors)")
        #expect(
            killsWithBacklog >= 1, "kills with uncommitted orders waiting: \(killsWithBacklog) of \(kills)")
        producer.lock.withLock { producer.stop = true }
        while !(producer.lock.withLock { producer.done }) { usleep(20_000) }
        log.close()

        let final = try eddy.run(["run", "sales", "--sink", sink, "--trigger", "once"])
        #expect(final.status == 0, "\(final.stderr)")
        let expected = producer.source.expected
        let stored = try readTotals()
        #expect(stored.count == expected.count)
        for (product, totals) in expected {
            #expect(
                stored[product] == totals, "\(product): stored \(stored[product] ?? []), expected \(totals)")
        }
        #expect(producer.source.invalid > 0)
    }

    @Test func sqliteTotalsAreExactAfterRepeatedSigkill() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let path = eddy.workDirectory + "/sales.sqlite"
        try runKillLoop(
            eddy: eddy, sink: "sqlite:" + path, kills: 22,
            committed: {
                let db = try SQLiteConnection(path: path)
                // Before the first committed batch the sink may not have created its tables yet.
                let exists = try db.prepare(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'eddy_offsets'")
                guard try exists.step(), exists.int(0) > 0 else { return 0 }
                let statement = try db.prepare("SELECT COALESCE(SUM(next_offset), 0) FROM eddy_offsets")
                return try statement.step() ? statement.int(0) : 0
            }
        ) {
            let db = try SQLiteConnection(path: path)
            let statement = try db.prepare(
                "SELECT product_name, total_sales, units, orders FROM product_sales")
            var totals: [String: [Int64]] = [:]
            while try statement.step() {
                totals[statement.text(0)!] = [
                    try Self.centavos(statement.text(1)), statement.int(2), statement.int(3),
                ]
            }
            return totals
        }
    }

    /// Same against a real PostgreSQL server, in a database of its own.
    @Test(
        .enabled(
            if: ProcessInfo.processInfo.environment["EDDY_TEST_POSTGRES_URL"] != nil,
            "EDDY_TEST_POSTGRES_URL is not set"))
    func postgresTotalsAreExactAfterRepeatedSigkill() throws {
        let base = ProcessInfo.processInfo.environment["EDDY_TEST_POSTGRES_URL"]!
        let database = "eddy_kill_\(UInt32.random(in: 0...UInt32.max))"
        try Self.psql(base, "CREATE DATABASE \(database)")
        defer { _ = try? Self.psql(base, "DROP DATABASE \(database) WITH (FORCE)") }
        let url = base.prefix(upTo: base.lastIndex(of: "/")!) + "/" + database
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        try runKillLoop(
            eddy: eddy, sink: String(url), kills: 22,
            committed: {
                // Before the first committed batch the sink may not have created its tables yet.
                let exists = try Self.psql(String(url), "SELECT to_regclass('eddy_offsets') IS NOT NULL")
                guard exists.trimmingCharacters(in: .whitespacesAndNewlines) == "t" else { return 0 }
                return Int64(
                    try Self.psql(String(url), "SELECT COALESCE(SUM(next_offset), 0) FROM eddy_offsets")
                        .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            }
        ) {
            var totals: [String: [Int64]] = [:]
            let output = try Self.psql(
                String(url), "SELECT product_name, total_sales::text, units, orders FROM product_sales")
            for line in output.split(separator: "\n") {
                let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                totals[fields[0]] = [try Self.centavos(fields[1]), Int64(fields[2])!, Int64(fields[3])!]
            }
            return totals
        }
    }

    static func centavos(_ text: String?) throws -> Int64 {
        let text = try #require(text)
        let parts = text.split(separator: ".")
        try #require(parts.count == 2 && parts[1].count == 2, "'\(text)' is not exact centavos")
        return Int64(parts[0])! * 100 + Int64(parts[1])!
    }

    @discardableResult
    static func psql(_ url: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "psql failed: \(sql)")
        return String(decoding: data, as: UTF8.self)
    }
}
