import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// `eddy spotify login` and `eddy spotify likes` run as processes against a local stand-in of Spotify's
/// accounts service and Web API; the test plays the browser (opens the printed authorize URL, follows the
/// redirect to the command's loopback listener).
@Suite struct SongsSpotifyCommandTests {
    /// Tracks the stand-in's library holds: the first `inCatalogue` are also in the catalogue topic.
    static let libraryTracks = 120
    static let inCatalogue = 100
    static let secret = "client-secret-" + UUID().uuidString

    static func trackID(_ index: Int) -> String {
        let digits = String(index)
        return "T" + String(repeating: "x", count: 21 - digits.count) + digits
    }

    /// The environment every command gets: the token under `<work>/config/eddy/`, the client secret, and the
    /// stand-in's accounts and Web API base URLs.
    static func environment(_ eddy: EddyBinary, _ standIn: SpotifyStandInServer, secret: String?) -> [String]
    {
        [
            "XDG_CONFIG_HOME=\(eddy.workDirectory)/config",
            "SPOTIFY_CLIENT_SECRET=\(secret ?? "")",
            "EDDY_SPOTIFY_ACCOUNTS_URL=\(standIn.baseURL)",
            "EDDY_SPOTIFY_API_URL=\(standIn.baseURL)",
        ]
    }

    /// Runs `eddy spotify login` with a free loopback redirect port, plays the browser once the authorize URL
    /// is printed, and returns the finished process and the page the browser was shown.
    static func login(_ eddy: EddyBinary, _ standIn: SpotifyStandInServer, secret: String?) async throws -> (
        RunningEddy, page: String
    ) {
        let port = try KafkaClients.freePort()
        let login = try RunningEddy(
            eddy,
            environment(eddy, standIn, secret: secret) + [
                EddyBinary.path, "spotify", "login", "--client-id", SpotifyStandInServer.clientID,
                "--redirect-uri", "http://127.0.0.1:\(port)/callback", "--no-open", "--timeout", "120",
            ], executable: "/usr/bin/env")
        var authorize = ""
        try await SongsHTTP.until("the authorize URL is printed", seconds: 120) {
            authorize =
                login.stdout.split(separator: "\n").first { $0.hasPrefix(standIn.baseURL + "/authorize?") }
                .map(String.init) ?? ""
            return !authorize.isEmpty || !login.process.isRunning
        }
        try #require(!authorize.isEmpty, "no authorize URL: \(login.stdout) \(login.stderr)")
        let components = try #require(URLComponents(string: authorize))
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        #expect(query["redirect_uri"] == "http://127.0.0.1:\(port)/callback")
        #expect(query["scope"] == "user-library-read")
        #expect(query["code_challenge_method"] == "S256")
        // The browser: the stand-in redirects to the loopback listener, which shows a page.
        let (data, _) = try await SongsHTTP.session.data(from: URL(string: authorize)!)
        try await SongsHTTP.until("eddy spotify login exits", seconds: 120) { !login.process.isRunning }
        login.process.waitUntilExit()
        return (login, String(decoding: data, as: UTF8.self))
    }

    /// Runs `eddy ARGUMENTS` with ``environment(_:_:secret:)`` to its end.
    static func run(
        _ eddy: EddyBinary, _ standIn: SpotifyStandInServer, secret: String?, _ arguments: [String]
    ) async throws -> RunningEddy {
        let command = try RunningEddy(
            eddy, environment(eddy, standIn, secret: secret) + [EddyBinary.path] + arguments,
            executable: "/usr/bin/env")
        try await SongsHTTP.until("eddy \(arguments.prefix(2).joined(separator: " ")) exits", seconds: 120) {
            !command.process.isRunning
        }
        command.process.waitUntilExit()
        return command
    }

