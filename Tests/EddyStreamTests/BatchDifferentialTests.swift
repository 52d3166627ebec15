import EddyLog
import Foundation
import Testing

@testable import EddyStream

/// Random pipelines over random records (nulls, missing and mistyped fields, records that are not JSON),
/// run on column batches and, as the reference, row by row through the row operators: the result tables
/// must be equal (doubles to a relative 1e-9: sums add in a different order across workers).
@Suite struct BatchDifferentialTests {
    static let schema: Schema = [
        Column("t", .timestamp), Column("s", .string), Column("u", .string), Column("a", .int),
        Column("b", .double), Column("f", .bool), Column("d", .decimal(scale: 2)),
    ]

    /// A small deterministic generator (SplitMix64), so a failing seed reproduces.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int {
            range.lowerBound + Int(next() % UInt64(range.count))
        }
        mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) < p * 10_000 }
        mutating func pick<T>(_ xs: [T]) -> T { xs[int(0...xs.count - 1)] }
    }

    static func records(_ n: Int, _ r: inout Random) -> [String] {
        let words = ["Caixa", "Entrada", "Sessão", "b", "", "Corredor_A", "é"]
        return (0..<n).map { i in
            if r.chance(0.01) { return "not json \(i)" }
            func field(_ name: String, _ value: String) -> String? {
                if r.chance(0.08) { return nil }  // missing
                if r.chance(0.08) { return "\"\(name)\": null" }
                if r.chance(0.05) { return "\"\(name)\": \(r.pick(["\"oops\"", "true", "[1]", "{}", "7"]))" }
                return "\"\(name)\": \(value)"
            }
            let minute = r.int(0...30)
            let fields = [
                field(
                    "t",
                    "\"2024-08-23T15:\(String(format: "%02d", minute)):\(String(format: "%02d", r.int(0...59)))Z\""
                ),
                field("s", "\"\(r.pick(words))\""),
                field("u", "\"u\(r.int(0...40))\""),
                field("a", "\(r.int(-50...50) * (r.chance(0.01) ? 1 << 40 : 1))"),
                field("b", "\(Double(r.int(-4000...4000)) / 8)"),
                field("f", r.chance(0.5) ? "true" : "false"),
                field("d", "\(r.int(-999...999)).\(r.int(10...99))"),
            ].compactMap { $0 }
            return "{" + fields.joined(separator: ", ") + "}"
        }
    }

    static func condition(_ r: inout Random, depth: Int = 0) -> EddyStream.Expression {
        switch r.int(0...(depth < 2 ? 7 : 4)) {
        case 0: return col(r.pick(["a", "b", "s", "f", "d", "t"])).isNotNull
        case 1: return col("a") > lit(r.int(-30...30))
        case 2: return col("b") <= lit(Double(r.int(-300...300)))
        case 3: return col("s") == lit(r.pick(["Caixa", "b", "é", ""]))
        case 4: return col("f") == lit(true)
        case 5: return condition(&r, depth: depth + 1) && condition(&r, depth: depth + 1)
        case 6: return condition(&r, depth: depth + 1) || condition(&r, depth: depth + 1)
        default: return !condition(&r, depth: depth + 1)
        }
    }

    static func computed(_ r: inout Random) -> EddyStream.Expression {
        switch r.int(0...5) {
        case 0: return col("a") * lit(r.int(1...3)) + lit(1)
        case 1: return col("b") / col("a")
        case 2: return col("a") - col("b")
        case 3: return col("d") + col("a")
        case 4: return col("s").length
        default: return -col("a")
        }
    }

    static func aggregates(_ r: inout Random) -> [Aggregate] {
        let all: [Aggregate] = [
            .count(as: "n"), .count("b", as: "nb"), .sum("a", as: "sa"), .sum("b", as: "sb"),
            .avg("b", as: "ab"),
            .min("a", as: "mina"), .max("b", as: "maxb"), .min("s", as: "mins"),
            .countDistinct("u", as: "du"),
            .sum("d", as: "sd"), .sum("c", as: "sc"), .max("t", as: "maxt"), .avg("c", as: "ac"),
        ]
        var chosen: [Aggregate] = []
        for a in all where r.chance(0.4) { chosen.append(a) }
        return chosen.isEmpty ? [.count(as: "n")] : chosen
    }

    /// One random output built on `base` (which has column `c`), into `sink`.
    static func output(_ base: Pipeline, _ name: String, _ r: inout Random, sink: LiveTable) -> Pipeline {
        var p = base
        if r.chance(0.5) { p = p.filter(condition(&r)) }
        let keys = ["s", "u", "f", "a"].filter { _ in r.chance(0.4) }
        let aggregates = aggregates(&r)
        if r.chance(0.35) {
            return p.withWatermark("t", delay: .minutes(r.int(1...10)))
                .groupBy(.tumbling(on: "t", size: .minutes(r.pick([1, 5]))), keys: keys.map(Pipeline.named))
                .aggregate(aggregates).output(name, mode: .update, to: sink)
        }
        if r.chance(0.15) {
            return p.groupBy(
                .hopping(on: "t", size: .minutes(10), slide: .minutes(5)), keys: keys.map(Pipeline.named)
            )
            .aggregate(aggregates).output(name, mode: .complete, to: sink)
        }
        return p.groupBy(keys: keys.map(Pipeline.named)).aggregate(aggregates)
            .output(name, mode: r.chance(0.5) ? .complete : .update, to: sink)
    }

    static func pipeline(_ name: String, _ seed: UInt64, sinks: [LiveTable]) -> Pipeline {
        var r = Random(state: seed)
        var p = Pipeline(name).source(topic: "in", schema: schema)
        if r.chance(0.6) { p = p.filter(condition(&r)) }
        if r.chance(0.2) { p = p.filter { !$0.isNull("s") || $0.int("a") != nil } }
        p = p.withColumn("c", computed(&r))
        for (i, sink) in sinks.enumerated() {
            var branch = r
            _ = r.next()
            p = p.fork { output($0, "o\(i)", &branch, sink: sink) }
        }
        return p
    }

    static func same(_ x: Value, _ y: Value) -> Bool {
        if x == y { return true }
        guard let a = x.doubleValue, let b = y.doubleValue else { return false }
        return abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
    }

    @Test(arguments: Array(UInt64(1)...UInt64(40)))
    func batchesMatchRows(seed: UInt64) async throws {
        var r = Random(state: seed &* 7919)
        let lines = Self.records(r.int(500...9000), &r)
        let partitions = r.int(1...3)
        let outputs = r.int(1...3)
        let workers = r.int(1...2)
        // With several workers a capped batch holds a different set of records than the row path's (each
        // worker reads its own partitions), so watermarks, and which rows are late, differ by design.
        let cap: Int? = r.chance(0.5) || workers > 1 ? nil : r.int(200...3000)
        var tables: [[LiveTable]] = []
        var statuses: [PipelineStatus] = []
        for rowByRow in [false, true] {
            let log = try Fixtures.log(topic: "in", partitions: partitions)
            try Fixtures.produce(log, lines, topic: "in")
            let sinks = (0..<outputs).map { LiveTable("o\($0)") }
            var pipeline = Self.pipeline("p", seed, sinks: sinks).workers(workers).maxRecordsPerBatch(cap)
            pipeline.rowByRow = rowByRow
            let plan = try pipeline.build()
            if rowByRow { #expect(plan.batchPlan == nil) } else { #expect(plan.batchPlan != nil) }
            let runner = try PipelineRunner(
                pipeline.trigger(.once), log: log, dataDirectory: nil, clock: ManualClock())
            try await runner.run()
            tables.append(sinks)
            statuses.append(runner.status)
        }
        #expect(statuses[0].recordsIn == statuses[1].recordsIn)
        #expect(statuses[0].deadLetters == statuses[1].deadLetters)
        #expect(statuses[0].lateRows == statuses[1].lateRows)
        for (batch, rows) in zip(tables[0], tables[1]) {
            func keyed(_ t: LiveTable) -> [String: Row] {
                var out: [String: Row] = [:]
                for row in t.rows {
                    out[t.keyColumns.map { row[$0].renderedForDisplay }.joined(separator: "|")] = row
                }
                return out
            }
            let (a, b) = (keyed(batch), keyed(rows))
            #expect(a.count == b.count, "seed \(seed) table \(batch.name): \(a.count) vs \(b.count) rows")
            for (key, x) in a {
                guard let y = b[key] else {
                    Issue.record("seed \(seed) table \(batch.name): group \(key) only on the batch path")
                    continue
                }
                let equal = x.count == y.count && zip(x, y).allSatisfy { Self.same($0, $1) }
                #expect(equal, "seed \(seed) table \(batch.name) group \(key): \(x) vs \(y)")
            }
        }
    }
}
