import Foundation
import Testing

@Suite struct DataDirLockTests {
    /// The README's locking rule: one writer per topic at a time (a second gets one line naming the
    /// holder), while readers and writers of other topics carry on.
    @Test func oneWriterPerTopicReadersUnaffected() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        #expect(try eddy.run(["topics", "create", "orders"]).status == 0)
        #expect(try eddy.run(["topics", "create", "other"]).status == 0)

        let (writer, stdin, stdout) = try eddy.start(["produce", "orders", "--verbose-acks"])
        stdin.write(Data("first\n".utf8))
        var acks = Data()
        while !acks.contains(0x0A) { acks.append(stdout.availableData) }  // the writer now holds the lock
        #expect(String(decoding: acks, as: UTF8.self).hasPrefix("acked 1"))

        let second = try eddy.run(["produce", "orders"], lines: ["second"])
        expectOneLineError(
            second,
            containing: [
                "in use by another eddy process", "pid \(writer.processIdentifier)",
                "0 records before it were written",
            ])
        #expect(try eddy.run(["produce", "other"], lines: ["elsewhere"]).status == 0)
        let read = try eddy.run(["consume", "orders", "--from-beginning", "--max-messages", "1"])
        #expect(read.stdoutLines == ["first"])
        #expect(try eddy.run(["topics", "describe", "orders"]).stdout.contains("Records: 1\t"))

        try stdin.close()
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
        // The lock goes with the process: the topic is writable again.
        #expect(try eddy.run(["produce", "orders"], lines: ["second"]).status == 0)
        let all = try eddy.run(["consume", "orders", "--from-beginning", "--max-messages", "2"])
        #expect(all.stdoutLines == ["first", "second"])
    }
}
