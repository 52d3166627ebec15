import EddyLog

/// One worker's running form of a ``BatchPlan``: its column batch and its partial aggregates per output.
/// Records are scanned into the batch; each full batch runs the shared stages once, then every output's
/// stages and aggregation. The runner keeps one executor per worker across batches (keys stay interned)
/// and merges their partials into the outputs' state at the end of each batch.
///
/// ```swift
/// let executor = BatchExecutor(plan: batchPlan, inputColumns: columns, scanned: [0, 2, 5],
///                              logTimestampColumn: false)
/// executor.watermarks = outputs.map { $0.aggregation?.watermark.current }
/// ```
final class BatchExecutor: @unchecked Sendable {
    let plan: BatchPlan
    let scanSchema: Schema
    private let batch: ColumnBatch
    let partials: [HashAggregation]
    /// Per output, its watermark as the current batch started (rows behind it are late).
    var watermarks: [Int64?]

    init(plan: BatchPlan, inputColumns: [Column], scanned: [Int], logTimestampColumn: Bool) {
        self.plan = plan
        scanSchema = Schema(scanned.map { inputColumns[$0] })
        batch = ColumnBatch(columns: inputColumns, scanned: scanned, logTimestampColumn: logTimestampColumn)
        partials = plan.outputs.map { HashAggregation(plan: $0.aggregation) }
        watermarks = Array(repeating: nil, count: plan.outputs.count)
    }

    @inline(__always)
    func append(_ record: ScannedRecord, logTimestamp: Int64) {
        batch.append(record, logTimestamp: logTimestamp)
        if batch.isFull { execute() }
    }

    /// Runs the rows collected so far through the plan.
    func execute() {
        guard batch.count > 0 else { return }
        let capacity = batch.capacity
        var vectors = batch.vectors
        var rows = Selection.all(batch.count)
        for step in plan.shared { step.apply(&vectors, &rows, capacity: capacity) }
        for (o, output) in plan.outputs.enumerated() {
            var mine = vectors
            var selected = rows
            for step in output.steps { step.apply(&mine, &selected, capacity: capacity) }
            partials[o].add(mine, selected, capacity: capacity, watermark: watermarks[o])
        }
        batch.clear()
    }

    /// Reads `partitions` from `next` up to `ends` (at most `maxRecords`) into batches and runs them.
    static func run(
        log: any Log, topic: String, partitions: [Int], next: [Int: Offset], ends: [Int: Offset],
        fetchBytes: Int, maxRecords: Int, executor: BatchExecutor, deadLetters: DeadLetterQueue,
        stop: () -> Bool
    ) throws(PipelineError) -> WorkerResult<BatchExecutor> {
        var share = WorkerShare(next: next, deadLetters: deadLetters)
        try share.scan(
            log: log, topic: topic, partitions: partitions, ends: ends, fetchBytes: fetchBytes,
            maxRecords: maxRecords, schema: executor.scanSchema, stop: stop
        ) { record, view, _, _ in
            executor.append(record, logTimestamp: view.timestamp)
        }
        executor.execute()
        return WorkerResult(partials: executor, share: share)
    }
}
