import Foundation
import Testing

@testable import EddyLog

/// The codecs Eddy's readers use to inflate client-compressed batches, on hand-made inputs whose content
/// is known, and a whole compressed batch stored with `appendBatches` and read back record by record.
@Suite struct CompressionTests {
    @Test func snappyRawAndXerialFramed() throws {
        // "abc" as a literal, then a 9-byte copy from 3 back (a run): "abcabcabcabc".
        let raw: [UInt8] = [0x0C, 0x08, 0x61, 0x62, 0x63, 0x15, 0x03]
        let expected = Array("abcabcabcabc".utf8)
        #expect(try raw.withUnsafeBytes { try Snappy.decompressFramed($0, maxBytes: 1 << 20) } == expected)
        var framed = Snappy.xerialMagic + [0, 0, 0, 1, 0, 0, 0, 1]
        for _ in 0..<2 { framed += [0, 0, 0, UInt8(raw.count)] + raw }
        #expect(
            try framed.withUnsafeBytes { try Snappy.decompressFramed($0, maxBytes: 1 << 20) } == expected
                + expected)
        // A copy reaching before the start is damage, not a crash.
        let bad: [UInt8] = [0x0C, 0x08, 0x61, 0x62, 0x63, 0x15, 0x09]
        #expect(throws: LogError.self) {
            try bad.withUnsafeBytes { try Snappy.decompressFramed($0, maxBytes: 1 << 20) }
        }
    }

    @Test func lz4Frame() throws {
        let block: [UInt8] = [0x35, 0x61, 0x62, 0x63, 0x03, 0x00, 0x00]
        var frame: [UInt8] = [0x04, 0x22, 0x4D, 0x18, 0x60, 0x40, 0x82]
        frame += [UInt8(block.count), 0, 0, 0] + block
        frame += [3, 0, 0, 0x80, 0x78, 0x79, 0x7A]  // an uncompressed block: "xyz"
        frame += [0, 0, 0, 0]
        let inflated = try frame.withUnsafeBytes { try LZ4Frame.decompress($0, maxBytes: 1 << 20) }
        #expect(inflated == Array("abcabcabcabcxyz".utf8))
        #expect(throws: LogError.self) {
            try Array(frame.prefix(12)).withUnsafeBytes { try LZ4Frame.decompress($0, maxBytes: 1 << 20) }
        }
    }

    @Test(.enabled(if: (try? Zstd.library.get()) != nil, "libzstd.so.1 is not installed"))
    func zstdRawBlockFrame() throws {
        // A single-segment frame with one raw (stored) block holding "hello".
        let frame: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x20, 0x05, 0x29, 0x00, 0x00] + Array("hello".utf8)
        #expect(
            try frame.withUnsafeBytes { try Zstd.decompress($0, maxBytes: 1 << 20) } == Array("hello".utf8))
    }

    @Test func gzipRoundTrip() throws {
        let text = Array(String(repeating: "motion sensor reading ", count: 200).utf8)
        let compressed = Gzip.compress(text)
        #expect(compressed.count < text.count / 4)
        #expect(try compressed.withUnsafeBytes { try Gzip.decompress($0, maxBytes: 1 << 20) } == text)
    }

    /// A gzip batch as a client would send it: stored as sent by `appendBatches`, read back inflated.
    @Test func compressedBatchIsStoredAsSentAndReadInflated() throws {
        let scratch = MemoryLog()
        try scratch.createTopic("t", config: TopicConfig(partitions: 1))
        try scratch.append(
            (0..<50).map {
                ProducerRecord(
                    key: Array("k\($0)".utf8), value: Array("value \($0)".utf8),
                    headers: [Header("h", "\($0)")])
            },
            to: TopicPartition("t", 0))
        let plain = try scratch.read(TopicPartition("t", 0), from: 0, maxBytes: 1 << 20).batches
        var batch =
            Array(plain[0..<RecordBatch.headerSize]) + Gzip.compress(Array(plain[RecordBatch.headerSize...]))
        batch.withUnsafeMutableBytes { raw in
            raw.baseAddress!.storeBigEndian(
                Int32(raw.count - RecordBatch.logOverhead), at: RecordBatch.batchLengthAt)
            raw.baseAddress!.storeBigEndian(Int16(1), at: RecordBatch.attributesAt)
            let crc = CRC32C.checksum(
                UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(raw)[RecordBatch.attributesAt...]))
            raw.baseAddress!.storeBigEndian(crc, at: RecordBatch.crcAt)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "eddy-compress-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = try FileLog(directory: directory)
        defer { log.close() }
        try log.createTopic("t", config: TopicConfig(partitions: 1))
        let tp = TopicPartition("t", 0)
        for expected in [Offset(0), 50] {
            let appended = try batch.withUnsafeBytes { try log.appendBatches($0, to: tp) }
            #expect(appended.baseOffset == expected && appended.lastOffset == expected + 49)
        }
        let fetched = try log.read(tp, from: 0, maxBytes: 1 << 20)
        #expect(Array(fetched.batches[0..<batch.count]) == batch, "stored byte for byte")
        let records = try fetched.decodedRecords()
        #expect(records.map(\.offset) == Array(0..<100))
        #expect(records[51].value == Array("value 1".utf8))
        #expect(records[51].headers == [Header("h", "1")])
        #expect(fetched.recordCount == 100)
        // A damaged batch is refused whole.
        var damaged = batch
        damaged[damaged.count - 2] ^= 1
        #expect(throws: LogError.self) { try damaged.withUnsafeBytes { try log.appendBatches($0, to: tp) } }
        #expect(try log.offsets(of: tp).end == 100)
    }
}
