import Foundation
import Testing

@testable import EddyLog

#if canImport(Glibc)
    import Glibc
#endif

/// `kill -9` of a writing process: every append that returned must survive (the bytes are in the kernel
/// before `append` returns, under every flush policy), a torn tail is cut, and appending resumes at the
/// right offset. The writer is this test binary re-run with a filter that selects only
/// ``crashTestWriterChild()``.
@Suite struct CrashTests {
    static let childDirectoryVariable = "EDDY_CRASH_WRITER_DIR"

    /// The child: appends numbered records (`r<offset>`) in batches of varying size, printing `ack <end>`
    /// after each append returns, until killed (or 30 s pass, should the parent vanish).
    @Test(.enabled(if: ProcessInfo.processInfo.environment[childDirectoryVariable] != nil))
    func crashTestWriterChild() throws {
        let directory = ProcessInfo.processInfo.environment[Self.childDirectoryVariable]!
        let log = try FileLog(directory: directory, flushPolicy: .default)
        if (try? log.describeTopic("crash")) == nil {
            try log.createTopic("crash", config: TopicConfig(segmentBytes: 64 << 10))
        }
        let tp = TopicPartition("crash", 0)
        var next = try log.offsets(of: tp).end
        let deadline = ContinuousClock.now + .seconds(30)
        var n = 0
        while ContinuousClock.now < deadline {
            let size = 1 + (n * 7) % 50
            let records = (0..<size).map { i in ProducerRecord(value: Array("r\(next + Int64(i))".utf8)) }
            let base = try log.append(records, to: tp)
            precondition(base == next)
            next += Int64(size)
            FileHandle.standardOutput.write(Data("ack \(next)\n".utf8))  // unbuffered: fd 1 directly
            n += 1
        }
    }

    /// Starts the child writer; returns it and the pipe of its output.
    static func startWriter(directory: String) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["--testing-library", "swift-testing", "--filter", "crashTestWriterChild"]
        var environment = ProcessInfo.processInfo.environment
        environment[childDirectoryVariable] = directory
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, pipe)
    }

    /// Needs to re-run the test binary itself as the writer.
    @Test(
        .enabled(
            if: ProcessInfo.processInfo.environment[childDirectoryVariable] == nil
                && CommandLine.arguments[0].hasSuffix(".xctest"),
            "needs the .xctest test binary to start the writer child"))
    func killedWriterKeepsEveryAcknowledgedRecord() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let tp = TopicPartition("crash", 0)
        var acknowledged: Int64 = 0
        for round in 0..<3 {
            let (writer, pipe) = try Self.startWriter(directory: dir.path)
            defer { kill(writer.processIdentifier, SIGKILL) }
            // Let it write a varying amount, then kill it mid-stream.
            let target = acknowledged + 3_000 + Int64(round) * 1_700
            var pending = ""
            var lastAck = acknowledged
            var sawEnough = false
            while !sawEnough {
                let data = pipe.fileHandleForReading.availableData
                if data.isEmpty { break }  // the child ended
                pending += String(decoding: data, as: UTF8.self)
                while let newline = pending.firstIndex(of: "\n") {
                    let line = pending[..<newline]
                    if line.hasPrefix("ack "), let n = Int64(line.dropFirst(4)) { lastAck = n }
                    pending = String(pending[pending.index(after: newline)...])
                }
                sawEnough = lastAck >= target
            }
            kill(writer.processIdentifier, SIGKILL)
            // Acks printed before the kill and not read yet still count.
            let rest = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            for line in (pending + rest).split(separator: "\n") where line.hasPrefix("ack ") {
                if let n = Int64(line.dropFirst(4)) { lastAck = max(lastAck, n) }
            }
            writer.waitUntilExit()
            #expect(sawEnough, "round \(round): the writer stopped early")
            acknowledged = lastAck

            let log = try FileLog(directory: dir.path, flushPolicy: .os)
            let records = try readAll(log, tp)
            #expect(records.count >= Int(acknowledged), "round \(round): acknowledged records lost")
            for (i, record) in records.enumerated()
            where record.value != Array("r\(i)".utf8) || record.offset != i {
                Issue.record(
                    "round \(round): record \(i) is \(record.offset) '\(String(decoding: record.value, as: UTF8.self))'"
                )
                break
            }
            // The next writer resumes after whatever survived.
            let end = try log.offsets(of: tp).end
            #expect(end == Int64(records.count))
            log.close()
            acknowledged = end
        }
    }
}
