/// The fixed-size header of a v2 record batch, read from stored or fetched bytes.
struct RecordBatchHeader: Sendable, Equatable {
    var baseOffset: Offset
    /// The whole batch's size in bytes, `batchLength` + 12.
    var size: Int
    var magic: UInt8
    var crc: UInt32
    var attributes: Int16
    var lastOffsetDelta: Int32
    var baseTimestamp: TimestampMillis
    var maxTimestamp: TimestampMillis
    var recordCount: Int32

    var lastOffset: Offset { baseOffset + Int64(lastOffsetDelta) }
    var nextOffset: Offset { lastOffset + 1 }

    /// Parses the header at the start of `bytes`; nil if fewer than ``RecordBatch/headerSize`` bytes are
    /// there or the header is not a plausible v2 header (wrong magic, impossible length or counts).
    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= RecordBatch.headerSize, let p = bytes.baseAddress else { return nil }
        baseOffset = p.loadBigEndian(at: RecordBatch.baseOffsetAt, as: Int64.self)
        let length = p.loadBigEndian(at: RecordBatch.batchLengthAt, as: Int32.self)
        magic = p.load(fromByteOffset: RecordBatch.magicAt, as: UInt8.self)
        crc = p.loadBigEndian(at: RecordBatch.crcAt, as: UInt32.self)
        attributes = p.loadBigEndian(at: RecordBatch.attributesAt, as: Int16.self)
        lastOffsetDelta = p.loadBigEndian(at: RecordBatch.lastOffsetDeltaAt, as: Int32.self)
        baseTimestamp = p.loadBigEndian(at: RecordBatch.baseTimestampAt, as: Int64.self)
        maxTimestamp = p.loadBigEndian(at: RecordBatch.maxTimestampAt, as: Int64.self)
        recordCount = p.loadBigEndian(at: RecordBatch.recordCountAt, as: Int32.self)
        size = Int(length) + RecordBatch.logOverhead
        guard magic == RecordBatch.magic, baseOffset >= 0, size >= RecordBatch.headerSize,
            lastOffsetDelta >= 0,
            recordCount >= 0
        else { return nil }
    }
}

/// Why bytes are not a whole, valid batch.
enum BatchCheck: Equatable {
    case valid(RecordBatchHeader)
    /// The bytes end before the batch does (a torn write, or simply not written yet).
    case incomplete
    /// The bytes are there but wrong: bad header or checksum.
    case corrupt(String)
}

extension RecordBatch {
    /// Checks that `bytes` starts with a whole batch whose CRC-32C matches.
    static func check(_ bytes: UnsafeRawBufferPointer) -> BatchCheck {
        guard bytes.count >= headerSize else { return .incomplete }
        guard let header = RecordBatchHeader(bytes) else { return .corrupt("not a v2 record batch header") }
        guard header.size <= bytes.count else { return .incomplete }
        let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[attributesAt..<header.size]))
        guard crc == header.crc else {
            return .corrupt("CRC-32C mismatch at offset \(header.baseOffset)")
        }
        return .valid(header)
    }

    /// Calls `body` for each record of the batch at the start of `batch` (already checked), in order,
    /// inflating a compressed batch first. Returns false if the records are malformed or cannot be inflated
    /// (then the records visited so far were delivered).
    @inline(__always)
    static func forEachRecord<E: Error>(
        in batch: UnsafeRawBufferPointer, header: RecordBatchHeader, _ body: (RecordView) throws(E) -> Void
    ) throws(E) -> Bool {
        let records = UnsafeRawBufferPointer(rebasing: batch[headerSize..<header.size])
        guard header.attributes & 0x07 != 0 else {
            return try forEachRecord(inRecords: records, header: header, body)
        }
        guard let codec = CompressionCodec(attributes: header.attributes),
            let inflated = try? codec.decompress(records)
        else { return false }
        var failure: E? = nil
        let ok = inflated.withUnsafeBytes { raw -> Bool in
            do throws(E) {
                return try forEachRecord(inRecords: raw, header: header, body)
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        return ok
    }

    /// Checks that a compressed batch can be inflated here; the error says why not (damage, or a missing
    /// library).
    static func checkInflatable(_ batch: UnsafeRawBufferPointer, header: RecordBatchHeader) throws(LogError) {
        guard header.attributes & 0x07 != 0 else { return }
        guard let codec = CompressionCodec(attributes: header.attributes) else {
            throw .unsupportedCompression("unknown compression codec \(header.attributes & 0x07)")
        }
        _ = try codec.decompress(UnsafeRawBufferPointer(rebasing: batch[headerSize..<header.size]))
    }

    /// The record loop over a batch's (uncompressed) records section.
    @inline(__always)
    static func forEachRecord<E: Error>(
        inRecords records: UnsafeRawBufferPointer, header: RecordBatchHeader,
        _ body: (RecordView) throws(E) -> Void
    ) throws(E) -> Bool {
        let end = records.count
        var i = 0
        for _ in 0..<Int(header.recordCount) {
            guard let length = Varint.read(records, at: &i), length > 0, i + Int(length) <= end else {
                return false
            }
            let recordEnd = i + Int(length)
            let bounded = UnsafeRawBufferPointer(rebasing: records[0..<recordEnd])
            i += 1  // attributes
            guard let timestampDelta = Varint.read(bounded, at: &i),
                let offsetDelta = Varint.read(bounded, at: &i),
                let keyLength = Varint.read(bounded, at: &i)
            else { return false }
            var key: UnsafeRawBufferPointer? = nil
            if keyLength >= 0 {
                guard i + Int(keyLength) <= recordEnd else { return false }
                key = UnsafeRawBufferPointer(rebasing: bounded[i..<(i + Int(keyLength))])
                i += Int(keyLength)
            }
            guard let valueLength = Varint.read(bounded, at: &i) else { return false }
            let value: UnsafeRawBufferPointer
            if valueLength >= 0 {
                guard i + Int(valueLength) <= recordEnd else { return false }
                value = UnsafeRawBufferPointer(rebasing: bounded[i..<(i + Int(valueLength))])
                i += Int(valueLength)
            } else {
                value = UnsafeRawBufferPointer(rebasing: bounded[i..<i])
            }
            guard let headerCount = Varint.read(bounded, at: &i), headerCount >= 0 else { return false }
            let view = RecordView(
                offset: header.baseOffset &+ offsetDelta, timestamp: header.baseTimestamp &+ timestampDelta,
                key: key, value: value,
                encodedHeaders: UnsafeRawBufferPointer(rebasing: bounded[i..<recordEnd]),
                headerCount: Int(headerCount))
            try body(view)
            i = recordEnd
        }
        return true
    }
}
