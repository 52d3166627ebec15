import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Output modes and processing-time triggers of `eddy run retail`, on a live process fed while it runs.
@Suite struct RetailOutputTests {
    struct WindowKey: Hashable, CustomStringConvertible {
        var start: String
        var location: String
        var description: String { "\(start) \(location)" }
    }

    /// Traffic and readings per 1-minute window and location, computed from the input lines.
    static func windows(_ lines: [String]) -> [WindowKey: (traffic: Int, readings: Int)] {
        var result: [WindowKey: (traffic: Int, readings: Int)] = [:]
        for line in lines {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let timestamp = object["timestamp"] as? String, let location = object["location"] as? String,
                object["duration"] is NSNumber, let traffic = (object["traffic_count"] as? NSNumber)?.intValue
            else { continue }
            let key = WindowKey(start: String(timestamp.prefix(16)) + ":00.000000Z", location: location)
            result[key, default: (0, 0)].traffic += traffic
            result[key, default: (0, 0)].readings += 1
        }
        return result
    }

    static func line(_ timestamp: String, _ location: String, duration: String, traffic: Int) -> String {
        "{\"timestamp\": \"\(timestamp)\", \"id_sensor\": \"SM-777QA\", \"location\": \"\(location)\", "
            + "\"customer_id\": \"Cliente_0001\", \"movement_detected\": true, \"duration\": \(duration), "
            + "\"traffic_count\": \(traffic)}"
    }

    /// `--output windows` is update mode: batch 0 prints every window, a later batch only the windows its
    /// input changed, with their new totals; a reading older than the watermark changes nothing.
    @Test func windowsPrintOnlyChangedRowsInLaterBatches() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let first = try eddy.run(["simulate", "motion", "300", "--seed", "5"]).stdoutLines
        #expect(first.count == 300)
        #expect(try eddy.run(["produce", "motion", "--create"], lines: first).status == 0)
        let before = Self.windows(first)

        let live = try RunningEddy(
            eddy, ["run", "retail", "--trigger", "200ms", "--output", "windows", "--format", "json"])
        let batch0 = live.waitFor(seconds: 60) { out in
            RetailJSONRow.parse(out).filter { $0.batch == 0 }.count >= before.count
        }
        #expect(batch0, "batch 0 never printed all \(before.count) windows: \(live.stdout) \(live.stderr)")

        let more = [
            Self.line("2024-08-23T15:22:30.000000Z", "Caixa", duration: "10.0", traffic: 3),
            Self.line("2024-08-23T15:22:31.000000Z", "Caixa", duration: "11.0", traffic: 4),
            Self.line("2024-08-23T15:23:10.000000Z", "Entrada", duration: "12.0", traffic: 5),
            Self.line("2024-08-23T15:10:05.000000Z", "Corredor_A", duration: "13.0", traffic: 9),  // late
            Self.line("2024-08-23T15:22:40.000000Z", "Corredor_B", duration: "null", traffic: 7),  // filtered
        ]
        #expect(try eddy.run(["produce", "motion"], lines: more).status == 0)
        let after = Self.windows(first + more.prefix(3))
        let changed: Set<WindowKey> = [
            WindowKey(start: "2024-08-23T15:22:00.000000Z", location: "Caixa"),
            WindowKey(start: "2024-08-23T15:23:00.000000Z", location: "Entrada"),
        ]
        let batch1 = live.waitFor(seconds: 60) { out in
            RetailJSONRow.parse(out).filter { $0.batch == 1 }.count >= changed.count
        }
        #expect(batch1, "batch 1 never came: \(live.stdout) \(live.stderr)")
        usleep(600_000)  // anything else batch 1 (or a spurious batch 2) would print
        live.kill(SIGTERM)
        #expect(live.process.terminationStatus == 0, "SIGTERM should stop cleanly: \(live.stderr)")

