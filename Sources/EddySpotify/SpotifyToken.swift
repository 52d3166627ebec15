public import Foundation

/// An access token and what renews it, as kept in the token file. Its description never shows the tokens.
public struct SpotifyToken: Codable, Sendable, Equatable, CustomStringConvertible {
    public var accessToken: String
    public var refreshToken: String?
    /// Seconds since the epoch after which the access token is refused.
    public var expiresAt: Double
    public var scope: String?
    /// The app the token belongs to (refreshing needs it).
    public var clientID: String?

    public init(
        accessToken: String, refreshToken: String?, expiresAt: Double, scope: String?, clientID: String? = nil
    ) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.scope = scope
        self.clientID = clientID
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case expiresAt = "expires_at"
        case scope
        case clientID = "client_id"
    }

    /// True when the token expires within `margin` seconds.
    public func isExpired(now: Date = Date(), margin: Double = 60) -> Bool {
        now.timeIntervalSince1970 + margin >= expiresAt
    }

    public var description: String {
        "SpotifyToken(expires \(Date(timeIntervalSince1970: expiresAt)), scope: \(scope ?? "-"), refreshable: \(refreshToken != nil))"
    }
}

/// The token file: JSON readable and writable only by its owner (mode 0600, set when the file is
/// created — never a moment with wider permissions), replaced atomically.
///
/// ```swift
/// let store = SpotifyTokenStore(path: SpotifyTokenStore.defaultPath(dataDirectory: "eddy-data"))
/// try store.save(token)
/// let token = try store.load()
/// ```
public struct SpotifyTokenStore: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// `$XDG_CONFIG_HOME/eddy/spotify-token.json` when XDG_CONFIG_HOME is set, else
    /// `<data-dir>/spotify-token.json`.
    public static func defaultPath(
        dataDirectory: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty {
            return config + "/eddy/spotify-token.json"
        }
        return dataDirectory + "/spotify-token.json"
    }

    public func load() throws(SpotifyError) -> SpotifyToken {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpotifyError.notLoggedIn(path: path)
        }
        do {
            return try JSONDecoder().decode(SpotifyToken.self, from: data)
        } catch {
            throw SpotifyError.tokenFile("\(path) is not a token file (\(error.localizedDescription))")
        }
    }

    public func save(_ token: SpotifyToken) throws(SpotifyError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = path + ".tmp-\(getpid())"
        do {
            if !directory.isEmpty {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
            }
            let data = try JSONEncoder().encode(token)
            unlink(temporary)
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard fd >= 0 else { throw SpotifyError.tokenFile("cannot create \(temporary): errno \(errno)") }
            let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            fchmod(fd, 0o600)
            close(fd)
            guard written == data.count else { throw SpotifyError.tokenFile("short write to \(temporary)") }
            guard rename(temporary, path) == 0 else {
                throw SpotifyError.tokenFile("cannot replace \(path): errno \(errno)")
            }
        } catch let error as SpotifyError {
            unlink(temporary)
            throw error
        } catch {
            unlink(temporary)
            throw SpotifyError.tokenFile("\(path): \(error.localizedDescription)")
        }
    }
}
