import Synchronization

/// Rates of monotonic counters (a partition's end offset, a topic's bytes) from timed samples: each call to
/// ``rate(of:value:now:)`` records a sample and answers the per-second change over the last few seconds.
///
/// ```swift
/// let meter = RateMeter()
/// let perSecond = meter.rate(of: "motion/0", value: endOffset, now: .now)
/// ```
final class RateMeter: Sendable {
    private struct Sample {
        var time: ContinuousClock.Instant
        var value: Int64
    }

    private let samples = Mutex<[String: [Sample]]>([:])
    /// Samples closer together than this are not kept, so bursts of requests do not shrink the window.
    private let spacing: Duration
    private let window: Duration

    init(spacing: Duration = .milliseconds(500), window: Duration = .seconds(10)) {
        self.spacing = spacing
        self.window = window
    }

    func rate(of key: String, value: Int64, now: ContinuousClock.Instant = .now) -> Double {
        samples.withLock { samples in
            var series = samples[key, default: []]
            series.removeAll { now - $0.time > window }
            if let last = series.last, value < last.value {
                series.removeAll()  // the counter went backwards (topic recreated): start over
            }
            let oldest = series.first
            if series.last.map({ now - $0.time >= spacing }) ?? true {
                series.append(Sample(time: now, value: value))
                if series.count > 64 { series.removeFirst(series.count - 64) }
            }
            samples[key] = series
            guard let oldest else { return 0 }
            let seconds =
                Double((now - oldest.time).components.seconds)
                + Double((now - oldest.time).components.attoseconds) / 1e18
            return seconds > 0.05 ? Double(value - oldest.value) / seconds : 0
        }
    }
}
