import EddyApps
import EddyLog
import EddySQL
import EddyStream
import Testing

/// Random queries generated from the grammar, each written twice — as SQL text and with the Swift API — and
/// run over the same random readings: the result tables must be equal.
@Suite struct SQLEquivalenceTests {
    typealias Random = SQLTestSupport.Random

    /// One generated piece: its SQL text and the Swift API expression meaning the same.
    struct Piece {
        var sql: String
        var swift: Expression
    }

    static func function(_ f: ScalarFunction, _ args: [Expression]) -> Expression {
        Expression(.function(f, args.map(\.node)))
    }

    static func predicate(_ r: inout Random, depth: Int = 0) -> Piece {
        let choice = depth >= 2 ? r.below(9) : r.below(12)
        switch choice {
        case 0:
            let n = 50 + r.below(250)
            return Piece(sql: "duration > \(n)", swift: col("duration") > lit(n))
        case 1:
            let a = 1 + r.below(5)
            let b = a + r.below(5)
            return Piece(
                sql: "traffic_count BETWEEN \(a) AND \(b)",
                swift: col("traffic_count") >= lit(a) && col("traffic_count") <= lit(b))
        case 2:
            let names = [r.pick(SQLTestSupport.locations), r.pick(SQLTestSupport.locations)]
            return Piece(
                sql: "location IN (\(names.map { "'\($0)'" }.joined(separator: ", ")))",
                swift: function(.isIn, [col("location")] + names.map { lit($0) }))
        case 3:
            let pattern = r.pick(["Corr%", "%a", "C_ixa", "%o%"])
            return Piece(
                sql: "location LIKE '\(pattern)'", swift: function(.like, [col("location"), lit(pattern)]))
        case 4:
            let column = r.pick(["duration", "location"])
            return r.chance(50)
                ? Piece(sql: "\(column) IS NULL", swift: col(column).isNull)
                : Piece(sql: "\(column) IS NOT NULL", swift: col(column).isNotNull)
        case 5:
            return Piece(sql: "upper(location) = 'CAIXA'", swift: col("location").uppercased == lit("CAIXA"))
        case 6:
            let n = 1 + r.below(9)
            return Piece(
                sql: "CASE WHEN traffic_count > \(n) THEN 1 ELSE 0 END = 1",
                swift: function(.caseWhen(hasElse: true), [col("traffic_count") > lit(n), lit(1), lit(0)])
                    == lit(1))
        case 7:
            let n = r.below(20)
            return Piece(
                sql: "traffic_count * 2 - 1 >= \(n)", swift: col("traffic_count") * lit(2) - lit(1) >= lit(n))
        case 8:
            return Piece(sql: "movement_detected", swift: col("movement_detected"))
        case 9:
            let p = predicate(&r, depth: depth + 1)
            return Piece(sql: "NOT (\(p.sql))", swift: !p.swift)
        default:
            let (p, q) = (predicate(&r, depth: depth + 1), predicate(&r, depth: depth + 1))
            let and = r.chance(50)
            return Piece(
                sql: "(\(p.sql) \(and ? "AND" : "OR") \(q.sql))",
                swift: and ? p.swift && q.swift : p.swift || q.swift)
        }
    }

    /// A SQL query and the same pipeline through the Swift API (without output).
    struct Case {
        var sql: String
        var swift: Pipeline
        var mode: OutputMode
    }

