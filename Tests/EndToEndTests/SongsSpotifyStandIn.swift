import Dispatch
import EddySpotify
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A local server answering as Spotify's accounts service and Web API document them, for `eddy spotify`
/// run as a process: `GET /authorize` redirects to the client's redirect URI with a code and the state (or
/// `error=access_denied`), `POST /api/token` checks the PKCE verifier against the challenge (and the client
/// secret, when one is expected) and issues or refreshes tokens, `GET /v1/me/tracks` pages the library
/// (`limit`, `offset`, absolute `next` links) and answers 401 to an expired token and 429 with
/// `Retry-After`.
///
/// It serves from a Dispatch thread with blocking sockets, not from the concurrency pool: on two cores the
/// pool's threads may all be busy with other tests, and a stand-in waiting for one would stall the login.
final class SpotifyStandInServer: Sendable {
    struct Library: Sendable {
        var id: String
        var name: String
        var artist: String
        var addedAt: String
    }

    struct State: Sendable {
        var denyConsent = false
        var forgeState = false
        /// Codes issued, with the challenge sent at /authorize and the redirect URI.
        var codes: [String: (challenge: String, redirect: String)] = [:]
        var validAccessToken: String?
        var refreshToken = "RT-" + UUID().uuidString
        /// Every access and refresh token handed out, to check none of them is ever printed.
        var issuedTokens: [String] = []
        var expectedSecret: String?
        var authorizationHeaders: [String?] = []
        var refreshes = 0
        var exchanges = 0
        var rateLimitAtOffsets: Set<Int> = []
        var rateLimited = 0
        var unauthorized = 0
        var library: [Library] = []
        var pageRequests = 0
    }

    /// The state, in a box of its own so the server's handler can hold it before the stand-in exists.
    final class Shared: Sendable {
        let state = Mutex(State())
    }

    static let clientID = "eddy-test-client"
    private let shared: Shared
    private let server: TinyHTTPServer
    /// Reads or changes the state (what to answer next, what was seen).
    func withState<T: Sendable>(_ body: (inout State) -> T) -> T { shared.state.withLock { body(&$0) } }