        let rows = RetailJSONRow.parse(live.stdout)
        func key(_ row: RetailJSONRow) -> WindowKey {
            WindowKey(start: row.string("window_start") ?? "?", location: row.string("location") ?? "?")
        }
        let printed0 = rows.filter { $0.batch == 0 }
        #expect(Set(printed0.map(key)) == Set(before.keys))
        #expect(printed0.count == before.count, "a window printed twice in batch 0")
        for row in printed0 {
            let expected = before[key(row)]
            #expect(
                row.int("traffic") == expected?.traffic && row.int("readings") == expected?.readings,
                "\(row.object)")
        }
        let printed1 = rows.filter { $0.batch == 1 }
        #expect(Set(printed1.map(key)) == changed, "batch 1 printed \(printed1.map(\.object))")
        #expect(printed1.count == changed.count)
        for row in printed1 {
            let expected = after[key(row)]
            #expect(
                row.int("traffic") == expected?.traffic && row.int("readings") == expected?.readings,
                "\(row.object)")
            if let start = row.string("window_start"), let end = row.string("window_end") {
                let parse = ISO8601DateFormatter()
                parse.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                #expect(
                    parse.date(from: end).map { $0.timeIntervalSince(parse.date(from: start)!) } == 60,
                    "\(start) … \(end)")
            }
        }
        #expect(rows.allSatisfy { $0.batch <= 1 }, "a batch without new input was printed")
    }

    /// The watermark survives a restart: after `--trigger once` over ten minutes of readings, a second run
    /// restores the windows still open (end after max event time − 5 minutes), drops a reading for a window
    /// already closed, and adds one for an open window.
    @Test func watermarkAndOpenWindowsSurviveARestart() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let first = try eddy.run(["simulate", "motion", "6000", "--seed", "7"]).stdoutLines
        #expect(try eddy.run(["produce", "motion", "--create"], lines: first).status == 0)
        let windows = ["run", "retail", "--trigger", "once", "--format", "json", "--output", "windows"]
        let batch0 = RetailJSONRow.parse(try eddy.run(windows).stdout)
        #expect(batch0.count == Self.windows(first).count)

        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let times = first.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["timestamp"]
                as? String
        }
        guard let last = times.last, let maxEvent = times.compactMap(iso.date(from:)).max(),
            let firstTime = times.first.flatMap(iso.date(from:))
        else {
            Issue.record("no timestamps in the simulated readings")
            return
        }
        let watermark = maxEvent.addingTimeInterval(-300)
        #expect(maxEvent.timeIntervalSince(firstTime) > 420, "the readings should span more than 7 minutes")
        let lastMinute = String(last.prefix(16))
        let late = Self.line(
            String(times[0].prefix(16)) + ":30.000000Z", "Caixa", duration: "5.0", traffic: 100)
        let onTime = Self.line(lastMinute + ":01.000000Z", "Caixa", duration: "5.0", traffic: 100)
        #expect(try eddy.run(["produce", "motion"], lines: [late, onTime]).status == 0)

        let batch1 = RetailJSONRow.parse(try eddy.run(windows).stdout)
        #expect(Set(batch1.map(\.batch)) == [1])
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let expected = Self.windows(first + [onTime]).filter { key, _ in
            plain.date(from: key.start).map { $0.addingTimeInterval(60) > watermark } ?? false
        }
        let printed = Dictionary(
            batch1.map {
                (
                    WindowKey(
                        start: $0.string("window_start") ?? "?", location: $0.string("location") ?? "?"), $0
                )
            },
            uniquingKeysWith: { a, _ in a })
        #expect(Set(printed.keys) == Set(expected.keys), "open windows after the restart")
        #expect(printed.count == batch1.count, "a window printed twice")
        for (key, totals) in expected {
            #expect(printed[key]?.int("traffic") == totals.traffic, "\(key)")
            #expect(printed[key]?.int("readings") == totals.readings, "\(key)")
        }
        #expect(expected[WindowKey(start: lastMinute + ":00.000000Z", location: "Caixa")] != nil)
    }

    /// Spark's console format on a `--trigger 200ms` run: per batch with new input, a rule of 43 dashes,
    /// `Batch: N` (N counting up), the rule, then a `+---+` bordered table, right-aligned cells cut to 20
    /// characters; the last table's values equal the totals computed here.
    @Test func intervalTriggerPrintsSparkBatchTables() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let all = try eddy.run(["simulate", "motion", "900", "--seed", "21"]).stdoutLines
        #expect(all.count == 900)
        let chunks = [Array(all[0..<300]), Array(all[300..<600]), Array(all[600..<900])]
        #expect(try eddy.run(["produce", "motion", "--create"], lines: chunks[0]).status == 0)

        let live = try RunningEddy(eddy, ["run", "retail", "--trigger", "200ms"])
        func tables(_ out: String) -> Int { out.components(separatedBy: "Batch: ").count - 1 }
        func complete(_ n: Int) -> (String) -> Bool {
            // a block ends with its closing border and a blank line
            { out in tables(out) >= n && out.hasSuffix("+\n\n") }
        }
        #expect(live.waitFor(seconds: 60, complete(1)), "no Batch: 0: \(live.stdout) \(live.stderr)")
        for (i, chunk) in chunks.dropFirst().enumerated() {
            usleep(600_000)  // three trigger intervals without input: no batch
            #expect(tables(live.stdout) == i + 1, "a batch was printed without new input")
            #expect(try eddy.run(["produce", "motion"], lines: chunk).status == 0)
            #expect(live.waitFor(seconds: 60, complete(i + 2)), "no Batch: \(i + 1): \(live.stdout)")
        }
        live.kill(SIGINT)
        #expect(live.process.terminationStatus == 0, "SIGINT should stop cleanly: \(live.stderr)")

        let rule = String(repeating: "-", count: 43)
        var blocks = live.stdout.components(separatedBy: rule + "\nBatch: ")
        #expect(blocks.removeFirst() == "", "text before the first batch header")
        #expect(blocks.count == 3)
        var lastRows: [[String]] = []
        for (n, block) in blocks.enumerated() {
            let lines = block.components(separatedBy: "\n")
            // "N", rule, border, header, border, 6 rows, border, "", "" (the blank line and the split's tail)
            guard lines.count == 14 else {
                Issue.record("batch \(n) block has \(lines.count) lines:\n\(block)")
                continue
            }
            #expect(lines[0] == String(n))
            #expect(lines[1] == rule)
            let border = lines[2]
            #expect(
                border.hasPrefix("+-") && border.hasSuffix("-+") && border.allSatisfy { "+-".contains($0) })
            #expect(lines[4] == border && lines[11] == border)
            #expect(lines[12] == "" && lines[13] == "")
            let widths = border.split(separator: "+").map(\.count)
            let header = Self.cells(lines[3])
            #expect(
                header.map { $0.trimmingCharacters(in: .whitespaces) } == [
                    "location", "total_duration", "total_traffic", "avg_duration",
                ])
            var rows: [[String]] = []
            for line in [lines[3]] + lines[5..<11] {
                let cells = Self.cells(line)
                #expect(line.count == border.count, "\(line)")
                #expect(cells.map(\.count) == widths, "\(line)")
                for cell in cells {
                    #expect(!cell.hasSuffix(" "), "cells are right-aligned: '\(cell)'")
                    let text = cell.trimmingCharacters(in: .whitespaces)
                    #expect(text.count <= 20, "cells are cut to 20 characters: '\(text)'")
                }
                rows.append(cells.map { $0.trimmingCharacters(in: .whitespaces) })
            }
            // Every column is as wide as its widest cell (at least 3).
            for (c, width) in widths.enumerated() {
                #expect(width == max(3, rows.map { $0[c].count }.max() ?? 0), "column \(c) of batch \(n)")
            }
            lastRows = Array(rows.dropFirst())
        }

        let expected = AreaTotals.of(all)
        func shown(_ location: String) -> String {
            location.count > 20 ? String(location.prefix(17)) + "..." : location
        }
        #expect(Set(lastRows.map { $0[0] }) == Set(expected.keys.map(shown)))
        for (location, totals) in expected {
            guard let row = lastRows.first(where: { $0[0] == shown(location) }) else { continue }
            #expect(Int(row[2]) == totals.traffic, "\(location): \(row)")
            #expect(
                Double(row[1]).map { Int(($0 * 100).rounded()) } == totals.durationCents,
                "\(location): \(row)")
            if let average = Double(row[3]) {
                #expect(abs(average - totals.averageDuration) <= 1e-9 * totals.averageDuration, "\(location)")
            } else {
                Issue.record("\(location): avg_duration '\(row[3])' is not a number")
            }
        }
    }

    /// The cells of a `|a|b|` table line, padding kept.
    static func cells(_ line: String) -> [String] {
        guard line.hasPrefix("|") && line.hasSuffix("|") else { return [] }
        return line.dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false).map(
            String.init)
    }
}
