import Foundation
import Testing

@testable import EddyML

/// MovieLens 100k, fetched at test time by `scripts/ml/fetch-movielens` (scripts/test runs it); never
/// committed (GroupLens does not allow redistribution).
enum MovieLensData {
    static let path: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/datasets/ml-100k/ratings.jsonl").path
    }()
    static let available = FileManager.default.fileExists(atPath: path)
}

@Suite(.enabled(if: MovieLensData.available, "MovieLens 100k not fetched: run scripts/ml/fetch-movielens"))
struct MovieLensTests {
    static let path = MovieLensData.path

    /// Spark MLlib's ALS gets a test RMSE of about 0.91–0.95 on this split size with these settings.
    @Test func explicitALSMatchesSparkQuality() throws {
        let ratings = try Ratings(contentsOfJSONLines: Self.path)
        #expect(ratings.count == 100_000)
        let (train, test) = ratings.split(testFraction: 0.2, seed: 1)
        let model = try ALS(rank: 10, maxIterations: 10, regParam: 0.1, seed: 1).train(train)
        let metrics = Evaluation.regression(model, test: test)
        #expect(metrics.rmse > 0.88 && metrics.rmse < 0.95, "RMSE \(metrics.rmse)")
    }

    /// Ratings ≥ 4 as positives (value 1), 64 factors, 15 iterations: better than recommending the most
    /// popular items (the baseline is computed here from the same split).
    @Test func implicitALSBeatsPopularity() throws {
        let ratings = try Ratings(contentsOfJSONLines: Self.path)
        var positives = Ratings()
        for e in 0..<ratings.count where ratings.values[e] >= 4 {
            positives.append(
                user: ratings.users.ids[Int(ratings.userIndices[e])],
                item: ratings.items.ids[Int(ratings.itemIndices[e])],
                rating: 1)
        }
        let (train, test) = positives.split(testFraction: 0.2, seed: 1)
        let model = try ImplicitALS(rank: 64, maxIterations: 15, regParam: 0.01, alpha: 40, seed: 1).train(
            train)
        let metrics = Evaluation.ranking(model, test: test, k: 10)
        // Popularity baseline: everyone gets the most-rated items they have not rated.
        var popularity = [Float](repeating: 0, count: model.items.count)
        for e in 0..<model.rated.entryCount { popularity[Int(model.rated.columns[e])] += 1 }
        let k = model.rank
        var userFactors = FactorMatrix(rows: model.users.count, rank: k)
        var itemFactors = FactorMatrix(rows: model.items.count, rank: k)
        for u in 0..<model.users.count { userFactors[u, 0] = 1 }
        for i in 0..<model.items.count { itemFactors[i, 0] = popularity[i] }
        let popular = ALSModel(
            metadata: model.metadata, users: model.users, items: model.items, userFactors: userFactors,
            itemFactors: itemFactors, rated: model.rated)
        let baseline = Evaluation.ranking(popular, test: test, k: 10)
        #expect(metrics.precision > baseline.precision * 1.1, "ALS \(metrics) popularity \(baseline)")
        #expect(metrics.precision > 0.2, "\(metrics)")
    }
}
