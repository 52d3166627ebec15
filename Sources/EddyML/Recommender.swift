extension ALSModel {
    /// The `n` best items for a user, best first, excluding items the user rated in training; nil for a
    /// user the model does not know (see ``foldIn(_:)`` for users who arrived after training).
    ///
    /// ```swift
    /// for r in model.recommend(user: .int(42), n: 10) ?? [] { print(r.item, r.score) }
    /// ```
    public func recommend(user: ExternalID, n: Int) -> [Recommendation]? {
        guard let u = users.index(of: user) else { return nil }
        return recommend(userIndex: Int(u), n: n)
    }

    public func recommend(userIndex u: Int, n: Int) -> [Recommendation] {
        let range = rated.range(of: u)
        return userFactors.values.withUnsafeBufferPointer { factors in
            rated.columns.withUnsafeBufferPointer { columns in
                recommend(
                    factors: factors.baseAddress! + u * rank,
                    excluding: UnsafeBufferPointer(rebasing: columns[range]), n: n)
            }
        }
    }

    /// Top `n` for every user, indexed by user index (`users.ids[u]` is the id), rows split across
    /// `workers` threads (Spark's `recommendForAllUsers`).
    public func recommendForAllUsers(n: Int, workers: Int = 2) -> [[Recommendation]] {
        var results = [[Recommendation]](repeating: [], count: users.count)
        results.withUnsafeMutableBufferPointer { out in
            let out = SendablePointer(out.baseAddress!)
            Parallel.forEachChunk(users.count, workers: workers) { range in
                for u in range { out.pointer[u] = recommend(userIndex: u, n: n) }
            }
        }
        return results
    }

    /// Top `n` for each of `subset`, in its order; nil for users the model does not know (Spark's
    /// `recommendForUserSubset`).
    public func recommendForUserSubset(_ subset: [ExternalID], n: Int) -> [(
        user: ExternalID, items: [Recommendation]?
    )] {
        subset.map { ($0, recommend(user: $0, n: n)) }
    }

    /// Scores every item against `factors` (rank values) and keeps the best `n` not in `excluding`
    /// (ascending item indices).
    func recommend(factors x: UnsafePointer<Float>, excluding: UnsafeBufferPointer<Int32>, n: Int)
        -> [Recommendation]
    {
        let k = rank
        let itemCount = items.count
        var top = TopN(n: min(n, itemCount))
        itemFactors.values.withUnsafeBufferPointer { itemValues in
            let y = itemValues.baseAddress!
            var next = 0  // the next excluded item, walked in step with the item index
            for i in 0..<itemCount {
                if next < excluding.count, Int(excluding[next]) == i {
                    next += 1
                    while next < excluding.count, Int(excluding[next]) == i { next += 1 }
                    continue
                }
                let row = y + i * k
                var score: Float = 0
                for c in 0..<k { score += x[c] * row[c] }
                if score > top.threshold || top.heap.count < top.n { top.offer(Int32(i), score) }
            }
        }
        return top.sorted().map {
            Recommendation(item: items.ids[Int($0.index)], itemIndex: $0.index, score: $0.score)
        }
    }
}
