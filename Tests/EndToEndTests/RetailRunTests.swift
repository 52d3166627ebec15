import EddyLog
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `eddy run retail` on the built binary: results against totals the test computes itself, Spark's `from_json`
/// semantics with the dead-letter topic, output modes, triggers and the error contract.
@Suite struct RetailRunTests {
    static let columns: Set<String> = [
        "batch", "location", "total_duration", "total_traffic", "avg_duration",
    ]

    /// 20 000 simulated readings, 5 % nulls: the last batch of `--trigger once --format json` equals the seed
    /// query computed here with JSONSerialization — for the general pipeline, the compiled seed-query path,
    /// and a run split into many batches by --max-records-per-batch.
    @Test func onceMatchesTotalsComputedFromTheInput() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let generated = try eddy.run(["simulate", "motion", "20000", "--seed", "7", "--null-rate", "0.05"])
        #expect(generated.status == 0, "\(generated.stderr)")
        let lines = generated.stdoutLines
        #expect(lines.count == 20_000)
        let expected = AreaTotals.of(lines)
        let kept = expected.values.reduce(0) { $0 + $1.readings }
        #expect(
            kept > 17_000 && kept < 19_500,
            "the null rate should drop about 10 % of the readings, kept \(kept)")
        #expect(expected.count == 6)

        let produced = try eddy.run(
            ["produce", "motion", "--create", "--partitions", "2", "--key-field", "id_sensor"], lines: lines)
        #expect(produced.status == 0, "\(produced.stderr)")

        let variants: [(name: String, flags: [String])] = [
            ("general", []),
            ("compiled", ["--seed-query-only"]),
            ("batched", ["--max-records-per-batch", "3000"]),
            ("compiled-batched", ["--seed-query-only", "--max-records-per-batch", "3000", "--workers", "2"]),
        ]
        for variant in variants {
            let result = try eddy.run(
                ["run", "retail", "--trigger", "once", "--format", "json", "--name", variant.name]
                    + variant.flags)
            #expect(result.status == 0, "\(variant.name): \(result.stderr)")
            // Nothing on stderr but the closing count: no warnings, no dead letters.
            #expect(result.stderr == "\(variant.name): stopped after 20000 records\n", "\(variant.name)")
            let rows = RetailJSONRow.parse(result.stdout)
            for row in rows {
                #expect(Set(row.object.keys) == Self.columns, "\(variant.name): \(row.object)")
            }
            // Complete mode: every batch holds every area seen so far; batch ids count up from 0.
            let batches = rows.map(\.batch)
            let ids = Array(Set(batches)).sorted()
            #expect(ids == Array(0..<ids.count), "\(variant.name): batch ids \(ids)")
            #expect(batches == batches.sorted(), "\(variant.name): batches printed out of order")
            if variant.name.hasSuffix("batched") {
                #expect(
                    ids.count >= 7,
                    "20 000 records at most 3000 per batch make at least 7 batches, got \(ids)")
            }
            // Complete mode: each batch reprints every area seen so far (the first batches of a capped run
            // may not have met all six), and no area twice.
            let perBatch = ids.map { id in rows.filter { $0.batch == id } }
            for (id, batch) in perBatch.enumerated() {
                #expect(
                    Set(batch.compactMap { $0.string("location") }).count == batch.count,
                    "\(variant.name) \(id)")
            }
            #expect(
                perBatch.map(\.count) == perBatch.map(\.count).sorted(), "\(variant.name): areas disappeared")
            #expect(perBatch.last?.count == 6, "\(variant.name)")
            expectAreas(RetailJSONRow.lastBatchByLocation(rows), equal: expected, relative: 1e-9)
        }

        // The follow-up tables over the same filtered readings, in one batch each: dwell time per customer
        // and area, and traffic per 1-minute window and area (nothing is late within a first batch).
        var dwell: [[String]: (cents: Int, visits: Int)] = [:]
        var windows: [[String]: (traffic: Int, readings: Int)] = [:]
        for line in lines {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let location = object["location"] as? String, let duration = object["duration"] as? NSNumber,
                let customer = object["customer_id"] as? String,
                let timestamp = object["timestamp"] as? String,
                let traffic = object["traffic_count"] as? NSNumber
            else { continue }
            dwell[[customer, location], default: (0, 0)].cents += Int((duration.doubleValue * 100).rounded())
            dwell[[customer, location], default: (0, 0)].visits += 1
            let window = [String(timestamp.prefix(16)) + ":00.000000Z", location]
            windows[window, default: (0, 0)].traffic += traffic.intValue
            windows[window, default: (0, 0)].readings += 1
        }
        let once = ["run", "retail", "--trigger", "once", "--format", "json", "--output"]
        let customers = RetailJSONRow.parse(try eddy.run(once + ["customers", "--name", "customers"]).stdout)
        #expect(customers.count == dwell.count, "one row per customer and area")
        #expect(
            Set(customers.map { [$0.string("customer_id") ?? "?", $0.string("location") ?? "?"] })
                == Set(dwell.keys))
        var wrong = 0
        for row in customers {
            let key = [row.string("customer_id") ?? "?", row.string("location") ?? "?"]
            let cents = row.double("dwell_time").map { Int(($0 * 100).rounded()) }
            if cents != dwell[key]?.cents || row.int("visits") != dwell[key]?.visits { wrong += 1 }
        }
        #expect(wrong == 0, "customer rows that disagree with the input")
        let windowed = RetailJSONRow.parse(try eddy.run(once + ["windows", "--name", "windows"]).stdout)
        #expect(windowed.count == windows.count, "one row per window and area")
        #expect(windows.count > 6 * 20, "the simulated readings span more than 20 minutes")
        for row in windowed {
            let key = [row.string("window_start") ?? "?", row.string("location") ?? "?"]
            #expect(row.int("traffic") == windows[key]?.traffic, "\(row.object)")
            #expect(row.int("readings") == windows[key]?.readings, "\(row.object)")
        }
    }

    /// One reading as the seed writes it, with each field's JSON text given raw (nil leaves the field out).
    static func reading(location: String?, duration: String?, traffic: String? = "1") -> String {
        var fields = ["\"timestamp\": \"2024-08-23T15:22:16.968007Z\"", "\"id_sensor\": \"SM-123AB\""]
        if let location { fields.append("\"location\": \(location)") }
        fields.append("\"customer_id\": \"Cliente_5678\"")
        fields.append("\"movement_detected\": true")
        if let duration { fields.append("\"duration\": \(duration)") }
        if let traffic { fields.append("\"traffic_count\": \(traffic)") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// A field of the wrong type is null and the row flows (and is dropped by the filter when it is duration
    /// or location); a record that is not a JSON object goes to `motion.dlq` with its original bytes and
    /// headers saying why and where from. Checked on both the general and the compiled path.
    @Test func fromJSONSemanticsAndDeadLetters() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        var input: [Data] = [
            /* 0 */ Self.reading(location: "\"Caixa\"", duration: "10.5", traffic: "2"),
            /* 1 */ Self.reading(location: "\"Caixa\"", duration: "\"abc\""),  // mistyped: null, dropped
            /* 2 */ Self.reading(location: "\"Caixa\"", duration: "\"12.5\""),  // a string is no double
            /* 3 */ Self.reading(location: "\"Caixa\"", duration: "true"),
            /* 4 */ Self.reading(location: "\"Caixa\"", duration: "null"),
            /* 5 */ Self.reading(location: nil, duration: "3.0"),  // no location: dropped
            /* 6 */ Self.reading(location: "5", duration: "1.25"),  // a number read as a string is its text
            // traffic null, the row kept
            /* 7 */ Self.reading(location: "\"Caixa\"", duration: "2.0", traffic: "4.5"),
            /* 8 */ Self.reading(location: "\"Entrada\"", duration: "3.0", traffic: "\"3\""),
            /* 9 */
            "{\"location\": \"Entrada\", \"duration\": 4.0, \"traffic_count\": 1, \"duration\": \"x\"}",
            /* 10 */ "[1,2]",
            /* 11 */ "garbage",
            /* 12 */ "",  // replaced below by invalid UTF-8
            /* 13 */ "{\"location\": \"Caixa\", \"duration\": 1.0",
            /* 14 */ "\"just a string\"",
            /* 15 */ "{\"location\": \"Caixa\", \"duration\": 1.0} x",
            // an integer duration is a double
            /* 16 */ Self.reading(location: "\"Corredor_A\"", duration: "7", traffic: "1"),
            /* 17 */ "{}",
            /* 18 */ "  " + Self.reading(location: "\"Corredor_A\"", duration: "0.5", traffic: "2") + "  ",
            /* 19 */ Self.reading(location: "\"Sem_Trafego\"", duration: "8.0", traffic: "\"x\""),
        ].map { Data($0.utf8) }
        input[12] =
            Data("{\"location\": \"Caixa".utf8) + Data([0xFF, 0xFE]) + Data("\", \"duration\": 1.0}".utf8)
        let deadLetters: [(offset: Int, reason: String)] = [
            (10, "not_an_object"), (11, "not_an_object"), (12, "invalid_utf8"), (13, "malformed_json"),
            (14, "not_an_object"), (15, "malformed_json"),
        ]
        // location → (total_duration, total_traffic or nil for SQL NULL, avg_duration)
        let expected: [String: (Double, Int?, Double)] = [
            "Caixa": (12.5, 2, 6.25),
            "5": (1.25, 1, 1.25),
            "Entrada": (7.0, 1, 3.5),
            "Corredor_A": (7.5, 3, 3.75),
            "Sem_Trafego": (8.0, nil, 8.0),
        ]
        let stdin = input.reduce(Data()) { $0 + $1 + Data([0x0A]) }

        for (path, flags) in [("general", [String]()), ("compiled", ["--seed-query-only"])] {
            let dataDir = eddy.workDirectory + "/" + path
            let produced = try eddy.run(["produce", "motion", "--create"], input: stdin, dataDir: dataDir)
            #expect(produced.status == 0, "\(produced.stderr)")
            let result = try eddy.run(
                ["run", "retail", "--trigger", "once", "--format", "json"] + flags, dataDir: dataDir)
            #expect(result.status == 0, "\(path): \(result.stderr)")
            let rows = RetailJSONRow.parse(result.stdout)
            #expect(Set(rows.map(\.batch)) == [0], "\(path)")
            let byLocation = RetailJSONRow.lastBatchByLocation(rows)
            #expect(Set(byLocation.keys) == Set(expected.keys), "\(path): \(byLocation.keys.sorted())")
            for (location, (duration, traffic, average)) in expected {
                guard let row = byLocation[location] else { continue }
                #expect(row.double("total_duration") == duration, "\(path) \(location): \(row.object)")
                #expect(row.double("avg_duration") == average, "\(path) \(location): \(row.object)")
                if let traffic {
                    #expect(row.int("total_traffic") == traffic, "\(path) \(location): \(row.object)")
                } else {
                    #expect(
                        row.object["total_traffic"] is NSNull, "\(path) \(location): sum of nulls is null")
                }
            }

            // The dead-letter topic, through the CLI: count and original bytes.
            let described = try eddy.run(["topics", "describe", "motion.dlq"], dataDir: dataDir)
            #expect(described.status == 0, "\(path): \(described.stderr)")
            #expect(
                described.stdout.contains("Records: \(deadLetters.count)\t"), "\(path): \(described.stdout)")
            let consumed = try eddy.run(
                ["consume", "motion.dlq", "--from-beginning", "--timeout-ms", "300"], dataDir: dataDir)
            #expect(consumed.status == 0, "\(path): \(consumed.stderr)")

            // Headers are not shown by any command, so read them from the log once the binary has exited.
            let log = try FileLog(directory: dataDir)
            let records = try log.read(TopicPartition("motion.dlq", 0), from: 0, maxBytes: 1 << 20).records()
            #expect(records.count == deadLetters.count, "\(path)")
            for (record, dead) in zip(records, deadLetters) {
                #expect(
                    Data(record.value) == input[dead.offset], "\(path) offset \(dead.offset): value bytes")
                let headers = Dictionary(
                    record.headers.map { ($0.key, String(decoding: $0.value ?? [], as: UTF8.self)) },
                    uniquingKeysWith: { first, _ in first })
                #expect(
                    headers["eddy.dlq.reason"] == dead.reason, "\(path) offset \(dead.offset): \(headers)")
                #expect(headers["eddy.dlq.detail"]?.isEmpty == false, "\(path) offset \(dead.offset)")
                #expect(headers["eddy.source.topic"] == "motion", "\(path)")
                #expect(headers["eddy.source.partition"] == "0", "\(path)")
                #expect(headers["eddy.source.offset"] == String(dead.offset), "\(path)")
            }
            let printedValues = consumed.stdout.split(separator: "\n")
            #expect(printedValues.count == deadLetters.count, "\(path): \(consumed.stdout)")
            #expect(printedValues.first.map(String.init) == "[1,2]", "\(path)")

            // A second run resumes from the checkpoint: nothing is dead-lettered twice.
            let again = try eddy.run(
                ["run", "retail", "--trigger", "once", "--format", "json"] + flags, dataDir: dataDir)
            #expect(again.status == 0, "\(path): \(again.stderr)")
            let reread = try FileLog(directory: dataDir)
            #expect(
                try reread.offsets(of: TopicPartition("motion.dlq", 0)).end == Int64(deadLetters.count),
                "\(path)")
        }
    }

    /// `--output top --top 2`: the two busiest areas, busiest first. A rerun resumes from the checkpoint (the
    /// next batch id, the restored rows), new input moves the ranking on, `--reset` starts over at batch 0,
    /// and a changed query (`--top 3`) on the old checkpoint is refused with a pointer to `--reset`.
    @Test func topAreasAcrossRestartsAndReset() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let first = try eddy.run(["simulate", "motion", "3000", "--seed", "4"]).stdoutLines
        let second = try eddy.run(["simulate", "motion", "1500", "--seed", "8"]).stdoutLines
        #expect(first.count == 3000 && second.count == 1500)
        #expect(
            try eddy.run(["produce", "motion", "--create", "--partitions", "2"], lines: first).status == 0)
        let top = ["run", "retail", "--trigger", "once", "--format", "json", "--output", "top", "--top", "2"]

        func expectTop(
            _ result: EddyBinary.Result, batch: Int, of lines: [String],
            sourceLocation: SourceLocation = #_sourceLocation
        ) {
            #expect(result.status == 0, "\(result.stderr)", sourceLocation: sourceLocation)
            let ranked = AreaTotals.of(lines).sorted { $0.value.traffic > $1.value.traffic }
            #expect(ranked[1].value.traffic > ranked[2].value.traffic, "a tie makes the top 2 ambiguous")
            let rows = RetailJSONRow.parse(result.stdout, sourceLocation: sourceLocation)
            #expect(rows.map(\.batch) == [batch, batch], sourceLocation: sourceLocation)
            #expect(
                rows.map { $0.string("location") ?? "?" } == ranked.prefix(2).map(\.key),
                sourceLocation: sourceLocation)
            for (row, (_, totals)) in zip(rows, ranked) {
                #expect(
                    Set(row.object.keys) == ["batch", "location", "total_traffic", "total_duration"],
                    sourceLocation: sourceLocation)
                #expect(row.int("total_traffic") == totals.traffic, sourceLocation: sourceLocation)
                #expect(
                    row.double("total_duration").map { Int(($0 * 100).rounded()) } == totals.durationCents,
                    sourceLocation: sourceLocation)
            }
        }

        expectTop(try eddy.run(top), batch: 0, of: first)
        expectTop(try eddy.run(top), batch: 1, of: first)
        #expect(try eddy.run(["produce", "motion"], lines: second).status == 0)
        expectTop(try eddy.run(top), batch: 2, of: first + second)
        expectTop(try eddy.run(top + ["--reset"]), batch: 0, of: first + second)

        let changed = try eddy.run([
            "run", "retail", "--trigger", "once", "--format", "json", "--output", "top",
        ])
        #expect(changed.status != 0)
        #expect(changed.stdout.isEmpty)
        #expect(changed.stderr.contains("--reset"), "\(changed.stderr)")
    }
}
