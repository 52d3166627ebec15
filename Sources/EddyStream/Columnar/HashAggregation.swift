/// One output's aggregation compiled for batches: the key expressions, the window, the event time and the
/// aggregate inputs.
struct BatchAggregation: Sendable {
    var keys: [VectorExpression]
    var window: Window.Kind?
    var eventTime: VectorExpression?
    var watermarkDelay: Int64?
    var functions: [Aggregate.Function]
    var inputs: [VectorExpression?]
}

/// A worker's partial aggregates for one output: groups keyed by packed bytes (``GroupTable``) and, per
/// aggregate, flat arrays of sums, counts and extremes for typed inputs. Inputs the typed loops do not
/// cover (decimals, strings for min/max, countDistinct, a boxed batch) go through ``Accumulator``, the one
/// set of rules the state itself uses, in a side table per group. At the end of a batch the touched groups
/// are folded into the output's ``AggregationOperator``; keys stay interned for the next batch.
///
/// ```swift
/// let partial = HashAggregation(plan: aggregation)
/// partial.add(vectors, rows, capacity: 4096, watermark: nil)
/// partial.flush(into: output.aggregation!)
/// ```
final class HashAggregation: @unchecked Sendable {
    let plan: BatchAggregation
    private var table = GroupTable()
    private var packer = KeyPacker()
    private var keyValues: [[Value]] = []
    private var touched: [Bool] = []
    private var touchedList: [Int] = []
    /// Per aggregate, per group.
    private var counts: [[Int64]]
    private var ints: [[Int64]]
    private var intCounts: [[Int64]]
    private var doubles: [[Double]]
    private var doubleCounts: [[Int64]]
    /// Per aggregate, whether int-typed extremes were timestamps.
    private var extremeIsTimestamp: [Bool]
    private var generic: [Int: [Accumulator]] = [:]
    /// Rows behind the watermark this batch, and the newest event time seen.
    private(set) var lateRows: Int64 = 0
    private(set) var maxEventTime: Int64?
    private var groupOfRow: [Int] = []

    init(plan: BatchAggregation) {
        self.plan = plan
        let n = plan.functions.count
        counts = Array(repeating: [], count: n)
        ints = Array(repeating: [], count: n)
        intCounts = Array(repeating: [], count: n)
        doubles = Array(repeating: [], count: n)
        doubleCounts = Array(repeating: [], count: n)
        extremeIsTimestamp = Array(repeating: false, count: n)
    }

    private func newGroup(_ key: [Value]) -> Int {
        keyValues.append(key)
        for a in plan.functions.indices {
            counts[a].append(0)
            intCounts[a].append(0)
            doubleCounts[a].append(0)
            switch plan.functions[a] {
            case .min:
                ints[a].append(.max)
                doubles[a].append(.infinity)
            case .max:
                ints[a].append(.min)
                doubles[a].append(-.infinity)
            default:
                ints[a].append(0)
                doubles[a].append(0)
            }
        }
        return keyValues.count - 1
    }

    /// The group of row `r`, found by its packed key in `table` (locals of ``add``: a class's stored
    /// properties would be checked for exclusive access on every row).
    @inline(__always)
    private func group(
        _ keys: [ColumnVector], _ r: Int, window: (Int64, Int64)?, _ table: inout GroupTable,
        _ packer: inout KeyPacker, _ touched: inout [Bool], _ touchedList: inout [Int]
    ) -> Int {
        packer.clear()
        if let (start, _) = window { packer.word(4, UInt64(bitPattern: start)) }
        for k in keys { packer.add(k, r) }
        let (g, isNew) = packer.bytes.withUnsafeBytes { table.group(for: $0) }
        if isNew {
            var key: [Value] = []
            if let (start, end) = window { key = [.timestamp(start), .timestamp(end)] }
            for k in keys { key.append(k.value(at: r)) }
            _ = newGroup(key)
            touched.append(false)
        }
        if !touched[g] {
            touched[g] = true
            touchedList.append(g)
        }
        return g
    }

    /// Adds the selected rows. `watermark` is the output's watermark as the batch started.
    func add(_ vectors: [ColumnVector], _ rows: Selection, capacity: Int, watermark: Int64?) {
        let keys = plan.keys.map { $0.evaluate(vectors, rows, capacity: capacity) }
        let inputs = plan.inputs.map { $0?.evaluate(vectors, rows, capacity: capacity) }
        var assigned: [(row: Int, group: Int)] = []
        assigned.reserveCapacity(rows.rows.count)
        var table = GroupTable(capacity: 1)
        var packer = KeyPacker()
        var touched: [Bool] = []
        var touchedList: [Int] = []
        swap(&table, &self.table)
        swap(&packer, &self.packer)
        swap(&touched, &self.touched)
        swap(&touchedList, &self.touchedList)
        defer {
            swap(&table, &self.table)
            swap(&packer, &self.packer)
            swap(&touched, &self.touched)
            swap(&touchedList, &self.touchedList)
        }
        if let eventTime = plan.eventTime {
            let times = eventTime.evaluate(vectors, rows, capacity: capacity)
            for r in rows.rows {
                var time: Int64?
                if times.kind == .timestamp {
                    if times.valid[r] { time = times.ints[r] }
                } else {
                    time = Value.eventTime(times.value(at: r))
                }
                if let t = time {
                    if plan.watermarkDelay != nil, let wm = watermark, t < wm {
                        lateRows += 1
                        continue
                    }
                    if maxEventTime == nil || t > maxEventTime! { maxEventTime = t }
                } else if plan.window != nil {
                    continue  // a row without event time belongs to no window
                }
                switch plan.window {
                case nil:
                    assigned.append((r, group(keys, r, window: nil, &table, &packer, &touched, &touchedList)))
                case .tumbling(let w)?:
                    let start = w.start(containing: time!)
                    assigned.append(
                        (
                            r,
                            group(
                                keys, r, window: (start, start &+ w.sizeMicros), &table, &packer, &touched,
                                &touchedList)
                        ))
                case .hopping(let h)?:
                    for start in h.starts(containing: time!) {
                        let end = start &+ h.sizeMicros
                        if let wm = watermark, end <= wm { continue }  // already final and emitted
                        assigned.append(
                            (r, group(keys, r, window: (start, end), &table, &packer, &touched, &touchedList))
                        )
                    }
                case .session?:
                    preconditionFailure("session windows run on the row path")
                }
            }
        } else {
            for r in rows.rows {
                assigned.append((r, group(keys, r, window: nil, &table, &packer, &touched, &touchedList)))
            }
        }
        for (a, function) in plan.functions.enumerated() {
            accumulate(a, function, inputs[a], assigned)
        }
    }

