import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 15, item 5: secrets never appear in what Eddy prints or serves. One `eddy serve` runs with an access
/// token, a sales pipeline writing to PostgreSQL with a password, a SQL file whose sink is a PostgreSQL URL with
/// a password, and Kafka SASL users with passwords, at debug logging; its stdout, stderr and every API answer a
/// user could look at (pipelines, tables, metrics, the dashboard, the OpenAPI document, error answers) are
/// searched for each secret. The commands that refuse a URL carrying a password are searched too.
///
/// Under the test command PostgreSQL runs (`EDDY_TEST_POSTGRES_URL`, trust authentication: the password is
/// sent and ignored) and the sink connects; without it nothing listens on that port and the sink's
/// reconnect errors are what gets searched.
@Suite(
    .serialized,
    .enabled(if: toolOnPath("curl") != nil, "needs curl on PATH (scripts/test installs it)"))
struct SecretsTests {
    static let token = "token-SECRET-7f3a9c2e51d84b06"
    static let postgresPassword = "pgpass-SECRET-c4e8a1"
    static let sqlPassword = "sqlpass-SECRET-9b2d7e"
    static let saslPassword = "saslpass-SECRET-e1f0c3"
    static let secrets = [token, postgresPassword, sqlPassword, saslPassword]

    /// `postgres://USER:PASSWORD@HOST:PORT/DATABASE` on the test server (or where it would listen).
    static func postgresURL(password: String, database: String) -> String {
        var user = "postgres"
        var hostPort = "127.0.0.1:54329"
        if let base = ProcessInfo.processInfo.environment["EDDY_TEST_POSTGRES_URL"],
            let schemeEnd = base.range(of: "://"), let at = base[schemeEnd.upperBound...].lastIndex(of: "@")
        {
            let credentials = base[schemeEnd.upperBound..<at]
            user = String(credentials.split(separator: ":").first ?? "postgres")
            let rest = base[base.index(after: at)...]
            hostPort = String(rest.prefix { $0 != "/" })
        }
        return "postgres://\(user):\(password)@\(hostPort)/\(database)"
    }

    /// Every secret found in `text`, for the failure message.
    static func leaked(in text: String) -> [String] {
        secrets.filter { text.contains($0) }
    }

    @Test func noSecretAppearsInTheOutputOrAnswersOfAServeRun() throws {
        let curl = try #require(toolOnPath("curl"))
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let directory = eddy.workDirectory
        #expect(
            try eddy.run(["simulate", "sales", "300", "--seed", "3", "--to", "ecommerce_sales"]).status == 0)
        #expect(try eddy.run(["simulate", "motion", "300", "--seed", "3", "--to", "motion"]).status == 0)
        // Under the test command: a database for each sink (two sinks creating their offset tables in one
        // empty database at once can collide in PostgreSQL's catalog), dropped at the end.
        let base = ProcessInfo.processInfo.environment["EDDY_TEST_POSTGRES_URL"]
        let suffix = "_\(UInt32.random(in: 0...UInt32.max))"
        // Without it nothing is likely to listen there; if a server does, its `postgres` database exists.
        let databases =
            base == nil
            ? ["postgres", "postgres"] : ["eddy_secrets_sales" + suffix, "eddy_secrets_sql" + suffix]
        if let base {
            for database in databases { try SalesExactlyOnceTests.psql(base, "CREATE DATABASE \(database)") }
        }
        defer {
            if let base {
                for database in databases {
                    _ = try? SalesExactlyOnceTests.psql(base, "DROP DATABASE \(database) WITH (FORCE)")
                }
            }
        }
        let salesURL = Self.postgresURL(password: Self.postgresPassword, database: databases[0])
        let sqlURL = Self.postgresURL(password: Self.sqlPassword, database: databases[1])
        try """
        CREATE SOURCE motion (timestamp TIMESTAMP, location STRING, duration DOUBLE, traffic_count BIGINT)
            WITH (topic = 'motion', format = 'json');
        CREATE SINK secret_areas WITH (sink = '\(sqlURL)', mode = 'complete') AS
        SELECT location, count(*) AS readings FROM motion GROUP BY location;
        """.write(toFile: directory + "/areas.sql", atomically: true, encoding: .utf8)
        let configuration: [String: Any] = [
            "pipelines": [
                ["kind": "sales", "sink": salesURL], ["kind": "retail"],
                ["kind": "sql", "file": directory + "/areas.sql"],
            ]
        ]
        try JSONSerialization.data(withJSONObject: configuration).write(
            to: URL(fileURLWithPath: directory + "/eddy.json"))
        try "alice:\(Self.saslPassword)\n".write(
            toFile: directory + "/sasl-users", atomically: true, encoding: .utf8)

