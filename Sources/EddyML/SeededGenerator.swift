/// A small, fast, seeded random number generator (SplitMix64), so that training, splits and simulated
/// ratings are reproducible from one `seed` on every platform (the standard library's generator is not
/// seedable).
///
/// ```swift
/// var random = SeededGenerator(seed: 1)
/// let coin = random.nextUnit() < 0.5
/// let noise = random.nextGaussian()
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1), 53 bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Standard normal (Box–Muller; one of the pair is dropped so each call consumes a fixed amount).
    public mutating func nextGaussian() -> Double {
        let u1 = max(nextUnit(), 0x1p-60)
        let u2 = nextUnit()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }
}
