public import Foundation

/// Who Eddy is to Spotify and where Spotify is: the app's client id (and optional secret), the redirect
/// registered for it, and the accounts and Web API base URLs — configurable so tests run against a local
/// stand-in.
///
/// ```swift
/// var spotify = SpotifyConfiguration(clientID: "abc123")
/// spotify.accountsURL = URL(string: "http://127.0.0.1:9000")!   // a stand-in
/// ```
public struct SpotifyConfiguration: Sendable {
    public static let defaultRedirect = URL(string: "http://127.0.0.1:7777/callback")!
    public static let defaultAccounts = URL(string: "https://accounts.spotify.com")!
    public static let defaultAPI = URL(string: "https://api.spotify.com")!
    /// Environment variables read by ``fromEnvironment(clientID:)``.
    public static let secretVariable = "SPOTIFY_CLIENT_SECRET"
    public static let accountsVariable = "EDDY_SPOTIFY_ACCOUNTS_URL"
    public static let apiVariable = "EDDY_SPOTIFY_API_URL"

    public var clientID: String
    /// The seed's flow: a confidential client authenticates token requests with its secret (HTTP Basic).
    /// Without it, PKCE alone proves the code's owner.
    public var clientSecret: String?
    public var redirectURI: URL = defaultRedirect
    public var accountsURL: URL = defaultAccounts
    public var apiURL: URL = defaultAPI
    public var scope = "user-library-read"

    public init(clientID: String) {
        self.clientID = clientID
    }

    /// The configuration with the secret and base URLs the environment gives.
    public static func fromEnvironment(
        clientID: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> SpotifyConfiguration {
        var configuration = SpotifyConfiguration(clientID: clientID)
        if let secret = environment[secretVariable], !secret.isEmpty { configuration.clientSecret = secret }
        if let text = environment[accountsVariable], let url = URL(string: text) {
            configuration.accountsURL = url
        }
        if let text = environment[apiVariable], let url = URL(string: text) { configuration.apiURL = url }
        return configuration
    }
}
