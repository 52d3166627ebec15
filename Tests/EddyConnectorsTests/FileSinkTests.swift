import EddyFormats
import EddyLog
import EddyStream
import Foundation
import Testing

@testable import EddyConnectors

/// The file sink's commit protocol: each batch committed exactly once, across restarts and crashes at each
/// step (simulated by leaving the folder as a kill -9 would).
@Suite struct FileSinkTests {
    let tp = TopicPartition("orders", 0)

    func folder() -> String {
        let path = NSTemporaryDirectory() + "eddy-filesink-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.removeItem(atPath: path)
        return path
    }

    func batch(_ id: Int64, _ rows: [(String, Int64, Int64)], next: Int64, mode: OutputMode = .append)
        -> SinkBatch
    {
        Batches.sales(pipeline: "p", table: "t", batchId: id, mode: mode, rows, offsets: [tp: next])
    }

    /// Every row of the visible Parquet files, as (name, cents, units), in file order.
    func parquetRows(_ dir: String) throws -> [String] {
        var rows: [String] = []
        for name in try visible(dir) where name.hasSuffix(".parquet") {
            let table = try ParquetReader(path: dir + "/" + name).read()
            for row in 0..<table.rowCount {
                rows.append(
                    (0..<table.columns.count).map {
                        String(decoding: table.text(row: row, column: $0) ?? [], as: UTF8.self)
                    }.joined(separator: "|"))
            }
        }
        return rows
    }

    func visible(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).filter {
            !$0.hasPrefix("_") && !$0.hasPrefix(".")
        }.sorted()
    }

    @Test func batchesBecomeFilesWithACommitEntryEach() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = try FileSink(directory: dir, format: .parquet, options: .init(maxFileRows: 2))
        try await sink.write(batch(0, [("a", 150, 1), ("b", 2, 2), ("c", 3, 3)], next: 3))
        try await sink.write(batch(1, [("d", -4, 4)], next: 4))
        #expect(
            try visible(dir) == [
                "part-000000000000-000.parquet", "part-000000000000-001.parquet",
                "part-000000000001-000.parquet",
            ])
        #expect(try parquetRows(dir) == ["a|1.50|1", "b|0.02|2", "c|0.03|3", "d|-0.04|4"])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir + "/_eddy_log").sorted() == [
                "000000000000.json", "000000000001.json",
            ])
        #expect(try await sink.committedOffsets(pipeline: "p") == [tp: 4])
        #expect(try await sink.committedOffsets(pipeline: "other") == nil)
    }

    @Test func aReplayedBatchIsSkippedAfterRestart() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try FileSink(directory: dir, format: .parquet)
        try await first.write(batch(0, [("a", 1, 1)], next: 1))
        try await first.write(batch(1, [("b", 2, 2)], next: 2))
        // The engine's checkpoint was older than the sink: it replays batch 1 after the restart.
        let second = try FileSink(directory: dir, format: .parquet)
        #expect(try await second.committedOffsets(pipeline: "p") == [tp: 2])
        try await second.write(batch(1, [("b", 2, 2)], next: 2))
        try await second.write(batch(2, [("c", 3, 3)], next: 3))
        #expect(await second.skippedReplays == 1)
        #expect(try parquetRows(dir) == ["a|0.01|1", "b|0.02|2", "c|0.03|3"])
    }

    @Test func anUncommittedBatchIsDeletedAndRedone() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = try FileSink(directory: dir, format: .parquet)
        try await sink.write(batch(0, [("a", 1, 1)], next: 1))
        // kill -9 while batch 1 was being written: a half file in _temporary and a half-written entry.
        try Data("PAR1 half".utf8).write(
            to: URL(fileURLWithPath: dir + "/_temporary/1-0-part-000000000001-000.parquet"))
        try Data("{\"seq".utf8).write(to: URL(fileURLWithPath: dir + "/_eddy_log/.000000000001.json.tmp"))
        let restarted = try FileSink(directory: dir, format: .parquet)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/_temporary").isEmpty)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir + "/_eddy_log") == ["000000000000.json"])
        #expect(try await restarted.committedOffsets(pipeline: "p") == [tp: 1])
        try await restarted.write(batch(1, [("b", 2, 2)], next: 2))
        #expect(try parquetRows(dir) == ["a|0.01|1", "b|0.02|2"])
    }

    @Test func aCommittedBatchStillInTemporaryIsMovedIntoPlace() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = try FileSink(directory: dir, format: .parquet)
        try await sink.write(batch(0, [("a", 1, 1)], next: 1))
        try await sink.write(batch(1, [("b", 2, 2)], next: 2))
        // kill -9 after batch 1's entry, before its rename: its file is still staged.
        let name = "part-000000000001-000.parquet"
        try FileManager.default.moveItem(
            atPath: dir + "/" + name,
            toPath: dir + "/_temporary/" + FileSink.stagedName(sequence: 1, index: 0, name: name))
        let restarted = try FileSink(directory: dir, format: .parquet)
        #expect(try visible(dir) == ["part-000000000000-000.parquet", name])
        try await restarted.write(batch(1, [("b", 2, 2)], next: 2))
        #expect(try parquetRows(dir) == ["a|0.01|1", "b|0.02|2"])
    }

    @Test func completeModeReplacesOneSnapshot() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = try FileSink(directory: dir, format: .parquet)
        try await sink.write(batch(0, [("a", 1, 1)], next: 1, mode: .complete))
        try await sink.write(batch(1, [("a", 1, 1), ("b", 2, 2)], next: 2, mode: .complete))
        #expect(try visible(dir) == ["t.parquet"])
        #expect(try parquetRows(dir) == ["a|0.01|1", "b|0.02|2"])
    }

    @Test func csvFilesHaveAHeaderAndRFC4180Quoting() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = try FileSink(directory: dir, format: .csv)
        try await sink.write(batch(0, [("plain", 100, 1), ("a, \"quoted\"\nline", 5, 2)], next: 2))
        try await sink.write(batch(1, [("c", 3, 3)], next: 3))
        let names = try visible(dir)
        #expect(names == ["part-000000000000-000.csv", "part-000000000001-000.csv"])
        let first = try String(contentsOfFile: dir + "/" + names[0], encoding: .utf8)
        #expect(
            first
                == "product_name,total_sales,units\r\nplain,1.00,1\r\n\"a, \"\"quoted\"\"\nline\",0.05,2\r\n")
        let second = try String(contentsOfFile: dir + "/" + names[1], encoding: .utf8)
        #expect(second == "product_name,total_sales,units\r\nc,0.03,3\r\n")
    }

    @Test func anotherTableIsRefused() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = try FileSink(directory: dir, format: .parquet)
        try await sink.write(batch(0, [("a", 1, 1)], next: 1))
        var other = batch(1, [("b", 2, 2)], next: 2)
        other.table = "u"
        await #expect(throws: FileSinkError.self) { try await sink.write(other) }
    }

    @Test func sinkURLsNameTheFolder() throws {
        #expect(try SinkURL(parsing: "parquet:out/sales") == .parquet(directory: "out/sales"))
        #expect(try SinkURL(parsing: "csv:///tmp/x") == .csv(directory: "/tmp/x"))
        #expect(throws: SinkURLError.missingDirectory("parquet:")) { try SinkURL(parsing: "parquet:") }
    }
}
