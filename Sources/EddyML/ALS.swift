import Dispatch
public import Foundation

/// Alternating least squares for explicit ratings, with Spark MLlib's semantics: each half-iteration
/// solves every item's factors against fixed user factors, then every user's against fixed item factors,
/// minimising Σ (r − uᵀi)² + λ(nᵤ‖u‖² + nᵢ‖i‖²) — regularisation scaled by each row's rating count
/// (ALS-WR, Zhou et al.). Factors start from a seeded normal distribution, rows of unit length; with the
/// same seed and data the model is the same for any worker count.
///
/// ```swift
/// let als = ALS(rank: 10, maxIterations: 10, regParam: 0.1, seed: 1)
/// let model = try als.train(ratings) { print("iteration \($0.iteration): \($0.trainingRMSE!)") }
/// let best = model.recommend(user: .int(42), n: 10)
/// ```
public struct ALS: Sendable {
    public var rank: Int
    public var maxIterations: Int
    public var regParam: Double
    /// Non-negative factors (each row's least squares solved under x ≥ 0).
    public var nonnegative: Bool
    public var seed: UInt64
    /// Threads solving rows at once; results do not depend on it.
    public var workers: Int

    public init(
        rank: Int = 10, maxIterations: Int = 10, regParam: Double = 0.1, nonnegative: Bool = false,
        seed: UInt64 = 1, workers: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.rank = rank
        self.maxIterations = maxIterations
        self.regParam = regParam
        self.nonnegative = nonnegative
        self.seed = seed
        self.workers = workers
    }

    public func validate() throws(ALSError) {
        guard rank >= 1, rank <= 1024 else { throw .invalidParameter("rank must be between 1 and 1024") }
        guard maxIterations >= 1 else { throw .invalidParameter("iterations must be at least 1") }
        guard regParam >= 0, regParam.isFinite else { throw .invalidParameter("regParam must be 0 or more") }
        guard workers >= 1 else { throw .invalidParameter("workers must be at least 1") }
    }

    public func train(_ ratings: Ratings, progress: ((TrainingProgress) -> Void)? = nil) throws(ALSError)
        -> ALSModel
    {
        try validate()
        guard !ratings.isEmpty else { throw .noRatings }
        let byUser = ratings.byUser()
        let byItem = ratings.byItem()
        var random = SeededGenerator(seed: seed)
        var userFactors = FactorMatrix.normalized(
            rows: byUser.rowCount, rank: rank, random: &random, nonnegative: nonnegative)
        var itemFactors = FactorMatrix.normalized(
            rows: byItem.rowCount, rank: rank, random: &random, nonnegative: nonnegative)
        for iteration in 1...maxIterations {
            let start = DispatchTime.now().uptimeNanoseconds
            solve(byItem, fixed: userFactors, into: &itemFactors)
            solve(byUser, fixed: itemFactors, into: &userFactors)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if let progress {
                let rmse = Self.rmse(byUser, users: userFactors, items: itemFactors, workers: workers)
                progress(
                    TrainingProgress(
                        iteration: iteration, iterations: maxIterations, seconds: seconds, trainingRMSE: rmse)
                )
            }
        }
        let metadata = ModelMetadata(
            kind: .explicit, rank: rank, iterations: maxIterations, regParam: regParam, alpha: 0,
            nonnegative: nonnegative, seed: seed, ratingCount: ratings.count)
        return ALSModel(
            metadata: metadata, users: ratings.users, items: ratings.items, userFactors: userFactors,
            itemFactors: itemFactors, rated: byUser)
    }

    /// Solves every row of `rows` against `fixed`, writing `output`'s rows.
    private func solve(_ rows: SparseRows, fixed: FactorMatrix, into output: inout FactorMatrix) {
        let k = rank
        let regParam = regParam
        let nonnegative = nonnegative
        rows.offsets.withUnsafeBufferPointer { offsets in
            rows.columns.withUnsafeBufferPointer { columns in
                rows.values.withUnsafeBufferPointer { values in
                    fixed.values.withUnsafeBufferPointer { fixedValues in
                        output.values.withUnsafeMutableBufferPointer { out in
                            let out = SendablePointer(out.baseAddress!)
                            let y = fixedValues.baseAddress!
                            Parallel.forEachChunk(rows.rowCount, workers: workers) { range in
                                let equation = NormalEquation(rank: k)
                                for row in range {
                                    equation.reset()
                                    let start = offsets[row]
                                    let end = offsets[row + 1]
                                    for e in start..<end {
                                        equation.add(y + Int(columns[e]) * k, rating: Double(values[e]))
                                    }
                                    equation.solve(
                                        regularization: regParam * Double(end - start),
                                        nonnegative: nonnegative,
                                        into: out.pointer + row * k)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Training RMSE, summed over a fixed number of blocks so it does not depend on the worker count.
    static func rmse(_ byUser: SparseRows, users: FactorMatrix, items: FactorMatrix, workers: Int) -> Double {
        let blocks = 64
        var sums = [Double](repeating: 0, count: blocks)
        let k = users.rank
        let rowCount = byUser.rowCount
        byUser.offsets.withUnsafeBufferPointer { offsets in
            byUser.columns.withUnsafeBufferPointer { columns in
                byUser.values.withUnsafeBufferPointer { values in
                    users.values.withUnsafeBufferPointer { uf in
                        items.values.withUnsafeBufferPointer { itf in
                            sums.withUnsafeMutableBufferPointer { sums in
                                let sums = SendablePointer(sums.baseAddress!)
                                Parallel.forEach(blocks, workers: workers) { block in
                                    var sum = 0.0
                                    for u in block * rowCount / blocks..<(block + 1) * rowCount / blocks {
                                        let x = uf.baseAddress! + u * k
                                        for e in offsets[u]..<offsets[u + 1] {
                                            let y = itf.baseAddress! + Int(columns[e]) * k
                                            var p: Float = 0
                                            for c in 0..<k { p += x[c] * y[c] }
                                            let error = Double(values[e] - p)
                                            sum += error * error
                                        }
                                    }
                                    sums.pointer[block] = sum
                                }
                            }
                        }
                    }
                }
            }
        }
        return (sums.reduce(0, +) / Double(max(byUser.entryCount, 1))).squareRoot()
    }
}
