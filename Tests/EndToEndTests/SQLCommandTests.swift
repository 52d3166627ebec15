import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `eddy sql` and `eddy run --file` on the built binary: the seed query as SQL gives the totals computed from
/// the input; errors point at the text; the schema is inferred and explained.
@Suite struct SQLCommandTests {
    static let seedQuery = """
        SELECT location, sum(duration) AS total_duration, sum(traffic_count) AS total_traffic, \
        avg(duration) AS avg_duration FROM motion WHERE duration IS NOT NULL AND location IS NOT NULL \
        GROUP BY location
        """

    @Test func seedQueryOnceAsJSONMatchesTotalsComputedFromTheInput() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let generated = try eddy.run(["simulate", "motion", "5000", "--seed", "11", "--null-rate", "0.05"])
        #expect(generated.status == 0, "\(generated.stderr)")
        let lines = generated.stdoutLines
        let expected = AreaTotals.of(lines)
        let produced = try eddy.run(
            ["produce", "motion", "--create", "--partitions", "2", "--key-field", "id_sensor"], lines: lines)
        #expect(produced.status == 0, "\(produced.stderr)")

        let result = try eddy.run(["sql", Self.seedQuery, "--trigger", "once", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = RetailJSONRow.parse(result.stdout)
        #expect(!rows.isEmpty)
        for row in rows {
            #expect(
                Set(row.object.keys) == [
                    "batch", "location", "total_duration", "total_traffic", "avg_duration",
                ])
        }
        expectAreas(RetailJSONRow.lastBatchByLocation(rows), equal: expected, relative: 1e-9)

        // The schema was inferred from the topic; --explain shows it and the plan, and runs nothing.
        let explained = try eddy.run(["sql", Self.seedQuery, "--explain"])
        #expect(explained.status == 0, "\(explained.stderr)")
        for text in [
            "schema inferred from", "timestamp TIMESTAMP", "traffic_count BIGINT", "duration DOUBLE",
            "scanned columns: duration, location, traffic_count", "location STRING (key)",
        ] {
            #expect(explained.stdout.contains(text), "\(text) in \(explained.stdout)")
        }

        // The same as a file, with a CREATE SOURCE and a sink: run --file does not break run APP.
        let file = eddy.workDirectory + "/areas.sql"
        try """
        CREATE SOURCE readings (location STRING, duration DOUBLE, traffic_count BIGINT)
          WITH (topic = 'motion', format = 'json');
        CREATE SINK areas WITH (sink = 'json', mode = 'complete') AS
        SELECT location, count(*) AS readings FROM readings WHERE duration IS NOT NULL
          AND location IS NOT NULL GROUP BY location HAVING count(*) > 0 ORDER BY readings DESC LIMIT 2;
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try eddy.run(["run", "--file", file, "--trigger", "once"])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        let fileRows = RetailJSONRow.parse(fromFile.stdout)
        let last = fileRows.filter { $0.batch == fileRows.map(\.batch).max() }
        let top = expected.sorted { $0.value.readings > $1.value.readings }.prefix(2)
        #expect(last.map { $0.int("readings") } == top.map { $0.value.readings })
        #expect(last.allSatisfy { $0.string("table") == "areas" })
    }

    @Test func errorsPointAtTheQuery() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let produced = try eddy.run(
            ["produce", "motion", "--create"],
            lines: [#"{"location": "Caixa", "duration": 1.5, "traffic_count": 2}"#])
        #expect(produced.status == 0, "\(produced.stderr)")
        let typo = try eddy.run(["sql", "SELECT locaton FROM motion"])
        #expect(typo.status != 0)
        #expect(typo.stderr == "error: column 'locaton' does not exist (did you mean 'location'?) at 1:8\n")
        let mode = try eddy.run(
            ["sql", "SELECT location, count(*) AS n FROM motion GROUP BY location", "--mode", "append"])
        #expect(mode.status != 0)
        #expect(
            mode.stderr.hasPrefix("error: output 'sql' cannot use append mode: append emits"),
            "\(mode.stderr)")
        #expect(mode.stderr.hasSuffix(" at 1:1\n"), "\(mode.stderr)")
        let missing = try eddy.run(["run", "--file", eddy.workDirectory + "/nope.sql"])
        #expect(missing.status != 0)
        #expect(missing.stderr.hasPrefix("error: cannot read SQL file"))
    }

    /// `eddy serve --config` with `{"kind": "sql", "file": …}`: the query's result is a live table of the API.
    @Test(.timeLimit(.minutes(2))) func serveServesASQLPipelinesTable() async throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let produced = try eddy.run(
            ["produce", "motion", "--create"],
            lines: [
                #"{"location": "Caixa", "duration": 1.5, "traffic_count": 2}"#,
                #"{"location": "Caixa", "duration": 2.5, "traffic_count": 3}"#,
                #"{"location": "Entrada", "duration": 4.0, "traffic_count": 1}"#,
            ])
        #expect(produced.status == 0, "\(produced.stderr)")
        let file = eddy.workDirectory + "/areas.sql"
        try
            "CREATE TABLE areas AS SELECT location, sum(traffic_count) AS traffic FROM motion GROUP BY location"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let config = eddy.workDirectory + "/eddy.json"
        try #"{"port": 0, "dataDir": "\#(eddy.dataDir)", "pipelines": [{"kind": "sql", "file": "\#(file)"}]}"#
            .write(toFile: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: EddyBinary.path)
        process.arguments = ["serve", "--config", config, "--kafka-port", "0"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning {
                kill(process.processIdentifier, SIGINT)
                process.waitUntilExit()
            }
        }
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let start = try #require(line.range(of: "http://127.0.0.1:"), "no URL in \(line)")
        let end = try #require(line[start.upperBound...].firstIndex(of: "/"))
        let port = try #require(Int(line[start.upperBound..<end]))
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/api/pipelines/sql/tables/areas"))
        var body = ""
        for _ in 0..<100 {
            body = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            if body.contains("Entrada") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(body.contains(#""location":"Caixa""#) && body.contains(#""traffic":5"#), "\(body)")
        #expect(body.contains(#""location":"Entrada""#), "\(body)")
    }
}
