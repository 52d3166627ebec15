/// Synthetic ratings with a planted low-rank structure, for tests and benchmarks: hidden user and item
/// factors (normal, rank `rank`) give true ratings `mean + uᵀv`, observed with normal noise at random
/// (user, item) pairs. A model that finds the structure predicts held-out ratings to about `noise`.
///
/// ```swift
/// let simulator = RatingsSimulator(users: 50_000, items: 10_000, rank: 10, seed: 7)
/// let ratings = simulator.ratings(count: 2_000_000)
/// ```
public struct RatingsSimulator: Sendable {
    public var users: Int
    public var items: Int
    public var rank: Int
    public var mean: Float
    /// Standard deviation of the planted signal uᵀv.
    public var signal: Float
    public var noise: Float
    public var seed: UInt64

    public init(
        users: Int, items: Int, rank: Int, mean: Float = 3.5, signal: Float = 1, noise: Float = 0.1,
        seed: UInt64 = 1
    ) {
        self.users = users
        self.items = items
        self.rank = rank
        self.mean = mean
        self.signal = signal
        self.noise = noise
        self.seed = seed
    }

    /// The noiseless rating of (user, item): what a perfect model predicts. Draws the hidden factors again
    /// on every call; for many ratings keep ``truth()``.
    public func trueRating(user: Int, item: Int) -> Float {
        truth().rating(user: user, item: item)
    }

    /// The planted structure, drawn once: noiseless ratings at the cost of one dot product each.
    public func truth() -> Truth {
        let (u, v) = factors()
        return Truth(u: u, v: v, rank: rank, mean: mean)
    }

    /// The hidden factors of a ``RatingsSimulator``.
    public struct Truth: Sendable {
        let u: [Float]
        let v: [Float]
        let rank: Int
        let mean: Float

        /// `mean + uᵀv` of (user, item), 0-based.
        public func rating(user: Int, item: Int) -> Float {
            var dot: Float = 0
            for c in 0..<rank { dot += u[user * rank + c] * v[item * rank + c] }
            return mean + dot
        }
    }

    /// `count` observed ratings; ids are 1-based integers (`user` + 1, `item` + 1).
    public func ratings(count: Int) -> Ratings {
        let truth = truth()
        var random = SeededGenerator(seed: seed &+ 0x5EED)
        var ratings = Ratings()
        ratings.reserveCapacity(count)
        for _ in 0..<count {
            let user = Int(random.next() % UInt64(users))
            let item = Int(random.next() % UInt64(items))
            let rating = truth.rating(user: user, item: item) + noise * Float(random.nextGaussian())
            ratings.append(userInt: Int64(user + 1), itemInt: Int64(item + 1), rating: rating)
        }
        return ratings
    }

    /// Hidden factors scaled so that uᵀv has standard deviation `signal`.
    private func factors() -> ([Float], [Float]) {
        var random = SeededGenerator(seed: seed)
        let scale = (Double(signal) / Double(rank).squareRoot()).squareRoot()
        let u = (0..<users * rank).map { _ in Float(random.nextGaussian() * scale) }
        let v = (0..<items * rank).map { _ in Float(random.nextGaussian() * scale) }
        return (u, v)
    }
}
