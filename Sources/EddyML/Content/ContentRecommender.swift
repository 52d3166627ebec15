/// Content-based recommendations: the tracks of a ``TrackCatalogue`` most like a user's liked tracks.
///
/// Scoring, for each candidate track `c` of a user who liked the tracks `L`:
/// - **Learned feature weights.** A feature on which the liked tracks agree (small variance compared with
///   the catalogue's) is what the user cares about: its weight is `catalogue variance / liked variance`,
///   the liked variance shrunk towards the catalogue's for few likes, normalised to mean 1. Similarities
///   are weighted cosines of normalised, catalogue-centred features.
/// - **Profile**: similarity of `c` to the mean of `L` (the seed notebook's method, now weighted).
/// - **Nearest liked tracks**: the mean of `c`'s `neighbours` highest similarities to single liked tracks,
///   so a user who likes two different styles gets both, not their average.
/// - **Artist and album**: the share of `L` by an artist of `c`, and on `c`'s album — the catalogue's
///   own metadata, which says more about a taste than any audio feature (albums here are often themed
///   compilations, artists rarely change style).
///
/// The catalogue's genre column is not an input by default: it is what quality is measured against, so
/// using it would grade the recommender on its own answer. ``Options/genreWeight`` adds it for a catalogue
/// whose genres are trusted metadata.
///
/// Two stages keep one query at one pass over the catalogue: the profile scores every row (one weighted
/// matrix–vector product, the best `5n` kept in a heap; rows sharing an artist or album with a like are
/// added from the catalogue's inverted index), then only the candidates are re-ranked with the
/// nearest-liked-track and metadata terms. Liked tracks (and other versions of a liked song) are never
/// recommended.
///
/// ```swift
/// var catalogue = TrackCatalogue()
/// for track in tracks { catalogue.upsert(track) }
/// catalogue.prepare()
/// var profile = TasteProfile()
/// profile.like("2wrJq5XKLnmhRXHIAf9xBa", at: 0)
/// let top = ContentRecommender().recommend(profile, in: catalogue, n: 10).items
/// ```
public struct ContentRecommender: Sendable {
    public struct Options: Sendable, Hashable {
        /// Leave out tracks by any artist the user has liked (discovery mode).
        public var excludeLikedArtists = false
        /// At most this many recommendations of one genre.
        public var genreCap: Int?
        /// Likes this many days older than the newest count half as much in the profile (nil: equal).
        public var recencyHalfLifeDays: Double?
        /// Learn per-user feature weights from the likes (off: every feature weighs 1).
        public var learnFeatureWeights = true
        /// How many of a candidate's most similar liked tracks are averaged.
        public var neighbours = 3
        public var profileWeight = 1.0
        public var neighbourWeight = 1.0
        /// Weight of the share of likes in the candidate's genre: 0 (off) unless the catalogue's genres
        /// are trusted metadata — quality is measured against them.
        public var genreWeight = 0.0
        /// Weights of the shares of likes by the candidate's artist and on its album. Large next to the
        /// similarities (−1…1 each) on purpose: measured on the real catalogue, metadata is the strongest
        /// evidence of taste (see BENCHMARKS.md).
        public var artistWeight = 10.0
        public var albumWeight = 5.0

        public init() {}
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// The user's `n` best tracks. A catalogue that is not prepared is prepared on a copy (pass a prepared
    /// one: that is a pass over every row).
    public func recommend(_ profile: TasteProfile, in catalogue: TrackCatalogue, n: Int)
        -> SongRecommendations
    {
        guard catalogue.isPrepared else {
            var prepared = catalogue
            prepared.prepare()
            return recommend(profile, in: prepared, n: n)
        }
        var likedRows: [Int] = []
        var likedAt: [Int64] = []
        var missing: [String] = []
        for like in profile.likes {
            if let row = catalogue.row(of: like.trackID) {
                likedRows.append(row)
                likedAt.append(like.likedAt)
            } else {
                missing.append(like.trackID)
            }
        }
        var result = SongRecommendations.empty
        result.missing = missing
        result.likedRows = likedRows
        result.catalogueVersion = catalogue.version
        result.profileVersion = profile.version
        guard !likedRows.isEmpty, n > 0 else { return result }

        let query = Query(
            catalogue: catalogue, likedRows: likedRows, likedAt: likedAt, options: options)
        result.profile = zip(query.profileCentred, catalogue.normalizedCentre()).map { $0 + $1 }
        result.featureWeights = query.weights.prefix(catalogue.featureCount).map(Double.init)
        result.items = query.rank(n: n)
        return result
    }
}
