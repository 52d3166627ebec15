import EddyLog

/// The compiled fast path for the commonest streaming query: null filters, group by one string column,
/// count/sum/avg/min/max of numeric columns. Records are scanned straight into typed slots (only the fields
/// the query needs), keys are found by their bytes in a ``KeyTable``, and accumulators are flat arrays: no
/// allocation per record. Partial results are merged into the output's ``AggregationOperator`` at the end of
/// each batch, so modes, emission and checkpoints stay the generic ones.
struct FastAggregationPlan: Sendable {
    enum Kind: Sendable {
        case countAll
        case countField(Int)
        case sumDouble(Int), sumInt(Int)
        case avgDouble(Int), avgInt(Int)
        case minDouble(Int), maxDouble(Int), minInt(Int), maxInt(Int)
    }

    /// The fields the query reads, and nothing else.
    var scanSchema: Schema
    var notNull: [Int]
    var key: Int
    var kinds: [Kind]

    /// The fast plan for an output's stages, or nil when they are not of the supported shape.
    static func compile(stages: [Stage], schema: Schema) -> FastAggregationPlan? {
        var needed: [Column] = []
        func field(_ name: String, _ types: Set<ColumnType>) -> Int? {
            guard let column = schema[name], types.contains(column.type) else { return nil }
            if let i = needed.firstIndex(of: column) { return i }
            needed.append(column)
            return needed.count - 1
        }
        func notNullColumns(_ node: Expression.Node) -> [String]? {
            switch node {
            case .isNotNull(.column(let name)): return [name]
            case .and(let a, let b):
                guard let x = notNullColumns(a), let y = notNullColumns(b) else { return nil }
                return x + y
            default: return nil
            }
        }
        let anyType: Set<ColumnType> = [.bool, .int, .double, .string, .timestamp]
        var filters: [String] = []
        var aggregate: (keys: [NamedExpression], aggregates: [Aggregate])?
        for stage in stages {
            switch stage {
            case .filter(let e) where aggregate == nil:
                guard let names = notNullColumns(e.node) else { return nil }
                filters += names
            case .aggregate(let keys, nil, let aggregates) where aggregate == nil:
                aggregate = (keys, aggregates)
            case .filter, .select, .withColumn, .drop, .orderBy, .limit:
                guard aggregate != nil else { return nil }  // after the aggregation: generic, on results
            default:
                return nil
            }
        }
        guard let aggregate, aggregate.keys.count == 1,
            case .column(let keyName) = aggregate.keys[0].expression.node,
            let key = field(keyName, [.string])
        else { return nil }
        var notNull: [Int] = []
        for name in filters {
            guard let i = field(name, anyType) else { return nil }
            notNull.append(i)
        }
        var kinds: [Kind] = []
        for a in aggregate.aggregates {
            guard let input = a.input else {
                guard a.function == .count else { return nil }
                kinds.append(.countAll)
                continue
            }
            guard case .column(let name) = input.node, let column = schema[name] else { return nil }
            let isDouble = column.type == .double
            guard isDouble || column.type == .int || a.function == .count else { return nil }
            guard let i = field(name, a.function == .count ? anyType : [.int, .double]) else { return nil }
            switch a.function {
            case .count: kinds.append(.countField(i))
            case .sum: kinds.append(isDouble ? .sumDouble(i) : .sumInt(i))
            case .avg: kinds.append(isDouble ? .avgDouble(i) : .avgInt(i))
            case .min: kinds.append(isDouble ? .minDouble(i) : .minInt(i))
            case .max: kinds.append(isDouble ? .maxDouble(i) : .maxInt(i))
            case .countDistinct: return nil
            }
        }
        return FastAggregationPlan(scanSchema: Schema(needed), notNull: notNull, key: key, kinds: kinds)
    }
}

/// One worker's partial aggregates over the batch so far.
struct FastPartials: Sendable {
    let plan: FastAggregationPlan
    private var keys = KeyTable()
    private var groupOfSlot: [Int] = []
    private var nullGroup = -1
    private var groupCount = 0
    private var doubles: [Double] = []
    private var ints: [Int64] = []
    private var counts: [Int64] = []
    private var touched: [Bool] = []

    init(plan: FastAggregationPlan) {
        self.plan = plan
    }

    private mutating func addGroup() -> Int {
        let g = groupCount
        groupCount += 1
        let n = plan.kinds.count
        for kind in plan.kinds {
            switch kind {
            case .minDouble: doubles.append(.infinity)
            case .maxDouble: doubles.append(-.infinity)
            default: doubles.append(0)
            }
            switch kind {
            case .minInt: ints.append(.max)
            case .maxInt: ints.append(.min)
            default: ints.append(0)
            }
        }
        counts.append(contentsOf: repeatElement(0, count: n))
        touched.append(false)
        return g
    }

