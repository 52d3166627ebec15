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
///
/// The accumulators live in a ``FastAccumulators`` object of raw buffers, so the per-record path does no
/// reference counting, array uniqueness checks or bounds checks; a copy shares it until
/// ``makeUnique()`` (called once per worker run) gives this value its own.
struct FastPartials: Sendable {
    let plan: FastAggregationPlan
    private var accumulators: FastAccumulators

    init(plan: FastAggregationPlan) {
        self.plan = plan
        accumulators = FastAccumulators(plan: plan)
    }

    /// Gives this value storage of its own (the runner keeps a copy of the value it hands a worker).
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&accumulators) { accumulators = accumulators.copy() }
    }

    /// The accumulators to add records to, after ``makeUnique()``: hold it in a local for the hot loop (a
    /// class reference read from a captured variable per record costs a retain and a release).
    var accumulatorsForAdding: FastAccumulators { accumulators }

    /// Merges the touched groups into `aggregation` and clears them for the next batch (keys stay interned).
    mutating func flush(into aggregation: AggregationOperator) {
        makeUnique()
        accumulators.flush(plan: plan, into: aggregation)
    }
}

/// The flat accumulators behind ``FastPartials``: per group, one (double, int, count) triple per aggregate,
/// in buffers indexed `group * width + aggregate`. Group keys are found first in a small direct-mapped
/// cache on the key's words (keys of up to 24 bytes: no hashing loop, no memcmp), then in the
/// ``KeyTable``. Used by one worker at a time.
final class FastAccumulators: @unchecked Sendable {
    private struct CachedKey {
        var a: UInt64 = 0
        var b: UInt64 = 0
        var c: UInt64 = 0
        var length: Int32 = -1
        var group: Int32 = 0
    }

    private static let cacheSize = 64
    private let width: Int
    private let keyField: Int
    private let kinds: UnsafeMutablePointer<FastAggregationPlan.Kind>
    private let notNull: UnsafeMutablePointer<Int>
    private let notNullCount: Int
    private let cache: UnsafeMutablePointer<CachedKey>
    private var capacity: Int
    private var groupCount = 0
    private var doubles: UnsafeMutablePointer<Double>
    private var ints: UnsafeMutablePointer<Int64>
    private var counts: UnsafeMutablePointer<Int64>
    private var touched: UnsafeMutablePointer<Bool>
    private var keys = KeyTable()
    private var groupOfSlot: [Int] = []
    private var nullGroup = -1

    init(plan: FastAggregationPlan, capacity: Int = 16) {
        width = plan.kinds.count
        keyField = plan.key
        kinds = .allocate(capacity: max(1, width))
        kinds.initialize(from: plan.kinds, count: width)
        notNullCount = plan.notNull.count
        notNull = .allocate(capacity: max(1, notNullCount))
        notNull.initialize(from: plan.notNull, count: notNullCount)
        cache = .allocate(capacity: Self.cacheSize)
        cache.initialize(repeating: CachedKey(), count: Self.cacheSize)
        self.capacity = capacity
        doubles = .allocate(capacity: capacity * max(1, width))
        ints = .allocate(capacity: capacity * max(1, width))
        counts = .allocate(capacity: capacity * max(1, width))
        touched = .allocate(capacity: capacity)
    }

    deinit {
        kinds.deinitialize(count: width)
        kinds.deallocate()
        notNull.deallocate()
        cache.deallocate()
        doubles.deallocate()
        ints.deallocate()
        counts.deallocate()
        touched.deallocate()
    }

    func copy() -> FastAccumulators {
        let other = FastAccumulators(
            plan: FastAggregationPlan(
                scanSchema: [], notNull: Array(UnsafeBufferPointer(start: notNull, count: notNullCount)),
                key: keyField, kinds: Array(UnsafeBufferPointer(start: kinds, count: width))),
            capacity: capacity)
        let n = groupCount * width
        other.doubles.update(from: doubles, count: n)
        other.ints.update(from: ints, count: n)
        other.counts.update(from: counts, count: n)
        other.touched.update(from: touched, count: groupCount)
        other.cache.update(from: cache, count: Self.cacheSize)
        other.groupCount = groupCount
        other.keys = keys
        other.groupOfSlot = groupOfSlot
        other.nullGroup = nullGroup
        return other
    }

