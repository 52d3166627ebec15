import EddyApps
import EddyLog
import EddySQL
import EddyStream
import Testing

/// The parser's trees and the planner's error messages, which must point at the text.
@Suite struct SQLParserTests {
    /// A catalog whose only topic is `motion`, with the retail schema (no log needed).
    static var catalog: SQLCatalog {
        SQLCatalog { topic in topic == "motion" ? (RetailPipeline.schema, 10) : nil }
    }

    static func error(_ sql: String, mode: OutputMode? = nil) -> String? {
        var catalog = Self.catalog
        do {
            _ = try SQLPlanner.plan(sql, catalog: &catalog, mode: mode)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func precedenceAndForms() throws {
        let cases: [(String, String)] = [
            ("a + b * c", "(a + (b * c))"),
            ("(a + b) * c", "((a + b) * c)"),
            ("NOT a = 1 AND b OR c", "(((NOT (a = 1)) AND b) OR c)"),
            ("x NOT BETWEEN 1 AND 5", "(x NOT BETWEEN 1 AND 5)"),
            ("x IN (1, 2, 3)", "(x IN (1, 2, 3))"),
            ("name NOT LIKE 'Corr%'", "(name NOT LIKE 'Corr%')"),
            ("d IS NOT NULL", "(d IS NOT NULL)"),
            ("CASE WHEN a > 1 THEN 'x' ELSE 'y' END", "CASE WHEN (a > 1) THEN 'x' ELSE 'y' END"),
            ("CAST(a AS DECIMAL(10, 2))", "CAST(a AS DECIMAL(38,2))"),
            ("COUNT(DISTINCT customer_id)", "count(DISTINCT customer_id)"),
            ("count(*)", "count(*)"),
            ("-3 + t.x", "(-3 + t.x)"),
            ("'it''s'", "'it''s'"),
            ("a || b", "concat(a, b)"),
            ("extract(HOUR FROM ts)", "extract(hour FROM ts)"),
        ]
        for (sql, canonical) in cases {
            #expect(try SQLParser.parseExpression(sql).canonical == canonical, "\(sql)")
        }
    }

    @Test func statementsOfAFile() throws {
        let statements = try SQLParser.parse(
            """
            CREATE SOURCE motion (timestamp TIMESTAMP, location STRING,
              WATERMARK FOR timestamp AS timestamp - INTERVAL '5' MINUTE) WITH (topic = 'motion', format = 'json');
            CREATE SINK out WITH (sink = 'sqlite:x.db', mode = 'update');
            INSERT INTO out SELECT location, count(*) AS n FROM motion GROUP BY location;
            SELECT * FROM motion
            """)
        #expect(statements.count == 4)
        guard case .createSource(let source) = statements[0] else {
            Issue.record("not a source")
            return
        }
        #expect(source.columns == [Column("timestamp", .timestamp), Column("location", .string)])
        #expect(source.watermark?.column == "timestamp" && source.watermark?.delayMicros == 300_000_000)
        #expect(source.options == ["topic": "motion", "format": "json"])
        guard case .createSink(let sink, nil) = statements[1],
            case .insert("out", _, let query) = statements[2]
        else {
            Issue.record("not a sink and an insert")
            return
        }
        #expect(sink.options["sink"] == "sqlite:x.db")
        #expect(query.groupBy.map(\.canonical) == ["location"])
    }

    @Test func errorsPointAtTheText() {
        #expect(
            Self.error("SELECT locaton FROM motion")
                == "column 'locaton' does not exist (did you mean 'location'?) at 1:8")
        #expect(
            Self.error("SELECT location\nFROM motion\nWHERE duraton > 5")
                == "column 'duraton' does not exist (did you mean 'duration'?) at 3:7")
        #expect(
            Self.error("SELECT location FROM motoin")?.hasPrefix("source 'motoin' does not exist") == true)
        #expect(Self.error("SELECT location FROM motoin")?.hasSuffix("at 1:22") == true)
        #expect(Self.error("SELECT location, FROM motion") == "expected an expression, found FROM at 1:18")
        #expect(Self.error("SELECT 'abc FROM motion") == "unterminated string at 1:8")
        #expect(
            Self.error("SELECT location FROM motion\nJOIN stores ON motion.location = stores.name")
                == "unsupported in a streaming query: joins (only CROSS JOIN UNNEST is supported so far) at 2:1"
        )
        #expect(
            Self.error("SELECT location, duration FROM motion GROUP BY location")
                == "column 'duration' must appear in GROUP BY or be used in an aggregate function at 1:18")
        #expect(
            Self.error("SELECT location FROM motion WHERE sum(duration) > 1")
                == "aggregate functions are not allowed in WHERE (use HAVING) at 1:35")
        #expect(
            Self.error("SELECT lowr(location) FROM motion")
                == "function 'lowr' does not exist (did you mean 'lower'?) at 1:8")
        #expect(
            Self.error("SELECT location, count(*) AS n FROM motion GROUP BY location ORDER BY nn")
                == "ORDER BY column 'nn' is not a column of the result (did you mean 'n'?) at 1:71")
    }

    /// Spark's output-mode rules come from the engine, with the Swift API's messages.
    @Test func outputModeRulesHaveTheSwiftAPIsMessages() throws {
        let swift = Pipeline("sql").source(topic: "motion", schema: RetailPipeline.schema)
            .groupBy("location").count().output("sql", mode: .append, to: .jsonLines)
        var expected = ""
        do { _ = try swift.build() } catch { expected = error.description }
        #expect(!expected.isEmpty)
        #expect(
            Self.error("SELECT location, count(*) AS count FROM motion GROUP BY location", mode: .append)
                == expected + " at 1:1")

        let sorted = Pipeline("sql").source(topic: "motion", schema: RetailPipeline.schema)
            .orderBy(.ascending("location")).output("sql", mode: .append, to: .jsonLines)
        var sortMessage = ""
        do { _ = try sorted.build() } catch { sortMessage = error.description }
        #expect(
            Self.error("SELECT location\nFROM motion\nORDER BY location") == "\(sortMessage) at 3:1")
    }

    @Test func inferredSchemaTypes() {
        let records = [
            #"{"at": "2024-08-23T15:22:16.968007Z", "n": 3, "x": 1.5, "name": "a", "ok": true, "tags": [1, 2], "p": {"q": 1}}"#,
            #"{"at": "2024-08-23T15:23:00Z", "n": null, "x": 2, "name": "b", "ok": false, "extra": 7}"#,
            "not json",
        ].map { Array($0.utf8) }
        let schema = SchemaInference.infer(records)
        #expect(
            schema.fields == [
                Column("at", .timestamp), Column("n", .int), Column("x", .double), Column("name", .string),
                Column("ok", .bool), Column("tags", .array(.int)), Column("p", .object([Column("q", .int)])),
                Column("extra", .int),
            ])
    }

    @Test func likeAndFunctions() throws {
        // LIKE, CASE, CAST, substring and friends through a real run (see SQLEquivalenceTests for the rows).
        var catalog = Self.catalog
        let query = try SQLPlanner.plan(
            """
            SELECT upper(location) AS area, CASE WHEN duration > 100 THEN 'long' ELSE 'short' END AS kind,
                   CAST(traffic_count AS DOUBLE) / 2 AS half, substring(location, 1, 3) AS prefix,
                   concat(id_sensor, '-', location) AS tag, trim('  x ') AS t, date_trunc('minute', timestamp) AS m
            FROM motion WHERE location LIKE 'Corr%' AND traffic_count IN (1, 2, 3)
            """, catalog: &catalog)
        #expect(query.mode == .append)
        #expect(
            query.scannedColumns.sorted() == [
                "duration", "id_sensor", "location", "timestamp", "traffic_count",
            ])
        let plan = try query.pipeline(named: "q", to: .jsonLines).build()
        #expect(
            plan.tables[0].columns.map(\.type) == [
                .string, .string, .double, .string, .string, .string, .timestamp,
            ])
    }
}
