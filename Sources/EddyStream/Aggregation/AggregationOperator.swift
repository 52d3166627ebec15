/// The stateful part of an output: groups (per window and key) with their accumulators, open sessions, and
/// the watermark. Memory grows with the number of groups, not with input; the watermark evicts closed windows
/// in append and update mode.
final class AggregationOperator {
    let plan: AggregationPlan
    /// Each group's accumulators, and the checkpoint epoch it last changed in (see
    /// ``AggregationOperator/takeChanges()``): the mark lives in the entry the update touches anyway, so
    /// tracking changes for incremental checkpoints costs no extra hash lookup per row.
    var groups: [[Value]: GroupState] = [:]
    /// Session windows: the open sessions of each group key (without window columns).
    var sessions: [[Value]: [Session]] = [:]
    private var dirty: Set<[Value]> = []
    /// Changes since the last checkpoint: the current epoch, the groups first changed in it (each key once
    /// per epoch), the groups evicted, and the session keys touched (sessions are rewritten per row anyway).
    var changeEpoch: UInt32 = 1
    var changedKeys: [[Value]] = []
    var removedKeys: [[Value]] = []
    var changedSessionKeys: Set<[Value]> = []
    var watermark = WatermarkState()

    /// Only update mode needs to know which groups changed; the other modes skip the bookkeeping.
    let tracksChanges: Bool

    init(plan: AggregationPlan, tracksChanges: Bool = true) {
        self.plan = plan
        self.tracksChanges = tracksChanges
    }

    var stateRows: Int { groups.count + sessions.values.reduce(0) { $0 + $1.count } }

    private func newAccumulators() -> [Accumulator] { plan.functions.map(Accumulator.init) }

    /// Adds one row. Calls `late` instead when the row's event time is behind the watermark.
    func process(_ row: Row, late: (Row) -> Void) {
        var time: Int64?
        if let eventTime = plan.eventTime {
            time = Value.eventTime(eventTime(row))
            if let t = time {
                if plan.watermarkDelay != nil && watermark.isLate(t) {
                    late(row)
                    return
                }
                watermark.observe(t)
            } else if plan.window != nil {
                return  // a row without event time belongs to no window
            }
        }
        var key: [Value] = []
        key.reserveCapacity(plan.keyCount)
        switch plan.window {
        case nil:
            for k in plan.keys { key.append(k(row)) }
            update(key, row)
        case .tumbling(let w)?:
            let start = w.start(containing: time!)
            key.append(.timestamp(start))
            key.append(.timestamp(start &+ w.sizeMicros))
            for k in plan.keys { key.append(k(row)) }
            update(key, row)
        case .hopping(let h)?:
            let keys = plan.keys.map { $0(row) }
            for start in h.starts(containing: time!) {
                let end = start &+ h.sizeMicros
                if let wm = watermark.current, end <= wm { continue }  // already final and emitted
                update([.timestamp(start), .timestamp(end)] + keys, row)
            }
        case .session(let s)?:
            for k in plan.keys { key.append(k(row)) }
            var list = sessions.removeValue(forKey: key) ?? []
            let at = s.insert(time: time!, into: &list, makeAccumulators: newAccumulators)
            accumulate(&list[at].accumulators, row)
            sessions[key] = list
            dirty.insert(key)
            changedSessionKeys.insert(key)
        }
    }

    private func update(_ key: [Value], _ row: Row) {
        let epoch = changeEpoch
        let firstChange = change(&groups[key, default: GroupState(accumulators: newAccumulators())], epoch) {
            accumulate(&$0, row)
        }
        if firstChange { changedKeys.append(key) }
        if tracksChanges { dirty.insert(key) }
    }

    private func accumulate(_ accumulators: inout [Accumulator], _ row: Row) {
        for i in accumulators.indices {
            accumulators[i].add(plan.inputs[i]?(row) ?? .bool(true))
        }
    }

