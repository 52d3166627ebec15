import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `eddy run retail` killed with SIGKILL at random points (while input keeps arriving) and restarted ends with
/// the same tables as a run that was never interrupted.
@Suite struct RetailCrashTests {
    static let continuous = [
        "run", "retail", "--trigger", "continuous", "--format", "json", "--checkpoint-interval", "0.05",
        "--max-records-per-batch", "2000",
    ]

    /// One crash schedule: the topic's partitions, the readings there at the start, the PRNG seed.
    struct Schedule: Sendable, CustomTestStringConvertible {
        var partitions: Int
        var initial: Int
        var seed: UInt64
        /// Runs the compiled seed-query path (parallel workers, areas only) instead of the four tables.
        var seedQueryOnly = false
        var testDescription: String {
            "\(partitions) partition(s), \(initial) readings, seed \(seed)\(seedQueryOnly ? ", seed query only" : "")"
        }
    }

    /// The last value printed for each key of an output: complete mode reprints every row per batch, update
    /// mode only changed ones (and all of them after a restart), so the latest row per key is the table.
    static func table(_ stdout: String, key: [String]) -> [[String]: RetailJSONRow] {
        var latest: [[String]: RetailJSONRow] = [:]
        for row in RetailJSONRow.parse(stdout) {
            let k = key.map { row.string($0) ?? "?" }
            if let seen = latest[k], seen.batch > row.batch { continue }
            latest[k] = row
        }
        return latest
    }

    /// Batch boundaries (and worker slices) change the order in which readings are added into each batch's
    /// partial sums, so double sums may differ from the uninterrupted run's in the last bits: they must agree
    /// to the cent and within 1e-9; counts are exact.
    @Test(arguments: [
        Schedule(partitions: 3, initial: 50_000, seed: 0x0002_5EED_C4A5),
        Schedule(partitions: 1, initial: 20_000, seed: 0x0001_5EED_C4A5),
        Schedule(partitions: 3, initial: 30_000, seed: 0x0003_5EED_C4A5, seedQueryOnly: true),
    ])
    func killedAtRandomPointsEndsEqualToAnUninterruptedRun(_ schedule: Schedule) throws {
        let crashed = try EddyBinary()
        let clean = try EddyBinary()
        defer {
            crashed.cleanUp()
            clean.cleanUp()
        }
        let query = schedule.seedQueryOnly ? ["--seed-query-only"] : []
        var rng = SplitMix64(state: schedule.seed)
        let initial = try crashed.run(["simulate", "motion", String(schedule.initial), "--seed", "11"])
            .stdoutLines
        #expect(initial.count == schedule.initial)
        for eddy in [crashed, clean] {
            let created = try eddy.run([
                "topics", "create", "motion", "--partitions", String(schedule.partitions),
            ])
            #expect(created.status == 0)
        }
        let produce = ["produce", "motion", "--key-field", "id_sensor"]
        #expect(try crashed.run(produce, lines: initial).status == 0)
        var all = initial

        let kills = 8 + Int(rng.next() % 8)
        var resumedAt: [Int] = []
        var killedWithOutput = 0
        for k in 0..<kills {
            let live = try RunningEddy(crashed, Self.continuous + query)
            // Half the kills count from the start (they land in startup, restore or the first batch), half from
            // the first output, once the restored state is printed (they land in later batches and checkpoints;
            // a debug build takes a few hundred milliseconds per checkpointed batch).
            if rng.next() % 2 == 0 {
                live.waitFor(seconds: 30) { $0.contains("\n") }
            }
            let delay = 50_000 + UInt32(rng.next() % 350_001)
            if k % 2 == 1 {
                // More readings arrive while it runs (another process appending to the topic).
                usleep(delay / 2)
                let more = try crashed.run(["simulate", "motion", "1500", "--seed", String(100 + k)])
                    .stdoutLines
                #expect(try crashed.run(produce, lines: more).status == 0)
                all += more
                usleep(delay / 2)
            } else {
                usleep(delay)
            }
            live.kill(SIGKILL)
            #expect(
                live.process.terminationReason == .uncaughtSignal,
                "run \(k) exited before the kill: \(live.stderr)")
            // A killed write can leave half a line at the end; whole lines before it must be JSON.
            let out = live.stdout
            let whole =
                out.hasSuffix("\n") ? out : String(out[..<(out.lastIndex(of: "\n") ?? out.startIndex)])
            let rows = RetailJSONRow.parse(whole)
            if let first = rows.first { resumedAt.append(first.batch) }
            if !rows.isEmpty { killedWithOutput += 1 }
        }
        // The schedule must have killed runs that had checkpointed and resumed, or it tested nothing.
        #expect(
            killedWithOutput >= 2,
            "only \(killedWithOutput) of \(kills) runs printed anything before the kill")
        #expect(resumedAt.contains { $0 > 0 }, "no run resumed from a checkpoint: first batches \(resumedAt)")

        let once = ["run", "retail", "--trigger", "once", "--format", "json"] + query
        let final = try crashed.run(once)
        #expect(final.status == 0, "\(final.stderr)")
        #expect(try clean.run(produce, lines: all).status == 0)
        let uninterrupted = try clean.run(once)
        #expect(uninterrupted.status == 0, "\(uninterrupted.stderr)")

        // Both equal the totals computed from the input: traffic exactly, durations to the cent and 1e-9.
        let expected = AreaTotals.of(all)
        let crashedAreas = RetailJSONRow.lastBatchByLocation(RetailJSONRow.parse(final.stdout))
        let cleanAreas = RetailJSONRow.lastBatchByLocation(RetailJSONRow.parse(uninterrupted.stdout))
        expectAreas(crashedAreas, equal: expected, relative: 1e-9)
        expectAreas(cleanAreas, equal: expected, relative: 1e-9)
        for (location, row) in cleanAreas {
            for column in ["total_duration", "avg_duration"] {
                let a = crashedAreas[location]?.double(column) ?? .nan
                let b = row.double(column) ?? .nan
                #expect(abs(a - b) <= 1e-9 * abs(b), "\(location) \(column): \(a) vs \(b)")
            }
        }

        // The per-customer dwell table (no watermark, so batch boundaries cannot change it) as well.
        guard !schedule.seedQueryOnly else { return }
        let customers = ["run", "retail", "--trigger", "once", "--format", "json", "--output", "customers"]
        let crashedCustomers = Self.table(
            try crashed.run(customers).stdout, key: ["customer_id", "location"])
        let cleanCustomers = Self.table(try clean.run(customers).stdout, key: ["customer_id", "location"])
        #expect(cleanCustomers.count > 1000)
        #expect(Set(crashedCustomers.keys) == Set(cleanCustomers.keys))
        var mismatches = 0
        for (key, row) in cleanCustomers {
            guard let other = crashedCustomers[key] else { continue }
            let cents = { (r: RetailJSONRow) in r.double("dwell_time").map { Int(($0 * 100).rounded()) } }
            let same = cents(other) == cents(row)
            if other.int("visits") != row.int("visits") || !same || cents(row) == nil {
                mismatches += 1
                if mismatches <= 5 { Issue.record("customer \(key): \(other.object) vs \(row.object)") }
            }
        }
        #expect(mismatches == 0)
    }
}
