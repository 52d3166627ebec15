/// Metrics of a trained model on held-out ratings.
///
/// ```swift
/// let (train, test) = ratings.split(testFraction: 0.2, seed: 1)
/// let model = try ALS().train(train)
/// let errors = Evaluation.regression(model, test: test)          // RMSE, MAE
/// let ranking = Evaluation.ranking(model, test: test, k: 10)     // precision@10, MAP@10, NDCG@10
/// ```
public enum Evaluation {
    public struct RegressionMetrics: Sendable, Equatable {
        public var rmse: Double
        public var mae: Double
        /// Test ratings scored.
        public var count: Int
        /// Test ratings left out because the user or item was unknown (cold start, `drop`).
        public var dropped: Int
    }

    public struct RankingMetrics: Sendable, Equatable {
        public var k: Int
        public var precision: Double
        public var meanAveragePrecision: Double
        public var ndcg: Double
        /// Test users scored (known to the model, with at least one relevant item it knows).
        public var users: Int
    }

    /// RMSE and MAE of the model's predictions on `test`.
    public static func regression(_ model: ALSModel, test: Ratings, coldStart: ColdStartStrategy = .drop)
        -> RegressionMetrics
    {
        var squared = 0.0
        var absolute = 0.0
        var count = 0
        var dropped = 0
        let userMap = test.users.ids.map { model.users.index(of: $0) }
        let itemMap = test.items.ids.map { model.items.index(of: $0) }
        for e in 0..<test.count {
            guard let u = userMap[Int(test.userIndices[e])], let i = itemMap[Int(test.itemIndices[e])] else {
                if coldStart == .nan {
                    squared = .nan
                    absolute = .nan
                    count += 1
                } else {
                    dropped += 1
                }
                continue
            }
            let error = Double(test.values[e]) - Double(model.predict(userIndex: Int(u), itemIndex: Int(i)))
            squared += error * error
            absolute += abs(error)
            count += 1
        }
        let n = Double(max(count, 1))
        return RegressionMetrics(
            rmse: count == 0 ? .nan : (squared / n).squareRoot(), mae: count == 0 ? .nan : absolute / n,
            count: count, dropped: dropped)
    }

    /// Ranking quality at `k`, with the `implicit` library's definitions so figures compare directly:
    /// each test user's relevant items are their test items with rating > 0 that the model knows;
    /// recommendations exclude training items; precision = Σ hits / Σ min(k, |relevant|), MAP@k averages
    /// Σ_{hit at rank i} (hits so far / i) / min(k, |relevant|), NDCG@k averages DCG / ideal DCG with
    /// binary gains.
    public static func ranking(_ model: ALSModel, test: Ratings, k: Int, workers: Int = 2) -> RankingMetrics {
        var relevant: [Int32: [Int32]] = [:]  // model user index → model item indices
        let userMap = test.users.ids.map { model.users.index(of: $0) }
        let itemMap = test.items.ids.map { model.items.index(of: $0) }
        for e in 0..<test.count where test.values[e] > 0 {
            guard let u = userMap[Int(test.userIndices[e])], let i = itemMap[Int(test.itemIndices[e])] else {
                continue
            }
            relevant[u, default: []].append(i)
        }
        let users = relevant.keys.sorted()
        var perUser = [RankingCounts](repeating: RankingCounts(), count: users.count)
        perUser.withUnsafeMutableBufferPointer { out in
            let out = SendablePointer(out.baseAddress!)
            Parallel.forEachChunk(users.count, workers: workers) { range in
                for position in range {
                    let u = users[position]
                    let recommended = model.recommend(userIndex: Int(u), n: k).map(\.itemIndex)
                    out.pointer[position] = RankingCounts(
                        recommended: recommended, relevant: Set(relevant[u]!), k: k)
                }
            }
        }
        var total = RankingCounts()
        for counts in perUser { total.add(counts) }
        return total.metrics(k: k)
    }

    /// One user's contribution (or a sum of them) to the ranking metrics.
    public struct RankingCounts: Sendable, Equatable {
        public var hits = 0.0
        public var possible = 0.0
        public var averagePrecision = 0.0
        public var ndcg = 0.0
        public var users = 0

        public init() {}

        public init<Item: Hashable>(recommended: [Item], relevant: Set<Item>, k: Int) {
            guard !relevant.isEmpty else { return }
            let cutoff = min(k, relevant.count)
            var hitsSoFar = 0.0
            var precisionSum = 0.0
            var dcg = 0.0
            for (rank, item) in recommended.prefix(k).enumerated() where relevant.contains(item) {
                hitsSoFar += 1
                precisionSum += hitsSoFar / Double(rank + 1)
                dcg += 1 / _log2(Double(rank + 2))
            }
            var ideal = 0.0
            for rank in 0..<cutoff { ideal += 1 / _log2(Double(rank + 2)) }
            hits = hitsSoFar
            possible = Double(cutoff)
            averagePrecision = precisionSum / Double(cutoff)
            ndcg = dcg / ideal
            users = 1
        }

        public mutating func add(_ other: RankingCounts) {
            hits += other.hits
            possible += other.possible
            averagePrecision += other.averagePrecision
            ndcg += other.ndcg
            users += other.users
        }

        public func metrics(k: Int) -> RankingMetrics {
            let n = Double(max(users, 1))
            return RankingMetrics(
                k: k, precision: possible > 0 ? hits / possible : 0,
                meanAveragePrecision: averagePrecision / n,
                ndcg: ndcg / n, users: users)
        }
    }
}
