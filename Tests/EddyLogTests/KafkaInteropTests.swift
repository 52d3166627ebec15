import Foundation
import Testing

@testable import EddyLog

/// The venv's Python, if kafka-python is installed there.
private let kafkaPython: String? = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let path = root.appendingPathComponent(".build/venv/bin/python").path
    guard FileManager.default.isExecutableFile(atPath: path),
        FileManager.default.fileExists(
            atPath: root.appendingPathComponent(".build/venv/lib").path)
    else { return nil }
    return path
}()

/// Our v2 batches against kafka-python's own reader and writer (`kafka.record.default_records`), both
/// ways. Runs when kafka-python is installed in `.build/venv` (`python3 -m venv .build/venv &&
/// .build/venv/bin/pip install kafka-python`); skipped otherwise.
@Suite(.enabled(if: kafkaPython != nil, "kafka-python is not installed in .build/venv"))
struct KafkaInteropTests {
    static var python: String? { kafkaPython }

    static func runPython(_ script: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python!)
        process.arguments = ["-c", script] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }

    static func hex(_ bytes: [UInt8]?) -> String {
        guard let bytes else { return "null" }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func describe(_ r: ConsumerRecord) -> String {
        let headers = r.headers.map { "\($0.key)=\(hex($0.value))" }.joined(separator: ",")
        return "\(r.offset) \(r.timestamp) \(hex(r.key)) \(hex(r.value)) [\(headers)]"
    }

    static let sample: [ProducerRecord] = [
        ProducerRecord(
            key: Array("Caixa".utf8), value: Array(#"{"traffic_count":3}"#.utf8), timestamp: 1_700_000_000_123
        ),
        ProducerRecord(
            key: nil, value: [], headers: [Header("source", "motion"), Header(key: "n", value: nil)],
            timestamp: 1_700_000_000_100),
        ProducerRecord(key: [], value: Array(repeating: 0xEE, count: 300), timestamp: 1_700_000_001_000),
    ]

    @Test func kafkaPythonReadsOurBatches() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let buffer = EncodeBuffer()
        _ = RecordBatch.encode(Self.sample, baseOffset: 40, now: 0, into: buffer)
        _ = RecordBatch.encode(Self.sample.reversed(), baseOffset: 43, now: 0, into: buffer)
        // Long enough for the interleaved hardware CRC path.
        let big = ProducerRecord(
            value: (0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }, timestamp: 7)
        _ = RecordBatch.encode([big], baseOffset: 46, now: 0, into: buffer)
        let path = dir.path + "/batches.bin"
        try FileSystem.writeAtomically(Array(buffer.bytes), to: path)
        let script = """
            import struct, sys
            from kafka.record.default_records import DefaultRecordBatch
            data = open(sys.argv[1], 'rb').read()
            pos = 0
            h = lambda b: 'null' if b is None else bytes(b).hex()
            while pos < len(data):
                length = struct.unpack('>i', data[pos + 8:pos + 12])[0]
                batch = DefaultRecordBatch(data[pos:pos + 12 + length])
                assert batch.validate_crc(), 'CRC'
                for r in batch:
                    hs = ','.join('%s=%s' % (k, h(v)) for k, v in r.headers)
                    print('%d %d %s %s [%s]' % (r.offset, r.timestamp, h(r.key), h(r.value), hs))
                pos += 12 + length
            """
        let lines = try Self.runPython(script, [path]).split(separator: "\n").map(String.init)
        let fetched = FetchedRecords(
            topicPartition: TopicPartition("t", 0), batches: Array(buffer.bytes), requestedOffset: 40,
            nextOffset: 47, highWatermark: 47, logStartOffset: 0)
        #expect(lines == fetched.records().map(Self.describe))
        #expect(lines.count == 7)
    }

    @Test func weReadKafkaPythonBatches() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/from-python.bin"
        let script = """
            import sys
            from kafka.record.default_records import DefaultRecordBatchBuilder
            b = DefaultRecordBatchBuilder(magic=2, compression_type=0, is_transactional=False,
                                          producer_id=-1, producer_epoch=-1, base_sequence=-1, batch_size=1 << 20)
            b.append(0, timestamp=1700000000123, key=b'Caixa', value=b'{"traffic_count":3}', headers=[])
            b.append(1, timestamp=1700000000100, key=None, value=b'', headers=[('source', b'motion'), ('n', None)])
            b.append(2, timestamp=1700000001000, key=b'', value=bytes([0xEE]) * 300, headers=[])
            buf = bytearray(b.build())
            buf[0:8] = (40).to_bytes(8, 'big')  # the base offset is outside the CRC, as a broker assigns it
            open(sys.argv[1], 'wb').write(bytes(buf))
            """
        _ = try Self.runPython(script, [path])
        let bytes = try #require(try FileSystem.readFile(path))
        let check = bytes.withUnsafeBytes { RecordBatch.check($0) }
        guard case .valid(let header) = check else {
            Issue.record("kafka-python's batch rejected: \(check)")
            return
        }
        #expect(header.baseOffset == 40 && header.lastOffset == 42 && header.size == bytes.count)
        let fetched = FetchedRecords(
            topicPartition: TopicPartition("t", 0), batches: bytes, requestedOffset: 40, nextOffset: 43,
            highWatermark: 43, logStartOffset: 0)
        let ours = EncodeBuffer()
        _ = RecordBatch.encode(Self.sample, baseOffset: 40, now: 0, into: ours)
        let expected = FetchedRecords(
            topicPartition: TopicPartition("t", 0), batches: Array(ours.bytes), requestedOffset: 40,
            nextOffset: 43,
            highWatermark: 43, logStartOffset: 0)
        #expect(fetched.records() == expected.records())
    }
}
