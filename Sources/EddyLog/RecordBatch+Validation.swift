/// What appending client-encoded batches produced: where they landed.
///
/// ```swift
/// let appended = try log.appendBatches(bytes, to: TopicPartition("motion", 0))
/// print(appended.baseOffset, appended.lastOffset)
/// ```
public struct AppendedBatches: Sendable, Equatable {
    /// The offset assigned to the first record of the first batch.
    public var baseOffset: Offset
    /// The offset of the last record of the last batch.
    public var lastOffset: Offset
    /// The number of batches written.
    public var batchCount: Int

    public init(baseOffset: Offset, lastOffset: Offset, batchCount: Int) {
        self.baseOffset = baseOffset
        self.lastOffset = lastOffset
        self.batchCount = batchCount
    }
}

/// The producer fields of a v2 batch header (Kafka's idempotent producer: id, epoch, first sequence).
public struct BatchProducerInfo: Sendable, Equatable {
    /// The batch's first offset as stored (0 in a batch a client sent, before the log assigns offsets).
    public var baseOffset: Int64
    public var producerId: Int64
    public var producerEpoch: Int16
    public var baseSequence: Int32
    public var recordCount: Int32
    public var isTransactional: Bool
}

extension RecordBatch {
    /// Checks that `bytes` is one or more whole v2 batches, each with a matching CRC-32C, a plausible
    /// record count and no batch over `maxBatchBytes`; returns their headers. The reason names the batch.
    static func validate(_ bytes: UnsafeRawBufferPointer, maxBatchBytes: Int) -> Result<
        [RecordBatchHeader], BatchRejection
    > {
        var headers: [RecordBatchHeader] = []
        var position = 0
        guard !bytes.isEmpty else { return .failure(.invalid("no record batch")) }
        while position < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[position...])
            if rest.count >= 17, rest[16] != RecordBatch.magic {
                return .failure(
                    .invalid("record batch magic \(rest[16]) is not supported: only v2 (magic 2) batches are")
                )
            }
            switch check(rest) {
            case .incomplete:
                return .failure(.invalid("the record batch at byte \(position) is truncated"))
            case .corrupt(let reason):
                return .failure(.corrupt("record batch at byte \(position): \(reason)"))
            case .valid(let header):
                if header.size > maxBatchBytes {
                    return .failure(.tooLarge(size: header.size, max: maxBatchBytes))
                }
                guard header.recordCount > 0, Int64(header.lastOffsetDelta) == Int64(header.recordCount) - 1
                else {
                    return .failure(
                        .invalid(
                            "record batch at byte \(position) has \(header.recordCount) records but last offset delta \(header.lastOffsetDelta)"
                        ))
                }
                headers.append(header)
                position += header.size
            }
        }
        return .success(headers)
    }

    /// Reads the producer fields of every batch in `bytes` (already validated).
    public static func producerInfo(_ bytes: UnsafeRawBufferPointer) -> [BatchProducerInfo] {
        var result: [BatchProducerInfo] = []
        var position = 0
        while position + headerSize <= bytes.count, let p = bytes.baseAddress {
            let at = p + position
            let length = Int(at.loadBigEndian(at: batchLengthAt, as: Int32.self)) + logOverhead
            guard length >= headerSize else { break }
            result.append(
                BatchProducerInfo(
                    baseOffset: at.loadBigEndian(at: baseOffsetAt, as: Int64.self),
                    producerId: at.loadBigEndian(at: producerIdAt, as: Int64.self),
                    producerEpoch: at.loadBigEndian(at: producerEpochAt, as: Int16.self),
                    baseSequence: at.loadBigEndian(at: baseSequenceAt, as: Int32.self),
                    recordCount: at.loadBigEndian(at: recordCountAt, as: Int32.self),
                    isTransactional: at.loadBigEndian(at: attributesAt, as: Int16.self) & 0x10 != 0))
            position += length
        }
        return result
    }
}

/// Why client-encoded batches were refused.
enum BatchRejection: Error {
    case invalid(String)
    case corrupt(String)
    case tooLarge(size: Int, max: Int)

    func logError(_ tp: TopicPartition) -> LogError {
        switch self {
        case .invalid(let reason): return .invalidBatch(tp, reason: reason)
        case .corrupt(let reason): return .corruptBatch(tp, reason: reason)
        case .tooLarge(let size, let max): return .recordTooLarge(size: size, max: max)
        }
    }
}
