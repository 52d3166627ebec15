import Foundation
import Testing

@testable import EddyLog

/// `readStored` is what the Kafka broker sends with sendfile(2): it must name exactly the bytes `read`
/// returns, for every starting offset and byte limit, across segment boundaries.
@Suite struct StoredBatchesTests {
    @Test func storedRangesHoldTheSameBatchesAsReads() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = try FileLogTests.open(dir)
        defer { log.close() }
        try log.createTopic("t", config: TopicConfig(partitions: 1, segmentBytes: 4_000))
        let tp = TopicPartition("t", 0)
        var generator = SystemRandomNumberGenerator()
        // Batches of 1–40 records of 1–300 bytes: many segments, batches of very different sizes.
        for batch in 0..<120 {
            let records = (0..<Int.random(in: 1...40, using: &generator)).map { i in
                record(
                    String(repeating: "v", count: Int.random(in: 1...300, using: &generator))
                        + "\(batch)-\(i)")
            }
            try log.append(records, to: tp)
        }
        let end = try log.offsets(of: tp).end
        #expect(try log.describeTopic("t").partitions[0].segments > 10)
        for from in stride(from: Offset(0), through: end, by: 7) {
            for maxBytes in [1, 500, 3_000, 20_000] {
                let read = try log.read(tp, from: from, maxBytes: maxBytes)
                let stored = try log.readStored(tp, from: from, maxBytes: maxBytes)
                #expect(try stored.load() == read.batches, "from \(from), maxBytes \(maxBytes)")
                #expect(stored.nextOffset == read.nextOffset)
                #expect(stored.requestedOffset == read.requestedOffset)
                #expect(stored.highWatermark == read.highWatermark)
                if from < end {
                    guard case .file(let range) = stored.bytes else {
                        Issue.record("a file-backed log answers with a file range")
                        return
                    }
                    #expect(range.count == read.batches.count)
                }
            }
        }
    }

    @Test func aStoredRangeOutlivesRetentionDeletingItsSegment() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = try FileLogTests.open(dir)
        defer { log.close() }
        try log.createTopic("t", config: TopicConfig(partitions: 1, segmentBytes: 1_000))
        let tp = TopicPartition("t", 0)
        for i in 0..<50 { try log.append([record(String(repeating: "x", count: 100) + "\(i)")], to: tp) }
        let stored = try log.readStored(tp, from: 0, maxBytes: 10_000)
        let expected = try log.read(tp, from: 0, maxBytes: 10_000).batches
        try log.deleteTopic("t")
        #expect(try stored.load() == expected)
    }
}
