import Testing

@testable import EddyML

@Suite struct ALSTests {
    /// The final half-iteration solves each user against the final item factors, so every user row must be
    /// the closed-form ridge solution (YₙᵀYₙ + λ·nᵤ·I)⁻¹ Yₙᵀr computed independently here.
    @Test(arguments: [1, 3, 5])
    func userRowsSolveTheirNormalEquations(rank: Int) throws {
        let ratings = Fixtures.smallRatings()
        let reg = 0.1
        let model = try ALS(rank: rank, maxIterations: 4, regParam: reg, seed: 11, workers: 1).train(ratings)
        let byUser = ratings.byUser()
        for u in 0..<ratings.users.count {
            var a = [[Double]](repeating: [Double](repeating: 0, count: rank), count: rank)
            var b = [Double](repeating: 0, count: rank)
            let range = byUser.range(of: u)
            for e in range {
                let y = Fixtures.row(model.itemFactors, Int(byUser.columns[e]))
                for i in 0..<rank {
                    b[i] += Double(byUser.values[e]) * y[i]
                    for j in 0..<rank { a[i][j] += y[i] * y[j] }
                }
            }
            for i in 0..<rank { a[i][i] += reg * Double(range.count) }
            let expected = DenseAlgebra.solve(a, b)
            let actual = Fixtures.row(model.userFactors, u)
            for i in 0..<rank { #expect(abs(actual[i] - expected[i]) < 1e-4, "user \(u) factor \(i)") }
        }
    }

    @Test func sameSeedSameModelAnyWorkerCount() throws {
        let ratings = RatingsSimulator(users: 300, items: 120, rank: 4, seed: 2).ratings(count: 6000)
        let one = try ALS(rank: 6, maxIterations: 3, seed: 9, workers: 1).train(ratings)
        let two = try ALS(rank: 6, maxIterations: 3, seed: 9, workers: 2).train(ratings)
        let again = try ALS(rank: 6, maxIterations: 3, seed: 9, workers: 2).train(ratings)
        #expect(one.userFactors == two.userFactors && one.itemFactors == two.itemFactors)
        #expect(two.userFactors == again.userFactors)
        let otherSeed = try ALS(rank: 6, maxIterations: 3, seed: 10, workers: 2).train(ratings)
        #expect(otherSeed.userFactors != one.userFactors)
    }

    @Test func implicitIsDeterministicAcrossWorkerCounts() throws {
        let ratings = RatingsSimulator(users: 200, items: 150, rank: 4, seed: 4).ratings(count: 4000)
        let one = try ImplicitALS(rank: 8, maxIterations: 3, seed: 3, workers: 1).train(ratings)
        let two = try ImplicitALS(rank: 8, maxIterations: 3, seed: 3, workers: 2).train(ratings)
        #expect(one.userFactors == two.userFactors && one.itemFactors == two.itemFactors)
    }

    /// A planted rank-3 matrix plus a constant mean (so rank 4 spans it) with noise 0.1: held-out ratings
    /// are predicted to about the noise.
    @Test func recoversAPlantedLowRankMatrix() throws {
        let simulator = RatingsSimulator(users: 400, items: 300, rank: 3, noise: 0.1, seed: 21)
        let (train, test) = simulator.ratings(count: 40_000).split(testFraction: 0.2, seed: 1)
        let model = try ALS(rank: 4, maxIterations: 15, regParam: 0.01, seed: 1).train(train)
        let metrics = Evaluation.regression(model, test: test)
        #expect(metrics.rmse < 0.2, "RMSE \(metrics.rmse)")
        #expect(metrics.count + metrics.dropped == test.count)
        // A model that ignores users and items (the mean) is far worse: the bound above is meaningful.
        let mean = train.values.reduce(0, +) / Float(train.count)
        let baseline =
            (test.values.map { Double(($0 - mean) * ($0 - mean)) }.reduce(0, +) / Double(test.count))
            .squareRoot()
        #expect(baseline > 0.8)
    }

    @Test func trainingRMSEFallsAndIsReportedPerIteration() throws {
        let ratings = RatingsSimulator(users: 100, items: 80, rank: 2, seed: 8).ratings(count: 3000)
        var reports: [TrainingProgress] = []
        _ = try ALS(rank: 2, maxIterations: 5, regParam: 0.01, seed: 1).train(ratings) { reports.append($0) }
        #expect(reports.map(\.iteration) == [1, 2, 3, 4, 5])
        let rmse = reports.compactMap(\.trainingRMSE)
        #expect(rmse.count == 5 && rmse.last! < rmse.first!)
    }

    @Test func nonnegativeFactorsAreNonnegative() throws {
        let ratings = Fixtures.smallRatings(users: 30, items: 20)
        let model = try ALS(rank: 4, maxIterations: 5, nonnegative: true, seed: 1).train(ratings)
        #expect(model.userFactors.values.allSatisfy { $0 >= 0 })
        #expect(model.itemFactors.values.allSatisfy { $0 >= 0 })
        #expect(Evaluation.regression(model, test: ratings).rmse < 1.5)
    }

    @Test func refusesBadParameters() {
        #expect(throws: ALSError.self) { try ALS(rank: 0).train(Fixtures.smallRatings()) }
        #expect(throws: ALSError.noRatings) { try ALS().train(Ratings()) }
        #expect(throws: ALSError.self) { try ImplicitALS(alpha: 0).train(Fixtures.smallRatings()) }
    }

    /// Implicit ALS solved exactly: each user row equals the dense solution of Hu–Koren–Volinsky's
    /// system (YᵀCᵤY + λI) x = YᵀCᵤpᵤ over *all* items, built here without the YᵀY trick.
    @Test func implicitCholeskyRowsSolveTheFullSystem() throws {
        let ratings = Fixtures.smallRatings(users: 10, items: 8, density: 0.4)
        let (rank, reg, alpha) = (3, 0.05, 2.0)
        let model = try ImplicitALS(
            rank: rank, maxIterations: 3, regParam: reg, alpha: alpha, solver: .cholesky, seed: 2, workers: 1
        ).train(ratings)
        let byUser = ratings.byUser()
        for u in 0..<ratings.users.count {
            var confidence = [Double](repeating: 1, count: ratings.items.count)
            var preference = [Double](repeating: 0, count: ratings.items.count)
            for e in byUser.range(of: u) {
                confidence[Int(byUser.columns[e])] = 1 + alpha * Double(byUser.values[e])
                preference[Int(byUser.columns[e])] = 1
            }
            var a = [[Double]](repeating: [Double](repeating: 0, count: rank), count: rank)
            var b = [Double](repeating: 0, count: rank)
            for item in 0..<ratings.items.count {
                let y = Fixtures.row(model.itemFactors, item)
                for i in 0..<rank {
                    b[i] += confidence[item] * preference[item] * y[i]
                    for j in 0..<rank { a[i][j] += confidence[item] * y[i] * y[j] }
                }
            }
            for i in 0..<rank { a[i][i] += reg }
            let expected = DenseAlgebra.solve(a, b)
            let actual = Fixtures.row(model.userFactors, u)
            for i in 0..<rank { #expect(abs(actual[i] - expected[i]) < 1e-4, "user \(u) factor \(i)") }
        }
    }

    /// Conjugate gradient with enough steps reaches the exact solution.
    @Test func conjugateGradientConvergesToCholesky() throws {
        let ratings = RatingsSimulator(users: 60, items: 40, rank: 3, seed: 5).ratings(count: 800)
        let exact = try ImplicitALS(rank: 4, maxIterations: 6, solver: .cholesky, seed: 1).train(ratings)
        let cg = try ImplicitALS(rank: 4, maxIterations: 6, solver: .conjugateGradient(steps: 12), seed: 1)
            .train(ratings)
        for (x, y) in zip(exact.userFactors.values, cg.userFactors.values) { #expect(abs(x - y) < 1e-3) }
    }
}