    /// Ends a batch: advances the watermark, returns the rows `mode` emits (sorted by key), and evicts state
    /// the watermark has closed.
    func finishBatch(mode: OutputMode) -> [Row] {
        if let delay = plan.watermarkDelay { _ = watermark.advance(delay: delay) }
        defer { dirty.removeAll(keepingCapacity: true) }
        let wm = watermark.current
        var rows: [Row] = []
        if case .session? = plan.window {
            for (key, list) in sessions {
                for session in list {
                    let closed = wm.map { session.end <= $0 } ?? false
                    let emit: Bool
                    switch mode {
                    case .complete: emit = true
                    case .update: emit = dirty.contains(key)
                    case .append: emit = closed && plan.watermarkDelay != nil
                    }
                    if emit {
                        rows.append(
                            [.timestamp(session.start), .timestamp(session.end)] + key
                                + session.accumulators.map(\.result))
                    }
                }
                if mode != .complete, plan.watermarkDelay != nil, let wm {
                    let open = list.filter { $0.end > wm }
                    if open.count != list.count { changedSessionKeys.insert(key) }
                    sessions[key] = open.isEmpty ? nil : open
                }
            }
        } else {
            switch mode {
            case .complete:
                for (key, group) in groups { rows.append(key + group.accumulators.map(\.result)) }
            case .update:
                for key in dirty {
                    if let group = groups[key] { rows.append(key + group.accumulators.map(\.result)) }
                }
            case .append:
                if let wm, plan.window != nil {
                    for (key, group) in groups where windowEnd(key) <= wm {
                        rows.append(key + group.accumulators.map(\.result))
                    }
                }
            }
            if mode != .complete, plan.window != nil, plan.watermarkDelay != nil, let wm {
                evict(closedBy: wm)
            }
        }
        let keyCount = plan.keyCount
        rows.sort { a, b in
            for i in 0..<keyCount {
                let c = Value.compare(a[i], b[i])
                if c != 0 { return c < 0 }
            }
            return false
        }
        return rows
    }

    func windowEnd(_ key: [Value]) -> Int64 {
        if case .timestamp(let end) = key[1] { return end }
        return .max
    }

    /// Marks every group changed, so the next update-mode batch re-sends the whole state (after a restore, a
    /// sink that lives in memory starts empty).
    func markAllChanged() {
        dirty = Set(groups.keys).union(sessions.keys)
    }

    /// Folds one group's partial accumulators (from the fast path) into this group's.
    func mergePartial(key: [Value], accumulators: [Accumulator]) {
        let epoch = changeEpoch
        let firstChange: Bool
        if groups[key] == nil {
            groups[key] = GroupState(accumulators: accumulators, epoch: epoch)
            firstChange = true
        } else {
            firstChange = change(&groups[key]!, epoch) { mine in
                for i in mine.indices { mine[i].merge(accumulators[i]) }
            }
        }
        if firstChange { changedKeys.append(key) }
        dirty.insert(key)
    }

    /// Folds another operator's partial state into this one (parallel workers).
    func merge(_ other: AggregationOperator) {
        for (key, group) in other.groups { mergePartial(key: key, accumulators: group.accumulators) }
        if let t = other.watermark.maxEventTime { watermark.observe(t) }
    }

    // MARK: Checkpoints

    struct Snapshot: Codable, Sendable, Equatable {
        var groups: [GroupEntry]
        var sessions: [SessionEntry]
        var watermark: WatermarkState
        /// In a delta (an incremental checkpoint): the groups and session keys gone since the previous
        /// checkpoint; `groups` and `sessions` then hold only what changed. Empty in a full snapshot.
        var removedGroups: [[Value]] = []
        var removedSessions: [[Value]] = []
    }

    struct GroupEntry: Codable, Sendable, Equatable {
        var key: [Value]
        var accumulators: [Accumulator]
    }

    struct SessionEntry: Codable, Sendable, Equatable {
        var key: [Value]
        var sessions: [Session]
    }

    func snapshot() -> Snapshot {
        Snapshot(
            groups: groups.map { GroupEntry(key: $0.key, accumulators: $0.value.accumulators) },
            sessions: sessions.map { SessionEntry(key: $0.key, sessions: $0.value) }, watermark: watermark)
    }

    func restore(_ snapshot: Snapshot) {
        groups = Dictionary(
            snapshot.groups.map { ($0.key, GroupState(accumulators: $0.accumulators)) },
            uniquingKeysWith: { a, _ in a })
        sessions = Dictionary(
            snapshot.sessions.map { ($0.key, $0.sessions) }, uniquingKeysWith: { a, _ in a })
        watermark = snapshot.watermark
        dirty.removeAll()
        forgetChanges()
    }
}
