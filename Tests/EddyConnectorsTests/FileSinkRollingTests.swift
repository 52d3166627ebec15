import EddyFormats
import EddyLog
import EddyStream
import Foundation
import Testing

@testable import EddyConnectors

/// Rolling files by time (`parquet:DIR?roll=5m`) on a manual clock: batches wait in `_pending/` and become
/// one visible file per roll, exactly once across restarts and a crash in the middle of a roll.
@Suite struct FileSinkRollingTests {
    let tp = TopicPartition("orders", 0)

    func folder() -> String {
        let path = NSTemporaryDirectory() + "eddy-filesink-roll-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.removeItem(atPath: path)
        return path
    }

    func batch(_ id: Int64, _ rows: [(String, Int64, Int64)], next: Int64) -> SinkBatch {
        Batches.sales(pipeline: "p", table: "t", batchId: id, mode: .append, rows, offsets: [tp: next])
    }

    func visible(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).filter {
            !$0.hasPrefix("_") && !$0.hasPrefix(".")
        }.sorted()
    }

    func pendingFiles(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir + "/_pending").sorted()
    }

    /// The first column of every visible Parquet file's rows, in file order.
    func names(_ dir: String) throws -> [String] {
        var out: [String] = []
        for name in try visible(dir) {
            let table = try ParquetReader(path: dir + "/" + name).read()
            for row in 0..<table.rowCount {
                out.append(String(decoding: table.text(row: row, column: 0) ?? [], as: UTF8.self))
            }
        }
        return out
    }

    @Test func batchesWaitUntilTheRollThenBecomeOneFile() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = ManualClock(startMillis: 0)
        let sink = try FileSink(directory: dir + "?roll=5m", format: .parquet, clock: clock)
        #expect(sink.directory == dir)
        try await sink.write(batch(0, [("a", 1, 1), ("b", 2, 2)], next: 2))
        clock.advance(by: .seconds(60))
        try await sink.write(batch(1, [("c", 3, 3)], next: 3))
        #expect(try visible(dir).isEmpty)
        #expect(try pendingFiles(dir).count == 2)
        // Offsets are committed per batch even while the files wait.
        #expect(try await sink.committedOffsets(pipeline: "p") == [tp: 3])
        clock.advance(by: .seconds(240))
        // Five minutes after the first pending batch: the roll comes before this batch is added.
        try await sink.write(batch(2, [("d", 4, 4)], next: 4))
        #expect(try visible(dir) == ["part-000000000002-000.parquet"])
        #expect(try names(dir) == ["a", "b", "c"])
        #expect(try pendingFiles(dir).count == 1)
        #expect(await sink.rolledFiles == 1)
        try await sink.write(batch(3, [("e", 5, 5)], next: 5))
        #expect(try visible(dir).count == 1)
        clock.advance(by: .seconds(300))
        try await sink.write(batch(4, [], next: 5))
        #expect(try names(dir) == ["a", "b", "c", "d", "e"])
        #expect(try pendingFiles(dir).isEmpty)
    }

    @Test func pendingFilesSurviveARestartAndAReplayIsNotRolledTwice() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = ManualClock(startMillis: 0)
        let options = FileSink.Options(rollInterval: .seconds(60))
        let first = try FileSink(directory: dir, format: .parquet, options: options, clock: clock)
        try await first.write(batch(0, [("a", 1, 1)], next: 1))
        try await first.write(batch(1, [("b", 2, 2)], next: 2))
        // kill -9: a new sink on the same folder; the engine replays batch 1 from an older checkpoint.
        let second = try FileSink(directory: dir, format: .parquet, options: options, clock: clock)
        #expect(try await second.committedOffsets(pipeline: "p") == [tp: 2])
        try await second.write(batch(1, [("b", 2, 2)], next: 2))
        #expect(await second.skippedReplays == 1)
        clock.advance(by: .seconds(61))
        try await second.write(batch(2, [("c", 3, 3)], next: 3))
        #expect(try names(dir) == ["a", "b"])
        clock.advance(by: .seconds(61))
        try await second.write(batch(3, [], next: 3))
        #expect(try names(dir) == ["a", "b", "c"])
    }

    @Test func aCrashAfterTheRollEntryDeletesTheMergedFilesOnOpen() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = ManualClock(startMillis: 0)
        let options = FileSink.Options(maxFileRows: 2, rollInterval: .seconds(60))
        let sink = try FileSink(directory: dir, format: .parquet, options: options, clock: clock)
        try await sink.write(batch(0, [("a", 1, 1)], next: 1))
        let part = try pendingFiles(dir)[0]
        let saved = try Data(contentsOf: URL(fileURLWithPath: dir + "/_pending/" + part))
        // Two pending rows: rolled right after this batch's commit, so the roll is the newest entry.
        try await sink.write(batch(1, [("b", 2, 2)], next: 2))
        #expect(try names(dir) == ["a", "b"])
        // As if the process died after the roll's commit entry, before deleting the merged-away files.
        try saved.write(to: URL(fileURLWithPath: dir + "/_pending/" + part))
        let reopened = try FileSink(directory: dir, format: .parquet, options: options, clock: clock)
        #expect(try pendingFiles(dir).isEmpty)
        clock.advance(by: .seconds(120))
        try await reopened.write(batch(2, [("c", 3, 3)], next: 3))
        clock.advance(by: .seconds(120))
        try await reopened.write(batch(3, [], next: 3))
        #expect(try names(dir) == ["a", "b", "c"])
    }

    @Test func sizeAlsoRollsAndBadOptionsAreRefused() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sink = try FileSink(
            directory: dir + "?roll=1h&rows=3", format: .csv, clock: ManualClock(startMillis: 0))
        try await sink.write(batch(0, [("a", 1, 1), ("b", 2, 2)], next: 2))
        #expect(try visible(dir).isEmpty)
        try await sink.write(batch(1, [("c", 3, 3)], next: 3))
        #expect(try visible(dir) == ["part-000000000002-000.csv"])
        let text = try String(contentsOfFile: dir + "/part-000000000002-000.csv", encoding: .utf8)
        #expect(text.split(separator: "\r\n").count == 4, "\(text)")  // one header, three rows
        #expect(throws: FileSinkError.self) { try FileSink(directory: dir + "?roll=soon", format: .csv) }
        #expect(throws: FileSinkError.self) { try FileSink(directory: dir + "?every=5m", format: .csv) }
    }
}
