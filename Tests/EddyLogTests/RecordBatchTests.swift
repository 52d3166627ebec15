import Testing

@testable import EddyLog

@Suite struct RecordBatchTests {
    static func encode(_ records: [ProducerRecord], baseOffset: Offset = 100, now: Int64 = 5_000) -> [UInt8] {
        let buffer = EncodeBuffer(capacity: 16)
        _ = RecordBatch.encode(records, baseOffset: baseOffset, now: now, into: buffer)
        return Array(buffer.bytes)
    }

    @Test func varintRoundTrip() {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 1)
        defer { buffer.deallocate() }
        for value: Int64 in [
            0, 1, -1, 63, -64, 64, -65, 300, -300, Int64(Int32.max), Int64(Int32.min), .max, .min,
        ] {
            let n = Varint.write(value, to: buffer)
            #expect(n == Varint.size(value))
            var i = 0
            #expect(Varint.read(UnsafeRawBufferPointer(start: buffer, count: n), at: &i) == value)
            #expect(i == n)
            // Cut short: never reads past the end.
            var j = 0
            if n > 1 {
                #expect(Varint.read(UnsafeRawBufferPointer(start: buffer, count: n - 1), at: &j) == nil)
            }
        }
        // Kafka's zig-zag: 0 → 0x00, -1 → 0x01, 1 → 0x02, -64 → 0x7F, 64 → 0x80 0x01.
        for (value, expected): (Int64, [UInt8]) in [
            (0, [0]), (-1, [1]), (1, [2]), (-64, [0x7F]), (64, [0x80, 0x01]),
        ] {
            let n = Varint.write(value, to: buffer)
            #expect(Array(UnsafeRawBufferPointer(start: buffer, count: n)) == expected)
        }
    }

    @Test func headerHasKafkaLayout() {
        let batch = Self.encode([
            record("hello", key: "k", timestamp: 1_000), record("world", timestamp: 1_500),
        ])
        batch.withUnsafeBytes { raw in
            let p = raw.baseAddress!
            #expect(p.loadBigEndian(at: 0, as: Int64.self) == 100)  // baseOffset
            #expect(Int(p.loadBigEndian(at: 8, as: Int32.self)) == batch.count - 12)  // batchLength
            #expect(p.loadBigEndian(at: 12, as: Int32.self) == -1)  // partitionLeaderEpoch
            #expect(raw[16] == 2)  // magic
            let crc = p.loadBigEndian(at: 17, as: UInt32.self)
            #expect(crc == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[21...])))
            #expect(p.loadBigEndian(at: 21, as: Int16.self) == 0)  // attributes: uncompressed, create time
            #expect(p.loadBigEndian(at: 23, as: Int32.self) == 1)  // lastOffsetDelta
            #expect(p.loadBigEndian(at: 27, as: Int64.self) == 1_000)  // baseTimestamp
            #expect(p.loadBigEndian(at: 35, as: Int64.self) == 1_500)  // maxTimestamp
            #expect(p.loadBigEndian(at: 43, as: Int64.self) == -1)  // producerId
            #expect(p.loadBigEndian(at: 51, as: Int16.self) == -1)  // producerEpoch
            #expect(p.loadBigEndian(at: 53, as: Int32.self) == -1)  // baseSequence
            #expect(p.loadBigEndian(at: 57, as: Int32.self) == 2)  // records count
            // First record: length, attributes 0, timestampDelta 0, offsetDelta 0, key "k", value "hello", 0 headers.
            let expectedFirst: [UInt8] = [
                UInt8(12 << 1), 0, 0, 0, 2, UInt8(ascii: "k"), 10, 104, 101, 108, 108, 111, 0,
            ]
            #expect(Array(raw[61..<(61 + 13)]) == expectedFirst)
        }
    }

    @Test func roundTripThroughFetchedRecords() {
        let records = [
            record(
                "v0", key: "a", timestamp: 2_000,
                headers: [Header("source", "motion"), Header(key: "nil", value: nil)]),
            record("", timestamp: 1_000),  // older than the base: negative delta
            ProducerRecord(key: [], value: Array(repeating: 0xAB, count: 3_000)),
            record("ünïcødé", key: "ção"),
        ]
        let batch = Self.encode(records, baseOffset: 7, now: 9_999)
        let fetched = FetchedRecords(
            topicPartition: TopicPartition("t", 0), batches: batch, requestedOffset: 7, nextOffset: 11,
            highWatermark: 11, logStartOffset: 0)
        let out = fetched.records()
        #expect(out.map(\.offset) == [7, 8, 9, 10])
        #expect(out.map(\.timestamp) == [2_000, 1_000, 9_999, 9_999])
        #expect(out[0].key == bytes("a"))
        #expect(out[1].key == nil)
        #expect(out[2].key == [])
        #expect(out[0].headers == [Header("source", "motion"), Header(key: "nil", value: nil)])
        #expect(out[2].value == Array(repeating: 0xAB, count: 3_000))
        #expect(out[3].value == bytes("ünïcødé"))
        #expect(out[3].key == bytes("ção"))
        // Records below the requested offset are skipped.
        var skipping = fetched
        skipping.requestedOffset = 9
        #expect(skipping.records().map(\.offset) == [9, 10])
        #expect(skipping.recordCount == 2)
    }

    @Test func checkDetectsEveryDamage() {
        let batch = Self.encode([record("some value", key: "key"), record("another")])
        batch.withUnsafeBytes { raw in
            guard case .valid(let header) = RecordBatch.check(raw) else {
                Issue.record("valid batch rejected")
                return
            }
            #expect(header.baseOffset == 100 && header.lastOffset == 101 && header.size == batch.count)
            for cut in 0..<batch.count {
                #expect(RecordBatch.check(UnsafeRawBufferPointer(rebasing: raw[0..<cut])) != .valid(header))
            }
        }
        for position in 0..<batch.count {
            var damaged = batch
            damaged[position] ^= 0x5A
            damaged.withUnsafeBytes { raw in
                if case .valid(let header) = RecordBatch.check(raw) {
                    // Only the baseOffset and the (unchecked) leader epoch are outside the CRC.
                    #expect(
                        position < 8 || (12..<16).contains(position),
                        "damage at \(position) undetected: \(header)")
                }
            }
        }
    }

    @Test func bigCallsSplitIntoBatchesOfAtMostOneMebibyte() {
        let records = (0..<40).map { _ in ProducerRecord(value: Array(repeating: 1, count: 100_000)) }
        let chunks = Array(BatchChunks(records))
        #expect(chunks.count == 4)
        #expect(chunks.map(\.count).reduce(0, +) == 40)
        let huge = [ProducerRecord(value: Array(repeating: 1, count: 3 << 20))]
        #expect(Array(BatchChunks(huge)).count == 1)
    }
}
