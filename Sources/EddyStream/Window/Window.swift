/// An event-time window for ``GroupedPipeline``: rows are grouped by the window(s) their event time falls in,
/// and the result gets `window_start` and `window_end` timestamp columns before the group keys.
///
/// ```swift
/// .groupBy(.tumbling(on: "event_time", size: .minutes(1)), "location")
/// .groupBy(.hopping(on: "event_time", size: .minutes(10), slide: .minutes(5)), "location")
/// .groupBy(.session(on: "event_time", gap: .minutes(5)), "customer_id")
/// ```
///
/// The time column must hold timestamps (or ISO-8601 strings, parsed on the way). Rows whose time is null
/// belong to no window and are skipped, as in Spark.
public struct Window: Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case tumbling(TumblingWindow)
        case hopping(HoppingWindow)
        case session(SessionWindow)
    }

    public var timeColumn: String
    public var kind: Kind

    public init(timeColumn: String, kind: Kind) {
        self.timeColumn = timeColumn
        self.kind = kind
    }

    /// Fixed-size, non-overlapping windows aligned to the epoch: each row falls in exactly one.
    public static func tumbling(on timeColumn: String, size: Duration) -> Window {
        Window(timeColumn: timeColumn, kind: .tumbling(TumblingWindow(size: size)))
    }

    /// Fixed-size windows starting every `slide` (Spark's sliding window): a row falls in `size / slide` of them.
    public static func hopping(on timeColumn: String, size: Duration, slide: Duration) -> Window {
        Window(timeColumn: timeColumn, kind: .hopping(HoppingWindow(size: size, slide: slide)))
    }

    /// A window per key that stays open while rows keep arriving less than `gap` apart; it ends `gap` after
    /// its last row. Out-of-order rows can merge two sessions into one.
    public static func session(on timeColumn: String, gap: Duration) -> Window {
        Window(timeColumn: timeColumn, kind: .session(SessionWindow(gap: gap)))
    }

    public var isSession: Bool {
        if case .session = kind { return true }
        return false
    }

    public var description: String {
        switch kind {
        case .tumbling(let w): "tumbling(\(timeColumn), \(w.sizeMicros)µs)"
        case .hopping(let w): "hopping(\(timeColumn), \(w.sizeMicros)µs, \(w.slideMicros)µs)"
        case .session(let w): "session(\(timeColumn), \(w.gapMicros)µs)"
        }
    }

    /// Output column names the window adds before the group keys.
    public static let startColumn = "window_start"
    public static let endColumn = "window_end"
}

extension Duration {
    /// Whole microseconds (truncating).
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}

extension Duration {
    /// `n` minutes, for window sizes: `.tumbling(on: "ts", size: .minutes(1))`.
    public static func minutes(_ n: Int) -> Duration { .seconds(Int64(n) * 60) }
    /// `n` hours.
    public static func hours(_ n: Int) -> Duration { .seconds(Int64(n) * 3600) }
}
