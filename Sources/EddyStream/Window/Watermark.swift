/// How far behind the newest event time the engine waits for stragglers: watermark = max event time seen −
/// `delay`. Rows older than the watermark are late: counted, optionally routed to a topic, never merged into
/// windows the watermark has closed. Declared with ``Pipeline/withWatermark(_:delay:)``.
///
/// As in Spark, the watermark advances at the end of each batch, so within a batch rows are judged against
/// the watermark the previous batch left.
public struct Watermark: Sendable, Hashable {
    public var column: String
    public var delayMicros: Int64

    public init(column: String, delay: Duration) {
        self.column = column
        self.delayMicros = delay.microseconds
    }
}

/// The moving part of a watermark, saved in checkpoints.
struct WatermarkState: Sendable, Codable, Equatable {
    var maxEventTime: Int64?
    var current: Int64?

    mutating func observe(_ time: Int64) {
        if maxEventTime == nil || time > maxEventTime! { maxEventTime = time }
    }

    /// Moves the watermark to max event time − delay (it never goes back). Returns whether it moved.
    mutating func advance(delay: Int64) -> Bool {
        guard let maxEventTime else { return false }
        let next = maxEventTime &- delay
        if current == nil || next > current! {
            current = next
            return true
        }
        return false
    }

    func isLate(_ time: Int64) -> Bool {
        guard let current else { return false }
        return time < current
    }
}
