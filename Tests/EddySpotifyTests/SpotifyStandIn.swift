import Foundation
import Hummingbird
import NIOCore
import Synchronization

@testable import EddySpotify

/// A local server answering as Spotify's accounts service and Web API document it: `/authorize` redirects
/// to the client's redirect URI with a code and the state (or `error=access_denied`), `/api/token` checks the
/// PKCE verifier against the challenge and issues or refreshes tokens, `/v1/me/tracks` pages the library
/// (limit, offset, absolute `next` links) and answers 401 to an expired token and 429 with `Retry-After`.
final class SpotifyStandIn: Sendable {
    struct State {
        var denyConsent = false
        var forgeState = false
        /// Codes issued, with the challenge sent at /authorize and the redirect URI.
        var codes: [String: (challenge: String, redirect: String)] = [:]
        var validAccessToken: String?
        var refreshToken = "refresh-1"
        var issued = 0
        var refreshes = 0
        var rateLimitOnce: Set<Int> = []
        var rateLimited = 0
        var unauthorized = 0
        var tracks = 120
        var secretSeen: String?
    }

    let state = Mutex(State())
    let port = Mutex(0)
    static let clientID = "test-client"

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port.withLock { $0 })")! }

    /// Runs the server until `body` returns.
    @discardableResult
    func serve<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        let router = Router()
        router.get("/authorize") { request, _ -> Response in self.authorize(request) }
        router.post("/api/token") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 16)
            return self.token(String(buffer: body), authorization: request.headers[.authorization])
        }
        router.get("/v1/me/tracks") { request, _ -> Response in self.tracks(request) }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in self.port.withLock { $0 = channel.localAddress?.port ?? 0 } })
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.runService(gracefulShutdownSignals: [])
                return nil
            }
            while port.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    private func query(_ request: Request) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { result[String(key)] = String(value) }
        return result
    }

    private func authorize(_ request: Request) -> Response {
        let q = query(request)
        guard q["client_id"] == Self.clientID, q["response_type"] == "code",
            q["code_challenge_method"] == "S256",
            let challenge = q["code_challenge"], let redirect = q["redirect_uri"], let state = q["state"],
            q["scope"] == "user-library-read"
        else { return Response(status: .badRequest) }
        let (deny, forge) = self.state.withLock { ($0.denyConsent, $0.forgeState) }
        var components = URLComponents(string: redirect)!
        let returnedState = forge ? "forged" : state
        if deny {
            components.queryItems = [
                URLQueryItem(name: "error", value: "access_denied"),
                URLQueryItem(name: "state", value: returnedState),
            ]
        } else {
            let code = "code-\(UUID().uuidString)"
            self.state.withLock { $0.codes[code] = (challenge, redirect) }
            components.queryItems = [
                URLQueryItem(name: "code", value: code), URLQueryItem(name: "state", value: returnedState),
            ]
        }
        return Response(status: .found, headers: [.location: components.url!.absoluteString])
    }

    private func token(_ body: String, authorization: String?) -> Response {
        var form: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).removingPercentEncoding ?? ""
            }
            if parts.count == 2 { form[parts[0]] = parts[1] }
        }
        return state.withLock { s in
            s.secretSeen = authorization
            guard form["client_id"] == Self.clientID else { return Self.error("invalid_client") }
            switch form["grant_type"] {
            case "authorization_code":
                guard let code = form["code"], let issued = s.codes.removeValue(forKey: code) else {
                    return Self.error("invalid_grant")
                }
                guard form["redirect_uri"] == issued.redirect else { return Self.error("invalid_grant") }
                guard let verifier = form["code_verifier"], PKCE.challenge(for: verifier) == issued.challenge
                else {
                    return Self.error("invalid_grant", "code_verifier was incorrect")
                }
            case "refresh_token":
                guard form["refresh_token"] == s.refreshToken else { return Self.error("invalid_grant") }
                s.refreshes += 1
            default:
                return Self.error("unsupported_grant_type")
            }
            s.issued += 1
            let access = "access-\(s.issued)"
            s.validAccessToken = access
            return Self.json(
                #"{"access_token": "\#(access)", "token_type": "Bearer", "expires_in": 3600, "refresh_token": "\#(s.refreshToken)", "scope": "user-library-read"}"#
            )
        }
    }

    private func tracks(_ request: Request) -> Response {
        let q = query(request)
        let limit = min(50, Int(q["limit"] ?? "20") ?? 20)
        let offset = Int(q["offset"] ?? "0") ?? 0
        let bearer = request.headers[.authorization]
        return state.withLock { s in
            guard let valid = s.validAccessToken, bearer == "Bearer \(valid)" else {
                s.unauthorized += 1
                return Self.json(
                    #"{"error": {"status": 401, "message": "The access token expired"}}"#,
                    status: .unauthorized)
            }
            if s.rateLimitOnce.remove(offset) != nil {
                s.rateLimited += 1
                return Response(status: .tooManyRequests, headers: [.retryAfter: "1"])
            }
            let end = min(s.tracks, offset + limit)
            let items = (offset..<end).map { index in
                #"{"added_at": "2024-05-0\#(index % 9 + 1)T10:00:00Z", "track": {"id": "\#(Self.trackID(index))", "name": "Song \#(index)", "artists": [{"name": "Artist \#(index % 7)"}]}}"#
            }
            let next =
                end < s.tracks
                ? "\"\(baseURL.absoluteString)/v1/me/tracks?offset=\(end)&limit=\(limit)\"" : "null"
            return Self.json(
                #"{"href": "x", "limit": \#(limit), "offset": \#(offset), "total": \#(s.tracks), "next": \#(next), "items": [\#(items.joined(separator: ","))]}"#
            )
        }
    }

    static func trackID(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "A", count: 22 - digits.count) + digits
    }

    static func error(_ code: String, _ description: String = "") -> Response {
        json(#"{"error": "\#(code)", "error_description": "\#(description)"}"#, status: .badRequest)
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
