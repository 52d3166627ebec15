/// Kafka's v2 record batch ("magic 2"), the unit the log stores, indexes, checksums and serves.
///
/// Layout (big-endian fixed-width integers):
///
/// ```text
/// baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 (2) | crc uint32 |
/// attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 | maxTimestamp int64 |
/// producerId int64 | producerEpoch int16 | baseSequence int32 | recordCount int32 | records...
/// ```
///
/// `batchLength` counts the bytes after itself; the CRC-32C covers `attributes` to the end. Each record is
/// `length varint | attributes int8 | timestampDelta varlong | offsetDelta varint | keyLength varint (-1 =
/// null) | key | valueLength varint | value | headerCount varint | (keyLength varint | key | valueLength
/// varint | value)*`. Eddy writes uncompressed batches (attributes 0) with no producer id (-1).
public enum RecordBatch {
    /// Bytes before the first record.
    public static let headerSize = 61
    /// Bytes of `baseOffset` and `batchLength`, which `batchLength` does not count.
    public static let logOverhead = 12
    public static let magic: UInt8 = 2

    static let baseOffsetAt = 0
    static let batchLengthAt = 8
    static let partitionLeaderEpochAt = 12
    static let magicAt = 16
    static let crcAt = 17
    static let attributesAt = 21
    static let lastOffsetDeltaAt = 23
    static let baseTimestampAt = 27
    static let maxTimestampAt = 35
    static let producerIdAt = 43
    static let producerEpochAt = 51
    static let baseSequenceAt = 53
    static let recordCountAt = 57

    /// Upper bound of the encoded size of one record (its framing at most, plus its bytes).
    @inline(__always)
    static func maxEncodedSize(of record: ProducerRecord) -> Int {
        var size = 5 + 1 + 10 + 5 + 5 + (record.key?.count ?? 0) + 5 + record.value.count + 5
        for header in record.headers {
            size += 5 + header.key.utf8.count + 5 + (header.value?.count ?? 0)
        }
        return size
    }

    /// The size of a record's key, value and headers: what ``LogError/recordTooLarge(size:max:)`` limits.
    @inline(__always)
    static func payloadSize(of record: ProducerRecord) -> Int {
        var size = (record.key?.count ?? 0) + record.value.count
        for header in record.headers {
            size += header.key.utf8.count + (header.value?.count ?? 0)
        }
        return size
    }
}

/// What encoding one batch produced.
struct EncodedBatchInfo: Sendable {
    var baseOffset: Offset
    var lastOffset: Offset
    var maxTimestamp: TimestampMillis
    var byteCount: Int
    var recordCount: Int
}

/// A growable byte buffer reused across appends, so encoding a batch allocates nothing in steady state.
/// Used only under its owner's lock.
final class EncodeBuffer: @unchecked Sendable {
    private(set) var pointer: UnsafeMutableRawPointer
    private(set) var capacity: Int
    var count = 0

    init(capacity: Int = 1 << 16) {
        self.capacity = capacity
        pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { pointer.deallocate() }

    func reserve(_ needed: Int) {
        guard needed > capacity else { return }
        var newCapacity = capacity
        while newCapacity < needed { newCapacity *= 2 }
        let newPointer = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newPointer.copyMemory(from: pointer, byteCount: count)
        pointer.deallocate()
        pointer = newPointer
        capacity = newCapacity
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: pointer, count: count) }
}

extension UnsafeMutableRawPointer {
    @inline(__always)
    func storeBigEndian<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        storeBytes(of: value.bigEndian, toByteOffset: offset, as: T.self)
    }
}

