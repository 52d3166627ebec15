import EddyLog
import EddyML
import Foundation

/// What ``SongsService`` keeps between runs: the catalogue (tracks in row order and the normaliser's
/// statistics), every user's likes, and the position in each topic partition the state was read up to.
/// State and positions are saved together, atomically, so a restart resumes reading right after what the
/// state already holds: no record is applied twice and none is skipped, and the topics are not read again
/// from the beginning. The positions are also committed as consumer group `eddy-<instance>` (for
/// `eddy groups` and lag), after the file is saved.
///
/// ```swift
/// let file = SongsSnapshot.File(directory: "eddy-data/checkpoints/songs")
/// try file.save(SongsSnapshot(state: state))
/// let saved = try file.load()   // nil when there is none
/// ```
struct SongsSnapshot: Codable, Sendable {
    struct SavedTrack: Codable, Sendable {
        var id: String
        var name: String
        var artists: [String]
        var album: String
        var genre: String?
        var features: [Double]
    }

    struct SavedLike: Codable, Sendable {
        var trackID: String
        var likedAt: Int64
    }

    var format = 1
    var featureNames: [String]
    var normalizer: FeatureNormalizer
    var tracks: [SavedTrack]
    var likes: [String: [SavedLike]]
    /// topic → partition → the next offset to read.
    var positions: [String: [Int: Offset]]
    var tracksIn: Int64
    var likesIn: Int64
    var deadLetters: Int64

    init(state s: SongsService.State) {
        let catalogue = s.catalogue
        featureNames = catalogue.featureNames
        normalizer = catalogue.normalizer
        tracks = (0..<catalogue.count).map { row in
            let track = catalogue.track(at: row)
            return SavedTrack(
                id: track.id, name: track.name, artists: track.artists, album: track.album,
                genre: track.genre,
                features: track.features)
        }
        likes = s.profiles.mapValues { profile in
            profile.likes.map { SavedLike(trackID: $0.trackID, likedAt: $0.likedAt) }
        }
        positions = s.positions
        tracksIn = s.tracksIn
        likesIn = s.likesIn
        deadLetters = s.deadLetters
    }

    /// The catalogue and profiles it describes, or nil when it was saved with other features or another
    /// normalisation (then the topics are read again from the beginning).
    func restore(into s: inout SongsService.State) -> Bool {
        guard featureNames == s.catalogue.featureNames else { return false }
        var catalogue = TrackCatalogue(
            featureNames: featureNames, normalization: s.catalogue.normalizer.normalization)
        for track in tracks {
            catalogue.upsert(
                Track(
                    id: track.id, name: track.name, artists: track.artists, album: track.album,
                    genre: track.genre,
                    features: track.features))
        }
        guard catalogue.restoreStatistics(normalizer) else { return false }
        var profiles: [String: TasteProfile] = [:]
        for (user, likes) in likes {
            var profile = TasteProfile()
            for like in likes { profile.like(like.trackID, at: like.likedAt) }
            profiles[user] = profile
        }
        s.catalogue = catalogue
        s.profiles = profiles
        s.positions = positions
        s.tracksIn = tracksIn
        s.likesIn = likesIn
        s.deadLetters = deadLetters
        s.dirtyUsers = Set(profiles.keys)
        return true
    }

    /// The snapshot's file, `state.json` in the app's checkpoint folder; written to a temporary file,
    /// synced and renamed over the old one, so a crash leaves the old snapshot or the new one.
    struct File: Sendable {
        var directory: String
        var path: String { directory + "/state.json" }

        func load() throws -> SongsSnapshot? {
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(
                positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            return try decoder.decode(SongsSnapshot.self, from: data)
        }

        func save(_ snapshot: SongsSnapshot) throws {
            let encoder = JSONEncoder()
            encoder.nonConformingFloatEncodingStrategy = .convertToString(
                positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            let data = try encoder.encode(snapshot)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let temporary = path + ".tmp"
            guard FileManager.default.createFile(atPath: temporary, contents: data) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            try handle.synchronize()
            try handle.close()
            guard rename(temporary, path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        }

        func delete() throws {
            for file in [path, path + ".tmp"] where FileManager.default.fileExists(atPath: file) {
                try FileManager.default.removeItem(atPath: file)
            }
        }
    }
}
