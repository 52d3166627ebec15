import EddyLog
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The dead-letter topic across crashes: a pipeline killed with SIGKILL and restarted must leave each
/// undecodable source record in `motion.dlq` exactly once, as the areas table counts each reading once.
@Suite struct RetailDeadLetterCrashTests {
    /// Each run is killed after a batch that was not checkpointed: the restart re-reads its records and must
    /// not dead-letter the bad ones among them a second time.
    @Test func deadLettersAreWrittenOnceAcrossKills() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let lines = (0..<30_000).map { i in
            i % 3 == 0
                ? "garbage-\(i)"
                : "{\"location\": \"L\(i % 5)\", \"duration\": 1.5, \"traffic_count\": 1}"
        }
        let garbage = lines.filter { $0.hasPrefix("garbage") }
        #expect(
            try eddy.run(["produce", "motion", "--create", "--partitions", "2"], lines: lines).status == 0)

        for _ in 0..<10 {
            let live = try RunningEddy(
                eddy,
                [
                    "run", "retail", "--trigger", "continuous", "--format", "json", "--checkpoint-interval",
                    "30",
                    "--max-records-per-batch", "2000",
                ])
            // The first batch is checkpointed at once, the next not for 30 s: killed once a second batch has
            // printed (and so dead-lettered its bad records), the restart re-reads that batch's records.
            live.waitFor(seconds: 60) { out in
                Set(RetailJSONRow.parse(Self.wholeLines(out)).map(\.batch)).count >= 2
            }
            live.kill(SIGKILL)
        }
        let final = try eddy.run(["run", "retail", "--trigger", "once", "--format", "json"])
        #expect(final.status == 0, "\(final.stderr)")
        let areas = RetailJSONRow.lastBatchByLocation(RetailJSONRow.parse(final.stdout))
        #expect(areas.count == 5)
        #expect(areas.values.map { $0.int("total_traffic") ?? 0 }.reduce(0, +) == lines.count - garbage.count)

        let log = try FileLog(directory: eddy.dataDir)
        let records = try log.read(TopicPartition("motion.dlq", 0), from: 0, maxBytes: 64 << 20).records()
        var sources: [String: Int] = [:]
        for record in records {
            let headers = Dictionary(
                record.headers.map { ($0.key, String(decoding: $0.value ?? [], as: UTF8.self)) },
                uniquingKeysWith: { first, _ in first })
            sources[
                "\(headers["eddy.source.partition"] ?? "?")/\(headers["eddy.source.offset"] ?? "?")",
                default: 0] +=
                1
        }
        let duplicated = sources.values.filter { $0 > 1 }.count
        #expect(sources.count == garbage.count, "distinct dead-lettered source records")
        #expect(
            records.count == garbage.count,
            "motion.dlq holds \(records.count) records for \(garbage.count) bad ones (\(duplicated) written twice or more)"
        )
        #expect(Set(records.map { String(decoding: $0.value, as: UTF8.self) }) == Set(garbage))
    }

    static func wholeLines(_ out: String) -> String {
        out.hasSuffix("\n") ? out : String(out[..<(out.lastIndex(of: "\n") ?? out.startIndex)])
    }
}
