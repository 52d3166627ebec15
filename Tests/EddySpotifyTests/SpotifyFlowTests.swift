import Foundation
import Synchronization
import Testing

@testable import EddySpotify

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The whole Spotify flow against the local stand-in: login with PKCE over a loopback redirect, a wrong
/// state, a denied consent, the token file, paging saved tracks through a 429 and an expired token.
@Suite(.serialized) struct SpotifyFlowTests {
    /// A port nothing listens on right now, for the loopback redirect.
    static func freePort() throws -> Int {
        let probe = try LoopbackListener(host: "127.0.0.1", port: 0)
        return probe.port
    }

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "eddy-spotify-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func configuration(_ standIn: SpotifyStandIn, port: Int) -> SpotifyConfiguration {
        var configuration = SpotifyConfiguration(clientID: SpotifyStandIn.clientID)
        configuration.accountsURL = standIn.baseURL
        configuration.apiURL = standIn.baseURL
        configuration.redirectURI = URL(string: "http://127.0.0.1:\(port)/callback")!
        return configuration
    }

    /// Logs in, with a "browser" that follows the authorize URL (and its redirect to the loopback listener).
    static func login(_ configuration: SpotifyConfiguration) async throws -> SpotifyToken {
        try await SpotifyAuthorization(configuration: configuration).login(timeout: 20) { url in
            Task { _ = try? await URLSession.shared.data(from: url) }
        }
    }

    @Test func pkceChallengeIsTheRFCExample() {
        // RFC 7636, appendix B.
        #expect(
            PKCE.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
                == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        let pkce = PKCE()
        #expect(pkce.verifier.count == 64)
        #expect(PKCE().verifier != pkce.verifier)
    }

    @Test func loginThenPagedLikesThroughA429AndAnExpiredToken() async throws {
        let standIn = SpotifyStandIn()
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = try Self.freePort()
        try await standIn.serve {
            let configuration = Self.configuration(standIn, port: port)
            let token = try await Self.login(configuration)
            #expect(token.accessToken == "access-1")
            #expect(token.refreshToken == "refresh-1")
            #expect(!token.description.contains("access-1") && !token.description.contains("refresh-1"))

            let store = SpotifyTokenStore(path: directory + "/config/eddy/spotify-token.json")
            try store.save(token)
            var info = stat()
            #expect(stat(store.path, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o600, "the token file is readable by its owner only")
            #expect(try store.load() == token)

            // The server expires the token; the second page is rate limited once.
            standIn.state.withLock {
                $0.validAccessToken = "something-else"
                $0.rateLimitOnce = [50]
            }
            let library = SpotifyLibrary(
                authorization: SpotifyAuthorization(configuration: configuration), store: store)
            let started = ContinuousClock.now
            let tracks = try await library.savedTracks()
            #expect(started.duration(to: .now) >= .seconds(1), "Retry-After was waited out")
            #expect(tracks.count == 120)
            #expect(Set(tracks.map(\.id)).count == 120)
            #expect(tracks.first?.artists == ["Artist 0"])
            #expect(tracks.first?.addedAt == "2024-05-01T10:00:00Z")
            let counts = standIn.state.withLock { ($0.refreshes, $0.rateLimited, $0.unauthorized) }
            #expect(counts.0 == 1 && counts.1 == 1 && counts.2 == 1)
            #expect(try store.load().accessToken == "access-2", "the refreshed token was saved")
        }
    }

    @Test func aForgedStateIsRefused() async throws {
        let standIn = SpotifyStandIn()
        standIn.state.withLock { $0.forgeState = true }
        let port = try Self.freePort()
        try await standIn.serve {
            await #expect(throws: SpotifyError.stateMismatch) {
                try await Self.login(Self.configuration(standIn, port: port))
            }
            #expect(standIn.state.withLock { $0.issued } == 0, "no code was exchanged")
        }
    }

    @Test func deniedConsentIsReported() async throws {
        let standIn = SpotifyStandIn()
        standIn.state.withLock { $0.denyConsent = true }
        let port = try Self.freePort()
        try await standIn.serve {
            await #expect(throws: SpotifyError.authorizationDenied("access_denied")) {
                try await Self.login(Self.configuration(standIn, port: port))
            }
        }
    }

    @Test func aWrongVerifierIsRefusedByTheTokenEndpoint() async throws {
        let standIn = SpotifyStandIn()
        let port = try Self.freePort()
        try await standIn.serve {
            let configuration = Self.configuration(standIn, port: port)
            let auth = SpotifyAuthorization(configuration: configuration)
            let url = auth.authorizeURL(state: "s", pkce: PKCE())
            var request = URLRequest(url: url)
            request.httpMethod = "GET"
            // Without the loopback listener the redirect fails; read the code from the stand-in instead.
            _ = try? await URLSession.shared.data(for: request)
            let code = standIn.state.withLock { $0.codes.keys.first }
            #expect(code != nil)
            await #expect(
                throws: SpotifyError.tokenRequestFailed(
                    status: 400, error: "invalid_grant: code_verifier was incorrect")
            ) {
                try await auth.exchange(code: code ?? "", verifier: PKCE().verifier)
            }
        }
    }

    @Test func aClientSecretIsSentAsBasicAuthentication() async throws {
        let standIn = SpotifyStandIn()
        let port = try Self.freePort()
        try await standIn.serve {
            var configuration = Self.configuration(standIn, port: port)
            configuration.clientSecret = "s3cret"
            _ = try await Self.login(configuration)
            let expected = "Basic " + Data("\(SpotifyStandIn.clientID):s3cret".utf8).base64EncodedString()
            #expect(standIn.state.withLock { $0.secretSeen } == expected)
        }
    }

    @Test func exportsAndCSVsGiveTrackIDs() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let library = directory + "/YourLibrary.json"
        try
            #"{"tracks": [{"artist": "A", "track": "T", "uri": "spotify:track:2wrJq5XKLnmhRXHIAf9xBa"}, {"uri": "spotify:episode:x"}], "albums": []}"#
            .write(toFile: library, atomically: true, encoding: .utf8)
        #expect(try SpotifyExport.trackIDs(fromFile: library) == ["2wrJq5XKLnmhRXHIAf9xBa"])
        let csv = directory + "/likes.csv"
        try "name,track_id\nx,https://open.spotify.com/track/5SuOikwiRyPMVoIQDJUgSV?si=1\ny,not-an-id\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(try SpotifyExport.trackIDs(fromFile: csv) == ["5SuOikwiRyPMVoIQDJUgSV"])
        let bare = directory + "/ids.csv"
        try "5SuOikwiRyPMVoIQDJUgSV\n2wrJq5XKLnmhRXHIAf9xBa\n".write(
            toFile: bare, atomically: true, encoding: .utf8)
        #expect(try SpotifyExport.trackIDs(fromFile: bare).count == 2)
    }
}
