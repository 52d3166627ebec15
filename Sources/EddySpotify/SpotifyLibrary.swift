import Foundation

/// A track from the user's library (`GET /v1/me/tracks`).
public struct SavedTrack: Sendable, Hashable {
    public var id: String
    public var name: String
    public var artists: [String]
    /// When the user saved it, as Spotify wrote it (ISO 8601).
    public var addedAt: String?

    public init(id: String, name: String = "", artists: [String] = [], addedAt: String? = nil) {
        self.id = id
        self.name = name
        self.artists = artists
        self.addedAt = addedAt
    }
}

/// The user's saved tracks, page by page (`limit=50`, following `next`), with the token kept fresh: an
/// expired token is refreshed before the first request, a 401 refreshes once and retries, a 429 waits
/// `Retry-After` seconds. Refreshed tokens are saved to the store.
///
/// ```swift
/// let library = SpotifyLibrary(authorization: auth, store: store)
/// let tracks = try await library.savedTracks { page in print("\(page) tracks so far") }
/// ```
public struct SpotifyLibrary: Sendable {
    public let authorization: SpotifyAuthorization
    public let store: SpotifyTokenStore
    /// The longest `Retry-After` honoured (seconds); longer waits fail instead.
    public var maxRetryAfter: Double = 120
    let http = SpotifyHTTP()

    public init(authorization: SpotifyAuthorization, store: SpotifyTokenStore) {
        self.authorization = authorization
        self.store = store
    }

    /// The saved tracks in Spotify's order (most recently saved first); `progress` gets the count after each page,
    /// `rateLimited` the seconds about to be waited on a 429.
    public func savedTracks(
        progress: @Sendable (Int) -> Void = { _ in }, rateLimited: @Sendable (Double) -> Void = { _ in }
    ) async throws(SpotifyError) -> [SavedTrack] {
        var token = try store.load()
        if token.isExpired() {
            token = try await authorization.refresh(token)
            try store.save(token)
        }
        var next: URL? = {
            var components = URLComponents(
                url: authorization.configuration.apiURL.appendingPathComponent("v1/me/tracks"),
                resolvingAgainstBaseURL: false)!
            components.queryItems = [URLQueryItem(name: "limit", value: "50")]
            return components.url
        }()
        var tracks: [SavedTrack] = []
        while let url = next {
            let page = try await get(url, token: &token, rateLimited: rateLimited)
            guard let items = page["items"] as? [[String: Any]] else {
                throw SpotifyError.unexpectedResponse("a saved-tracks page without items")
            }
            for item in items {
                guard let track = item["track"] as? [String: Any], let id = track["id"] as? String else {
                    continue
                }
                let artists = (track["artists"] as? [[String: Any]] ?? []).compactMap {
                    $0["name"] as? String
                }
                tracks.append(
                    SavedTrack(
                        id: id, name: track["name"] as? String ?? "", artists: artists,
                        addedAt: item["added_at"] as? String))
            }
            progress(tracks.count)
            next = (page["next"] as? String).flatMap(URL.init(string:))
        }
        return tracks
    }

    /// One GET with the token: refreshed once on 401, retried after 429's `Retry-After`.
    private func get(_ url: URL, token: inout SpotifyToken, rateLimited: @Sendable (Double) -> Void)
        async throws(SpotifyError) -> [String: Any]
    {
        var refreshed = false
        while true {
            let reply = try await http.send(
                "GET", url, headers: ["Authorization": "Bearer \(token.accessToken)"])
            switch reply.status {
            case 200:
                guard let object = (try? JSONSerialization.jsonObject(with: reply.body)) as? [String: Any]
                else {
                    throw SpotifyError.unexpectedResponse("a saved-tracks page that is not a JSON object")
                }
                return object
            case 401 where !refreshed:
                refreshed = true
                token = try await authorization.refresh(token)
                try store.save(token)
            case 429:
                let wait = reply.header("Retry-After").flatMap(Double.init) ?? 1
                guard wait <= maxRetryAfter else {
                    throw SpotifyError.api(status: 429, message: "rate limited for \(Int(wait)) s")
                }
                rateLimited(wait)
                do {
                    try await Task.sleep(for: .milliseconds(Int64(max(wait, 0) * 1000)))
                } catch {
                    throw SpotifyError.transport("cancelled while rate limited")
                }
            default:
                let object = (try? JSONSerialization.jsonObject(with: reply.body)) as? [String: Any]
                let message = (object?["error"] as? [String: Any])?["message"] as? String ?? "no message"
                throw SpotifyError.api(status: reply.status, message: message)
            }
        }
    }
}
