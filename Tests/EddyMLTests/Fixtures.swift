@testable import EddyML

enum Fixtures {
    /// A small dense-ish explicit problem: `users` × `items`, each pair rated with probability `density`.
    static func smallRatings(users: Int = 12, items: Int = 9, density: Double = 0.6, seed: UInt64 = 3)
        -> Ratings
    {
        var random = SeededGenerator(seed: seed)
        var ratings = Ratings()
        for u in 0..<users {
            for i in 0..<items where random.nextUnit() < density || i == u % items {
                ratings.append(
                    user: .int(Int64(100 + u)), item: .string("item-\(i)"),
                    rating: Float(1 + random.next() % 5))
            }
        }
        return ratings
    }

    static func row(_ m: FactorMatrix, _ r: Int) -> [Double] { m.row(r).map(Double.init) }
}
