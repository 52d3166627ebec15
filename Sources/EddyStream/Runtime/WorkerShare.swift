import EddyLog

/// One compiled-path worker's reading of its share of a topic's partitions within one batch: where each
/// partition stands, how far the batch may go, how many records were read, and the dead letters so far.
///
/// ```swift
/// var share = WorkerShare(next: next, deadLetters: deadLetters)
/// try share.scan(log: log, topic: "motion", partitions: [0, 2], ends: ends, fetchBytes: 4 << 20,
///                maxRecords: 100_000, schema: schema, stop: { false }) { record, view, partition, deadLetters in
///     … aggregate the scanned record, or dead-letter the view …
/// }
/// ```
struct WorkerShare: Sendable {
    /// Per partition, the next offset to read.
    var next: [Int: Offset]
    /// Per partition read, the high watermark seen.
    var ends: [Int: Offset] = [:]
    var records = 0
    var deadLetters: DeadLetterQueue

    init(next: [Int: Offset], deadLetters: DeadLetterQueue) {
        self.next = next
        self.deadLetters = deadLetters
    }

    /// Reads `partitions` round-robin, one fetch of up to `fetchBytes` at a time, from ``next`` up to `ends`
    /// (exclusive) and at most `maxRecords` records in all, and scans each record's value with `schema`: one
    /// that is not a JSON object is dead-lettered with the reason, every other goes to `body` with its
    /// partition. Dead letters are written to the log every 4096 and at the end. A partition whose start
    /// has been deleted by retention continues from its new start.
    @inline(__always)
    mutating func scan(
        log: any Log, topic: String, partitions: [Int], ends limits: [Int: Offset], fetchBytes: Int,
        maxRecords: Int, schema: Schema, stop: () -> Bool,
        _ body: (ScannedRecord, RecordView, Int, inout DeadLetterQueue) -> Void
    ) throws(PipelineError) {
        let scanner = JSONScanner(schema: schema)
        var record = scanner.makeRecord()
        var progressed = true
        reading: while progressed && !stop() {
            progressed = false
            for p in partitions {
                let end = limits[p] ?? 0
                guard let position = next[p], position < end else { continue }
                let fetched: FetchedRecords
                do {
                    fetched = try log.read(TopicPartition(topic, p), from: position, maxBytes: fetchBytes)
                } catch {
                    throw .log(error)
                }
                ends[p] = fetched.highWatermark
                if fetched.isEmpty {
                    if fetched.requestedOffset < fetched.logStartOffset { next[p] = fetched.logStartOffset }
                    continue
                }
                var last = position
                var budget = maxRecords - records
                fetched.forEach { view in
                    guard view.offset < end, budget > 0 else { return }
                    last = view.offset + 1
                    budget -= 1
                    if let failure = scanner.scan(view.value, into: &record) {
                        deadLetters.add(
                            view, partition: p, reason: failure.reason, detail: failure.description)
                    } else {
                        body(record, view, p, &deadLetters)
                    }
                }
                records = maxRecords - budget
                next[p] = budget > 0 ? min(fetched.nextOffset, end) : last
                progressed = true
                if deadLetters.pending.count >= 4096 { try deadLetters.flush(to: log) }
                if records >= maxRecords { break reading }
            }
        }
        try deadLetters.flush(to: log)
    }
}

/// What one compiled-path worker did in one batch: its partial aggregates and where its share stands.
struct WorkerResult<Partials: Sendable>: Sendable {
    var partials: Partials
    var next: [Int: Offset]
    var ends: [Int: Offset]
    var records: Int
    var deadLetters: DeadLetterQueue

    init(partials: Partials, share: WorkerShare) {
        self.partials = partials
        next = share.next
        ends = share.ends
        records = share.records
        deadLetters = share.deadLetters
    }
}
