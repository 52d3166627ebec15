import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 15, item 2: a full disk. `eddy produce` and a pipeline (`eddy run sales`) fill a small tmpfs holding
/// the data directory: each stops with one `error:` line naming the data directory and ENOSPC and a non-zero
/// exit (Eddy stops rather than pausing: README "Disk full"), acknowledges nothing it did not store, and
/// leaves the log, the checkpoint and the SQLite file usable: once the filler file is deleted a rerun
/// continues with nothing lost and nothing twice.
@Suite(
    .serialized,
    .enabled(if: TmpfsMount.available, "needs root and tmpfs mounts (the test command runs as root in CI)"))
struct DiskFullTests {
    /// Writes `filler` on the mount until only about `megabytes` MiB stay free.
    static func fill(_ mount: TmpfsMount, leavingMegabytes megabytes: Int) throws {
        var stats = statvfs()
        try #require(statvfs(mount.path, &stats) == 0)
        let free = Int(stats.f_bavail) * Int(stats.f_frsize) / (1 << 20)
        try #require(free > megabytes, "only \(free) MiB free")
        #expect(
            TmpfsMount.shell([
                "dd", "if=/dev/zero", "of=\(mount.path)/filler", "bs=1M", "count=\(free - megabytes)",
                "status=none",
            ]))
    }

    /// The one-line error a full disk must give: `error:`, the data directory, and ENOSPC.
    static func expectDiskFullError(
        _ stderr: String, status: Int32, dataDir: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(status != 0, "exit status 0 on a full disk", sourceLocation: sourceLocation)
        let lines = stderr.split(separator: "\n").map(String.init)
        let errors = lines.filter { $0.hasPrefix("error: ") }
        #expect(errors.count == 1, "stderr: \(stderr)", sourceLocation: sourceLocation)
        let error = errors.first ?? ""
        #expect(error.contains(dataDir), "names no data directory: \(stderr)", sourceLocation: sourceLocation)
        #expect(error.contains("ENOSPC"), "says no ENOSPC: \(stderr)", sourceLocation: sourceLocation)
    }

    /// Distinct lines, long enough that a few MiB hold some thousands of them.
    static func lines(_ range: Range<Int>) -> [String] {
        range.map { #"{"n":\#($0),"pad":"\#(String(repeating: "x", count: 200))"}"# }
    }

    @Test func produceStopsAtAFullDiskHavingAcknowledgedOnlyWhatItStored() throws {
        let eddy = try EddyBinary()
        let mount = try TmpfsMount(at: eddy.dataDir, megabytes: 24)
        defer {
            mount.unmount()
            eddy.cleanUp()
        }
        #expect(try eddy.run(["topics", "create", "t"]).status == 0)
        try Self.fill(mount, leavingMegabytes: 4)
        let input = Self.lines(0..<60_000)  // about 13 MiB: three times what is free
        let produced = try eddy.run(
            ["produce", "t", "--verbose-acks", "--batch-records", "100", "--flush", "always"], lines: input)
        Self.expectDiskFullError(produced.stderr, status: produced.status, dataDir: eddy.dataDir)
        let acked = produced.stdoutLines.last.flatMap { Int($0.dropFirst("acked ".count)) } ?? 0
        #expect(acked > 0, "nothing acknowledged before the disk filled: \(produced.stdout.suffix(200))")
        #expect(produced.stderr.contains("\(acked) records before it were written"), "\(produced.stderr)")

        // Still full: everything acknowledged reads back, in order, and nothing that was not sent.
        let stored = try eddy.run(["consume", "t", "--from-beginning", "--timeout-ms", "2000"])
        #expect(stored.status == 0, "\(stored.stderr)")
        let storedLines = stored.stdoutLines
        #expect(storedLines.count >= acked, "acknowledged \(acked), stored \(storedLines.count)")
        #expect(Array(input.prefix(storedLines.count)) == storedLines, "the log holds something not sent")

        // Space freed: the log takes appends again; resending from what is stored completes the input once.
        try FileManager.default.removeItem(atPath: mount.path + "/filler")
        let resumed = try eddy.run(["produce", "t"], lines: Array(input.dropFirst(storedLines.count)))
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let all = try eddy.run(["consume", "t", "--from-beginning", "--timeout-ms", "2000"])
        #expect(all.stdoutLines.count == input.count)
        #expect(all.stdoutLines == input, "records lost, repeated or reordered")
    }

    /// The product totals in a sales SQLite file, one line per product.
    static func salesTotals(_ database: String, in directory: String) throws -> String {
        let sqlite = try #require(toolOnPath("sqlite3"), "needs sqlite3")
        let result = try runTool(
            sqlite,
            [
                database,
                "SELECT product_name, total_sales, units, orders FROM product_sales ORDER BY product_name",
            ],
            in: directory)
        try #require(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test(.enabled(if: toolOnPath("sqlite3") != nil, "needs the sqlite3 command"))
    func aPipelineStopsAtAFullDiskAndResumesExactlyOnceAfterSpaceIsFreed() throws {
        let orders = ["simulate", "sales", "100000", "--seed", "15", "--to", "ecommerce_sales"]
        let run = [
            "run", "sales", "--trigger", "once", "--max-records-per-batch", "100", "--checkpoint-interval",
            "0.2",
        ]
        // The same input and run with room to spare: the totals to expect.
        let reference = try EddyBinary()
        defer { reference.cleanUp() }
        #expect(try reference.run(orders).status == 0)
        let full = try reference.run(run)
        #expect(full.status == 0, "\(full.stderr)")
        let expected = try Self.salesTotals(reference.dataDir + "/sales.sqlite", in: reference.workDirectory)
        #expect(expected.split(separator: "\n").count > 5, "\(expected)")

        let eddy = try EddyBinary()
        let mount = try TmpfsMount(at: eddy.dataDir, megabytes: 48)
        defer {
            mount.unmount()
            eddy.cleanUp()
        }
        #expect(try eddy.run(orders).status == 0)
        let pipeline = try RunningEddy(eddy, run)
        Thread.sleep(forTimeInterval: 1)  // some batches committed, the run far from done
        #expect(pipeline.process.isRunning, "finished before the disk filled: \(pipeline.stderr)")
        mount.fill()
        let deadline = Date().addingTimeInterval(StopTests.limit)
        while pipeline.process.isRunning && Date() < deadline { usleep(20_000) }
        #expect(!pipeline.process.isRunning, "still running \(StopTests.limit) s after the disk filled")
        pipeline.kill(SIGKILL)
        Self.expectDiskFullError(
            pipeline.stderr, status: pipeline.process.terminationStatus, dataDir: eddy.dataDir)

        // Space freed: the rerun recovers the checkpoint and the database and finishes with the same totals.
        try FileManager.default.removeItem(atPath: mount.path + "/filler")
        let resumed = try eddy.run(run)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let totals = try Self.salesTotals(eddy.dataDir + "/sales.sqlite", in: eddy.workDirectory)
        #expect(totals == expected, "totals differ from a run with room to spare")
    }
}
