/// One recommended track: its catalogue row and id, the score it was ranked by, its feature similarity to
/// the user's taste profile (weighted cosine, −1…1), and why it was chosen: the liked track it is most like
/// and whether it shares an artist or album with the likes.
public struct SongRecommendation: Sendable, Hashable {
    public var row: Int
    public var trackID: String
    public var score: Double
    public var similarity: Double
    /// The liked track (catalogue row) whose features are closest to this one's, and that similarity.
    public var nearestLikedRow: Int?
    public var nearestSimilarity: Double
    /// Share of the likes by one of this track's artists, and on its album (0…1).
    public var artistShare: Double
    public var albumShare: Double

    public init(
        row: Int, trackID: String, score: Double, similarity: Double, nearestLikedRow: Int? = nil,
        nearestSimilarity: Double = 0, artistShare: Double = 0, albumShare: Double = 0
    ) {
        self.row = row
        self.trackID = trackID
        self.score = score
        self.similarity = similarity
        self.nearestLikedRow = nearestLikedRow
        self.nearestSimilarity = nearestSimilarity
        self.artistShare = artistShare
        self.albumShare = albumShare
    }
}

/// A user's recommendations and what they were computed from, for display next to them.
public struct SongRecommendations: Sendable, Hashable {
    public var items: [SongRecommendation]
    /// The taste profile: the (recency-weighted) mean of the liked tracks' normalised features.
    public var profile: [Double]
    /// How much each feature counted for this user (mean 1): features the liked tracks agree on weigh more.
    public var featureWeights: [Double]
    /// Liked tracks found in the catalogue, by row.
    public var likedRows: [Int]
    /// Liked track ids the catalogue does not have (yet).
    public var missing: [String]
    /// The catalogue and profile versions these were computed at.
    public var catalogueVersion: UInt64
    public var profileVersion: UInt64

    public static let empty = SongRecommendations(
        items: [], profile: [], featureWeights: [], likedRows: [], missing: [], catalogueVersion: 0,
        profileVersion: 0)
}