    /// No token, refresh token or client secret in anything a command printed.
    static func expectNoSecrets(
        _ output: String, _ standIn: SpotifyStandInServer, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let tokens = standIn.withState { $0.issuedTokens }
        for secret in tokens + [Self.secret] where output.contains(secret) {
            Issue.record("a token or secret was printed: \(output)", sourceLocation: sourceLocation)
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func loginThenLikesThroughRefreshAndRateLimit() async throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let standIn = try SpotifyStandInServer()
        defer { standIn.stop() }
        standIn.withState { s in
            s.expectedSecret = Self.secret
            s.library = (0..<Self.libraryTracks).map { index in
                .init(
                    id: Self.trackID(index), name: "Song \(index)", artist: "Artist \(index % 7)",
                    addedAt: "2024-05-0\(index % 9 + 1)T10:00:\(String(format: "%02d", index % 60))Z")
            }
            s.rateLimitAtOffsets = [50]
        }
        // The catalogue topic holds the first 100 of the library's tracks.
        let catalogue = (0..<Self.inCatalogue).map { index in
            #"{"track_id": "\#(Self.trackID(index))", "track_name": "Song \#(index)", "artists": "Artist \#(index % 7)", "album_name": "A", "track_genre": "pop", "danceability": 0.5, "energy": 0.5, "key": 1, "loudness": -5.0, "mode": 1, "speechiness": 0.1, "acousticness": 0.2, "instrumentalness": 0.0, "liveness": 0.1, "valence": 0.5, "tempo": 110.0, "time_signature": 4}"#
        }
        #expect(try eddy.run(["produce", "songs", "--create"], lines: catalogue).status == 0)

        let (login, page) = try await Self.login(eddy, standIn, secret: Self.secret)
        #expect(login.process.terminationStatus == 0, "\(login.stderr)")
        #expect(page.contains("Eddy is connected to Spotify"), "\(page)")
        Self.expectNoSecrets(login.stdout + login.stderr, standIn)
        let tokenFile = eddy.workDirectory + "/config/eddy/spotify-token.json"
        #expect(login.stderr.contains(tokenFile), "\(login.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: tokenFile)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "\(attributes)")
        let saved = try String(contentsOfFile: tokenFile, encoding: .utf8)
        let first = try #require(standIn.withState { $0.validAccessToken })
        #expect(saved.contains(first), "the token file lacks the access token issued")
        let basic =
            "Basic " + Data("\(SpotifyStandInServer.clientID):\(Self.secret)".utf8).base64EncodedString()
        #expect(standIn.withState { $0.authorizationHeaders } == [basic], "the secret was not sent as Basic")

        // The access token expires early: the Web API answers 401, the command refreshes and carries on; one
        // page is rate limited with Retry-After.
        standIn.expireAccessToken()
        let likes = try await Self.run(
            eddy, standIn, secret: Self.secret, ["spotify", "likes", "--to", "likes", "--user", "ana"])
        #expect(likes.process.terminationStatus == 0, "\(likes.stderr)")
        Self.expectNoSecrets(likes.stdout + likes.stderr, standIn)
        let seen = standIn.withState { ($0.refreshes, $0.unauthorized, $0.rateLimited, $0.pageRequests) }
        #expect(seen.0 == 1, "refreshes")
        #expect(seen.1 == 1, "401 answers")
        #expect(seen.2 == 1, "429 answers")
        #expect(seen.3 == 1 + 1 + 3, "page requests: one 401, one 429, three pages")
        let missing = Self.libraryTracks - Self.inCatalogue
        #expect(
            likes.stderr.contains("Appended \(Self.libraryTracks) likes for 'ana' to 'likes'"),
            "\(likes.stderr)")
        #expect(likes.stderr.contains("\(missing) of them are not in the catalogue"), "\(likes.stderr)")
        #expect(
            likes.stderr.contains(Self.trackID(Self.inCatalogue)), "the first missing track is not listed")
        #expect(likes.stderr.contains("waiting 1 s as its Retry-After says"), "\(likes.stderr)")
        // The refreshed token replaced the old one, still readable by its owner only.
        let refreshed = try #require(standIn.withState { $0.validAccessToken })
        #expect(try String(contentsOfFile: tokenFile, encoding: .utf8).contains(refreshed))
        let after = try FileManager.default.attributesOfItem(atPath: tokenFile)
        #expect((after[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let consumed = try eddy.run(["consume", "likes", "--from-beginning", "--timeout-ms", "1000"])
        let records = consumed.stdoutLines.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(records.count == Self.libraryTracks, "\(consumed.stderr)")
        #expect(
            records.compactMap { $0["track_id"] as? String } == (0..<Self.libraryTracks).map(Self.trackID))
        #expect(records.allSatisfy { $0["user_id"] as? String == "ana" })
        // Spotify's added_at is kept as the time of the like.
        #expect(
            (records.first?["liked_at"] as? String)?.hasPrefix("2024-05-01T10:00:00") == true,
            "\(records.first ?? [:])")
    }

    @Test(.timeLimit(.minutes(5)))
    func aForgedStateIsRefused() async throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let standIn = try SpotifyStandInServer()
        defer { standIn.stop() }
        standIn.withState { $0.forgeState = true }
        let (login, page) = try await Self.login(eddy, standIn, secret: nil)
        #expect(login.process.terminationStatus != 0)
        #expect(page.contains("could not log in"), "\(page)")
        let errors = login.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1 && errors[0].contains("state"), "\(login.stderr)")
        #expect(login.stderr.split(separator: "\n").last?.hasPrefix("error:") == true, "\(login.stderr)")
        #expect(standIn.withState { $0.exchanges } == 0, "a code with a forged state was exchanged")
        #expect(
            !FileManager.default.fileExists(atPath: eddy.workDirectory + "/config/eddy/spotify-token.json"))
    }

    @Test(.timeLimit(.minutes(5)))
    func deniedConsentIsRefused() async throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let standIn = try SpotifyStandInServer()
        defer { standIn.stop() }
        standIn.withState { $0.denyConsent = true }
        let (login, _) = try await Self.login(eddy, standIn, secret: nil)
        #expect(login.process.terminationStatus != 0)
        let errors = login.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1 && errors[0].contains("access_denied"), "\(login.stderr)")
        #expect(
            !FileManager.default.fileExists(atPath: eddy.workDirectory + "/config/eddy/spotify-token.json"))
    }

    @Test func likesBeforeLoginSaysToLogIn() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let result = try eddy.run(["spotify", "likes", "--token-file", eddy.workDirectory + "/none.json"])
        expectOneLineError(result, containing: ["no Spotify token", "eddy spotify login"])
    }
}
