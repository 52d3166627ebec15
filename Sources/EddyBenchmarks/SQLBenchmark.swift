import EddyApps
import EddyLog
import EddySQL
import EddyStream
import Foundation

/// `eddy bench sql FILE`: each query of a benchmark file over N seed-shaped events (motion readings, sales
/// orders), run by `eddy sql … --trigger once` and by DuckDB (a Python process) over the same events as JSON
/// lines — both timed as whole processes, their result rows compared — plus the time to parse and plan the
/// query in process.
///
/// The file holds queries separated by `-- query: NAME` lines; a query's `-- duckdb:` lines, when present,
/// are the DuckDB spelling (dialect differences such as windows and UNNEST), else DuckDB runs the same text.
/// Sources `motion` and `ecommerce_sales` are declared for both (DuckDB: views over `read_json`).
///
/// ```swift
/// let report = try SQLBenchmark.run(eddy: "/usr/local/bin/eddy", file: text, events: 1_000_000, orders: 200_000,
///                                   python: ".build/venv/bin/python", runs: 3, workDirectory: nil)
/// ```
public enum SQLBenchmark {
    public struct Query: Sendable {
        public var name: String
        public var eddy: String
        public var duckDB: String
    }

    /// The sources as Eddy declares them (the seeds' schemas; DECIMAL money, exact).
    static let eddySources = """
        CREATE SOURCE motion (timestamp TIMESTAMP, id_sensor STRING, location STRING, customer_id STRING,
          movement_detected BOOLEAN, duration DOUBLE, traffic_count BIGINT) WITH (topic = 'motion', format = 'json');
        CREATE SOURCE ecommerce_sales (order_id STRING, client_document STRING,
          products ARRAY<ROW<product_name STRING, quantity BIGINT, price DECIMAL(10, 2)>>,
          total_value DECIMAL(10, 2), sale_datetime TIMESTAMP) WITH (topic = 'ecommerce_sales', format = 'json');

        """

    static func duckDBSources(motion: String, sales: String) -> [String] {
        func q(_ s: String) -> String { s.replacingOccurrences(of: "'", with: "''") }
        return [
            "CREATE VIEW motion AS SELECT * FROM read_json('\(q(motion))', format='newline_delimited', columns={"
                + "'timestamp': 'TIMESTAMP', 'id_sensor': 'VARCHAR', 'location': 'VARCHAR', 'customer_id': 'VARCHAR', "
                + "'movement_detected': 'BOOLEAN', 'duration': 'DOUBLE', 'traffic_count': 'BIGINT'})",
            "CREATE VIEW ecommerce_sales AS SELECT * FROM read_json('\(q(sales))', format='newline_delimited', columns={"
                + "'order_id': 'VARCHAR', 'client_document': 'VARCHAR', "
                + "'products': 'STRUCT(product_name VARCHAR, quantity BIGINT, price DECIMAL(10,2))[]', "
                + "'total_value': 'DECIMAL(10,2)', 'sale_datetime': 'TIMESTAMP'})",
        ]
    }

    /// The queries of a benchmark file.
    public static func queries(in text: String) -> [Query] {
        var queries: [Query] = []
        var name: String?
        var eddy: [String] = []
        var duck: [String] = []
        func flush() {
            let e = eddy.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            if let name, !e.isEmpty {
                let d = duck.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                queries.append(
                    Query(
                        name: name, eddy: e.trimmingCharacters(in: CharacterSet(charactersIn: ";")),
                        duckDB: d.isEmpty ? e : d))
            }
            eddy = []
            duck = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("-- query:") {
                flush()
                name = String(trimmed.dropFirst("-- query:".count)).trimmingCharacters(in: .whitespaces)
            } else if trimmed.hasPrefix("-- duckdb:") {
                duck.append(String(trimmed.dropFirst("-- duckdb:".count)))
            } else if !trimmed.hasPrefix("--") {
                eddy.append(String(line))
            }
        }
        flush()
        return queries
    }

    /// The child program DuckDB runs: the setup statements, then the query (last argument); prints its rows.
    static let script = """
        import json, sys, datetime, decimal
        import duckdb
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        for statement in sys.argv[1:-1]:
            con.execute(statement)
        rows = con.execute(sys.argv[-1]).fetchall()
        def cell(v):
            if isinstance(v, datetime.datetime):
                return v.strftime('%Y-%m-%dT%H:%M:%S.%fZ')
            if isinstance(v, decimal.Decimal):
                return float(v)
            return v
        print(json.dumps([[cell(v) for v in r] for r in rows]))
        """

    /// A row as comparable text: numbers to 9 significant digits (sums in another order differ in the last
    /// bits), everything else as printed.
    static func canonical(_ row: [Any]) -> String {
        row.map { value -> String in
            if let n = value as? NSNumber {
                return String(format: "%.9g", n.doubleValue)
            }
            if value is NSNull { return "null" }
            return "\(value)"
        }.joined(separator: " | ")
    }

