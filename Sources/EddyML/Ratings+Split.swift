extension Ratings {
    /// A seeded random split: each rating goes to the test side with probability `testFraction`. Each side
    /// has its own id maps, so a user whose ratings all fell into the test side is unknown to a model
    /// trained on the training side (a cold start, as in Spark's `randomSplit`).
    ///
    /// ```swift
    /// let (train, test) = ratings.split(testFraction: 0.2, seed: 1)
    /// ```
    public func split(testFraction: Double, seed: UInt64) -> (train: Ratings, test: Ratings) {
        var random = SeededGenerator(seed: seed)
        var train = Ratings()
        var test = Ratings()
        train.reserveCapacity(Int(Double(count) * (1 - testFraction)) + 16)
        test.reserveCapacity(Int(Double(count) * testFraction) + 16)
        for i in 0..<count {
            let user = users.ids[Int(userIndices[i])]
            let item = items.ids[Int(itemIndices[i])]
            if random.nextUnit() < testFraction {
                test.append(user: user, item: item, rating: values[i])
            } else {
                train.append(user: user, item: item, rating: values[i])
            }
        }
        return (train, test)
    }
}
