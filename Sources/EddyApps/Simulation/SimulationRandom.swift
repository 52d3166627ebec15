/// The simulators' random number generator: xoshiro256** seeded through SplitMix64.
///
/// Foundation's generators cannot be seeded, and the simulators promise the same bytes for the same
/// `--seed` on every machine and Swift version, so they carry their own. Without a seed the state comes
/// from the system generator.
///
/// ```swift
/// var random = SimulationRandom(seed: 42)
/// let die = random.int(in: 1...6)          // same value on every run with seed 42
/// let pick = random.element(of: ["a", "b"])
/// ```
public struct SimulationRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator whose sequence is fixed by `seed`; nil draws the seed from the system generator.
    public init(seed: UInt64?) {
        var state = seed ?? UInt64.random(in: .min ... .max)
        // SplitMix64 spreads one 64-bit seed over the four state words (never all zero).
        func splitMix() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// A uniformly distributed integer in `range`, independent of the standard library's algorithm so the
    /// sequence cannot change with a Swift release (Lemire's multiply-shift with rejection).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(bitPattern: Int64(range.upperBound) &- Int64(range.lowerBound)) &+ 1
        if span == 0 { return Int(truncatingIfNeeded: next()) }  // the whole 64-bit range
        var product = next().multipliedFullWidth(by: span)
        if product.low < span {
            let threshold = (0 &- span) % span
            while product.low < threshold {
                product = next().multipliedFullWidth(by: span)
            }
        }
        return range.lowerBound &+ Int(truncatingIfNeeded: product.high)
    }

    /// A uniformly distributed `Double` in `0 ..< 1` (53 random bits).
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with probability `probability`.
    public mutating func chance(_ probability: Double) -> Bool {
        probability > 0 && unit() < probability
    }

    public mutating func element<T>(of elements: [T]) -> T {
        elements[int(in: 0...(elements.count - 1))]
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
