/// Where a scan of a segment stopped.
enum SegmentScanStop: Equatable {
    /// Every byte up to the limit is whole, valid batches.
    case end
    /// The last batch is cut short: a write in progress, or torn by a crash.
    case incomplete(position: Int64)
    /// Bytes that are not a valid batch (bad header, CRC mismatch, or offsets that do not follow on).
    case corrupt(position: Int64, detail: String)
}

extension Segment {
    /// Validates batches from ``size`` up to `limit` bytes of the file (CRC-32C, header, offsets that follow
    /// on), noting each valid one in the indexes, and stops at the first that is not whole and valid. Reads
    /// in large windows so recovering a full segment costs about one sequential read.
    func scan(upTo limit: Int64) throws(LogError) -> SegmentScanStop {
        let window = Int(min(Int64(1 << 20), max(limit - size, Int64(RecordBatch.headerSize))))
        var buffer = [UInt8](repeating: 0, count: window)
        var bufferStart: Int64 = 0
        var bufferCount = 0
        var position = size
        while position < limit {
            // Make sure the header is in the buffer.
            if position < bufferStart
                || position + Int64(RecordBatch.headerSize) > bufferStart + Int64(bufferCount)
            {
                let want = Int(min(Int64(buffer.count), limit - position))
                bufferCount = try file.read(into: &buffer, count: want, at: position)
                bufferStart = position
                if bufferCount < RecordBatch.headerSize { return .incomplete(position: position) }
            }
            let headerCheck: RecordBatchHeader? = buffer.withUnsafeBytes { raw in
                let at = Int(position - bufferStart)
                return RecordBatchHeader(UnsafeRawBufferPointer(rebasing: raw[at..<bufferCount]))
            }
            guard let header = headerCheck else {
                return .corrupt(position: position, detail: "no v2 batch header at byte \(position)")
            }
            if position + Int64(header.size) > limit { return .incomplete(position: position) }
            if position + Int64(header.size) > bufferStart + Int64(bufferCount) {
                if header.size > buffer.count { buffer = [UInt8](repeating: 0, count: header.size) }
                let want = Int(min(Int64(buffer.count), limit - position))
                bufferCount = try file.read(into: &buffer, count: want, at: position)
                bufferStart = position
                if bufferCount < header.size { return .incomplete(position: position) }
            }
            let check = buffer.withUnsafeBytes { raw in
                let at = Int(position - bufferStart)
                return RecordBatch.check(UnsafeRawBufferPointer(rebasing: raw[at..<(at + header.size)]))
            }
            switch check {
            case .valid(let valid):
                guard valid.baseOffset == nextOffset else {
                    return .corrupt(
                        position: position,
                        detail:
                            "batch at byte \(position) starts at offset \(valid.baseOffset), expected \(nextOffset)"
                    )
                }
                noteBatch(valid, at: position)
                position += Int64(valid.size)
            case .incomplete:
                return .incomplete(position: position)
            case .corrupt(let detail):
                return .corrupt(position: position, detail: detail)
            }
        }
        return .end
    }
}
