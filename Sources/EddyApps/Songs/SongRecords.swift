public import EddyML
import EddyStream

/// The JSON shapes on the songs app's topics and how they become tracks and likes.
///
/// `songs`: one track per record, the catalogue's columns (what `eddy produce songs --from-parquet
/// spotify_by_genre.parquet` writes): `track_id`, `track_name`, `artists` (`;`-separated), `album_name`,
/// `track_genre` and the audio features of ``TrackCatalogue/spotifyFeatures``. A track id that arrives again
/// replaces the track.
///
/// `likes`: `{"user_id": "ana", "track_id": "…", "liked_at": "2024-08-23T15:22:16Z"}` (`liked_at` optional:
/// the record's time; an integer is seconds since the epoch); `{"user_id": "ana", "track_id": "…",
/// "unliked": true}` takes a like back.
///
/// ```swift
/// switch SongRecords.track(from: bytes) {
/// case .success(let track): catalogue.upsert(track)
/// case .failure(let problem): deadLetter(bytes, reason: problem.reason)
/// }
/// ```
public enum SongRecords {
    /// Why a record was not used; its ``reason`` goes into the dead letter's header.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var reason: String
        public var description: String

        public init(reason: String, description: String) {
            self.reason = reason
            self.description = description
        }

        init(_ failure: DecodeFailure) {
            self.init(reason: failure.reason, description: failure.description)
        }
    }

    /// One like or unlike.
    public struct LikeEvent: Sendable, Hashable {
        public var userID: String
        public var trackID: String
        /// Microseconds since the epoch; nil when the record did not say.
        public var likedAt: Int64?
        public var unliked: Bool

        public init(userID: String, trackID: String, likedAt: Int64? = nil, unliked: Bool = false) {
            self.userID = userID
            self.trackID = trackID
            self.likedAt = likedAt
            self.unliked = unliked
        }
    }

    static let trackSchema = Schema(
        [
            Column("track_id", .string), Column("track_name", .string), Column("artists", .string),
            Column("album_name", .string), Column("track_genre", .string),
        ] + TrackCatalogue.spotifyFeatures.map { Column($0, .double) })
    static let trackDecoder = JSONRowDecoder(schema: trackSchema)

    static let likeDecoder = JSONRowDecoder(schema: [
        Column("user_id", .string), Column("track_id", .string), Column("liked_at", .timestamp),
        Column("unliked", .bool),
    ])

    public static func track(from bytes: UnsafeRawBufferPointer) -> Result<Track, Problem> {
        let row: Row
        switch trackDecoder.decode(bytes) {
        case .success(let decoded): row = decoded
        case .failure(let failure): return .failure(Problem(failure))
        }
        guard case .string(let id) = row[0], !id.isEmpty else {
            return .failure(
                Problem(reason: "missing_track_id", description: "a track needs a string track_id"))
        }
        var features: [Double] = []
        var present = 0
        for value in row[5...] {
            if case .double(let number) = value, number.isFinite {
                features.append(number)
                present += 1
            } else {
                features.append(.nan)
            }
        }
        guard present > 0 else {
            return .failure(
                Problem(
                    reason: "no_features",
                    description: "track \(id) has none of the audio features "
                        + TrackCatalogue.spotifyFeatures.joined(separator: ", ")))
        }
        // Split on the bytes: a Character-by-Character split was a sixth of reading the catalogue.
        let artists = text(row[2]).utf8.split(separator: UInt8(ascii: ";")).map {
            String(Substring($0.drop { $0 == UInt8(ascii: " ") }))
        }
        return .success(
            Track(
                id: id, name: text(row[1]), artists: artists, album: text(row[3]),
                genre: row[4].isNull ? nil : text(row[4]), features: features))
    }

    public static func track(from bytes: [UInt8]) -> Result<Track, Problem> {
        bytes.withUnsafeBytes { track(from: $0) }
    }

    public static func like(from bytes: UnsafeRawBufferPointer) -> Result<LikeEvent, Problem> {
        like(from: bytes, user: nil)
    }

    /// A like posted for `user` (the path's user; a `user_id` in the body is ignored).
    public static func like(from bytes: [UInt8], user: String) -> Result<LikeEvent, Problem> {
        bytes.withUnsafeBytes { like(from: $0, user: user) }
    }

    static func like(from bytes: UnsafeRawBufferPointer, user override: String?) -> Result<LikeEvent, Problem>
    {
        let row: Row
        switch likeDecoder.decode(bytes) {
        case .success(let decoded): row = decoded
        case .failure(let failure): return .failure(Problem(failure))
        }
        let given: String? = if case .string(let text) = row[0] { text } else { nil }
        guard let user = override ?? given, !user.isEmpty else {
            return .failure(Problem(reason: "missing_user_id", description: "a like needs a user_id"))
        }
        guard case .string(let track) = row[1], !track.isEmpty else {
            return .failure(
                Problem(reason: "missing_track_id", description: "a like needs a string track_id"))
        }
        var likedAt: Int64?
        if case .timestamp(let micros) = row[2] { likedAt = micros }
        let unliked = row[3] == .bool(true)
        return .success(LikeEvent(userID: user, trackID: track, likedAt: likedAt, unliked: unliked))
    }

    public static func like(from bytes: [UInt8]) -> Result<LikeEvent, Problem> {
        bytes.withUnsafeBytes { like(from: $0) }
    }

    /// The JSON of a like event as the `likes` topic carries it.
    public static func json(_ event: LikeEvent) -> [UInt8] {
        var json = JSONWriter(capacity: 96)
        json.object { json in
            json.field("user_id") { $0.string(event.userID) }
            json.field("track_id") { $0.string(event.trackID) }
            if event.unliked {
                json.field("unliked") { $0.bool(true) }
            } else if let likedAt = event.likedAt {
                json.field("liked_at") { $0.timestamp(likedAt) }
            }
        }
        return json.bytes
    }

    private static func text(_ value: Value) -> String {
        if case .string(let text) = value { return text }
        return ""
    }
}
