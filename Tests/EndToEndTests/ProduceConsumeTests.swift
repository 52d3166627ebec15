import EddyLog
import Foundation
import Testing

@Suite struct ProduceConsumeTests {
    @Test func consumeReturnsExactlyTheProducedLines() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        #expect(try eddy.run(["topics", "create", "lines"]).status == 0)

        // Unicode, tabs, JSON, and Windows line endings; the empty line is skipped.
        var input = (0..<2500).map { "{\"n\": \($0), \"text\": \"linha nº \($0)\\tção\"}\n" }.joined()
        input += "\nplain text line\r\nlast line without newline"
        let produced = try eddy.run(["produce", "lines", "--batch-records", "300"], input: Data(input.utf8))
        #expect(produced.status == 0, "\(produced.stderr)")
        #expect(produced.stderr.contains("Produced 2502 records"))
        #expect(produced.stderr.contains("skipped 1 empty line"))

        let expected =
            (0..<2500).map { "{\"n\": \($0), \"text\": \"linha nº \($0)\\tção\"}" }
            + ["plain text line", "last line without newline"]
        let consumed = try eddy.run(["consume", "lines", "--from-beginning", "--max-messages", "2502"])
        #expect(consumed.status == 0, "\(consumed.stderr)")
        #expect(consumed.stdoutLines == expected)
        #expect(consumed.stderr.contains("Processed a total of 2502 messages"))

        // Without --from-beginning or a group, a consumer starts at the end: nothing old is printed.
        let fromEnd = try eddy.run(["consume", "lines", "--timeout-ms", "200"])
        #expect(fromEnd.status == 0)
        #expect(fromEnd.stdout.isEmpty)
    }

    @Test func keyFieldPlacesKeysLikeKafka() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        #expect(try eddy.run(["topics", "create", "motion", "--partitions", "3"]).status == 0)
        let sensors = (0..<12).map { "SM-\(100 + $0)AB" }
        let lines =
            (0..<600).map { i in
                "{\"id_sensor\": \"\(sensors[i % sensors.count])\", \"nested\": {\"id_sensor\": \"no\"}, \"n\": \(i)}"
            } + ["{\"n\": \"no key here\"}"]
        let produced = try eddy.run(["produce", "motion", "--key-field", "id_sensor"], lines: lines)
        #expect(produced.status == 0, "\(produced.stderr)")
        #expect(produced.stderr.contains("1 record had no 'id_sensor' field"))

        let consumed = try eddy.run([
            "consume", "motion", "--from-beginning", "--max-messages", "601", "--print-key", "--print-offset",
        ])
        #expect(consumed.status == 0, "\(consumed.stderr)")
        #expect(consumed.stdoutLines.count == 601)
        var partitionOfKey: [String: Int] = [:]
        var lastOffset: [Int: Int] = [:]
        for line in consumed.stdoutLines {
            let fields = line.split(separator: "\t", maxSplits: 3).map(String.init)
            #expect(fields.count == 4)
            let partition = Int(fields[0].dropFirst("Partition:".count))!
            let offset = Int(fields[1].dropFirst("Offset:".count))!
            #expect(offset == (lastOffset[partition] ?? -1) + 1, "offsets are dense and in order")
            lastOffset[partition] = offset
            let key = fields[2]
            if key == "null" {
                #expect(fields[3] == "{\"n\": \"no key here\"}")
                continue
            }
            #expect(fields[3].hasPrefix("{\"id_sensor\": \"\(key)\""))
            #expect(partitionOfKey.updateValue(partition, forKey: key) ?? partition == partition)
            #expect(partition == Partitioner.partition(forKey: Array(key.utf8), partitions: 3))
        }
        #expect(partitionOfKey.count == 12)
        #expect(Set(partitionOfKey.values).count > 1, "12 keys should not all hash to one partition")
    }

    @Test func keepEmptyLinesSendsThemLikeKafka() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let produced = try eddy.run(
            ["produce", "e", "--create", "--keep-empty-lines"], lines: ["a", "", "b"])
        #expect(produced.status == 0, "\(produced.stderr)")
        let consumed = try eddy.run(["consume", "e", "--from-beginning", "--max-messages", "3"])
        #expect(consumed.stdoutLines == ["a", "", "b"])
    }

    @Test func explicitPartitionAndCreate() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let produced = try eddy.run(
            ["produce", "fresh", "--create", "--partitions", "2", "--partition", "1"], lines: ["a", "b", "c"])
        #expect(produced.status == 0, "\(produced.stderr)")
        let p1 = try eddy.run([
            "consume", "fresh", "--partition", "1", "--from-beginning", "--timeout-ms", "300",
        ])
        #expect(p1.stdoutLines == ["a", "b", "c"])
        let p0 = try eddy.run([
            "consume", "fresh", "--partition", "0", "--from-beginning", "--timeout-ms", "200",
        ])
        #expect(p0.stdout.isEmpty)
        expectOneLineError(
            try eddy.run(["produce", "fresh", "--partition", "2"], lines: ["x"]), containing: ["partition 2"])
    }

    @Test func overlongLineStopsWithNothingHalfWritten() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        #expect(try eddy.run(["topics", "create", "t"]).status == 0)
        let lines = ["one", "two", "three", String(repeating: "x", count: 5000), "five"]
        let result = try eddy.run(["produce", "t", "--max-record-bytes", "1000"], lines: lines)
        expectOneLineError(
            result,
            containing: ["line 4 is 5000 bytes", "--max-record-bytes", "3 records before it were written"])
        let consumed = try eddy.run(["consume", "t", "--from-beginning", "--timeout-ms", "300"])
        #expect(consumed.stdoutLines == ["one", "two", "three"])

        // A line longer than the reader's buffer is measured, not buffered.
        let huge = String(repeating: "y", count: 9 << 20)
        let big = try eddy.run(["produce", "t"], lines: ["six", huge])
        expectOneLineError(
            big, containing: ["line 2 is \(9 << 20) bytes", "1 records before it were written"])
    }
}