        let serve = try RunningEddy(
            eddy,
            [
                "EDDY_LOG_LEVEL=debug", EddyBinary.path, "serve", "--config", directory + "/eddy.json",
                "--host", "0.0.0.0", "--port", "0", "--token", Self.token, "--kafka-port", "0",
                "--kafka-sasl",
                "plain", "--kafka-sasl-users", directory + "/sasl-users",
            ], executable: "/usr/bin/env")
        defer { serve.kill(SIGKILL) }
        #expect(serve.waitFor(seconds: 60) { $0.contains("Eddy is serving") }, "\(serve.stderr)")
        let port = try #require(
            serve.stdout.split(separator: ":").dropFirst(2).first.flatMap { Int($0.prefix { $0.isNumber }) })
        sleep(4)  // the pipelines run a few batches; the sinks connect (or fail to and retry)

        let paths = [
            "/", "/dashboard.js", "/dashboard.css", "/health", "/metrics", "/openapi.json", "/api/topics",
            "/api/pipelines", "/api/pipelines/sales", "/api/pipelines/retail", "/api/pipelines/sql",
            "/api/pipelines/sql/tables/secret_areas", "/api/pipelines/missing", "/no/such/path",
        ]
        var answers: [String: String] = [:]
        for path in paths {
            let answer = try runTool(
                curl,
                ["-sS", "--max-time", "10", "-H", "Authorization: Bearer \(Self.token)", "-i"]
                    + ["http://127.0.0.1:\(port)\(path)"], in: directory)
            #expect(answer.status == 0, "\(path): \(answer.stderr)\n\(serve.stderr.suffix(3000))")
            answers[path] = answer.stdout
        }
        // An unauthenticated request's refusal must not hint at the token either.
        answers["/api/pipelines (no token)"] =
            try runTool(curl, ["-sS", "-i", "http://127.0.0.1:\(port)/api/pipelines"], in: directory).stdout
        #expect(
            answers["/api/pipelines"]?.contains("\"sales\"") == true, "\(answers["/api/pipelines"] ?? "")")

        serve.kill(SIGTERM)
        let outputs = answers.merging(["stdout": serve.stdout, "stderr": serve.stderr]) { first, _ in first }
        for (name, text) in outputs.sorted(by: { $0.key < $1.key }) {
            #expect(
                Self.leaked(in: text).isEmpty, "\(name) shows \(Self.leaked(in: text)):\n\(text.prefix(4000))"
            )
        }
    }

    @Test func refusedURLsAndFailedConnectionsDoNotEchoThePassword() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let directory = eddy.workDirectory
        #expect(
            try eddy.run(["simulate", "sales", "50", "--seed", "3", "--to", "ecommerce_sales"]).status == 0)
        let password = Self.postgresPassword
        // Malformed URLs: no database, a bad port, an unknown option.
        let malformed = [
            "postgres://eddy:\(password)@127.0.0.1:54329",
            "postgres://eddy:\(password)@127.0.0.1:99999/shop",
            "postgres://eddy:\(password)@127.0.0.1:54329/shop?sslmode=require",
        ]
        var results: [(String, EddyBinary.Result)] = []
        for url in malformed {
            results.append((url, try eddy.run(["run", "sales", "--sink", url])))
            try """
            CREATE SOURCE orders (product_name STRING) WITH (topic = 'ecommerce_sales', format = 'json');
            CREATE SINK counts WITH (sink = '\(url)') AS SELECT product_name, count(*) AS n FROM orders GROUP BY product_name;
            """.write(toFile: directory + "/bad.sql", atomically: true, encoding: .utf8)
            results.append(("sql " + url, try eddy.run(["run", "--file", directory + "/bad.sql"])))
            let configuration = ["pipelines": [["kind": "sales", "sink": url]]]
            try JSONSerialization.data(withJSONObject: configuration).write(
                to: URL(fileURLWithPath: directory + "/bad.json"))
            results.append(
                (
                    "config " + url,
                    try eddy.run(["serve", "--config", directory + "/bad.json", "--port", "0", "--no-kafka"])
                ))
        }
        for (url, result) in results {
            #expect(result.status != 0, "\(url) was accepted")
            #expect(!result.stderr.contains(password), "\(url): \(result.stderr)")
            #expect(!result.stdout.contains(password), "\(url): \(result.stdout)")
        }
    }
}
