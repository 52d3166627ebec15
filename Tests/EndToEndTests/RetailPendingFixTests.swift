import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `eddy run retail` refusing what it cannot run: a batch cap below 1, and a second process on the same
/// pipeline (first reported by QA, fixed in the engine and the command).
@Suite struct RetailPendingFixTests {
    @Test func badNumbersAreRefusedNotLoopedOn() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        #expect(try eddy.run(["produce", "motion", "--create"], lines: ["{}"]).status == 0)
        // 0 records per batch can never finish a `--trigger once` run: it must be refused, not spin forever.
        for value in ["0", "-5"] {
            let live = try RunningEddy(
                eddy, ["run", "retail", "--trigger", "once", "--max-records-per-batch=\(value)"])
            let exited = live.waitFor(seconds: 20) { _ in !live.process.isRunning }
            live.kill(SIGKILL)
            #expect(exited, "--max-records-per-batch \(value) with --trigger once did not exit within 20 s")
            if exited {
                #expect(live.process.terminationStatus != 0)
                #expect(live.stderr.hasPrefix("error: ") && live.stderr.contains("--max-records-per-batch"))
            }
        }
    }

    /// Two processes running the same pipeline (same checkpoint folder) would both write its checkpoint and
    /// dead-letter topic; like the topic writer lock, the second must be refused, naming the holder.
    @Test func samePipelineTwiceIsRefused() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        #expect(try eddy.run(["simulate", "motion", "500", "--seed", "3", "--to", "motion"]).status == 0)
        let first = try RunningEddy(eddy, ["run", "retail", "--format", "json"])
        #expect(first.waitFor(seconds: 30) { $0.contains("\n") })
        let second = try eddy.run(["run", "retail", "--trigger", "once", "--format", "json"])
        expectOneLineError(second, containing: ["retail", "pid \(first.process.processIdentifier)"])
        #expect(second.stdout.isEmpty)
        first.kill(SIGTERM)
        #expect(first.process.terminationStatus == 0)
        // Another name is another pipeline: it may run beside.
        #expect(try eddy.run(["run", "retail", "--trigger", "once", "--name", "other"]).status == 0)
    }
}
