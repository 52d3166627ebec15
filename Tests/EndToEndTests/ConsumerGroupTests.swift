import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct ConsumerGroupTests {
    @Test func groupContinuesWhereThePreviousRunStopped() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let lines = (0..<10).map { "record-\($0)" }
        #expect(try eddy.run(["produce", "events", "--create"], lines: lines).status == 0)

        let arguments = ["consume", "events", "--group", "g", "--from-beginning", "--max-messages", "5"]
        let first = try eddy.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdoutLines == Array(lines[0..<5]))
        #expect(try eddy.run(["groups", "list"]).stdoutLines == ["g"])
        let lag = try eddy.run(["groups", "describe", "g"])
        #expect(lag.stdoutLines.count == 2)
        #expect(lag.stdoutLines.last?.split(separator: " ") == ["events", "0", "5", "10", "5"])
        expectOneLineError(try eddy.run(["groups", "describe", "nobody"]), containing: ["eddy groups list"])
        let second = try eddy.run(arguments)
        #expect(second.stdoutLines == Array(lines[5..<10]))
        let third = try eddy.run(["consume", "events", "--group", "g", "--timeout-ms", "300"])
        #expect(third.status == 0)
        #expect(third.stdout.isEmpty)

        // New records after the commit are what the group sees next; another group is independent.
        #expect(try eddy.run(["produce", "events"], lines: ["record-10"]).status == 0)
        #expect(
            try eddy.run(["consume", "events", "--group", "g", "--max-messages", "1"]).stdoutLines == [
                "record-10"
            ])
        let other = try eddy.run([
            "consume", "events", "--group", "h", "--from-beginning", "--max-messages", "11",
        ])
        #expect(other.stdoutLines == lines + ["record-10"])
    }

    @Test func groupAcrossPartitionsSeesEveryRecordOnce() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        #expect(try eddy.run(["topics", "create", "multi", "--partitions", "3"]).status == 0)
        let lines = (0..<90).map { "{\"k\": \"key-\($0 % 7)\", \"n\": \($0)}" }
        #expect(try eddy.run(["produce", "multi", "--key-field", "k"], lines: lines).status == 0)
        var seen: [String] = []
        for _ in 0..<3 {
            let part = try eddy.run([
                "consume", "multi", "--group", "g", "--from-beginning", "--max-messages", "30",
            ])
            #expect(part.stdoutLines.count == 30)
            seen += part.stdoutLines
        }
        #expect(seen.sorted() == lines.sorted())
    }

    /// Without --max-messages a consumer follows the topic, sees records appended by another process, and
    /// on Ctrl-C (SIGINT) commits its position and exits cleanly.
    @Test func followingConsumerCommitsOnInterrupt() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        #expect(try eddy.run(["topics", "create", "live", "--partitions", "2"]).status == 0)
        let outPath = eddy.workDirectory + "/follow.out"
        let errPath = eddy.workDirectory + "/follow.err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let consumer = Process()
        consumer.executableURL = URL(fileURLWithPath: EddyBinary.path)
        consumer.arguments = [
            "consume", "live", "--group", "watchers", "--from-beginning", "--data-dir", eddy.dataDir,
        ]
        consumer.standardOutput = FileHandle(forWritingAtPath: outPath)
        consumer.standardError = FileHandle(forWritingAtPath: errPath)
        try consumer.run()

        func printed() -> [String] {
            let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").map(String.init)
        }
        let lines = (0..<40).map { "{\"k\": \"\($0 % 5)\", \"n\": \($0)}" }
        #expect(
            try eddy.run(["produce", "live", "--key-field", "k"], lines: Array(lines[0..<20])).status == 0)
        #expect(
            try eddy.run(["produce", "live", "--key-field", "k"], lines: Array(lines[20..<40])).status == 0)
        let deadline = Date().addingTimeInterval(20)
        while printed().count < 40 && Date() < deadline { usleep(20_000) }
        #expect(printed().sorted() == lines.sorted())

        kill(consumer.processIdentifier, SIGINT)
        consumer.waitUntilExit()
        #expect(consumer.terminationReason == .exit)
        #expect(consumer.terminationStatus == 0)
        #expect(
            (try? String(contentsOfFile: errPath, encoding: .utf8))?.contains("Processed a total of 40")
                == true)

        // The interrupted run committed all 40: the group now sees only what comes next.
        #expect(try eddy.run(["produce", "live"], lines: ["next"]).status == 0)
        let after = try eddy.run(["consume", "live", "--group", "watchers", "--timeout-ms", "500"])
        #expect(after.stdoutLines == ["next"])
    }
}