    init() throws {
        let shared = Shared()
        self.shared = shared
        server = try TinyHTTPServer { request, base in
            let state = shared
            return switch (request.method, request.path) {
            case ("GET", "/authorize"): Self.authorize(request, state)
            case ("POST", "/api/token"): Self.token(request, state)
            case ("GET", "/v1/me/tracks"): Self.tracks(request, base: base, state)
            default: TinyHTTPServer.Reply(status: 404, body: #"{"error": "not found"}"#)
            }
        }
    }

    var baseURL: String { "http://127.0.0.1:\(server.port)" }

    func stop() { server.stop() }

    /// Makes the current access token one the Web API no longer takes, as when it expired early.
    func expireAccessToken() {
        withState { $0.validAccessToken = "expired-" + UUID().uuidString }
    }

    private static func authorize(_ request: TinyHTTPServer.Request, _ shared: Shared) -> TinyHTTPServer.Reply
    {
        let q = request.query
        guard q["client_id"] == clientID, q["response_type"] == "code", q["code_challenge_method"] == "S256",
            let challenge = q["code_challenge"], !challenge.isEmpty, let redirect = q["redirect_uri"],
            let given = q["state"], !given.isEmpty, q["scope"] == "user-library-read",
            var components = URLComponents(string: redirect)
        else { return TinyHTTPServer.Reply(status: 400, body: "invalid authorize request: \(q)") }
        let (deny, forge) = shared.state.withLock { ($0.denyConsent, $0.forgeState) }
        let returned = forge ? "forged-state" : given
        if deny {
            components.queryItems = [
                URLQueryItem(name: "error", value: "access_denied"),
                URLQueryItem(name: "state", value: returned),
            ]
        } else {
            let code = "code-" + UUID().uuidString
            shared.state.withLock { $0.codes[code] = (challenge, redirect) }
            components.queryItems = [
                URLQueryItem(name: "code", value: code), URLQueryItem(name: "state", value: returned),
            ]
        }
        return TinyHTTPServer.Reply(
            status: 302, headers: [("Location", components.url!.absoluteString)], body: "")
    }

    private static func token(_ request: TinyHTTPServer.Request, _ shared: Shared) -> TinyHTTPServer.Reply {
        let form = TinyHTTPServer.parseQuery(request.body)
        return shared.state.withLock { s in
            s.authorizationHeaders.append(request.headers["authorization"])
            guard form["client_id"] == clientID else { return error("invalid_client") }
            if let secret = s.expectedSecret {
                let basic = "Basic " + Data("\(clientID):\(secret)".utf8).base64EncodedString()
                guard request.headers["authorization"] == basic else {
                    return error("invalid_client", "Invalid client secret", status: 401)
                }
            }
            switch form["grant_type"] {
            case "authorization_code":
                guard let code = form["code"], let issued = s.codes.removeValue(forKey: code) else {
                    return error("invalid_grant", "Invalid authorization code")
                }
                guard form["redirect_uri"] == issued.redirect else {
                    return error("invalid_grant", "Invalid redirect URI")
                }
                guard let verifier = form["code_verifier"], PKCE.challenge(for: verifier) == issued.challenge
                else { return error("invalid_grant", "code_verifier was incorrect") }
                s.exchanges += 1
            case "refresh_token":
                guard form["refresh_token"] == s.refreshToken else {
                    return error("invalid_grant", "Invalid refresh token")
                }
                s.refreshes += 1
            default:
                return error("unsupported_grant_type")
            }
            let access = "AT-" + UUID().uuidString
            s.validAccessToken = access
            s.issuedTokens += [access, s.refreshToken]
            return json(
                #"{"access_token": "\#(access)", "token_type": "Bearer", "expires_in": 3600, "refresh_token": "\#(s.refreshToken)", "scope": "user-library-read"}"#
            )
        }
    }

    private static func tracks(_ request: TinyHTTPServer.Request, base: String, _ shared: Shared)
        -> TinyHTTPServer.Reply
    {
        let limit = min(50, Int(request.query["limit"] ?? "20") ?? 20)
        let offset = Int(request.query["offset"] ?? "0") ?? 0
        return shared.state.withLock { s in
            s.pageRequests += 1
            guard let valid = s.validAccessToken, request.headers["authorization"] == "Bearer \(valid)" else {
                s.unauthorized += 1
                return json(
                    #"{"error": {"status": 401, "message": "The access token expired"}}"#, status: 401)
            }
            if s.rateLimitAtOffsets.remove(offset) != nil {
                s.rateLimited += 1
                return TinyHTTPServer.Reply(status: 429, headers: [("Retry-After", "1")], body: "")
            }
            let end = min(s.library.count, offset + limit)
            let items = s.library[min(offset, end)..<end].map { track in
                #"{"added_at": "\#(track.addedAt)", "track": {"id": "\#(track.id)", "name": "\#(track.name)", "artists": [{"name": "\#(track.artist)"}]}}"#
            }
            let next =
                end < s.library.count ? "\"\(base)/v1/me/tracks?offset=\(end)&limit=\(limit)\"" : "null"
            return json(
                #"{"href": "\#(base)/v1/me/tracks", "limit": \#(limit), "offset": \#(offset), "total": \#(s.library.count), "next": \#(next), "items": [\#(items.joined(separator: ","))]}"#
            )
        }
    }

    static func error(_ code: String, _ description: String = "", status: Int = 400) -> TinyHTTPServer.Reply {
        json(#"{"error": "\#(code)", "error_description": "\#(description)"}"#, status: status)
    }

    static func json(_ text: String, status: Int = 200) -> TinyHTTPServer.Reply {
        TinyHTTPServer.Reply(status: status, headers: [("Content-Type", "application/json")], body: text)
    }
}

/// A minimal HTTP/1.1 server for stand-ins: one request per connection (`Connection: close`), each
/// connection handled on a Dispatch thread, the handler called with the request and the server's base URL.
final class TinyHTTPServer: Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        var query: [String: String]
        /// Header names in lower case.
        var headers: [String: String]
        var body: String
    }

    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)] = []
        var body: String
    }

    let port: Int
    private let socket: Int32
    private let stopped = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)

    init(handler: @escaping @Sendable (Request, String) -> Reply) throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard fd >= 0, bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        socket = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let base = "http://127.0.0.1:\(port)"
        // The thread holds the server until stop().
        Thread.detachNewThread { [self] in
            defer { finished.signal() }
            while !stopped.withLock({ $0 }) {
                var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&descriptor, 1, 100) > 0 else { continue }
                let client = accept(fd, nil, nil)
                guard client >= 0 else { continue }
                DispatchQueue.global().async {
                    defer { close(client) }
                    guard let request = Self.read(client) else { return }
                    Self.write(handler(request, base), to: client)
                }
            }
        }
    }

    /// Stops accepting and waits until the accept loop has ended; the server must be stopped.
    func stop() {
        let first = stopped.withLock { was in
            defer { was = true }
            return !was
        }
        guard first else { return }
        finished.wait()
        close(socket)
    }

    private static func read(_ client: Int32) -> Request? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        var headerEnd: Int?
        var contentLength = 0
        var descriptor = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
        while received.count < 1 << 20 {
            if let end = headerEnd, received.count >= end + contentLength { break }
            guard poll(&descriptor, 1, 10_000) > 0 else { return nil }
            let count = Glibc.read(client, &buffer, buffer.count)
            guard count > 0 else { break }
            received += buffer[0..<count]
            if headerEnd == nil, let range = find([13, 10, 13, 10], in: received) {
                headerEnd = range
                let head = String(decoding: received[..<range], as: UTF8.self)
                for line in head.split(separator: "\r\n").dropFirst() {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    if parts.count == 2, parts[0].lowercased() == "content-length" {
                        contentLength = Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
                    }
                }
            }
        }
        guard let end = headerEnd else { return nil }
        let head = String(decoding: received[..<end], as: UTF8.self).split(separator: "\r\n")
        let requestLine = head.first?.split(separator: " ") ?? []
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 {
                headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        let target = String(requestLine[1])
        let path = String(target.prefix { $0 != "?" })
        let query = target.contains("?") ? parseQuery(String(target.drop { $0 != "?" }.dropFirst())) : [:]
        let body = String(decoding: received[(end + 4)...].prefix(contentLength), as: UTF8.self)
        return Request(method: String(requestLine[0]), path: path, query: query, headers: headers, body: body)
    }

    private static func write(_ reply: Reply, to client: Int32) {
        let body = Array(reply.body.utf8)
        let reason =
            [200: "OK", 302: "Found", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"][
                reply.status] ?? (reply.status == 429 ? "Too Many Requests" : "Status")
        var head = "HTTP/1.1 \(reply.status) \(reason)\r\n"
        for (name, value) in reply.headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let all = Array(head.utf8) + body
        var sent = 0
        while sent < all.count {
            let count = all[sent...].withUnsafeBytes { Glibc.write(client, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            sent += count
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<start + needle.count].elementsEqual(needle) {
            return start
        }
        return nil
    }

    /// `a=1&b=x%20y` → ["a": "1", "b": "x y"] (form encoding: `+` is a space).
    static func parseQuery(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
            }
            result[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return result
    }
}
