/// A user's factors solved after training against the model's fixed item factors — recommendations for a
/// user who arrived since the last retrain, in well under a millisecond.
public struct FoldedUser: Sendable {
    public let factors: [Float]
    /// Item indices the user rated (ascending), excluded from recommendations.
    public let rated: [Int32]
    /// Items the model does not know; they cannot contribute until the next retrain.
    public let unknownItems: [ExternalID]
}

extension ALSModel {
    /// Solves one user's factors exactly against the fixed item factors: for explicit models the same
    /// regularised least squares as a training step (λ·nᵤ), so a user who was in training gets back the
    /// factors of the final user step; for implicit models Hu–Koren–Volinsky's system solved by Cholesky.
    /// A user with no known items gets zero factors.
    ///
    /// ```swift
    /// let newcomer = model.foldIn([(item: .int(50), rating: 5), (item: .int(181), rating: 4)])
    /// let top = model.recommend(newcomer, n: 10)
    /// ```
    public func foldIn(_ ratings: [(item: ExternalID, rating: Float)]) -> FoldedUser {
        var known: [(index: Int32, rating: Float)] = []
        var unknown: [ExternalID] = []
        for (item, rating) in ratings {
            if let index = items.index(of: item) {
                known.append((index, rating))
            } else {
                unknown.append(item)
            }
        }
        let k = rank
        var factors = [Float](repeating: 0, count: k)
        let implicit = metadata.kind == .implicit
        if implicit { known.removeAll { $0.rating <= 0 } }
        if !known.isEmpty {
            let equation = NormalEquation(rank: k)
            itemFactors.values.withUnsafeBufferPointer { y in
                for (index, rating) in known {
                    let row = y.baseAddress! + Int(index) * k
                    if implicit {
                        let c = 1 + metadata.alpha * Double(rating)
                        equation.add(row, weight: c - 1, target: c)
                    } else {
                        equation.add(row, rating: Double(rating))
                    }
                }
            }
            factors.withUnsafeMutableBufferPointer { out in
                if implicit {
                    itemGramian.withUnsafeBufferPointer { gramian in
                        equation.solve(
                            regularization: metadata.regParam, base: gramian.baseAddress!, nonnegative: false,
                            into: out.baseAddress!)
                    }
                } else {
                    equation.solve(
                        regularization: metadata.regParam * Double(known.count),
                        nonnegative: metadata.nonnegative, into: out.baseAddress!)
                }
            }
        }
        let rated = Array(Set(known.map(\.index))).sorted()
        return FoldedUser(factors: factors, rated: rated, unknownItems: unknown)
    }

    /// The `n` best items for a folded-in user, excluding the items they rated.
    public func recommend(_ user: FoldedUser, n: Int) -> [Recommendation] {
        user.factors.withUnsafeBufferPointer { x in
            user.rated.withUnsafeBufferPointer { rated in
                recommend(factors: x.baseAddress!, excluding: rated, n: n)
            }
        }
    }
}
