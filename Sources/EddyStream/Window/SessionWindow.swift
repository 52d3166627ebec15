/// Gap-based event-time windows per key. See ``Window/session(on:gap:)``.
public struct SessionWindow: Sendable, Hashable {
    public var gapMicros: Int64

    public init(gap: Duration) {
        self.gapMicros = gap.microseconds
    }
}

/// One open session of one key: `[start, end)` where `end` is the last row's time plus the gap.
struct Session: Sendable, Codable, Equatable {
    var start: Int64
    var end: Int64
    var accumulators: [Accumulator]
}

extension SessionWindow {
    /// Adds a row at `time` to a key's sessions (kept sorted by start), merging every session the new span
    /// `[time, time + gap)` touches. Returns the index of the session the row landed in.
    func insert(time: Int64, into sessions: inout [Session], makeAccumulators: () -> [Accumulator]) -> Int {
        var merged = Session(start: time, end: time &+ gapMicros, accumulators: makeAccumulators())
        var kept: [Session] = []
        kept.reserveCapacity(sessions.count + 1)
        for session in sessions {
            if session.end >= merged.start && session.start <= merged.end {
                merged.start = min(merged.start, session.start)
                merged.end = max(merged.end, session.end)
                for i in merged.accumulators.indices { merged.accumulators[i].merge(session.accumulators[i]) }
            } else {
                kept.append(session)
            }
        }
        let position = kept.firstIndex { $0.start > merged.start } ?? kept.count
        kept.insert(merged, at: position)
        sessions = kept
        return position
    }
}
