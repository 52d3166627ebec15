public import Foundation

/// OAuth 2.0 Authorization Code with PKCE against Spotify's accounts service: the authorize URL (with a
/// random `state`), the redirect's checks, the code exchange and token refresh.
///
/// ```swift
/// let auth = SpotifyAuthorization(configuration: spotify)
/// let token = try await auth.login { url in print("Open \(url)") }   // listens on the redirect URI
/// let fresh = try await auth.refresh(token)
/// ```
public struct SpotifyAuthorization: Sendable {
    public let configuration: SpotifyConfiguration
    let http = SpotifyHTTP()

    public init(configuration: SpotifyConfiguration) {
        self.configuration = configuration
    }

    public func authorizeURL(state: String, pkce: PKCE) -> URL {
        var components = URLComponents(
            url: configuration.accountsURL.appendingPathComponent("authorize"), resolvingAgainstBaseURL: false
        )!
        components.queryItems = [
            URLQueryItem(name: "client_id", value: configuration.clientID),
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "redirect_uri", value: configuration.redirectURI.absoluteString),
            URLQueryItem(name: "scope", value: configuration.scope),
            URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
            URLQueryItem(name: "code_challenge", value: pkce.challenge),
        ]
        return components.url!
    }

    /// The authorization code of a redirect's query, once its `state` is the expected one.
    public static func code(fromRedirect query: [String: String], expectedState: String) throws(SpotifyError)
        -> String
    {
        guard query["state"] == expectedState else { throw SpotifyError.stateMismatch }
        if let error = query["error"] { throw SpotifyError.authorizationDenied(error) }
        guard let code = query["code"], !code.isEmpty else {
            throw SpotifyError.malformedCallback(query.keys.sorted().joined(separator: ", "))
        }
        return code
    }

    /// The whole login: listens on the redirect URI's loopback port, hands the authorize URL to `show`
    /// (print it, open a browser), waits up to `timeout` seconds for the redirect, checks it and exchanges
    /// the code for tokens.
    public func login(timeout: Int = 300, show: @Sendable (URL) -> Void) async throws(SpotifyError)
        -> SpotifyToken
    {
        let redirect = configuration.redirectURI
        guard redirect.scheme == "http", let host = redirect.host else {
            throw SpotifyError.listener(
                "the redirect URI must be http://127.0.0.1:PORT/PATH, got \(redirect)")
        }
        let listener = try LoopbackListener(
            host: host == "localhost" ? "127.0.0.1" : host, port: redirect.port ?? 80)
        let pkce = PKCE()
        var generator = SystemRandomNumberGenerator()
        let state = PKCE.randomToken(length: 32, using: &generator)
        show(authorizeURL(state: state, pkce: pkce))
        let query = try await listener.awaitRedirect(
            path: redirect.path.isEmpty ? "/" : redirect.path, timeout: timeout
        ) {
            query in
            query["state"] == state && query["code"] != nil
                ? "<html><body><h1>Eddy is connected to Spotify.</h1><p>You can close this tab.</p></body></html>"
                : "<html><body><h1>Eddy could not log in.</h1><p>Go back to the terminal.</p></body></html>"
        }
        let code = try Self.code(fromRedirect: query, expectedState: state)
        return try await exchange(code: code, verifier: pkce.verifier)
    }

    public func exchange(code: String, verifier: String) async throws(SpotifyError) -> SpotifyToken {
        try await tokenRequest([
            ("grant_type", "authorization_code"), ("code", code),
            ("redirect_uri", configuration.redirectURI.absoluteString), ("client_id", configuration.clientID),
            ("code_verifier", verifier),
        ])
    }

    /// A new access token for `token`'s refresh token (the refresh token itself is kept unless a new one
    /// comes back).
    public func refresh(_ token: SpotifyToken) async throws(SpotifyError) -> SpotifyToken {
        guard let refreshToken = token.refreshToken else {
            throw SpotifyError.tokenRequestFailed(
                status: 0, error: "the stored token cannot be refreshed; log in again")
        }
        var fresh = try await tokenRequest([
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken),
            ("client_id", configuration.clientID),
        ])
        if fresh.refreshToken == nil { fresh.refreshToken = refreshToken }
        return fresh
    }

    private func tokenRequest(_ pairs: [(String, String)]) async throws(SpotifyError) -> SpotifyToken {
        var headers = ["Content-Type": "application/x-www-form-urlencoded"]
        if let secret = configuration.clientSecret {
            headers["Authorization"] =
                "Basic " + Data("\(configuration.clientID):\(secret)".utf8).base64EncodedString()
        }
        let reply = try await http.send(
            "POST", configuration.accountsURL.appendingPathComponent("api/token"), headers: headers,
            body: SpotifyHTTP.form(pairs))
        let object = (try? JSONSerialization.jsonObject(with: reply.body)) as? [String: Any]
        guard reply.status == 200 else {
            let error = [object?["error"] as? String, object?["error_description"] as? String].compactMap {
                $0
            }
            throw SpotifyError.tokenRequestFailed(
                status: reply.status, error: error.isEmpty ? "no error given" : error.joined(separator: ": "))
        }
        guard let access = object?["access_token"] as? String else {
            throw SpotifyError.unexpectedResponse("the token response has no access_token")
        }
        let lifetime = (object?["expires_in"] as? NSNumber)?.doubleValue ?? 3600
        return SpotifyToken(
            accessToken: access, refreshToken: object?["refresh_token"] as? String,
            expiresAt: Date().timeIntervalSince1970 + lifetime, scope: object?["scope"] as? String,
            clientID: configuration.clientID)
    }
}