    private func addGroup() -> Int {
        if groupCount == capacity {
            let grown = capacity * 2
            func move<T>(_ old: UnsafeMutablePointer<T>, _ count: Int, _ newCount: Int)
                -> UnsafeMutablePointer<T>
            {
                let new = UnsafeMutablePointer<T>.allocate(capacity: newCount)
                new.moveInitialize(from: old, count: count)
                old.deallocate()
                return new
            }
            let w = max(1, width)
            doubles = move(doubles, groupCount * width, grown * w)
            ints = move(ints, groupCount * width, grown * w)
            counts = move(counts, groupCount * width, grown * w)
            touched = move(touched, groupCount, grown)
            capacity = grown
        }
        let g = groupCount
        groupCount += 1
        for a in 0..<width {
            let i = g * width + a
            counts[i] = 0
            doubles[i] = 0
            ints[i] = 0
            reset(i, kinds[a])
        }
        touched[g] = false
        return g
    }

    @inline(__always)
    private func reset(_ i: Int, _ kind: FastAggregationPlan.Kind) {
        switch kind {
        case .minDouble: doubles[i] = .infinity
        case .maxDouble: doubles[i] = -.infinity
        case .minInt: ints[i] = .max
        case .maxInt: ints[i] = .min
        default: break
        }
    }

    /// The group of a key's bytes, through the cache.
    @inline(__always)
    private func group(of bytes: UnsafeRawBufferPointer) -> Int {
        let n = bytes.count
        guard n <= 24, let base = bytes.baseAddress else { return slowGroup(of: bytes) }
        var a: UInt64 = 0
        var b: UInt64 = 0
        var c: UInt64 = 0
        if n >= 8 {
            // Three overlapping words cover all n ≤ 24 bytes, so (n, a, b, c) is the key itself.
            a = base.loadUnaligned(as: UInt64.self)
            b = base.loadUnaligned(fromByteOffset: Swift.min(8, n - 8), as: UInt64.self)
            c = base.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else {
            for i in 0..<n { a = a << 8 | UInt64(bytes[i]) }
        }
        let h = (a ^ (c &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(n)) &* 0xC4CE_B9FE_1A85_EC53
        let entry = cache + Int(truncatingIfNeeded: h >> 58)
        if entry.pointee.length == Int32(n) && entry.pointee.a == a && entry.pointee.b == b
            && entry.pointee.c == c
        {
            return Int(entry.pointee.group)
        }
        let g = slowGroup(of: bytes)
        entry.pointee = CachedKey(a: a, b: b, c: c, length: Int32(n), group: Int32(g))
        return g
    }

    @inline(never)
    private func slowGroup(of bytes: UnsafeRawBufferPointer) -> Int {
        let slot = keys.slot(for: bytes)
        if slot == groupOfSlot.count { groupOfSlot.append(addGroup()) }
        return groupOfSlot[slot]
    }

    @inline(never)
    private func nullKeyGroup() -> Int {
        if nullGroup < 0 { nullGroup = addGroup() }
        return nullGroup
    }

    @inline(__always)
    func add(_ record: ScannedRecord) {
        for j in 0..<notNullCount where record.isNull(notNull[j]) { return }
        let g = record.withStringBytes(keyField) { group(of: $0) } ?? nullKeyGroup()
        touched[g] = true
        let base = g * width
        for a in 0..<width {
            let i = base + a
            switch kinds[a] {
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

    func flush(plan: FastAggregationPlan, into aggregation: AggregationOperator) {
        var keyOfGroup = [Value](repeating: .null, count: groupCount)
        for (slot, g) in groupOfSlot.enumerated() { keyOfGroup[g] = .string(keys.string(slot)) }
        for g in 0..<groupCount where touched[g] {
            var accumulators: [Accumulator] = []
            accumulators.reserveCapacity(width)
            for a in 0..<width {
                let i = g * width + a
                let c = counts[i]
                switch kinds[a] {
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
                reset(i, kinds[a])
            }
            touched[g] = false
            aggregation.mergePartial(key: [keyOfGroup[g]], accumulators: accumulators)
        }
    }
}

/// What one fast worker did in one batch.
typealias FastWorkerResult = WorkerResult<FastPartials>

enum FastWorker {
    /// Reads `partitions` from `next` up to `ends` (at most `maxRecords`), scanning and pre-aggregating.
    static func run(
        log: any Log, topic: String, partitions: [Int], next: [Int: Offset], ends: [Int: Offset],
        fetchBytes: Int,
        maxRecords: Int, partials: FastPartials, deadLetters: DeadLetterQueue, stop: () -> Bool
    ) throws(PipelineError) -> FastWorkerResult {
        var partials = partials
        partials.makeUnique()
        let accumulators = partials.accumulatorsForAdding
        var share = WorkerShare(next: next, deadLetters: deadLetters)
        try share.scan(
            log: log, topic: topic, partitions: partitions, ends: ends, fetchBytes: fetchBytes,
            maxRecords: maxRecords, schema: partials.plan.scanSchema, stop: stop
        ) { record, _, _, _ in
            accumulators.add(record)
        }
        return WorkerResult(partials: partials, share: share)
    }
}
