/// A group's accumulators and the checkpoint epoch in which it last changed. Comparing the epoch with the
/// operator's current one tells whether the group is already listed as changed, so a row costs a compare
/// and a store in memory the update touches anyway, never an extra set insert.
struct GroupState: Sendable {
    var accumulators: [Accumulator]
    var epoch: UInt32 = 0
}

// Incremental checkpoints: the operator remembers which groups changed (or were evicted) since the last
// checkpoint, hands them out as a delta ``AggregationOperator/Snapshot``, and applies such deltas on restore.
extension AggregationOperator {
    /// Runs `body` on `group`'s accumulators and marks it changed in `epoch`; true when this is its first
    /// change in the epoch (the caller then lists its key).
    @inline(__always)
    func change(_ group: inout GroupState, _ epoch: UInt32, _ body: (inout [Accumulator]) -> Void) -> Bool {
        body(&group.accumulators)
        guard group.epoch != epoch else { return false }
        group.epoch = epoch
        return true
    }

    /// Drops the window groups the watermark `wm` closed, remembering them for the next delta.
    func evict(closedBy wm: Int64) {
        var closed: [[Value]] = []
        for key in groups.keys where windowEnd(key) <= wm { closed.append(key) }
        guard !closed.isEmpty else { return }
        for key in closed { groups[key] = nil }
        removedKeys.append(contentsOf: closed)
    }

    /// Groups and session keys changed since the last checkpoint (an upper bound: a key may be counted twice).
    var pendingChanges: Int { changedKeys.count + removedKeys.count + changedSessionKeys.count }

    /// What changed since the last checkpoint, as a delta snapshot: the changed groups with their current
    /// accumulators, the keys removed, the touched session keys' current sessions, and the watermark. Starts
    /// a new epoch, so the next delta holds only later changes.
    func takeChanges() -> Snapshot {
        var seen = Set<[Value]>(minimumCapacity: changedKeys.count + removedKeys.count)
        var changed: [GroupEntry] = []
        var removed: [[Value]] = []
        changed.reserveCapacity(changedKeys.count)
        for key in changedKeys where seen.insert(key).inserted {
            if let group = groups[key] {
                changed.append(GroupEntry(key: key, accumulators: group.accumulators))
            } else {
                removed.append(key)
            }
        }
        for key in removedKeys where seen.insert(key).inserted {
            if let group = groups[key] {
                changed.append(GroupEntry(key: key, accumulators: group.accumulators))
            } else {
                removed.append(key)
            }
        }
        var changedSessions: [SessionEntry] = []
        var removedSessions: [[Value]] = []
        for key in changedSessionKeys {
            if let list = sessions[key] {
                changedSessions.append(SessionEntry(key: key, sessions: list))
            } else {
                removedSessions.append(key)
            }
        }
        forgetChanges()
        return Snapshot(
            groups: changed, sessions: changedSessions, watermark: watermark, removedGroups: removed,
            removedSessions: removedSessions)
    }

    /// Starts a new epoch with nothing changed: the state as it is now is what the last checkpoint holds.
    func forgetChanges() {
        changedKeys.removeAll(keepingCapacity: true)
        removedKeys.removeAll(keepingCapacity: true)
        changedSessionKeys.removeAll(keepingCapacity: true)
        changeEpoch &+= 1
        if changeEpoch == 0 {
            // After 2³² checkpoints an old mark could equal the new epoch: clear them all once.
            for key in groups.keys { groups[key]!.epoch = 0 }
            changeEpoch = 1
        }
    }

    /// Applies a delta written by ``takeChanges()`` on top of the state restored so far.
    func apply(_ delta: Snapshot) {
        for key in delta.removedGroups { groups[key] = nil }
        for entry in delta.groups { groups[entry.key] = GroupState(accumulators: entry.accumulators) }
        for key in delta.removedSessions { sessions[key] = nil }
        for entry in delta.sessions { sessions[entry.key] = entry.sessions }
        watermark = delta.watermark
        forgetChanges()
    }
}
