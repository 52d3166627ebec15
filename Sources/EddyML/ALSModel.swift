/// A trained matrix factorisation: user and item factors, the id maps, and which items each user rated in
/// training (so recommendations skip them). A plain value: answering from it needs no I/O or locks, and
/// a newer model replaces it whole (see ``ModelSlot``).
///
/// ```swift
/// let model = try ALS(rank: 10, regParam: 0.1).train(ratings)
/// model.predict(user: .int(1), item: .int(50))        // Float?, nil for an unknown user or item
/// model.recommend(user: .int(1), n: 10)                // [Recommendation]?, best first
/// ```
public struct ALSModel: Sendable {
    public var metadata: ModelMetadata
    public let users: IDMap
    public let items: IDMap
    public let userFactors: FactorMatrix
    public let itemFactors: FactorMatrix
    /// Rows are users, columns the items each rated in training (ascending), values the ratings.
    public let rated: SparseRows
    /// `YᵀY` of the item factors (rank × rank), for implicit fold-in; computed once per model.
    let itemGramian: [Double]

    public init(
        metadata: ModelMetadata, users: IDMap, items: IDMap, userFactors: FactorMatrix,
        itemFactors: FactorMatrix, rated: SparseRows
    ) {
        precondition(userFactors.rows == users.count && itemFactors.rows == items.count)
        precondition(userFactors.rank == itemFactors.rank && rated.rowCount == users.count)
        self.metadata = metadata
        self.users = users
        self.items = items
        self.userFactors = userFactors
        self.itemFactors = itemFactors
        self.rated = rated
        self.itemGramian = metadata.kind == .implicit ? itemFactors.gramian(workers: 1) : []
    }

    public var rank: Int { userFactors.rank }

    /// The predicted rating (explicit) or preference (implicit); nil when the user or item was not in
    /// training — Spark's cold start, which evaluation drops or reports as NaN.
    public func predict(user: ExternalID, item: ExternalID) -> Float? {
        guard let u = users.index(of: user), let i = items.index(of: item) else { return nil }
        return predict(userIndex: Int(u), itemIndex: Int(i))
    }

    public func predict(userIndex u: Int, itemIndex i: Int) -> Float {
        let k = rank
        return userFactors.values.withUnsafeBufferPointer { uf in
            itemFactors.values.withUnsafeBufferPointer { itf in
                var sum: Float = 0
                for c in 0..<k { sum += uf[u * k + c] * itf[i * k + c] }
                return sum
            }
        }
    }
}
