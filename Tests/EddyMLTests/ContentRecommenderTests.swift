import Testing

@testable import EddyML

/// The streaming normaliser against a two-pass computation over the final values, and the recommender's
/// guarantees (no liked track, artist exclusion, genre cap) on a small catalogue.
@Suite struct ContentRecommenderTests {
    /// Values in a seeded stream, with some tracks replaced later (their first values taken back out).
    static func stream() -> (first: [[Double]], replacements: [Int: [Double]]) {
        var random = SeededGenerator(seed: 11)
        let first = (0..<500).map { _ in
            [random.nextUnit(), 60 + 140 * random.nextUnit(), -30 * random.nextUnit()]
        }
        var replacements: [Int: [Double]] = [:]
        for index in stride(from: 0, to: 500, by: 7) {
            replacements[index] = [random.nextUnit(), 60 + 140 * random.nextUnit(), -30 * random.nextUnit()]
        }
        return (first, replacements)
    }

    @Test func streamingStatisticsMatchATwoPassComputation() {
        let (first, replacements) = Self.stream()
        var catalogue = TrackCatalogue(featureNames: ["a", "b", "c"], normalization: .zScore)
        for (index, values) in first.enumerated() {
            catalogue.upsert(Track(id: "t\(index)", features: values))
        }
        for (index, values) in replacements.sorted(by: { $0.key < $1.key }) {
            catalogue.upsert(Track(id: "t\(index)", features: values))
        }
        #expect(catalogue.count == first.count, "a track id that reappears updates its row")
        let final = first.indices.map { replacements[$0] ?? first[$0] }
        for f in 0..<3 {
            let column = final.map { $0[f] }
            let mean = column.reduce(0, +) / Double(column.count)
            let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)
            let stats = catalogue.normalizer.statistics[f]
            #expect(abs(stats.mean - mean) < 1e-9 * max(1, abs(mean)))
            #expect(abs(stats.variance - variance) < 1e-9 * max(1, variance))
            // Minimum and maximum only widen: they are those of every value ever seen.
            let seen = column + first.map { $0[f] }
            #expect(stats.minimum == seen.min())
            #expect(stats.maximum == seen.max())
        }
        // z-scores of a row, by hand.
        let row = 42
        let z = catalogue.normalizedFeatures(at: row)
        for f in 0..<3 {
            let column = final.map { $0[f] }
            let mean = column.reduce(0, +) / Double(column.count)
            let sd = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count))
                .squareRoot()
            #expect(abs(z[f] - (final[row][f] - mean) / sd) < 1e-9)
        }
    }

    @Test func minMaxScalesIntoTheUnitRangeAndRenormalisesLazily() {
        let (first, _) = Self.stream()
        var catalogue = TrackCatalogue(featureNames: ["a", "b", "c"], normalization: .minMax)
        for (index, values) in first.enumerated() {
            catalogue.upsert(Track(id: "t\(index)", features: values))
        }
        catalogue.prepare()
        #expect(catalogue.isPrepared)
        for f in 0..<3 {
            let column = first.map { $0[f] }
            let (low, high) = (column.min()!, column.max()!)
            for row in [0, 17, 499] {
                let value = catalogue.normalizedFeatures(at: row)[f]
                #expect(abs(value - (first[row][f] - low) / (high - low)) < 1e-12)
                #expect((0...1).contains(value))
            }
        }
        // A new extreme changes the statistics: the matrix is stale until prepared again.
        catalogue.upsert(Track(id: "loud", features: [2, 400, 10]))
        #expect(!catalogue.isPrepared)
        catalogue.prepare()
        #expect(catalogue.isPrepared)
        #expect(catalogue.normalizedFeatures(at: catalogue.row(of: "loud")!) == [1, 1, 1])
    }

    /// Two genres far apart in feature space, ten artists each.
    static func twoGenres() -> TrackCatalogue {
        var random = SeededGenerator(seed: 5)
        var catalogue = TrackCatalogue(featureNames: ["x", "y", "z", "w"], normalization: .zScore)
        for index in 0..<400 {
            let genre = index % 2 == 0 ? "even" : "odd"
            let centre: Double = index % 2 == 0 ? 0.2 : 0.8
            catalogue.upsert(
                Track(
                    id: "t\(index)", artists: ["\(genre)-\(index % 20)"], album: "album-\(index % 40)",
                    genre: genre, features: (0..<4).map { _ in centre + 0.1 * random.nextGaussian() }))
        }
        catalogue.prepare()
        return catalogue
    }

    @Test func recommendsTheLikedGenreAndNeverALikedTrack() {
        let catalogue = Self.twoGenres()
        var profile = TasteProfile()
        for index in stride(from: 0, to: 40, by: 2) { profile.like("t\(index)", at: Int64(index)) }
        profile.like("not-in-catalogue", at: 100)
        let result = ContentRecommender().recommend(profile, in: catalogue, n: 10)
        #expect(result.items.count == 10)
        #expect(result.missing == ["not-in-catalogue"])
        let liked = Set(profile.likes.map(\.trackID))
        #expect(result.items.allSatisfy { !liked.contains($0.trackID) })
        #expect(result.items.allSatisfy { catalogue.genre(at: $0.row) == "even" })
        let scores = result.items.map(\.score)
        #expect(scores == scores.sorted(by: >))
        #expect(abs(result.featureWeights.reduce(0, +) / 4 - 1) < 1e-5, "weights have mean 1")
    }

    @Test func excludesLikedArtistsAndCapsGenres() {
        let catalogue = Self.twoGenres()
        var profile = TasteProfile()
        for index in [0, 2, 4, 1, 3, 5] { profile.like("t\(index)", at: Int64(index)) }
        var options = ContentRecommender.Options()
        options.excludeLikedArtists = true
        options.genreCap = 3
        let result = ContentRecommender(options: options).recommend(profile, in: catalogue, n: 6)
        let likedArtists = Set(
            profile.likes.flatMap { catalogue.artists(at: catalogue.row(of: $0.trackID)!) })
        #expect(result.items.count == 6)
        #expect(result.items.allSatisfy { Set(catalogue.artists(at: $0.row)).isDisjoint(with: likedArtists) })
        var perGenre: [String: Int] = [:]
        for item in result.items { perGenre[catalogue.genre(at: item.row)!, default: 0] += 1 }
        #expect(perGenre == ["even": 3, "odd": 3])
    }

    @Test func unlikingChangesTheProfile() {
        var profile = TasteProfile()
        profile.like("a", at: 2)
        profile.like("b", at: 1)
        #expect(profile.likes.map(\.trackID) == ["b", "a"], "kept in time order")
        let version = profile.version
        let removed = profile.unlike("a")
        let absent = profile.unlike("zzz")
        #expect(removed)
        #expect(!absent)
        #expect(profile.version == version + 1)
        #expect(profile.likes.map(\.trackID) == ["b"])
    }
}
