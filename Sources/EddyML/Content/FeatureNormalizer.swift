/// How raw feature values are put on one scale before they are compared.
public enum Normalization: String, Sendable, Hashable, CaseIterable, Codable {
    /// `(x − min) / (max − min)` per feature, into [0, 1] (the seed notebook's `MinMaxScaler`).
    case minMax = "minmax"
    /// `(x − mean) / standard deviation` per feature.
    case zScore = "zscore"
}

/// Normalises feature vectors with statistics maintained as the values stream in (``FeatureStatistics``
/// per feature). Each change of the statistics bumps ``version`` so holders of normalised copies know to
/// re-normalise — lazily, when they are next read, not on every added value.
///
/// ```swift
/// var normalizer = FeatureNormalizer(features: 2, normalization: .zScore)
/// normalizer.add([0.5, 120])
/// normalizer.add([0.9, 95])
/// let scaled = normalizer.normalize([0.7, 100])   // [0, -0.6]
/// ```
public struct FeatureNormalizer: Sendable, Hashable, Codable {
    public let normalization: Normalization
    public private(set) var statistics: [FeatureStatistics]
    /// Changes whenever the statistics do.
    public private(set) var version: UInt64 = 0

    public init(features: Int, normalization: Normalization) {
        self.normalization = normalization
        statistics = Array(repeating: FeatureStatistics(), count: features)
    }

    public var featureCount: Int { statistics.count }

    public mutating func add(_ values: some Collection<Double>) {
        var index = 0
        for value in values where index < statistics.count {
            statistics[index].add(value)
            index += 1
        }
        version &+= 1
    }

    public mutating func remove(_ values: some Collection<Double>) {
        var index = 0
        for value in values where index < statistics.count {
            statistics[index].remove(value)
            index += 1
        }
        version &+= 1
    }

    /// Moves ``version`` past `other`, so holders of a copy made at `other` re-normalise.
    mutating func touch(after other: UInt64) {
        version = max(version, other == .max ? 0 : other) &+ 1
    }

    /// The scale and offset of each feature: `normalised = (raw − offset) · scale`. A feature with no spread
    /// gets scale 0 (every track is the same there, so it cannot tell tracks apart).
    public func affine() -> (offset: [Double], scale: [Double]) {
        var offset = [Double](repeating: 0, count: featureCount)
        var scale = [Double](repeating: 0, count: featureCount)
        for (index, stats) in statistics.enumerated() where stats.count > 0 {
            switch normalization {
            case .minMax:
                let range = stats.maximum - stats.minimum
                offset[index] = stats.minimum
                scale[index] = range > 0 ? 1 / range : 0
            case .zScore:
                let deviation = stats.standardDeviation
                offset[index] = stats.mean
                scale[index] = deviation > 0 ? 1 / deviation : 0
            }
        }
        return (offset, scale)
    }

    /// `values` on the current scale; a missing or non-finite value becomes the feature's centre.
    public func normalize(_ values: [Double]) -> [Double] {
        let (offset, scale) = affine()
        return values.indices.map { index in
            guard index < featureCount else { return 0 }
            let value = values[index].isFinite ? values[index] : statistics[index].mean
            return (value - offset[index]) * scale[index]
        }
    }
}
