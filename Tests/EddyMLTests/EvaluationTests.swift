import Foundation
import Testing

@testable import EddyML

@Suite struct EvaluationTests {
    /// Recommended [a, b, c, d], relevant {b, d, e}, k = 4: hits at ranks 2 and 4.
    /// precision = 2 / min(4, 3) = 2/3; AP = (1/2 + 2/4) / 3 = 1/3;
    /// NDCG = (1/log2 3 + 1/log2 5) / (1 + 1/log2 3 + 1/log2 4).
    @Test func rankingMetricsByHand() {
        let counts = Evaluation.RankingCounts(
            recommended: ["a", "b", "c", "d"], relevant: ["b", "d", "e"], k: 4)
        let metrics = counts.metrics(k: 4)
        #expect(abs(metrics.precision - 2.0 / 3) < 1e-12)
        #expect(abs(metrics.meanAveragePrecision - 1.0 / 3) < 1e-12)
        let ndcg = (1 / log2(3.0) + 1 / log2(5.0)) / (1 + 1 / log2(3.0) + 1 / log2(4.0))
        #expect(abs(metrics.ndcg - ndcg) < 1e-12)
    }

    /// Two users: the first as above, the second with one relevant item ranked first (all metrics 1).
    /// Precision pools hits (3 / (3 + 1)); MAP and NDCG average per user.
    @Test func rankingMetricsAggregate() {
        var total = Evaluation.RankingCounts(
            recommended: ["a", "b", "c", "d"], relevant: ["b", "d", "e"], k: 4)
        total.add(Evaluation.RankingCounts(recommended: ["x", "y"], relevant: ["x"], k: 4))
        // No test items: not counted.
        total.add(Evaluation.RankingCounts(recommended: ["x"], relevant: Set<String>(), k: 4))
        let metrics = total.metrics(k: 4)
        #expect(metrics.users == 2)
        #expect(abs(metrics.precision - 3.0 / 4) < 1e-12)
        #expect(abs(metrics.meanAveragePrecision - (1.0 / 3 + 1) / 2) < 1e-12)
    }

    @Test func regressionMetricsByHand() throws {
        var train = Ratings()
        train.append(user: .int(1), item: .int(1), rating: 4)
        train.append(user: .int(1), item: .int(2), rating: 2)
        train.append(user: .int(2), item: .int(1), rating: 5)
        let model = try ALS(rank: 2, maxIterations: 3).train(train)
        var test = Ratings()
        test.append(user: .int(1), item: .int(2), rating: 3)
        test.append(user: .int(2), item: .int(2), rating: 1)
        test.append(user: .int(9), item: .int(1), rating: 1)  // unknown user
        let e1 = 3 - Double(model.predict(user: .int(1), item: .int(2))!)
        let e2 = 1 - Double(model.predict(user: .int(2), item: .int(2))!)
        let dropped = Evaluation.regression(model, test: test, coldStart: .drop)
        #expect(dropped.count == 2 && dropped.dropped == 1)
        #expect(abs(dropped.rmse - ((e1 * e1 + e2 * e2) / 2).squareRoot()) < 1e-9)
        #expect(abs(dropped.mae - (abs(e1) + abs(e2)) / 2) < 1e-9)
        #expect(Evaluation.regression(model, test: test, coldStart: .nan).rmse.isNaN)
    }

    @Test func splitIsSeededAndComplete() {
        let ratings = RatingsSimulator(users: 100, items: 100, rank: 2, seed: 1).ratings(count: 5000)
        let (train, test) = ratings.split(testFraction: 0.2, seed: 7)
        let (train2, test2) = ratings.split(testFraction: 0.2, seed: 7)
        #expect(train.count + test.count == ratings.count)
        #expect(abs(Double(test.count) / Double(ratings.count) - 0.2) < 0.03)
        #expect(train.values == train2.values && test.userIndices == test2.userIndices)
        #expect(ratings.split(testFraction: 0.2, seed: 8).test.values != test.values)
    }
}
