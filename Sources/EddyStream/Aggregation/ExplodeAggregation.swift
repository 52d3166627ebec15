import EddyLog

/// The compiled path for "explode an array of objects, group by a string field of the element, sum and
/// count" — the sales job's shape (seed 003). Orders are scanned into typed slots and each element is read
/// in place: keys are found by their bytes in a ``KeyTable``, exact decimals are summed as 64-bit units at
/// the column's scale, and nothing is allocated per record. A validation runs on the slots through its
/// `fastCheck`; a record the fast check rejects is decoded and given to the row check, whose answer (and
/// reason text) is final, so the dead-letter topic sees exactly what the generic path would send.
///
/// Partial results merge into the output's ``AggregationOperator`` at the end of each batch, so modes,
/// emission and checkpoints stay the generic ones; any other shape runs on the generic path.
struct ExplodeAggregationPlan: Sendable {
    enum Kind: Sendable {
        case countAll
        case sumInt(Int)
        case sumDecimal(Int)
        /// Σ int field × decimal field (the line value of an order item).
        case sumProduct(int: Int, decimal: Int)
    }

    /// The source schema, scanned whole (a validation may read any field).
    var schema: Schema
    /// The exploded array's field in the schema.
    var array: Int
    /// The group key's field in the element.
    var key: Int
    var kinds: [Kind]
    /// The decimal scale of each kind's sum (0 for integers and counts).
    var scales: [Int]
    var validation: RecordValidation?
    /// The decoded record's columns, for the row check of records the fast check rejects.
    var rowColumns: ColumnIndex

    /// The plan for an output's stages, or nil when they are not of the supported shape.
    static func compile(stages: [Stage], schema: Schema, validation: RecordValidation?)
        -> ExplodeAggregationPlan?
    {
        if let validation, validation.fastCheck == nil { return nil }
        guard stages.count >= 2, case .explode(let arrayName, let alias, false) = stages[0],
            case .aggregate(let keys, nil, let aggregates) = stages[1], keys.count == 1,
            let array = schema.fields.firstIndex(where: { $0.name == arrayName }),
            case .array(.object(let fields)) = schema.fields[array].type
        else { return nil }
        for stage in stages.dropFirst(2) {
            switch stage {
            case .filter, .select, .withColumn, .drop, .orderBy, .limit: continue  // generic, on results
            default: return nil
            }
        }
        func element(_ node: Expression.Node, _ type: ColumnType) -> Int? {
            guard case .column(let name) = node, name.hasPrefix(alias + "."),
                let i = fields.firstIndex(where: { alias + "." + $0.name == name }), fields[i].type == type
            else { return nil }
            return i
        }
        func decimalElement(_ node: Expression.Node) -> (Int, Int)? {
            guard case .column(let name) = node,
                let i = fields.firstIndex(where: { alias + "." + $0.name == name }),
                case .decimal(let s) = fields[i].type
            else { return nil }
            return (i, s)
        }
        func product(_ int: Expression.Node, _ decimal: Expression.Node) -> (Int, Int, Int)? {
            guard let q = element(int, .int), let (p, s) = decimalElement(decimal) else { return nil }
            return (q, p, s)
        }
        guard let key = element(keys[0].expression.node, .string) else { return nil }
        var kinds: [Kind] = []
        var scales: [Int] = []
        for a in aggregates {
            switch (a.function, a.input?.node) {
            case (.count, nil):
                kinds.append(.countAll)
                scales.append(0)
            case (.sum, let node?):
                if let i = element(node, .int) {
                    kinds.append(.sumInt(i))
                    scales.append(0)
                } else if let (i, s) = decimalElement(node) {
                    kinds.append(.sumDecimal(i))
                    scales.append(s)
                } else if case .arithmetic(.multiply, let x, let y) = node,
                    let (q, p, s) = product(x, y) ?? product(y, x)
                {
                    kinds.append(.sumProduct(int: q, decimal: p))
                    scales.append(s)
                } else {
                    return nil
                }
            default:
                return nil
            }
        }
        let validationFields = schema.fields
        return ExplodeAggregationPlan(
            schema: schema, array: array, key: key, kinds: kinds, scales: scales, validation: validation,
            rowColumns: ColumnIndex(validationFields))
    }
}

/// One worker's partial aggregates over the batch so far (see ``ExplodeAggregationPlan``).
struct ExplodePartials: Sendable {
    /// One aggregate of one group: the running count or sum (units at the aggregate's scale), whether a sum
    /// saw a non-null input, and whether it overflowed.
    struct Cell: Sendable {
        var value: Int64 = 0
        var present = false
        var overflowed = false

        @inline(__always)
        mutating func add(_ v: Int64) {
            if overflowed { return }
            if !present {
                present = true
                value = v
                return
            }
            let (r, o) = value.addingReportingOverflow(v)
            if o { overflowed = true } else { value = r }
        }
    }

    let plan: ExplodeAggregationPlan
    private var keys = KeyTable()
    private var groupOfSlot: [Int] = []
    private var nullGroup = -1
    private var groupCount = 0
    /// Per group × aggregate, group-major.
    private var cells: [Cell] = []
    private var touched: [Bool] = []

    init(plan: ExplodeAggregationPlan) {
        self.plan = plan
    }

    private mutating func addGroup() -> Int {
        let g = groupCount
        groupCount += 1
        cells.append(contentsOf: repeatElement(Cell(), count: plan.kinds.count))
        touched.append(false)
        return g
    }

