import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension PartitionLog {
    struct ReadPlan {
        /// The segment holding `from` and the one after it (if any), with the byte ranges to look in.
        var segments: [(segment: Segment, position: Int64, limit: Int64)]
        var from: Offset
        var start: Offset
        var end: Offset
    }

    /// Under the lock, where a read from `offset` must look.
    private func readPlan(from offset: Offset) throws(LogError) -> ReadPlan {
        let tp = topicPartition
        let plan = try state.withLock { (s) throws(LogError) -> ReadPlan in
            refresh(&s)
            let start = s.start
            let end = s.end
            if offset > end { throw .offsetOutOfRange(tp, requested: offset, start: start, end: end) }
            let from = max(offset, start)
            guard from < end, var i = Self.segmentIndex(s.segments, containing: from) else {
                return ReadPlan(segments: [], from: from, start: start, end: end)
            }
            while i < s.segments.count - 1 && s.segments[i].nextOffset <= from { i += 1 }
            let segment = s.segments[i]
            var segments = [
                (segment, segment.offsetIndex.position(atOrBelow: segment.relative(from)), segment.size)
            ]
            if i + 1 < s.segments.count { segments.append((s.segments[i + 1], 0, s.segments[i + 1].size)) }
            return ReadPlan(segments: segments, from: from, start: start, end: end)
        }
        if plan.end > notifier.end { notifier.advance(to: plan.end) }
        return plan
    }

    func read(from offset: Offset, maxBytes: Int) throws(LogError) -> FetchedRecords {
        let plan = try readPlan(from: offset)
        for (segment, position, limit) in plan.segments {
            // Skip the batches wholly below `from` (at most about one index interval of them).
            var walker = BatchHeaderWalker(file: segment.file, limit: limit)
            guard let (position, firstSize) = try walker.batch(from: position, containing: plan.from) else {
                continue
            }
            let want = Int(min(Int64(max(maxBytes, firstSize)), limit - position))
            var bytes = try segment.file.read(count: want, at: position)
            // Keep whole batches only.
            var kept = 0
            var next = plan.from
            bytes.withUnsafeBytes { raw in
                while kept < raw.count {
                    guard let header = RecordBatchHeader(UnsafeRawBufferPointer(rebasing: raw[kept...])),
                        kept + header.size <= raw.count
                    else { break }
                    kept += header.size
                    next = header.nextOffset
                }
            }
            if kept < bytes.count { bytes.removeLast(bytes.count - kept) }
            return FetchedRecords(
                topicPartition: topicPartition, batches: bytes, requestedOffset: plan.from, nextOffset: next,
                highWatermark: plan.end, logStartOffset: plan.start)
        }
        return FetchedRecords(
            topicPartition: topicPartition, batches: [], requestedOffset: plan.from, nextOffset: plan.from,
            highWatermark: plan.end, logStartOffset: plan.start)
    }

    /// The batches ``read(from:maxBytes:)`` would return, as a range of the segment file: only batch
    /// headers are read (the bytes below a segment's size are whole, CRC-checked batches).
    func readStored(from offset: Offset, maxBytes: Int) throws(LogError) -> StoredBatches {
        let plan = try readPlan(from: offset)
        for (segment, position, limit) in plan.segments {
            var walker = BatchHeaderWalker(file: segment.file, limit: limit)
            guard let (start, firstSize) = try walker.batch(from: position, containing: plan.from) else {
                continue
            }
            let bound = min(start + Int64(max(maxBytes, firstSize)), limit)
            var end = start
            var next = plan.from
            while let header = try walker.header(at: end), end + Int64(header.size) <= bound {
                end += Int64(header.size)
                next = header.nextOffset
            }
            return StoredBatches(
                bytes: .file(StoredFileRange(file: segment.file, position: start, count: Int(end - start))),
                requestedOffset: plan.from, nextOffset: next, highWatermark: plan.end,
                logStartOffset: plan.start)
        }
        return StoredBatches(
            bytes: .memory([]), requestedOffset: plan.from, nextOffset: plan.from, highWatermark: plan.end,
            logStartOffset: plan.start)
    }

    /// The index of the last segment whose base offset is at or below `offset`.
    private static func segmentIndex(_ segments: [Segment], containing offset: Offset) -> Int? {
        var lo = 0
        var hi = segments.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if segments[mid].baseOffset <= offset { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : lo - 1
    }

    /// The earliest offset whose timestamp is at or after `timestamp`, or the end offset.
    func offset(atOrAfter timestamp: TimestampMillis) throws(LogError) -> Offset {
        struct Candidate {
            var segment: Segment
            var position: Int64
            var limit: Int64
            var from: Offset
        }
        let (candidates, end) = state.withLock { s -> ([Candidate], Offset) in
            refresh(&s)
            var candidates: [Candidate] = []
            for segment in s.segments where !segment.isEmpty && segment.maxTimestamp >= timestamp {
                let relative = segment.timeIndex.scanStart(for: timestamp)
                let from = segment.baseOffset + Int64(relative)
                candidates.append(
                    Candidate(
                        segment: segment, position: segment.offsetIndex.position(atOrBelow: relative),
                        limit: segment.size, from: from))
            }
            return (candidates, s.end)
        }
        for candidate in candidates {
            var position = candidate.position
            var walker = BatchHeaderWalker(file: candidate.segment.file, limit: candidate.limit)
            while let (at, size) = try walker.batch(from: position, containing: candidate.from) {
                let batch = try candidate.segment.file.read(count: size, at: at)
                var found: Offset? = nil
                batch.withUnsafeBytes { raw in
                    guard let header = RecordBatchHeader(raw), header.maxTimestamp >= timestamp else {
                        return
                    }
                    _ = RecordBatch.forEachRecord(in: raw, header: header) { view in
                        if found == nil && view.offset >= candidate.from && view.timestamp >= timestamp {
                            found = view.offset
                        }
                    }
                }
                if let found { return found }
                position = at + Int64(size)
            }
        }
        return end
    }
}

/// Reads batch headers of a segment file through a small reused window, so walking from batch to batch
/// costs one `pread` per window, not one per batch, and never reads the records themselves.
struct BatchHeaderWalker {
    let file: FileDescriptor
    /// Bytes of the file that hold whole batches.
    let limit: Int64
    private var window = [UInt8](repeating: 0, count: 8192)
    private var windowStart: Int64 = -1
    private var windowCount = 0

    init(file: FileDescriptor, limit: Int64) {
        self.file = file
        self.limit = limit
    }

    /// The header of the batch at `position`, or nil at the limit.
    mutating func header(at position: Int64) throws(LogError) -> RecordBatchHeader? {
        guard position + Int64(RecordBatch.headerSize) <= limit else { return nil }
        if windowStart < 0 || position < windowStart
            || position + Int64(RecordBatch.headerSize) > windowStart + Int64(windowCount)
        {
            let want = Int(min(Int64(window.count), limit - position))
            windowCount = try file.read(into: &window, count: want, at: position)
            windowStart = position
            if windowCount < RecordBatch.headerSize { return nil }
        }
        let at = Int(position - windowStart)
        let count = windowCount
        return window.withUnsafeBytes { raw in
            RecordBatchHeader(UnsafeRawBufferPointer(rebasing: raw[at..<count]))
        }
    }

    /// Walks from `position` to the batch holding `offset`; returns its position and size.
    mutating func batch(from position: Int64, containing offset: Offset) throws(LogError) -> (Int64, Int)? {
        var position = position
        while let header = try header(at: position) {
            if header.lastOffset >= offset { return (position, header.size) }
            position += Int64(header.size)
        }
        return nil
    }
}
