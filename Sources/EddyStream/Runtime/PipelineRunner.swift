import CoreMetrics
public import EddyLog
import Synchronization

/// Runs a built pipeline against a log: reads, decodes, applies the operators, emits batches to the sinks and
/// checkpoints, per the pipeline's ``Trigger``.
///
/// ```swift
/// let runner = try PipelineRunner(pipeline, log: log, dataDirectory: "./eddy-data")
/// Task { try await runner.run() }          // until stop() (or, with .once, until the input is drained)
/// runner.stop()                            // e.g. from a SIGTERM handler: finishes the batch, checkpoints
/// ```
///
/// Exactly-once: after each batch the results go to the sinks (with the batch id and source offsets), then
/// state and offsets are checkpointed together in one atomic file. A restart resumes from the checkpoint; if a
/// sink that stores offsets (``Sink/committedOffsets(pipeline:)``) is ahead of the checkpoint, the runner first
/// replays exactly up to the sink's offsets without re-sending to it, so every table ends as if the pipeline
/// had never stopped.
///
/// Tests drive it batch by batch with ``step()`` and a ``ManualClock``.
public actor PipelineRunner {
    public nonisolated let plan: PipelinePlan
    nonisolated let log: any Log
    nonisolated let clock: any PipelineClock
    nonisolated let checkpoints: CheckpointStore?
    private let reader: SourceReader
    private let outputs: [OutputOperator]
    private let scanner: JSONScanner
    private var scanned: ScannedRecord
    /// One batch executor per worker when the pipeline runs on column batches, kept across batches so
    /// keys stay interned.
    private var executors: [BatchExecutor]
    /// SALESPERF hook: the same for the explode-and-aggregate path (see ``ExplodeAggregationPlan``).
    private var explodePartials: [ExplodePartials] = []
    private var deadLetters: DeadLetterQueue
    /// Per output, where each row in its `lateToPublish` came from (source partition and offset).
    private var lateSources: [[(partition: Int, offset: Offset)]]
    /// Per table, per source partition: the highest source offset whose late rows are already published
    /// (found at restore, like ``DeadLetterQueue/routed``).
    private var lateRouted: [String: [Int: Offset]] = [:]
    /// Held from the first batch to the end of ``run()``: one process per pipeline and data directory.
    private var lock: PipelineLock?
    /// The decoded record's columns, for ``Pipeline/validate(_:_:)``.
    private let inputIndex: ColumnIndex
    private let metrics: PipelineMetrics
    private var recordsIn: Int64 = 0
    private var prepared = false
    /// After a restore the first batch is emitted even without input, so in-memory sinks get the state back.
    private var resendAfterRestore = false
    private var lastCheckpointMillis: Int64?
    /// Where the checkpoint folder stands (base generation, deltas since), for the next checkpoint.
    private var progress = CheckpointProgress()
    private var lastRateMillis: Int64?
    private var lastRateRecords: Int64 = 0
    private nonisolated let stopRequested = Atomic<Bool>(false)
    private nonisolated let statusBox: Mutex<PipelineStatus>

    /// Builds `pipeline` (throwing ``PipelineError`` if it is invalid) and prepares to run it on `log`.
    /// Checkpoints go under `<dataDirectory>/checkpoints/<pipeline>/`; nil keeps no checkpoint.
    public init(
        _ pipeline: Pipeline, log: any Log, dataDirectory: String?, clock: any PipelineClock = SystemClock()
    ) throws(PipelineError) {
        try self.init(
            plan: pipeline.build(), log: log,
            checkpoints: dataDirectory.map { CheckpointStore(dataDirectory: $0, pipeline: pipeline.name) },
            clock: clock)
    }

    public init(
        plan: PipelinePlan, log: any Log, checkpoints: CheckpointStore?,
        clock: any PipelineClock = SystemClock()
    ) throws(PipelineError) {
        self.plan = plan
        self.log = log
        self.clock = clock
        self.checkpoints = checkpoints
        self.reader = try SourceReader(
            log: log, topic: plan.source.topic, partitions: plan.source.partitions,
            fetchBytes: plan.pipeline.fetchBytes)
        self.outputs = plan.outputs.map(OutputOperator.init)
        self.inputIndex = ColumnIndex(plan.inputColumns)
        let publishLate = plan.pipeline.lateRowsTopic != nil
        for output in outputs { output.publishLateRows = publishLate }
        self.scanner = JSONScanner(
            schema: plan.projection.map { p in Schema(p.map { plan.source.schema.fields[$0] }) }
                ?? plan.source.schema)
        self.scanned = scanner.makeRecord()
        if let batchPlan = plan.batchPlan {
            // More workers than partitions still helps: a whole-backlog batch splits partitions by offset.
            let workers = max(1, plan.pipeline.workers)
            let scanned = plan.projection ?? Array(plan.source.schema.fields.indices)
            self.executors = (0..<workers).map { _ in
                BatchExecutor(
                    plan: batchPlan, inputColumns: plan.inputColumns, scanned: scanned,
                    logTimestampColumn: plan.source.logTimestampColumn != nil)
            }
        } else {
            self.executors = []
        }
        if let explode = plan.explodePath {
            let workers = max(1, min(plan.pipeline.workers, reader.partitions.count))
            self.explodePartials = Array(repeating: ExplodePartials(plan: explode), count: workers)
        }
        self.deadLetters = DeadLetterQueue(
            topic: plan.pipeline.deadLetterTopic ?? plan.source.topic + ".dlq",
            sourceTopic: plan.source.topic,
            pipeline: plan.name)
        self.lateSources = Array(repeating: [], count: plan.outputs.count)
        self.metrics = PipelineMetrics(pipeline: plan.name, partitions: reader.partitions)
        self.statusBox = Mutex(
            PipelineStatus(
                name: plan.name, topic: plan.topic, state: .starting, trigger: plan.trigger.description,
                tables: plan.tables.map(\.name)))
    }

    /// The figures of this pipeline right now. Safe from any thread, never waits for a batch.
    public nonisolated var status: PipelineStatus {
        var s = statusBox.withLock { $0 }
        if let last = s.lastCheckpointMillis { s.checkpointAgeMillis = max(0, clock.nowMillis() - last) }
        return s
    }

    /// Its state alone, without copying the rest of ``status``.
    public nonisolated var state: PipelineStatus.State {
        statusBox.withLock { $0.state }
    }

    /// Asks the runner to stop after the current batch; ``run()`` then checkpoints, closes the sinks and
    /// returns. Safe from any thread (a signal handler's task, for instance).
    public nonisolated func stop() {
        stopRequested.store(true, ordering: .releasing)
    }

    /// A cancelled task stops too: its sleeps and waits return at once, so looping on would spin.
    private var shouldStop: Bool { stopRequested.load(ordering: .acquiring) || Task.isCancelled }

    /// Runs per the pipeline's trigger until ``stop()`` (or, for `.availableNow`, until the input present at
    /// start is processed). Checkpoints and closes the sinks before returning.
    public func run() async throws {
        defer {
            lock?.release()
            lock = nil
        }
        do {
            try await prepare()
            setState(.running)
            switch plan.trigger {
            case .availableNow:
                try await drainAvailable()
            case .processingTime(let interval):
                var first = true
                while !shouldStop {
                    let started = clock.nowMillis()
                    let ends = try reader.snapshotEnds()
                    if first || ends.contains(where: { $0.value > (reader.next[$0.key] ?? 0) }) {
                        try await step(upTo: ends)
                        first = false
                    }
                    let elapsed = Duration.milliseconds(clock.nowMillis() - started)
                    if elapsed < interval && !shouldStop { try await clock.sleep(for: interval - elapsed) }
                }
            case .continuous:
                // A wait that reports data which the next read does not find (the log's files replaced under
                // a running process, say) would turn this loop into a spin; such false alarms back off.
                var falseAlarms = 0
                var announced = false
                while !shouldStop {
                    let report = try await step()
                    if report.records > 0 {
                        falseAlarms = 0
                        announced = false
                        continue
                    }
                    if announced {
                        falseAlarms += 1
                        try? await Task.sleep(for: .milliseconds(min(200, 1 << min(falseAlarms, 8))))
                    }
                    announced = await waitForInput()
                }
            }
            setState(.stopping)
            try await checkpointNow()
            for output in outputs { try await output.plan.sink.close() }
            setState(.stopped)
        } catch {
            statusBox.withLock {
                $0.state = .failed
                $0.error = "\(error)"
            }
            throw error
        }
    }

    /// What one batch did.
    public struct BatchReport: Sendable {
        public var records: Int
        public var emitted: [String: Int]
    }

    /// Runs one batch now: reads everything available (up to ``Pipeline/maxRecordsPerBatch(_:)``), then emits
    /// each output per its mode and checkpoints if the interval has passed.
    @discardableResult
    public func step() async throws -> BatchReport {
        try await prepare()
        return try await step(upTo: reader.snapshotEnds())
    }

    /// Processes everything present now, in as many batches as ``Pipeline/maxRecordsPerBatch(_:)`` requires,
    /// and checkpoints. What `.availableNow` does.
    public func drainAvailable() async throws {
        try await prepare()
        let ends = try reader.snapshotEnds()
        var first = true
        repeat {
            try await step(upTo: ends)
            first = false
        } while !shouldStop && ends.contains(where: { $0.value > (reader.next[$0.key] ?? 0) })
        _ = first
        try await checkpointNow()
    }

    /// Restores the checkpoint (and replays to the sinks' offsets) without running a batch, so a plan that
    /// cannot resume fails here. ``run()`` and ``step()`` do this first anyway.
    public func resume() async throws {
        try await prepare()
    }

    /// Saves state and offsets now: the groups changed since the last checkpoint, or with `compact` (or when
    /// the ``CheckpointStore/compaction`` policy says so) the whole state as a new base.
    public func checkpointNow(compact: Bool = false) async throws {
        guard let checkpoints, prepared else { return }
        let now = clock.nowMillis()
        try verifiedStorage()
        try writeCheckpoint(to: checkpoints, now: now, compact: compact)
        lastCheckpointMillis = now
        statusBox.withLock { $0.lastCheckpointMillis = now }
        // Tools (`eddy consume --group`, lag displays) see the pipeline's progress as a consumer group.
        do {
            try log.consumerGroups.commit(group: consumerGroup, offsets: reader.offsets)
        } catch {
            throw PipelineError.log(error)
        }
    }

    nonisolated var consumerGroup: String { "eddy-" + plan.name }

    /// Checkpoints live beside the log: once its directory is gone or replaced, writing one would put this
    /// pipeline's state into a directory that is not its own.
    private func verifiedStorage() throws {
        do {
            try log.verifyStorage()
        } catch {
            throw PipelineError.log(error)
        }
    }

    // MARK: Preparation

    private func prepare() async throws {
        guard !prepared else { return }
        if let checkpoints, lock == nil { lock = try PipelineLock.acquire(checkpoints, pipeline: plan.name) }
        try reader.start(at: plan.source.startingOffsets, group: consumerGroup)
        if let checkpoints {
            let chain = try checkpoints.loadChain()
            if let chain { try restore(chain, path: checkpoints.directory) }
            try reconcileRouted(since: chain?.latest)
        }
        prepared = true
        try await catchUpWithSinks()
        var initial = statusBox.withLock { $0 }
        fillStatus(&initial)
        statusBox.withLock { $0 = initial }
    }

    private func restore(_ chain: CheckpointChain, path: String) throws(PipelineError) {
        let saved = chain.latest
        if let stage = plan.unnamedClosures.first {
            throw .checkpointNotResumable(path: path, pipeline: plan.name, stage: stage)
        }
        guard saved.fingerprint == plan.fingerprint, saved.topic == plan.topic else {
            throw .checkpointMismatch(
                path: path,
                detail: saved.topic != plan.topic
                    ? "it reads topic '\(saved.topic)', this pipeline reads '\(plan.topic)'"
                    : PipelinePlan.difference(saved: saved.fingerprint, current: plan.fingerprint))
        }
        for (p, offset) in saved.offsets where reader.partitions.contains(p) { reader.next[p] = offset }
        recordsIn = saved.recordsIn
        deadLetters.restore(count: saved.deadLetters)
        for (o, (output, state)) in zip(outputs, saved.outputs).enumerated()
        where output.table.name == state.table {
            output.nextBatchId = state.nextBatchId
            output.rowsOut = state.rowsOut
            output.lateRows = state.lateRows
            if let snapshot = chain.base.outputs[o].aggregation, let aggregation = output.aggregation {
                aggregation.restore(snapshot)
                for delta in chain.deltas {
                    if let change = delta.outputs[o].aggregation { aggregation.apply(change) }
                }
                // Sinks that live in memory start empty after a restart: re-send every group once.
                if output.table.mode == .update { aggregation.markAllChanged() }
            }
        }
        progress = CheckpointProgress(restoredFrom: chain, stateRows: outputs.reduce(0) { $0 + $1.stateRows })
        lastCheckpointMillis = saved.writtenAtMillis
        resendAfterRestore = true
        statusBox.withLock { $0.lastCheckpointMillis = saved.writtenAtMillis }
    }

    /// Finds what batches after `saved` (all of them without a checkpoint) already appended to the dead-letter
    /// and late-rows topics, so replaying those batches does not append it again.
    private func reconcileRouted(since saved: Checkpoint?) throws(PipelineError) {
        deadLetters.routed =
            try routedSourceOffsets(
                in: deadLetters.topic, from: saved?.deadLetterEnd, pipeline: plan.name,
                sourceTopic: plan.topic,
                log: log)[""] ?? [:]
        if let topic = plan.pipeline.lateRowsTopic {
            let late = try routedSourceOffsets(
                in: topic, from: saved?.lateRowsEnd, pipeline: plan.name, sourceTopic: plan.topic, log: log)
            lateRouted = late.filter { !$0.key.isEmpty }
        }
    }

    /// When a sink committed offsets beyond the checkpoint (it stored batch N, then the process died before the
    /// checkpoint), replay exactly to those offsets, sending the result only to the sinks that lack it.
    private func catchUpWithSinks() async throws {
        var target: [Int: Offset] = [:]
        var sinkOffsets: [Int: [Int: Offset]] = [:]
        for (i, output) in outputs.enumerated() {
            guard let committed = try await output.plan.sink.committedOffsets(pipeline: plan.name) else {
                continue
            }
            var mine: [Int: Offset] = [:]
            for (tp, offset) in committed
            where tp.topic == plan.topic && reader.partitions.contains(tp.partition) {
                mine[tp.partition] = offset
            }
            sinkOffsets[i] = mine
            for (p, offset) in mine where offset > (reader.next[p] ?? 0) {
                target[p] = max(target[p] ?? 0, offset)
            }
        }
        guard !target.isEmpty else { return }
        var limit = target
        for p in reader.partitions where limit[p] == nil { limit[p] = reader.next[p] ?? 0 }
        var skip: Set<Int> = []
        for (i, offsets) in sinkOffsets {
            if reader.partitions.allSatisfy({ (offsets[$0] ?? reader.next[$0] ?? 0) >= (limit[$0] ?? 0) }) {
                skip.insert(i)
            }
        }
        try await step(upTo: limit, skipping: skip, force: true)
    }

    // MARK: Batches

    @discardableResult
    private func step(upTo ends: [Int: Offset], skipping: Set<Int> = [], force: Bool = false) async throws
        -> BatchReport
    {
        let startedMillis = clock.nowMillis()
        let started = ContinuousClock.now
        let maxRecords = plan.pipeline.maxRecordsPerBatch ?? defaultBatchLimit
        var records = 0
        if !explodePartials.isEmpty {
            records = try await explodeStep(upTo: ends, maxRecords: maxRecords)
        } else if executors.isEmpty {
            var progressed = true
            reading: while progressed && !shouldStop {
                progressed = false
                for p in reader.partitions {
                    let end = ends[p] ?? 0
                    guard let position = reader.next[p], position < end else { continue }
                    guard let fetched = try reader.fetch(p) else { continue }
                    var last = position
                    var budget = maxRecords - records
                    fetched.forEach { record in
                        guard record.offset < end, budget > 0 else { return }
                        process(record, partition: p)
                        last = record.offset + 1
                        budget -= 1
                    }
                    records = maxRecords - budget
                    reader.next[p] = budget > 0 ? min(fetched.nextOffset, end) : last
                    progressed = true
                    if deadLetters.pending.count >= 4096 { try deadLetters.flush(to: log) }
                    if outputs.contains(where: { $0.lateToPublish.count >= 4096 }) { try publishLateRows() }
                    if records >= maxRecords { break reading }
                }
            }
        } else {
            records = try await batchStep(upTo: ends, maxRecords: maxRecords)
        }
        try deadLetters.flush(to: log)
        try publishLateRows()

        var emitted: [String: Int] = [:]
        for (i, output) in outputs.enumerated() {
            let rows = output.finishBatch()
            guard records > 0 || output.nextBatchId == 0 || force || resendAfterRestore else { continue }
            let batch = SinkBatch(
                pipeline: plan.name, table: output.table.name, batchId: output.nextBatchId,
                mode: output.table.mode,
                columns: output.table.columns, keyColumns: output.table.keyColumns, rows: rows,
                offsets: reader.offsets)
            if !skipping.contains(i) {
                do {
                    try await output.plan.sink.write(batch)
                } catch {
                    throw PipelineError.sink(table: output.table.name, message: "\(error)")
                }
            }
            output.nextBatchId += 1
            output.rowsOut += Int64(rows.count)
            emitted[output.table.name] = rows.count
            metrics.recordsOut.increment(by: Int64(rows.count))
        }

        resendAfterRestore = false
        let now = clock.nowMillis()
        if let checkpoints {
            let due =
                lastCheckpointMillis.map { now - $0 >= plan.pipeline.checkpointInterval.microseconds / 1000 }
                ?? true
            if due && (records > 0 || force) {
                try verifiedStorage()
                try writeCheckpoint(to: checkpoints, now: now, compact: false)
                lastCheckpointMillis = now
                try? log.consumerGroups.commit(group: consumerGroup, offsets: reader.offsets)
            }
        }
        let duration = ContinuousClock.now - started
        metrics.recordsIn.increment(by: Int64(records))
        metrics.batchDuration.recordNanoseconds(duration.microseconds * 1000)
        var status = statusBox.withLock { $0 }
        fillStatus(&status)
        if !emitted.isEmpty {
            status.lastBatchId = outputs.map(\.nextBatchId).max().map { $0 - 1 }
            status.lastBatchMillis = startedMillis
            status.lastBatchDurationMillis = Double(duration.microseconds) / 1000
        }
        if let lastRateMillis, now > lastRateMillis {
            status.recordsPerSecond =
                Double(recordsIn - lastRateRecords) * 1000 / Double(now - lastRateMillis)
        }
        if lastRateMillis == nil || now - lastRateMillis! >= 1000 || records == 0 {
            if records == 0 && lastRateMillis != nil && now - lastRateMillis! >= 1000 {
                status.recordsPerSecond = 0
            }
            lastRateMillis = now
            lastRateRecords = recordsIn
        }
        status.lastCheckpointMillis = lastCheckpointMillis
        statusBox.withLock { $0 = status }
        return BatchReport(records: records, emitted: emitted)
    }

    private func process(_ record: RecordView, partition: Int) {
        recordsIn += 1
        if let failure = scanner.scan(record.value, into: &scanned) {
            deadLetters.add(record, partition: partition, reason: failure.reason, detail: failure.description)
            metrics.deadLetters.increment()
            return
        }
        var row: Row
        if let projection = plan.projection {
            row = Row(repeating: .null, count: plan.source.schema.count)
            for (j, i) in projection.enumerated() { row[i] = scanned.value(j) }
        } else {
            row = scanned.row()
        }
        if plan.source.logTimestampColumn != nil { row.append(.timestamp(record.timestamp &* 1000)) }
        if let validation = plan.pipeline.validation,
            let problem = validation.check(RowAccess(columns: inputIndex, values: row))
        {
            deadLetters.add(record, partition: partition, reason: "invalid", detail: problem)
            metrics.deadLetters.increment()
            return
        }
        for output in outputs { output.process(row) }
        if plan.pipeline.lateRowsTopic != nil {
            for (i, output) in outputs.enumerated() where output.lateToPublish.count > lateSources[i].count {
                let added = output.lateToPublish.count - lateSources[i].count
                lateSources[i] += repeatElement((partition: partition, offset: record.offset), count: added)
            }
        }
    }

    /// The batch path: workers (one per share of the partitions) scan into column batches and aggregate
    /// in parallel; their partial aggregates are merged into the outputs' state.
    private func batchStep(upTo ends: [Int: Offset], maxRecords: Int) async throws -> Int {
        let workers = executors.count
        let watermarks = outputs.map { $0.aggregation?.watermark.current }
        for executor in executors { executor.watermarks = watermarks }
        var starts = [[Int: Offset]](repeating: [:], count: workers)
        var stops = [[Int: Offset]](repeating: [:], count: workers)
        var shares = [[Int]](repeating: [], count: workers)
        if maxRecords == .max {
            // The whole backlog up to `ends`: each worker takes an equal slice of every partition, so the
            // work is even however many partitions there are. Slices run to their ends (a stop would leave
            // a gap between slices); the batch is bounded by `ends` anyway.
            for p in reader.partitions {
                let from = reader.next[p] ?? 0
                let span = max(from, ends[p] ?? 0) - from
                for w in 0..<workers {
                    starts[w][p] = from + span * Int64(w) / Int64(workers)
                    stops[w][p] = from + span * Int64(w + 1) / Int64(workers)
                    shares[w].append(p)
                }
            }
        } else {
            for (i, p) in reader.partitions.enumerated() {
                shares[i % workers].append(p)
            }
            for w in 0..<workers {
                starts[w] = reader.next
                stops[w] = ends
            }
        }
        let perWorker = maxRecords == .max ? .max : max(1, maxRecords / workers)
        let (log, topic, fetchBytes, executors) = (
            self.log, plan.topic, plan.pipeline.fetchBytes, self.executors
        )
        let empty = deadLetters.empty
        let canStop = maxRecords != .max
        let (from, to, share) = (starts, stops, shares)
        let results = try await parallel(workers) { w throws(PipelineError) in
            try BatchExecutor.run(
                log: log, topic: topic, partitions: share[w], next: from[w], ends: to[w],
                fetchBytes: fetchBytes, maxRecords: perWorker, executor: executors[w], deadLetters: empty,
                stop: { canStop && self.shouldStopNow })
        }
        var records = 0
        for (w, result) in results.enumerated() {
            for p in shares[w] {
                // Offset slices: the furthest slice's end is where the partition stands.
                if let n = result.next[p], maxRecords != .max || n > (reader.next[p] ?? 0) {
                    reader.next[p] = n
                }
                if let e = result.ends[p] { reader.ends[p] = max(reader.ends[p] ?? 0, e) }
            }
            records += result.records
            deadLetters.absorb(result.deadLetters)
            metrics.deadLetters.increment(by: result.deadLetters.count)
        }
        for (o, output) in outputs.enumerated() {
            guard let aggregation = output.aggregation else { continue }
            for executor in executors { output.lateRows += executor.partials[o].flush(into: aggregation) }
        }
        recordsIn += Int64(records)
        return records
    }

    /// SALESPERF hook: ``fastStep(upTo:maxRecords:)`` for the explode-and-aggregate path.
    private func explodeStep(upTo ends: [Int: Offset], maxRecords: Int) async throws -> Int {
        guard let aggregation = outputs[0].aggregation else { return 0 }
        let workers = explodePartials.count
        let shares: [[Int]] = (0..<workers).map { w in
            reader.partitions.enumerated().filter { $0.offset % workers == w }.map(\.element)
        }
        let results = try await ExplodeWorker.batch(
            log: log, topic: plan.topic, shares: shares, next: reader.next, ends: ends,
            fetchBytes: plan.pipeline.fetchBytes, maxRecords: maxRecords, partials: explodePartials,
            deadLetters: deadLetters.empty, stop: { self.shouldStopNow })
        var records = 0
        for (w, result) in results.enumerated() {
            var partials = result.partials
            partials.flush(into: aggregation)
            explodePartials[w] = partials
            for p in shares[w] {
                if let n = result.next[p] { reader.next[p] = n }
                if let e = result.ends[p] { reader.ends[p] = e }
            }
            records += result.records
            deadLetters.absorb(result.deadLetters)
            metrics.deadLetters.increment(by: result.deadLetters.count)
        }
        recordsIn += Int64(records)
        return records
    }

    /// Without an explicit cap, a batch reads everything available, except that rows a stateless output holds
    /// until the batch ends are bounded, and continuous batches stay small enough to show progress promptly.
    private var defaultBatchLimit: Int {
        if outputs.contains(where: { $0.aggregation == nil }) { return 10_000 }
        if case .continuous = plan.trigger { return 200_000 }
        return .max
    }

    private nonisolated var shouldStopNow: Bool { stopRequested.load(ordering: .acquiring) }

    private func publishLateRows() throws(PipelineError) {
        for (index, output) in outputs.enumerated() where output.aggregation != nil {
            let late = output.lateToPublish
            let sources = lateSources[index]
            output.lateToPublish.removeAll()
            lateSources[index].removeAll()
            guard !late.isEmpty, let topic = plan.pipeline.lateRowsTopic,
                let columns = output.plan.aggregation?.inputColumns
            else { continue }
            let watermark = output.aggregation?.watermark.current.map(Timestamp.formatISO8601) ?? ""
            let published = lateRouted[output.table.name] ?? [:]
            var records: [ProducerRecord] = []
            for (i, row) in late.enumerated() {
                var headers = [
                    Header(DeadLetterHeaders.lateTable, output.table.name),
                    Header(DeadLetterHeaders.lateWatermark, watermark),
                ]
                if i < sources.count {
                    let source = sources[i]
                    // Published before a crash, re-read by the replay: exactly once, like the dead letters.
                    if let mark = published[source.partition], source.offset <= mark { continue }
                    headers += [
                        Header(DeadLetterHeaders.sourceTopic, plan.topic),
                        Header(DeadLetterHeaders.sourcePartition, String(source.partition)),
                        Header(DeadLetterHeaders.sourceOffset, String(source.offset)),
                        Header(DeadLetterHeaders.pipeline, plan.name),
                    ]
                }
                var object: [String: Value] = [:]
                for (i, column) in columns.enumerated() where i < row.count { object[column.name] = row[i] }
                records.append(
                    ProducerRecord(value: Array(Value.object(object).jsonText.utf8), headers: headers))
            }
            guard !records.isEmpty else { continue }
            try ensureTopic(topic, in: log)
            do {
                try log.append(records, to: topic)
            } catch {
                throw .log(error)
            }
        }
    }

    /// Writes a delta (the groups changed since the last checkpoint) or, when there is no base yet, the
    /// policy says so or `compact`, a new base. A delta whose write fails leaves its changes unrecorded, so
    /// the next checkpoint is a base.
    private func writeCheckpoint(to store: CheckpointStore, now: Int64, compact: Bool) throws(PipelineError) {
        let policy = store.compaction
        var full = compact || progress.needsBase || progress.sequence >= Int64(policy.maxDeltas)
        let stateRows = outputs.reduce(0) { $0 + $1.stateRows }
        if !full {
            var delta = try makeCheckpoint(now: now) { $0.takeChanges() }
            delta.generation = progress.generation
            delta.sequence = progress.sequence + 1
            // Encoded once more by save; a delta is small, and a base is then written instead of it.
            let size = delta.encoded().count
            if Double(progress.deltaBytes + size) > policy.maxDeltaFraction * Double(progress.baseBytes) {
                full = true
            } else {
                progress.needsBase = true
                let written = try store.save(delta)
                progress.recordDelta(bytes: written)
            }
        }
        if full {
            var base = try makeCheckpoint(now: now) { aggregation in
                defer { aggregation.forgetChanges() }
                return aggregation.snapshot()
            }
            base.generation = progress.generation + 1
            progress.needsBase = true
            let written = try store.save(base)
            progress.recordBase(generation: base.generation, bytes: written, stateRows: stateRows)
        }
        metrics.checkpointBytes.record(progress.lastBytes)
        metrics.checkpointBytesTotal.increment(by: Int64(progress.lastBytes))
        let figures = progress
        statusBox.withLock {
            $0.checkpointBytesLast = Int64(figures.lastBytes)
            $0.checkpointBytesTotal = figures.totalBytes
            $0.checkpointDeltas = Int(figures.sequence)
        }
    }

    private func makeCheckpoint(
        now: Int64, state: (AggregationOperator) -> AggregationOperator.Snapshot
    ) throws(PipelineError) -> Checkpoint {
        let lateRowsEnd: Offset? =
            if let topic = plan.pipeline.lateRowsTopic { try endOffset(of: topic, in: log) } else { nil }
        return try Checkpoint(
            pipeline: plan.name, fingerprint: plan.fingerprint, topic: plan.topic, offsets: reader.next,
            recordsIn: recordsIn, deadLetters: deadLetters.count, writtenAtMillis: now,
            outputs: outputs.map { output in
                OutputCheckpoint(
                    table: output.table.name, nextBatchId: output.nextBatchId, rowsOut: output.rowsOut,
                    lateRows: output.lateRows, aggregation: output.aggregation.map(state))
            },
            deadLetterEnd: endOffset(of: deadLetters.topic, in: log),
            lateRowsEnd: lateRowsEnd)
    }

    private func fillStatus(_ status: inout PipelineStatus) {
        status.recordsIn = recordsIn
        status.recordsOut = outputs.reduce(0) { $0 + $1.rowsOut }
        status.deadLetters = deadLetters.count
        status.lateRows = outputs.reduce(0) { $0 + $1.lateRows }
        status.stateRows = outputs.reduce(0) { $0 + $1.stateRows }
        status.stateBytes = progress.estimatedStateBytes(stateRows: status.stateRows)
        metrics.stateBytes.record(status.stateBytes)
        status.recentDeadLetters = deadLetters.recent
        var lag: [Int: Int64] = [:]
        for (p, l) in reader.lag {
            lag[p] = l
            metrics.partitionLag[p]?.record(l)
        }
        status.lag = lag
        metrics.totalLag.record(lag.values.reduce(0, +))
        metrics.stateRows.record(status.stateRows)
        let late = status.lateRows
        let reported = statusBox.withLock { $0.lateRows }
        if late > reported { metrics.lateRows.increment(by: late - reported) }
    }

    private func setState(_ state: PipelineStatus.State) {
        statusBox.withLock { $0.state = state }
    }

    /// Waits a little for new records; true when a partition reported some.
    private func waitForInput() async -> Bool {
        let partitions = reader.partitions
        let slice: Duration = partitions.count == 1 ? .milliseconds(200) : .milliseconds(5)
        for p in partitions {
            if shouldStop { return false }
            if await log.waitForData(
                TopicPartition(plan.topic, p), beyond: reader.next[p] ?? 0, timeout: slice)
            {
                return true
            }
        }
        return false
    }
}