    static func query(_ r: inout Random) -> Case {
        var base = Pipeline("swift").source(topic: "motion", schema: RetailPipeline.schema)
        var whereText = ""
        if r.chance(80) {
            let p = predicate(&r)
            whereText = " WHERE \(p.sql)"
            base = base.filter(p.swift)
        }
        switch r.below(3) {
        case 0:
            let items: [(String, NamedExpression)] = [
                ("id_sensor", col("id_sensor").as("id_sensor")),
                ("traffic_count * 2 + 1 AS t2", (col("traffic_count") * lit(2) + lit(1)).as("t2")),
                ("lower(location) AS loc", col("location").lowercased.as("loc")),
                ("coalesce(duration, 0) AS d", coalesce(col("duration"), lit(0)).as("d")),
                (
                    "substring(customer_id, 9, 2) AS c",
                    function(.substring, [col("customer_id"), lit(9), lit(2)]).as("c")
                ),
                (
                    "CAST(traffic_count AS STRING) AS ts",
                    function(.cast(.string), [col("traffic_count")]).as("ts")
                ),
            ]
            let chosen = items.filter { _ in r.chance(60) }
            let picked = chosen.isEmpty ? [items[0]] : chosen
            return Case(
                sql: "SELECT \(picked.map(\.0).joined(separator: ", ")) FROM motion\(whereText)",
                swift: base.select(picked.map(\.1)), mode: .append)
        default:
            let keyChoices: [[(String, String?, NamedExpression)]] = [
                [("location", nil, col("location").as("location"))],
                [
                    ("customer_id", nil, col("customer_id").as("customer_id")),
                    ("location", nil, col("location").as("location")),
                ],
                [
                    (
                        "CASE WHEN traffic_count > 5 THEN 'busy' ELSE 'quiet' END", "level",
                        function(
                            .caseWhen(hasElse: true),
                            [col("traffic_count") > lit(5), lit("busy"), lit("quiet")]
                        ).as("level")
                    )
                ],
            ]
            let keys = r.pick(keyChoices)
            let aggregates: [(String, Aggregate)] = [
                ("count(*) AS n", .count(as: "n")),
                ("sum(duration) AS total", .sum("duration", as: "total")),
                ("avg(duration) AS mean", .avg("duration", as: "mean")),
                ("min(traffic_count) AS least", .min("traffic_count", as: "least")),
                ("max(duration) AS most", .max("duration", as: "most")),
                ("count(DISTINCT customer_id) AS customers", .countDistinct("customer_id", as: "customers")),
                (
                    "sum(traffic_count * 2) AS double_traffic",
                    .sum(col("traffic_count") * lit(2), as: "double_traffic")
                ),
            ]
            var picked = aggregates.filter { _ in r.chance(45) }
            if picked.isEmpty || !picked.contains(where: { $0.1.name == "n" }) {
                picked.insert(aggregates[0], at: 0)
            }
            let keySQL = keys.map { key in key.1.map { alias in "\(key.0) AS \(alias)" } ?? key.0 }
            let groupSQL = keys.map { $0.1 ?? $0.0 }
            var sql =
                "SELECT \((keySQL + picked.map(\.0)).joined(separator: ", ")) FROM motion\(whereText) GROUP BY \(groupSQL.joined(separator: ", "))"
            var swift = base.groupBy(keys: keys.map(\.2)).aggregate(picked.map(\.1))
            if r.chance(40) {
                let n = 1 + r.below(30)
                sql += " HAVING count(*) > \(n)"
                swift = swift.filter(col("n") > lit(n))
            }
            return Case(sql: sql, swift: swift, mode: .complete)
        }
    }

    @Test(arguments: Array(UInt64(1)...UInt64(40)))
    func randomQueryMatchesTheSwiftAPI(seed: UInt64) async throws {
        var r = Random(state: seed &* 7919)
        let c = Self.query(&r)
        let records = SQLTestSupport.motion(400, seed: seed)

        var catalog = SQLCatalog { topic in topic == "motion" ? (RetailPipeline.schema, 0) : nil }
        let planned = try SQLPlanner.plan(c.sql, catalog: &catalog, table: "out")
        #expect(planned.mode == c.mode, "\(c.sql)")
        let sqlTable = LiveTable("out")
        try await SQLTestSupport.runOnce(
            planned.pipeline(named: "sql", to: sqlTable),
            log: try SQLTestSupport.log(topic: "motion", records: records))

        let swiftTable = LiveTable("out")
        try await SQLTestSupport.runOnce(
            c.swift.output("out", mode: c.mode, to: swiftTable),
            log: try SQLTestSupport.log(topic: "motion", records: records))

        #expect(sqlTable.columns == swiftTable.columns, "\(c.sql)")
        #expect(SQLTestSupport.sorted(sqlTable.rows) == SQLTestSupport.sorted(swiftTable.rows), "\(c.sql)")
    }

    /// Windows as table functions against groupBy(window): tumbling and hopping.
    @Test(arguments: [
        (
            "TUMBLE(motion, timestamp, INTERVAL '1' MINUTE)",
            Window.tumbling(on: "timestamp", size: .minutes(1))
        ),
        (
            "HOP(motion, timestamp, INTERVAL '30' SECOND, INTERVAL '2' MINUTE)",
            Window.hopping(on: "timestamp", size: .minutes(2), slide: .seconds(30))
        ),
    ])
    func windowsMatchTheSwiftAPI(from: String, window: Window) async throws {
        let records = SQLTestSupport.motion(600, seed: 9)
        var catalog = SQLCatalog { topic in topic == "motion" ? (RetailPipeline.schema, 0) : nil }
        let planned = try SQLPlanner.plan(
            "SELECT window_start, window_end, location, count(*) AS n, sum(traffic_count) AS traffic FROM \(from) "
                + "GROUP BY window_start, window_end, location", catalog: &catalog, table: "out")
        let sqlTable = LiveTable("out")
        try await SQLTestSupport.runOnce(
            planned.pipeline(named: "sql", to: sqlTable),
            log: try SQLTestSupport.log(topic: "motion", records: records))
        let swiftTable = LiveTable("out")
        let swift = Pipeline("swift").source(topic: "motion", schema: RetailPipeline.schema)
            .groupBy(window, "location").aggregate(.count(as: "n"), .sum("traffic_count", as: "traffic"))
            .output("out", mode: .complete, to: swiftTable)
        try await SQLTestSupport.runOnce(
            swift, log: try SQLTestSupport.log(topic: "motion", records: records))
        #expect(sqlTable.rowCount > 10)
        #expect(SQLTestSupport.sorted(sqlTable.rows) == SQLTestSupport.sorted(swiftTable.rows))
    }
}