    private func accumulate(
        _ a: Int, _ function: Aggregate.Function, _ input: ColumnVector?, _ assigned: [(row: Int, group: Int)]
    ) {
        // Locals, not stored properties, in the loops: no exclusivity check per row.
        var (myCounts, myInts, myIntCounts) = (counts[a], ints[a], intCounts[a])
        var (myDoubles, myDoubleCounts) = (doubles[a], doubleCounts[a])
        (counts[a], ints[a], intCounts[a], doubles[a], doubleCounts[a]) = ([], [], [], [], [])
        defer {
            (counts[a], ints[a], intCounts[a]) = (myCounts, myInts, myIntCounts)
            (doubles[a], doubleCounts[a]) = (myDoubles, myDoubleCounts)
        }
        guard let input else {
            myCounts.withUnsafeMutableBufferPointer { c in
                for (_, g) in assigned { c[g] += 1 }
            }
            return
        }
        switch (function, input.kind) {
        case (.count, _):
            myCounts.withUnsafeMutableBufferPointer { c in
                for (r, g) in assigned where input.valid[r] { c[g] += 1 }
            }
        case (.sum, .int):
            for (r, g) in assigned where input.valid[r] {
                myInts[g] &+= input.ints[r]
                myIntCounts[g] += 1
            }
        case (.sum, .double), (.avg, .double):
            myDoubles.withUnsafeMutableBufferPointer { d in
                myDoubleCounts.withUnsafeMutableBufferPointer { c in
                    for (r, g) in assigned where input.valid[r] {
                        d[g] += input.doubles[r]
                        c[g] += 1
                    }
                }
            }
        case (.avg, .int):
            for (r, g) in assigned where input.valid[r] {
                myDoubles[g] += Double(input.ints[r])
                myDoubleCounts[g] += 1
            }
        case (.min, .int), (.min, .timestamp), (.max, .int), (.max, .timestamp):
            extremeIsTimestamp[a] = input.kind == .timestamp
            let isMin = function == .min
            for (r, g) in assigned where input.valid[r] {
                let v = input.ints[r]
                if isMin ? v < myInts[g] : v > myInts[g] { myInts[g] = v }
                myIntCounts[g] += 1
            }
        case (.min, .double), (.max, .double):
            let isMin = function == .min
            for (r, g) in assigned where input.valid[r] {
                let v = input.doubles[r]
                if isMin ? v < myDoubles[g] : v > myDoubles[g] { myDoubles[g] = v }
                myDoubleCounts[g] += 1
            }
        default:
            for (r, g) in assigned where input.valid[r] {
                var list = generic.removeValue(forKey: g) ?? plan.functions.map(Accumulator.init)
                list[a].add(input.value(at: r))
                generic[g] = list
            }
        }
    }

    /// The typed part of group `g`'s aggregate `a` as an ``Accumulator``; resets it.
    private func take(_ a: Int, _ g: Int) -> Accumulator {
        defer {
            counts[a][g] = 0
            intCounts[a][g] = 0
            doubleCounts[a][g] = 0
            switch plan.functions[a] {
            case .min:
                ints[a][g] = .max
                doubles[a][g] = .infinity
            case .max:
                ints[a][g] = .min
                doubles[a][g] = -.infinity
            default:
                ints[a][g] = 0
                doubles[a][g] = 0
            }
        }
        let (ni, nd) = (intCounts[a][g], doubleCounts[a][g])
        switch plan.functions[a] {
        case .count: return .count(counts[a][g])
        case .sum:
            var sum = Accumulator.Sum.empty
            if ni > 0 { sum.add(.int(ints[a][g])) }
            if nd > 0 { sum.add(.double(doubles[a][g])) }
            return .sum(sum)
        case .avg: return .avg(sum: doubles[a][g], count: nd)
        case .min, .max:
            var acc = Accumulator(plan.functions[a])
            if ni > 0 { acc.add(extremeIsTimestamp[a] ? .timestamp(ints[a][g]) : .int(ints[a][g])) }
            if nd > 0 { acc.add(.double(doubles[a][g])) }
            return acc
        case .countDistinct: return .distinct([])
        }
    }

    /// Folds the groups this batch touched into `aggregation` (late rows and event times included) and
    /// clears them for the next batch.
    func flush(into aggregation: AggregationOperator) -> Int64 {
        for g in touchedList {
            var accumulators = plan.functions.indices.map { take($0, g) }
            if let extra = generic.removeValue(forKey: g) {
                for a in accumulators.indices { accumulators[a].merge(extra[a]) }
            }
            touched[g] = false
            aggregation.mergePartial(key: keyValues[g], accumulators: accumulators)
        }
        touchedList.removeAll(keepingCapacity: true)
        if let t = maxEventTime { aggregation.watermark.observe(t) }
        maxEventTime = nil
        defer { lateRows = 0 }
        return lateRows
    }
}
