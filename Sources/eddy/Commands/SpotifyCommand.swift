import ArgumentParser
import EddySpotify
import Foundation

/// `eddy spotify login|likes`: a user's liked songs from the Spotify Web API into topic `likes`.
struct SpotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spotify",
        abstract: "Log in to Spotify (OAuth with PKCE) and append the user's liked songs to a topic.",
        discussion: """
            Register an app at developer.spotify.com with the redirect URI http://127.0.0.1:7777/callback, then:
              eddy spotify login --client-id ID
              eddy spotify likes --to likes --user me
            The token is kept in <data-dir>/spotify-token.json (or $XDG_CONFIG_HOME/eddy/), mode 0600, and \
            refreshed when it expires; tokens are never printed.
            """,
        subcommands: [SpotifyLoginCommand.self, SpotifyLikesCommand.self])
}

/// Where Spotify is and which token file to use: shared by the Spotify commands.
struct SpotifyOptions: ParsableArguments {
    @Option(help: "The Spotify app's client id (login; later commands take it from the token file).")
    var clientID: String?

    @Option(
        help: ArgumentHelp(
            "Accounts service base URL (default: $\(SpotifyConfiguration.accountsVariable), else https://accounts.spotify.com).",
            valueName: "url"))
    var accountsURL: String?

    @Option(
        help: ArgumentHelp(
            "Web API base URL (default: $\(SpotifyConfiguration.apiVariable), else https://api.spotify.com).",
            valueName: "url"))
    var apiURL: String?

    @Option(
        help: ArgumentHelp(
            "The token file (default: $XDG_CONFIG_HOME/eddy/spotify-token.json, else <data-dir>/spotify-token.json).",
            valueName: "path"))
    var tokenFile: String?

    func configuration(clientID fallback: String?) throws -> SpotifyConfiguration {
        guard let id = clientID ?? fallback, !id.isEmpty else {
            throw CLIError.invalidArgument(
                "--client-id is needed (the Client ID of your app on developer.spotify.com)")
        }
        var configuration = SpotifyConfiguration.fromEnvironment(clientID: id)
        if let accountsURL { configuration.accountsURL = try Self.url(accountsURL, "--accounts-url") }
        if let apiURL { configuration.apiURL = try Self.url(apiURL, "--api-url") }
        return configuration
    }

    func store(dataDirectory: String) -> SpotifyTokenStore {
        SpotifyTokenStore(path: tokenFile ?? SpotifyTokenStore.defaultPath(dataDirectory: dataDirectory))
    }

    static func url(_ text: String, _ option: String) throws -> URL {
        guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https", url.host != nil
        else {
            throw CLIError.invalidArgument("\(option) must be an http(s) URL, got '\(text)'")
        }
        return url
    }
}

extension SpotifyError {
    /// The error with what to do about it.
    var withHint: CLIError {
        switch self {
        case .notLoggedIn: .invalidArgument("\(self); run `eddy spotify login --client-id ID` first")
        case .stateMismatch, .authorizationDenied, .timedOut:
            .invalidArgument("\(self); run `eddy spotify login` again")
        case .listener:
            .invalidArgument(
                "\(self); is another login running? --redirect-uri picks another port (register it with the app)"
            )
        case .tokenRequestFailed(let status, _) where status == 400:
            .invalidArgument(
                "\(self); log in again (`eddy spotify login`), and check the client id and redirect URI")
        default: .invalidArgument(description)
        }
    }
}
