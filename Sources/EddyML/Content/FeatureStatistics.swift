/// Running statistics of one feature over a stream of values: minimum and maximum seen, and mean and
/// variance by Welford's update (numerically stable in one pass), with removal so an updated track can
/// take its old value back out.
///
/// Minimum and maximum only widen: a removed extreme is not forgotten (that would need every value kept),
/// so min-max normalisation of a changing catalogue stays within the range ever seen.
///
/// ```swift
/// var tempo = FeatureStatistics()
/// for value in [120.0, 95.5, 174.0] { tempo.add(value) }
/// tempo.mean      // 129.83…
/// tempo.variance  // population variance
/// ```
public struct FeatureStatistics: Sendable, Hashable, Codable {
    public private(set) var count = 0
    public private(set) var minimum = Double.infinity
    public private(set) var maximum = -Double.infinity
    public private(set) var mean = 0.0
    /// Sum of squared deviations from the mean (Welford's M2).
    private var m2 = 0.0

    public init() {}

    public mutating func add(_ value: Double) {
        guard value.isFinite else { return }
        count += 1
        let delta = value - mean
        mean += delta / Double(count)
        m2 += delta * (value - mean)
        minimum = Swift.min(minimum, value)
        maximum = Swift.max(maximum, value)
    }

    /// Takes a value added before back out of the mean and variance (the reverse Welford step).
    public mutating func remove(_ value: Double) {
        guard value.isFinite, count > 0 else { return }
        if count == 1 {
            count = 0
            mean = 0
            m2 = 0
            return
        }
        let previousMean = (mean * Double(count) - value) / Double(count - 1)
        m2 -= (value - mean) * (value - previousMean)
        m2 = Swift.max(m2, 0)
        mean = previousMean
        count -= 1
    }

    /// Population variance (divides by the count), 0 for fewer than two values.
    public var variance: Double { count > 1 ? m2 / Double(count) : 0 }

    public var standardDeviation: Double { variance.squareRoot() }
}
