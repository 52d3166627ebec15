public import EddyLog
import EddyML
import Foundation

/// Ratings in seed 001's shape, one JSON object per record (`{"user_id": 17, "item_id": 203, "rating": 4}`),
/// drawn from ``RatingsSimulator``'s planted low-rank structure and rounded to whole stars 1–5 like
/// MovieLens, keyed by user.
///
/// ```swift
/// var ratings = RatingSimulator(users: 500, items: 200, seed: 7)
/// let record = ratings.next()
/// ```
public struct RatingSimulator: Simulator {
    private let simulator: RatingsSimulator
    /// The planted factors, drawn once (drawing them is O(users + items)).
    private let truth: RatingsSimulator.Truth
    private var random: SimulationRandom

    public init(users: Int = 500, items: Int = 200, seed: UInt64? = nil) {
        simulator = RatingsSimulator(users: users, items: items, rank: 4, mean: 3.2, signal: 1.2, noise: 0.4)
        truth = simulator.truth()
        random = SimulationRandom(seed: seed)
    }

    public mutating func next() -> ProducerRecord {
        let user = random.int(in: 0...simulator.users - 1)
        let item = random.int(in: 0...simulator.items - 1)
        // Box–Muller: one normal draw from two uniform ones.
        let gaussian = (-2 * log(max(random.unit(), 1e-12))).squareRoot() * cos(2 * Double.pi * random.unit())
        let noisy = Double(truth.rating(user: user, item: item)) + Double(simulator.noise) * gaussian
        let stars = min(5, max(1, Int(noisy.rounded())))
        let value = #"{"user_id": \#(user + 1), "item_id": \#(item + 1), "rating": \#(stars)}"#
        return ProducerRecord(key: Array(String(user + 1).utf8), value: Array(value.utf8))
    }
}
