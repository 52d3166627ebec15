import EddyLog
import EddyML
import EddyStream
import Synchronization

extension SongsService {
    /// Writes the live tables from the current state: recommendations and likes of every user (small:
    /// `keep` rows a user), and, when the catalogue changed, the normalised catalogue, the genre counts and
    /// the feature statistics.
    func writeTables(catalogueChanged: Bool, display: Bool = true) async throws {
        let (recommendations, likes, taste, genres, features, tracks, featureNames, batch) = state.withLock {
            s in
            let catalogue = s.catalogue
            var recommendations: [Row] = []
            var taste: [Row] = []
            for (user, result) in s.current.sorted(by: { $0.key < $1.key }) {
                for (rank, item) in result.items.enumerated() {
                    recommendations.append([
                        .string(user), .int(Int64(rank + 1)), .string(item.trackID),
                        .string(catalogue.names[item.row]),
                        .string(catalogue.artists(at: item.row).joined(separator: ", ")),
                        catalogue.genre(at: item.row).map(Value.string) ?? .null,
                        .double(item.similarity), .double(item.score), .string(Self.because(item, catalogue)),
                    ])
                }
                // The profile against the recommendations' mean, feature by feature.
                var recommended = [Double](repeating: 0, count: catalogue.featureCount)
                for item in result.items {
                    for (f, value) in catalogue.normalizedFeatures(at: item.row).enumerated() {
                        recommended[f] += value / Double(result.items.count)
                    }
                }
                for (f, name) in catalogue.featureNames.enumerated()
                where f < result.profile.count && f < result.featureWeights.count {
                    taste.append([
                        .string(user), .string(name), .double(result.featureWeights[f]),
                        .double(result.profile[f]), .double(recommended[f]),
                    ])
                }
            }
            var likes: [Row] = []
            for (user, profile) in s.profiles.sorted(by: { $0.key < $1.key }) {
                for like in profile.likes {
                    let row = catalogue.row(of: like.trackID)
                    likes.append([
                        .string(user), .string(like.trackID),
                        row.map { .string(catalogue.names[$0]) } ?? .null,
                        row.map { .string(catalogue.artists(at: $0).joined(separator: ", ")) } ?? .null,
                        row.flatMap { catalogue.genre(at: $0) }.map(Value.string) ?? .null,
                        .timestamp(like.likedAt),
                    ])
                }
            }
            var genres: [Row] = []
            var features: [Row] = []
            var tracks: [Row] = []
            if catalogueChanged {
                tracks.reserveCapacity(catalogue.count)
                catalogue.forEachNormalizedRow { row, values in
                    var track: Row = [
                        .string(catalogue.ids[row]), .string(catalogue.names[row]),
                        .string(catalogue.artists(at: row).joined(separator: ", ")),
                        .string(catalogue.albums[row]), catalogue.genre(at: row).map(Value.string) ?? .null,
                    ]
                    track.reserveCapacity(5 + values.count)
                    for value in values { track.append(value.isFinite ? .double(value) : .null) }
                    tracks.append(track)
                }
                var counts: [String: Int64] = [:]
                for row in 0..<catalogue.count {
                    counts[catalogue.genre(at: row) ?? "(none)", default: 0] += 1
                }
                genres = counts.sorted { $0.key < $1.key }.map { [.string($0.key), .int($0.value)] }
                for (name, stats) in zip(catalogue.featureNames, catalogue.normalizer.statistics) {
                    features.append([
                        .string(name), .double(stats.count > 0 ? stats.minimum : 0),
                        .double(stats.count > 0 ? stats.maximum : 0), .double(stats.mean),
                        .double(stats.standardDeviation),
                    ])
                }
            }
            return (
                recommendations, likes, taste, genres, features, tracks, catalogue.featureNames, s.batches
            )
        }
        let recommendationsBatch = SinkBatch(
            pipeline: SongsApp.appName, table: recommendationsTable.name, batchId: batch, mode: .complete,
            columns: [
                Column("user_id", .string), Column("rank", .int), Column("track_id", .string),
                Column("track_name", .string), Column("artists", .string), Column("genre", .string),
                Column("similarity", .double), Column("score", .double), Column("because", .string),
            ],
            keyColumns: [0, 1], rows: recommendations, offsets: [:])
        try await recommendationsTable.write(recommendationsBatch)
        if display { try await settings.display?.write(recommendationsBatch) }
        try await likesTable.write(
            SinkBatch(
                pipeline: SongsApp.appName, table: likesTable.name, batchId: batch, mode: .complete,
                columns: [
                    Column("user_id", .string), Column("track_id", .string), Column("track_name", .string),
                    Column("artists", .string), Column("genre", .string), Column("liked_at", .timestamp),
                ],
                keyColumns: [0, 1], rows: likes, offsets: [:]))
        try await tasteTable.write(
            SinkBatch(
                pipeline: SongsApp.appName, table: tasteTable.name, batchId: batch, mode: .complete,
                columns: [
                    Column("user_id", .string), Column("feature", .string), Column("weight", .double),
                    Column("liked", .double), Column("recommended", .double),
                ],
                keyColumns: [0, 1], rows: taste, offsets: [:]))
        guard catalogueChanged else { return }
        try await catalogueTable.write(
            SinkBatch(
                pipeline: SongsApp.appName, table: catalogueTable.name, batchId: batch, mode: .complete,
                columns: [
                    Column("track_id", .string), Column("track_name", .string), Column("artists", .string),
                    Column("album", .string), Column("genre", .string),
                ] + featureNames.map { Column($0, .double) },
                keyColumns: [0], rows: tracks, offsets: [:]))
        try await genresTable.write(
            SinkBatch(
                pipeline: SongsApp.appName, table: genresTable.name, batchId: batch, mode: .complete,
                columns: [Column("genre", .string), Column("tracks", .int)], keyColumns: [0], rows: genres,
                offsets: [:]))
        try await featuresTable.write(
            SinkBatch(
                pipeline: SongsApp.appName, table: featuresTable.name, batchId: batch, mode: .complete,
                columns: [
                    Column("feature", .string), Column("minimum", .double), Column("maximum", .double),
                    Column("mean", .double), Column("stddev", .double),
                ],
                keyColumns: [0], rows: features, offsets: [:]))
    }

    /// Why a track is recommended, in words: the liked track it is most like, and shared artist or album.
    static func because(_ item: SongRecommendation, _ catalogue: TrackCatalogue) -> String {
        var reasons: [String] = []
        if let nearest = item.nearestLikedRow {
            let name = catalogue.names[nearest].isEmpty ? catalogue.ids[nearest] : catalogue.names[nearest]
            reasons.append("like \(name) (\(Int((item.nearestSimilarity * 100).rounded()))%)")
        }
        if item.artistShare > 0 {
            reasons.append("artist of \(Int((item.artistShare * 100).rounded()))% of likes")
        }
        if item.albumShare > 0 {
            reasons.append("album of \(Int((item.albumShare * 100).rounded()))% of likes")
        }
        return reasons.joined(separator: "; ")
    }
}
