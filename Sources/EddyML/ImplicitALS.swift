import Dispatch
public import Foundation

/// Alternating least squares for implicit feedback (Hu, Koren & Volinsky 2008): every user–item pair is
/// a preference p (1 when r > 0, else 0) with confidence c = 1 + α·r, minimising
/// Σ c (p − uᵀi)² + λ(‖u‖² + ‖i‖²) over all pairs. The unobserved pairs cost nothing per pair thanks to
/// YᵀCᵤY = YᵀY + Yᵀ(Cᵤ − I)Y: `YᵀY` is computed once per half-iteration and each row visits only its own
/// items. Rows are solved by a few warm-started conjugate-gradient steps, as the `implicit` library
/// does, or exactly by Cholesky. Ratings ≤ 0 carry no preference and are ignored.
///
/// ```swift
/// let model = try ImplicitALS(rank: 64, maxIterations: 15, regParam: 0.01, alpha: 40).train(clicks)
/// let top = model.recommend(user: .int(7), n: 10)
/// ```
public struct ImplicitALS: Sendable {
    public enum Solver: Sendable, Equatable {
        case conjugateGradient(steps: Int)
        case cholesky
    }

    public var rank: Int
    public var maxIterations: Int
    public var regParam: Double
    public var alpha: Double
    public var solver: Solver
    public var seed: UInt64
    public var workers: Int

    public init(
        rank: Int = 10, maxIterations: Int = 15, regParam: Double = 0.01, alpha: Double = 40,
        solver: Solver = .conjugateGradient(steps: 3), seed: UInt64 = 1,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.rank = rank
        self.maxIterations = maxIterations
        self.regParam = regParam
        self.alpha = alpha
        self.solver = solver
        self.seed = seed
        self.workers = workers
    }

    public func validate() throws(ALSError) {
        guard rank >= 1, rank <= 1024 else { throw .invalidParameter("rank must be between 1 and 1024") }
        guard maxIterations >= 1 else { throw .invalidParameter("iterations must be at least 1") }
        guard regParam >= 0, regParam.isFinite else { throw .invalidParameter("regParam must be 0 or more") }
        guard alpha > 0, alpha.isFinite else { throw .invalidParameter("alpha must be positive") }
        guard workers >= 1 else { throw .invalidParameter("workers must be at least 1") }
        if case .conjugateGradient(let steps) = solver, steps < 1 {
            throw .invalidParameter("conjugate-gradient steps must be at least 1")
        }
    }

    public func train(_ ratings: Ratings, progress: ((TrainingProgress) -> Void)? = nil) throws(ALSError)
        -> ALSModel
    {
        try validate()
        // Copy only when something must go: the copy is the size of the input.
        let positive = ratings.values.allSatisfy { $0 > 0 } ? ratings : ratings.filter { $0 > 0 }
        guard !positive.isEmpty else { throw .noRatings }
        let confidences = positive.values.map { 1 + Float(alpha) * $0 }
        // The model keeps the ratings per user (for exclusion); training reads the same rows as confidences.
        let rated = positive.byUser()
        let scale = Float(alpha)
        let byUser = SparseRows(
            offsets: rated.offsets, columns: rated.columns, values: rated.values.map { 1 + scale * $0 },
            columnCount: rated.columnCount)
        let byItem = SparseRows(
            rows: positive.itemIndices, columns: positive.userIndices, values: confidences,
            rowCount: positive.items.count, columnCount: positive.users.count)
        var random = SeededGenerator(seed: seed)
        var userFactors = FactorMatrix.uniform(
            rows: byUser.rowCount, rank: rank, scale: 0.01, random: &random)
        var itemFactors = FactorMatrix.uniform(
            rows: byItem.rowCount, rank: rank, scale: 0.01, random: &random)
        for iteration in 1...maxIterations {
            let start = DispatchTime.now().uptimeNanoseconds
            solve(byItem, fixed: userFactors, into: &itemFactors)
            solve(byUser, fixed: itemFactors, into: &userFactors)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            progress?(
                TrainingProgress(
                    iteration: iteration, iterations: maxIterations, seconds: seconds, trainingRMSE: nil))
        }
        let metadata = ModelMetadata(
            kind: .implicit, rank: rank, iterations: maxIterations, regParam: regParam, alpha: alpha,
            nonnegative: false, seed: seed, ratingCount: positive.count)
        return ALSModel(
            metadata: metadata, users: positive.users, items: positive.items, userFactors: userFactors,
            itemFactors: itemFactors, rated: rated)
    }

    private func solve(_ rows: SparseRows, fixed: FactorMatrix, into output: inout FactorMatrix) {
        let k = rank
        var gramian = fixed.gramian(workers: workers)
        for i in 0..<k { gramian[i * k + i] += regParam }
        let solver = solver
        let gramianFloat = gramian.map { Float($0) }
        gramianFloat.withUnsafeBufferPointer { gramianFloat in
            gramian.withUnsafeBufferPointer { gramian in
                rows.offsets.withUnsafeBufferPointer { offsets in
                    rows.columns.withUnsafeBufferPointer { columns in
                        rows.values.withUnsafeBufferPointer { confidences in
                            fixed.values.withUnsafeBufferPointer { fixedValues in
                                output.values.withUnsafeMutableBufferPointer { out in
                                    let out = SendablePointer(out.baseAddress!)
                                    let y = fixedValues.baseAddress!
                                    let g = gramian.baseAddress!
                                    Parallel.forEachChunk(rows.rowCount, workers: workers) { range in
                                        switch solver {
                                        case .conjugateGradient(let steps):
                                            let cg = ConjugateGradient(rank: k, steps: steps)
                                            for row in range {
                                                let start = offsets[row]
                                                cg.solve(
                                                    gramian: gramianFloat.baseAddress!, factors: y,
                                                    columns: columns.baseAddress! + start,
                                                    confidences: confidences.baseAddress! + start,
                                                    count: offsets[row + 1] - start,
                                                    row: out.pointer + row * k)
                                            }
                                        case .cholesky:
                                            let equation = NormalEquation(rank: k)
                                            for row in range {
                                                equation.reset()
                                                for e in offsets[row]..<offsets[row + 1] {
                                                    let c = Double(confidences[e])
                                                    equation.add(
                                                        y + Int(columns[e]) * k, weight: c - 1, target: c)
                                                }
                                                equation.solve(
                                                    regularization: 0, base: g, nonnegative: false,
                                                    into: out.pointer + row * k)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
