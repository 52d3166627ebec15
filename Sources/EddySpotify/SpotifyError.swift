/// What can go wrong talking to Spotify, typed so the CLI can add hints.
public enum SpotifyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The callback's `state` is not the one sent: the redirect did not come from this login.
    case stateMismatch
    /// The user refused consent (`error=access_denied`) or the accounts service sent another error.
    case authorizationDenied(String)
    /// The callback had neither a code nor an error.
    case malformedCallback(String)
    /// The loopback listener could not start or no redirect came in time.
    case listener(String)
    case timedOut(seconds: Int)
    /// The accounts service refused a token request (status and its `error` field).
    case tokenRequestFailed(status: Int, error: String)
    /// No stored token: `eddy spotify login` first.
    case notLoggedIn(path: String)
    /// The Web API answered with an error status.
    case api(status: Int, message: String)
    /// An answer that is not the JSON Spotify documents.
    case unexpectedResponse(String)
    case transport(String)
    case tokenFile(String)

    public var description: String {
        switch self {
        case .stateMismatch:
            "the redirect's state does not match this login (a stale or forged redirect)"
        case .authorizationDenied(let error): "authorization refused: \(error)"
        case .malformedCallback(let detail): "the redirect carried neither a code nor an error: \(detail)"
        case .listener(let detail): "cannot listen for the redirect: \(detail)"
        case .timedOut(let seconds): "no redirect arrived within \(seconds) s"
        case .tokenRequestFailed(let status, let error):
            "the token request failed with HTTP \(status): \(error)"
        case .notLoggedIn(let path): "no Spotify token at \(path)"
        case .api(let status, let message): "the Web API answered HTTP \(status): \(message)"
        case .unexpectedResponse(let detail): "unexpected response: \(detail)"
        case .transport(let detail): "request failed: \(detail)"
        case .tokenFile(let detail): "token file: \(detail)"
        }
    }
}