extension UnsafeRawPointer {
    @inline(__always)
    func loadBigEndian<T: FixedWidthInteger>(at offset: Int, as: T.Type) -> T {
        T(bigEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}

extension RecordBatch {
    /// Encodes `records` as one uncompressed v2 batch starting at `baseOffset`, appending it to `buffer`.
    /// Records without a timestamp get `now`.
    static func encode<C: Collection<ProducerRecord>>(
        _ records: C, baseOffset: Offset, now: TimestampMillis, into buffer: EncodeBuffer
    ) -> EncodedBatchInfo {
        var bound = headerSize
        var baseTimestamp = now
        var maxTimestamp = Int64.min
        var first = true
        for record in records {
            bound += maxEncodedSize(of: record)
            let ts = record.timestamp ?? now
            if first {
                baseTimestamp = ts
                first = false
            }
            if ts > maxTimestamp { maxTimestamp = ts }
        }
        let start = buffer.count
        buffer.reserve(start + bound)
        let batch = buffer.pointer + start
        var at = headerSize
        var offsetDelta: Int64 = 0
        for record in records {
            let timestampDelta = (record.timestamp ?? now) &- baseTimestamp
            var body = 1 + Varint.size(timestampDelta) + Varint.size(offsetDelta)
            if let key = record.key {
                body += Varint.size(Int64(key.count)) + key.count
            } else {
                body += 1
            }
            body += Varint.size(Int64(record.value.count)) + record.value.count
            body += Varint.size(Int64(record.headers.count))
            for header in record.headers {
                let keyCount = header.key.utf8.count
                body += Varint.size(Int64(keyCount)) + keyCount
                if let value = header.value {
                    body += Varint.size(Int64(value.count)) + value.count
                } else {
                    body += 1
                }
            }
            let p = batch + at
            var i = Varint.write(Int64(body), to: p)
            p.storeBytes(of: 0, toByteOffset: i, as: UInt8.self)
            i += 1
            i += Varint.write(timestampDelta, to: p + i)
            i += Varint.write(offsetDelta, to: p + i)
            if let key = record.key {
                i += Varint.write(Int64(key.count), to: p + i)
                key.withUnsafeBytes { src in
                    if let base = src.baseAddress { (p + i).copyMemory(from: base, byteCount: src.count) }
                }
                i += key.count
            } else {
                i += Varint.write(-1, to: p + i)
            }
            i += Varint.write(Int64(record.value.count), to: p + i)
            record.value.withUnsafeBytes { src in
                if let base = src.baseAddress { (p + i).copyMemory(from: base, byteCount: src.count) }
            }
            i += record.value.count
            i += Varint.write(Int64(record.headers.count), to: p + i)
            for header in record.headers {
                var key = header.key
                key.withUTF8 { utf8 in
                    i += Varint.write(Int64(utf8.count), to: p + i)
                    if let base = utf8.baseAddress { (p + i).copyMemory(from: base, byteCount: utf8.count) }
                    i += utf8.count
                }
                if let value = header.value {
                    i += Varint.write(Int64(value.count), to: p + i)
                    value.withUnsafeBytes { src in
                        if let base = src.baseAddress { (p + i).copyMemory(from: base, byteCount: src.count) }
                    }
                    i += value.count
                } else {
                    i += Varint.write(-1, to: p + i)
                }
            }
            at += i
            offsetDelta += 1
        }
        let count = Int(offsetDelta)
        if count == 0 { maxTimestamp = now }
        batch.storeBigEndian(baseOffset, at: baseOffsetAt)
        batch.storeBigEndian(Int32(at - logOverhead), at: batchLengthAt)
        batch.storeBigEndian(Int32(-1), at: partitionLeaderEpochAt)
        batch.storeBytes(of: magic, toByteOffset: magicAt, as: UInt8.self)
        batch.storeBigEndian(Int16(0), at: attributesAt)
        batch.storeBigEndian(Int32(max(count - 1, 0)), at: lastOffsetDeltaAt)
        batch.storeBigEndian(baseTimestamp, at: baseTimestampAt)
        batch.storeBigEndian(maxTimestamp, at: maxTimestampAt)
        batch.storeBigEndian(Int64(-1), at: producerIdAt)
        batch.storeBigEndian(Int16(-1), at: producerEpochAt)
        batch.storeBigEndian(Int32(-1), at: baseSequenceAt)
        batch.storeBigEndian(Int32(count), at: recordCountAt)
        let crc = CRC32C.checksum(
            UnsafeRawBufferPointer(start: batch + attributesAt, count: at - attributesAt))
        batch.storeBigEndian(crc, at: crcAt)
        buffer.count = start + at
        return EncodedBatchInfo(
            baseOffset: baseOffset, lastOffset: baseOffset + Int64(max(count - 1, 0)),
            maxTimestamp: maxTimestamp,
            byteCount: at, recordCount: count)
    }
}
