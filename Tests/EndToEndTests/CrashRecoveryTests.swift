import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct CrashRecoveryTests {
    /// `eddy produce --flush always --verbose-acks` prints `acked N` once N records are fsynced. Killed with
    /// SIGKILL mid-stream, every acknowledged record must read back, what reads back must be a prefix of
    /// the input (no torn or reordered records), and the topic must accept appends again.
    @Test func sigkillLosesNoAcknowledgedRecord() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        #expect(try eddy.run(["topics", "create", "durable"]).status == 0)
        let input = (0..<200_000).map {
            "{\"seq\": \($0), \"pad\": \"\(String(repeating: "p", count: 40))\"}"
        }

        let (process, stdin, stdout) = try eddy.start([
            "produce", "durable", "--flush", "always", "--verbose-acks", "--batch-records", "250",
        ])
        var acknowledged = 0
        var pending = Data()
        var next = 0
        // Feed in slices; keep writing while reading acks so the kill lands with batches in flight.
        while acknowledged < 20_000 && next < input.count {
            let slice = input[next..<min(next + 1000, input.count)].map { $0 + "\n" }.joined()
            stdin.write(Data(slice.utf8))
            next += 1000
            pending.append(stdout.availableData)
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...newline)
                if line.hasPrefix("acked ") { acknowledged = max(acknowledged, Int(line.dropFirst(6))!) }
            }
        }
        stdin.write(Data("{\"seq\": \"torn".utf8))  // half a line: never acknowledged
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(acknowledged >= 20_000)

        let consumed = try eddy.run(["consume", "durable", "--from-beginning", "--timeout-ms", "500"])
        #expect(consumed.status == 0, "\(consumed.stderr)")
        let read = consumed.stdoutLines
        #expect(read.count >= acknowledged, "acknowledged \(acknowledged), read back \(read.count)")
        #expect(read.count <= next)
        #expect(read == Array(input[0..<read.count]), "what was read is not a prefix of the input")

        // The log reopens cleanly (recovery truncates any torn batch) and takes new appends after the old.
        let appended = try eddy.run(["produce", "durable", "--flush", "always"], lines: ["after-crash"])
        #expect(appended.status == 0, "\(appended.stderr)")
        let again = try eddy.run(["consume", "durable", "--from-beginning", "--timeout-ms", "500"])
        #expect(again.stdoutLines == read + ["after-crash"])
    }
}