    /// Adds one scanned record (already known to be a JSON object).
    @inline(__always)
    mutating func add(_ record: ScannedRecord) {
        for f in plan.notNull where record.isNull(f) { return }
        let g: Int
        if let slot = record.withStringBytes(plan.key, { keys.slot(for: $0) }) {
            if slot == groupOfSlot.count { groupOfSlot.append(addGroup()) }
            g = groupOfSlot[slot]
        } else {
            if nullGroup < 0 { nullGroup = addGroup() }
            g = nullGroup
        }
        touched[g] = true
        let base = g * plan.kinds.count
        for (a, kind) in plan.kinds.enumerated() {
            let i = base + a
            switch kind {
            case .countAll:
                counts[i] += 1
            case .countField(let f):
                if !record.isNull(f) { counts[i] += 1 }
            case .sumDouble(let f), .avgDouble(let f):
                if let v = record.double(f) {
                    doubles[i] += v
                    counts[i] += 1
                }
            case .sumInt(let f), .avgInt(let f):
                if let v = record.int(f) {
                    ints[i] &+= v
                    counts[i] += 1
                }
            case .minDouble(let f):
                if let v = record.double(f) {
                    doubles[i] = Swift.min(doubles[i], v)
                    counts[i] += 1
                }
            case .maxDouble(let f):
                if let v = record.double(f) {
                    doubles[i] = Swift.max(doubles[i], v)
                    counts[i] += 1
                }
            case .minInt(let f):
                if let v = record.int(f) {
                    ints[i] = Swift.min(ints[i], v)
                    counts[i] += 1
                }
            case .maxInt(let f):
                if let v = record.int(f) {
                    ints[i] = Swift.max(ints[i], v)
                    counts[i] += 1
                }
            }
        }
    }

    /// Merges the touched groups into `aggregation` and clears them for the next batch (keys stay interned).
    mutating func flush(into aggregation: AggregationOperator) {
        var keyOfGroup = [Value](repeating: .null, count: groupCount)
        for (slot, g) in groupOfSlot.enumerated() { keyOfGroup[g] = .string(keys.string(slot)) }
        let n = plan.kinds.count
        for g in 0..<groupCount where touched[g] {
            var accumulators: [Accumulator] = []
            accumulators.reserveCapacity(n)
            for (a, kind) in plan.kinds.enumerated() {
                let i = g * n + a
                let c = counts[i]
                switch kind {
                case .countAll, .countField: accumulators.append(.count(c))
                case .sumDouble: accumulators.append(.sum(c > 0 ? .double(doubles[i]) : .empty))
                case .sumInt: accumulators.append(.sum(c > 0 ? .int(ints[i]) : .empty))
                case .avgDouble: accumulators.append(.avg(sum: doubles[i], count: c))
                case .avgInt: accumulators.append(.avg(sum: Double(ints[i]), count: c))
                case .minDouble: accumulators.append(.min(c > 0 ? .double(doubles[i]) : .null))
                case .maxDouble: accumulators.append(.max(c > 0 ? .double(doubles[i]) : .null))
                case .minInt: accumulators.append(.min(c > 0 ? .int(ints[i]) : .null))
                case .maxInt: accumulators.append(.max(c > 0 ? .int(ints[i]) : .null))
                }
                counts[i] = 0
                doubles[i] = 0
                ints[i] = 0
                switch kind {
                case .minDouble: doubles[i] = .infinity
                case .maxDouble: doubles[i] = -.infinity
                case .minInt: ints[i] = .max
                case .maxInt: ints[i] = .min
                default: break
                }
            }
            touched[g] = false
            aggregation.mergePartial(key: [keyOfGroup[g]], accumulators: accumulators)
        }
    }
}

/// What one fast worker did over its partitions in one batch.
struct FastWorkerResult: Sendable {
    var partials: FastPartials
    var next: [Int: Offset]
    var ends: [Int: Offset]
    var records: Int
    var deadLetters: DeadLetterQueue
}

enum FastWorker {
    /// Reads `partitions` from `next` up to `ends` (at most `maxRecords`), scanning and pre-aggregating.
    static func run(
        log: any Log, topic: String, partitions: [Int], next: [Int: Offset], ends: [Int: Offset],
        fetchBytes: Int,
        maxRecords: Int, partials: FastPartials, deadLetters: DeadLetterQueue, stop: () -> Bool
    ) throws(PipelineError) -> FastWorkerResult {
        var result = FastWorkerResult(
            partials: partials, next: next, ends: [:], records: 0, deadLetters: deadLetters)
        let scanner = JSONScanner(schema: partials.plan.scanSchema)
        var record = scanner.makeRecord()
        var progressed = true
        reading: while progressed && !stop() {
            progressed = false
            for p in partitions {
                let end = ends[p] ?? 0
                guard let position = result.next[p], position < end else { continue }
                let fetched: FetchedRecords
                do {
                    fetched = try log.read(TopicPartition(topic, p), from: position, maxBytes: fetchBytes)
                } catch {
                    throw .log(error)
                }
                result.ends[p] = fetched.highWatermark
                if fetched.isEmpty {
                    if fetched.requestedOffset < fetched.logStartOffset {
                        result.next[p] = fetched.logStartOffset
                    }
                    continue
                }
                var last = position
                var budget = maxRecords - result.records
                fetched.forEach { view in
                    guard view.offset < end, budget > 0 else { return }
                    if let failure = scanner.scan(view.value, into: &record) {
                        result.deadLetters.add(
                            view, partition: p, reason: failure.reason, detail: failure.description)
                    } else {
                        result.partials.add(record)
                    }
                    last = view.offset + 1
                    budget -= 1
                }
                result.records = maxRecords - budget
                result.next[p] = budget > 0 ? min(fetched.nextOffset, end) : last
                progressed = true
                if result.deadLetters.pending.count >= 4096 { try result.deadLetters.flush(to: log) }
                if result.records >= maxRecords { break reading }
            }
        }
        try result.deadLetters.flush(to: log)
        return result
    }
}