    public static func run(
        eddy: String, file: String, events: Int, orders: Int, python: String, runs: Int,
        workDirectory: String?
    ) throws -> String {
        let queries = queries(in: file)
        guard !queries.isEmpty else {
            throw RetailBenchmark.Failure(
                description: "no queries: separate them with '-- query: NAME' lines")
        }
        let base = (workDirectory ?? NSTemporaryDirectory()) + "/eddy-bench-sql-\(getpid())"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let motionDir = base + "/motion", salesDir = base + "/sales"
        let motionLines = base + "/motion.jsonl", salesLines = base + "/sales.jsonl"
        _ = try RetailBenchmark.fill(
            directory: motionDir, events: events, partitions: 3, jsonLines: motionLines)
        _ = try SalesBenchmark.fill(directory: salesDir, jsonLines: salesLines, orders: orders, partitions: 3)
        let setup = duckDBSources(motion: motionLines, sales: salesLines)

        var report =
            "eddy bench sql: \(queries.count) queries, \(events) motion readings, \(orders) sales orders; "
        report += "best of \(runs) whole-process runs each (eddy sql --trigger once --format json vs DuckDB "
        report += "\(SalesBenchmark.duckDBVersion(python)) in Python over the same events as JSON lines)\n\n"
        let header = ["query", "rows", "parse+plan", "eddy", "duckdb", "eddy/duckdb", "results"]
        var table: [[String]] = [header]
        for query in queries {
            // Parse and plan in process: the median of 200.
            var catalog = SQLCatalog()
            let text = eddySources + query.eddy
            let planned: SQLQuery
            do {
                planned = try SQLPlanner.plan(text, catalog: &catalog)
            } catch {
                throw RetailBenchmark.Failure(description: "\(query.name): \(error)")
            }
            var planTimes: [Double] = []
            let clock = ContinuousClock()
            for _ in 0..<200 {
                let start = clock.now
                var c = SQLCatalog()
                _ = try? SQLPlanner.plan(text, catalog: &c)
                planTimes.append(RetailBenchmark.seconds(start.duration(to: clock.now)))
            }
            planTimes.sort()
            let dataDir = planned.source.name == "motion" ? motionDir : salesDir
            let columnNames = try planned.pipeline(named: "bench", to: .jsonLines).build().tables[0].columns
                .map(\.name)

            var eddyBest = Double.infinity
            var eddyRows: [String] = []
            for _ in 0..<runs {
                let (output, measured) = try RetailBenchmark.execute(
                    eddy, ["sql", text, "--trigger", "once", "--format", "json", "--data-dir", dataDir])
                eddyBest = min(eddyBest, measured.seconds)
                var objects: [[String: Any]] = []
                for line in output.split(separator: "\n") {
                    if let o = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] {
                        objects.append(o)
                    }
                }
                // Complete mode: the last batch is the result; append: every row.
                let lastBatch = objects.compactMap { ($0["batch"] as? NSNumber)?.intValue }.max() ?? 0
                let kept =
                    planned.mode == .complete
                    ? objects.filter { ($0["batch"] as? NSNumber)?.intValue == lastBatch } : objects
                eddyRows = kept.map { object in
                    canonical(columnNames.map { object[$0] ?? NSNull() })
                }.sorted()
            }
            var duckBest = Double.infinity
            var duckRows: [String] = []
            for _ in 0..<runs {
                let (output, measured) = try RetailBenchmark.execute(
                    python, ["-c", script] + setup + [query.duckDB])
                duckBest = min(duckBest, measured.seconds)
                let rows = (try? JSONSerialization.jsonObject(with: Data(output.utf8))) as? [[Any]] ?? []
                duckRows = rows.map(canonical).sorted()
            }
            let same = eddyRows == duckRows
            table.append([
                query.name, "\(eddyRows.count)",
                String(format: "%.3f ms", planTimes[planTimes.count / 2] * 1000),
                String(format: "%.3f s", eddyBest), String(format: "%.3f s", duckBest),
                String(format: "%.2f×", eddyBest / duckBest),
                same ? "equal" : "DIFFER (duckdb \(duckRows.count) rows)",
            ])
            if !same {
                report += "\(query.name): first differences\n"
                for (a, b) in zip(eddyRows, duckRows).filter({ $0 != $1 }).prefix(3) {
                    report += "  eddy   \(a)\n  duckdb \(b)\n"
                }
            }
        }
        let widths = header.indices.map { i in table.map { $0[i].count }.max()! }
        for (n, row) in table.enumerated() {
            report +=
                row.enumerated().map { i, cell in
                    i == 0
                        ? cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                        : String(repeating: " ", count: widths[i] - cell.count) + cell
                }.joined(separator: "  ") + "\n"
            if n == 0 {
                report += String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)) + "\n"
            }
        }
        return report
    }
}
