import Foundation
import Testing

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
}
