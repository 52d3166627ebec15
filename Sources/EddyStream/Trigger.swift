/// When a pipeline processes input and emits results.
///
/// ```swift
/// Pipeline("retail").trigger(.processingTime(.seconds(5)))
/// ```
public enum Trigger: Sendable, Hashable, CustomStringConvertible {
    /// The default: records are processed as they arrive; results are emitted each time the input is drained
    /// (each poll), so a batch is small and latency is low.
    case continuous
    /// Micro-batches: every `interval`, process what arrived since the last batch and emit (`Batch: N`).
    /// No batch runs when nothing arrived (except the first).
    case processingTime(Duration)
    /// Process everything present when the pipeline starts, emit, checkpoint and stop (Spark's `once` /
    /// `availableNow`; bounded by ``Pipeline/maxRecordsPerBatch(_:)`` if set).
    case availableNow

    /// Spark's name for ``availableNow``.
    public static let once = Trigger.availableNow

    /// Parses `continuous`, `once`, `available-now`, or an interval such as `500ms`, `1s`, `2m`.
    public init?(parsing text: String) {
        switch text.lowercased() {
        case "continuous": self = .continuous
        case "once", "available-now", "availablenow": self = .availableNow
        default:
            guard let duration = Trigger.parseDuration(text), duration > .zero else { return nil }
            self = .processingTime(duration)
        }
    }

    /// `250ms`, `1s`, `1.5s`, `2m`, `1h`; a bare number means seconds.
    public static func parseDuration(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var number = Substring(text.trimmingCharactersInWhitespace)
        var multiplier = 1.0
        for (suffix, factor) in units where number.hasSuffix(suffix) {
            number = number.dropLast(suffix.count)
            multiplier = factor
            break
        }
        guard let value = Double(number), value >= 0, value.isFinite else { return nil }
        return .microseconds(Int64((value * multiplier * 1_000_000).rounded()))
    }

    public var description: String {
        switch self {
        case .continuous: "continuous"
        case .processingTime(let d): "processingTime(\(d))"
        case .availableNow: "availableNow"
        }
    }
}

extension String {
    var trimmingCharactersInWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