    /// The group of an element's key, created when new.
    @inline(__always)
    private mutating func group(of item: ScannedElement) -> Int {
        if let slot = item.withStringBytes(plan.key, { keys.slot(for: $0) }) {
            if slot == groupOfSlot.count { groupOfSlot.append(addGroup()) }
            return groupOfSlot[slot]
        }
        if nullGroup < 0 { nullGroup = addGroup() }
        return nullGroup
    }

    /// Adds one valid record's elements.
    @inline(__always)
    mutating func add(_ record: ScannedRecord) {
        guard let items = record.elements(plan.array) else { return }
        let kinds = plan.kinds
        let scales = plan.scales
        let width = kinds.count
        for e in 0..<items.count {
            let item = items[e]
            let g = group(of: item)
            touched[g] = true
            cells.withUnsafeMutableBufferPointer { cells in
                let row = cells.baseAddress! + g * width
                for a in 0..<width {
                    Self.accumulate(kinds[a], scale: scales[a], item, into: &row[a])
                }
            }
        }
    }

    @inline(__always)
    private static func accumulate(
        _ kind: ExplodeAggregationPlan.Kind, scale: Int, _ item: ScannedElement, into cell: inout Cell
    ) {
        switch kind {
        case .countAll:
            cell.value += 1
        case .sumInt(let f):
            if let v = item.int(f) {
                if cell.present { cell.value &+= v } else { (cell.present, cell.value) = (true, v) }
            }
        case .sumDecimal(let f):
            if let d = item.decimal(f) {
                if d.scale == scale {
                    cell.add(d.units)
                } else if let r = d.checkedRescaled(to: scale) {
                    cell.add(r.units)
                } else {
                    cell.overflowed = true
                }
            }
        case .sumProduct(let q, let p):
            // Value.arithmetic: int × decimal is exact at the decimal's scale, null on overflow.
            if let quantity = item.int(q), let price = item.decimal(p) {
                let (line, o) = quantity.multipliedReportingOverflow(by: price.units)
                if o { return }
                if price.scale == scale {
                    cell.add(line)
                } else if let r = DecimalValue(units: line, scale: price.scale).checkedRescaled(to: scale) {
                    cell.add(r.units)
                } else {
                    cell.overflowed = true
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
                let cell = cells[g * n + a]
                switch kind {
                case .countAll: accumulators.append(.count(cell.value))
                case .sumInt: accumulators.append(.sum(cell.present ? .int(cell.value) : .empty))
                case .sumDecimal, .sumProduct:
                    let sum: Accumulator.Sum =
                        cell.overflowed
                        ? .overflowed
                        : cell.present
                            ? .decimal(DecimalValue(units: cell.value, scale: plan.scales[a])) : .empty
                    accumulators.append(.sum(sum))
                }
                cells[g * n + a] = Cell()
            }
            touched[g] = false
            aggregation.mergePartial(key: [keyOfGroup[g]], accumulators: accumulators)
        }
    }
}

/// What one explode worker did in one batch.
typealias ExplodeWorkerResult = WorkerResult<ExplodePartials>

enum ExplodeWorker {
    /// Runs one batch on `partials.count` workers, each reading its share of `partitions` (partition k goes to
    /// worker k mod workers), and returns their results in worker order.
    static func batch(
        log: any Log, topic: String, shares: [[Int]], next: [Int: Offset], ends: [Int: Offset],
        fetchBytes: Int, maxRecords: Int, partials: [ExplodePartials], deadLetters: DeadLetterQueue,
        stop: @escaping @Sendable () -> Bool
    ) async throws -> [ExplodeWorkerResult] {
        let workers = partials.count
        if workers == 1 {
            return [
                try run(
                    log: log, topic: topic, partitions: shares[0], next: next, ends: ends,
                    fetchBytes: fetchBytes,
                    maxRecords: maxRecords, partials: partials[0], deadLetters: deadLetters, stop: stop)
            ]
        }
        let perWorker = maxRecords == .max ? .max : max(1, maxRecords / workers)
        return try await withThrowingTaskGroup(of: (Int, ExplodeWorkerResult).self) { group in
            for w in 0..<workers {
                group.addTask {
                    (
                        w,
                        try run(
                            log: log, topic: topic, partitions: shares[w], next: next, ends: ends,
                            fetchBytes: fetchBytes, maxRecords: perWorker, partials: partials[w],
                            deadLetters: deadLetters, stop: stop)
                    )
                }
            }
            var collected = [ExplodeWorkerResult?](repeating: nil, count: workers)
            for try await (w, result) in group { collected[w] = result }
            return collected.map { $0! }
        }
    }

    /// Reads `partitions` from `next` up to `ends` (at most `maxRecords`), validating and pre-aggregating.
    static func run(
        log: any Log, topic: String, partitions: [Int], next: [Int: Offset], ends: [Int: Offset],
        fetchBytes: Int, maxRecords: Int, partials: ExplodePartials, deadLetters: DeadLetterQueue,
        stop: () -> Bool
    ) throws(PipelineError) -> ExplodeWorkerResult {
        var partials = partials
        let plan = partials.plan
        let fastCheck = plan.validation?.fastCheck
        var share = WorkerShare(next: next, deadLetters: deadLetters)
        try share.scan(
            log: log, topic: topic, partitions: partitions, ends: ends, fetchBytes: fetchBytes,
            maxRecords: maxRecords, schema: plan.schema, stop: stop
        ) { record, view, partition, deadLetters in
            if let fastCheck, !fastCheck(record), let validation = plan.validation,
                let problem = validation.check(RowAccess(columns: plan.rowColumns, values: record.row()))
            {
                deadLetters.add(view, partition: partition, reason: "invalid", detail: problem)
                return
            }
            partials.add(record)
        }
        return WorkerResult(partials: partials, share: share)
    }
}
