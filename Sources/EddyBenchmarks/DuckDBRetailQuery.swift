import Foundation

/// DuckDB running the retail query (seed 002) over the same events as JSON lines, in its own Python
/// process: the reference Eddy's figures are compared with, measured side by side in the same run.
///
/// The Python environment is `<package>/.build/venv`; when it has no `duckdb`, ``prepareEnvironment(at:log:)``
/// creates it with `python3 -m venv` and `pip install duckdb`, saying what it runs.
///
/// ```swift
/// let python = try DuckDBRetailQuery.prepareEnvironment(at: ".build/venv") { print($0) }
/// let result = try DuckDBRetailQuery.run(python: python, file: "/tmp/motion.jsonl")
/// print(result.querySeconds, result.totals["Entrada"] ?? (0, 0))
/// ```
public enum DuckDBRetailQuery {
    /// What one DuckDB run measured and returned.
    public struct Result: Sendable {
        /// Wall seconds of the query alone (connect to fetch of the last row).
        public var querySeconds: Double
        /// Wall seconds of the whole Python process, start-up and `import duckdb` included.
        public var processSeconds: Double
        /// Peak resident set of the Python process, KiB.
        public var peakKiB: Int
        /// User + system CPU seconds of the Python process.
        public var cpuSeconds: Double
        /// Per location: (sum of duration, sum of traffic_count).
        public var totals: [String: (duration: Double, traffic: Int64)]
    }

    /// The seed's query, as a SQL user would write it over the JSON lines file.
    static func sql(_ file: String) -> String {
        let quoted = file.replacingOccurrences(of: "'", with: "''")
        return "SELECT location, sum(duration), sum(traffic_count), avg(duration) "
            + "FROM read_json('\(quoted)', format='newline_delimited') "
            + "WHERE duration IS NOT NULL AND location IS NOT NULL GROUP BY location"
    }

    /// The full retail job's four tables: the JSON lines read once into a table, then one GROUP BY per
    /// table (areas; 1-minute windows per location; per customer and location; top 3 locations). The
    /// first query's rows are the areas table, which is checked.
    static func fullJobSQL(_ file: String) -> [String] {
        let quoted = file.replacingOccurrences(of: "'", with: "''")
        let valid = "WHERE duration IS NOT NULL AND location IS NOT NULL"
        return [
            "CREATE TABLE motion AS SELECT * FROM read_json('\(quoted)', format='newline_delimited')",
            "SELECT location, sum(duration), sum(traffic_count), avg(duration) FROM motion \(valid) "
                + "GROUP BY location",
            "SELECT time_bucket(INTERVAL 1 minute, CAST(timestamp AS TIMESTAMP)) AS w, location, "
                + "sum(traffic_count), count(*) FROM motion \(valid) GROUP BY w, location",
            "SELECT customer_id, location, sum(duration), count(*) FROM motion \(valid) "
                + "GROUP BY customer_id, location",
            "SELECT location, sum(traffic_count) AS t, sum(duration) FROM motion \(valid) GROUP BY location "
                + "ORDER BY t DESC LIMIT 3",
        ]
    }

    /// The child's program: times the query and prints one JSON object with the rows and its own usage.
    static let script = """
        import json, resource, sys, time
        t0 = time.perf_counter()
        import duckdb
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")  # it draws on stdout after 2 s
        rows = None
        for query in sys.argv[1:]:
            result = con.execute(query).fetchall()
            if rows is None and not query.startswith("CREATE"):
                rows = result
        t1 = time.perf_counter()
        u = resource.getrusage(resource.RUSAGE_SELF)
        print(json.dumps({"seconds": t1 - t0, "maxrss": u.ru_maxrss, "cpu": u.ru_utime + u.ru_stime,
                          "rows": [[r[0], r[1], r[2]] for r in rows]}))
        """

    /// The venv's python with `duckdb` importable, creating the venv and installing `duckdb` if needed.
    public static func prepareEnvironment(at venv: String, log: (String) -> Void) throws -> String {
        let python = (venv as NSString).appendingPathComponent("bin/python")
        if FileManager.default.isExecutableFile(atPath: python),
            (try? shell(python, ["-c", "import duckdb"])) != nil
        {
            return python
        }
        if !FileManager.default.isExecutableFile(atPath: python) {
            log("creating \(venv): python3 -m venv \(venv)")
            _ = try shell("/usr/bin/env", ["python3", "-m", "venv", venv])
        }
        let pip = (venv as NSString).appendingPathComponent("bin/pip")
        log("installing DuckDB: \(pip) install duckdb")
        _ = try shell(pip, ["install", "--quiet", "duckdb"])
        return python
    }

    /// Runs the query (or, for `fullJob`, the four tables' queries) in a child `python` over `file`.
    public static func run(python: String, file: String, fullJob: Bool = false) throws -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        let output = try shell(python, ["-c", script] + (fullJob ? fullJobSQL(file) : [sql(file)]))
        let elapsed = start.duration(to: clock.now)
        guard let data = output.data(using: .utf8),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let seconds = (object["seconds"] as? NSNumber)?.doubleValue,
            let maxrss = (object["maxrss"] as? NSNumber)?.intValue,
            let cpu = (object["cpu"] as? NSNumber)?.doubleValue,
            let rows = object["rows"] as? [[Any]]
        else {
            throw RetailBenchmark.Failure(
                description: "DuckDB printed something unexpected: \(output.prefix(500))")
        }
        var totals: [String: (duration: Double, traffic: Int64)] = [:]
        for row in rows {
            guard row.count == 3, let location = row[0] as? String,
                let duration = (row[1] as? NSNumber)?.doubleValue,
                let traffic = (row[2] as? NSNumber)?.int64Value
            else { continue }
            totals[location] = (duration, traffic)
        }
        return Result(
            querySeconds: seconds, processSeconds: RetailBenchmark.seconds(elapsed), peakKiB: maxrss,
            cpuSeconds: cpu, totals: totals)
    }

    /// Runs a program to completion (its standard error goes to ours); its standard output.
    static func shell(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw RetailBenchmark.Failure(
                description:
                    "\(executable) \(arguments.first ?? "") exited with status \(process.terminationStatus) "
                    + "(its messages are above)")
        }
        return String(decoding: outData, as: UTF8.self)
    }
}
