import ArgumentParser
import EddySpotify
import Foundation

/// `eddy spotify login --client-id ID`: the Authorization Code flow with PKCE on a loopback redirect.
struct SpotifyLoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Authorize Eddy to read your liked songs (OAuth 2.0 Authorization Code with PKCE).",
        discussion: """
            Prints (and opens, where it can) the authorize URL with scope user-library-read, listens on the \
            redirect URI's loopback port, checks the returned state, exchanges the code and stores the tokens \
            (mode 0600). A client secret in $\(SpotifyConfiguration.secretVariable) is sent with token \
            requests as the seed's confidential-client flow does.
            """)

    @OptionGroup var dataDir: DataDirOptions
    @OptionGroup var spotify: SpotifyOptions

    @Option(help: ArgumentHelp("The redirect URI registered for the app.", valueName: "uri"))
    var redirectURI: String = SpotifyConfiguration.defaultRedirect.absoluteString

    @Option(help: "Seconds to wait for the redirect.")
    var timeout: Int = 300

    @Flag(help: "Print the URL only; do not try to open a browser.")
    var noOpen = false

    func run() async throws {
        var configuration = try spotify.configuration(clientID: nil)
        let redirect = try SpotifyOptions.url(redirectURI, "--redirect-uri")
        guard redirect.scheme == "http", ["127.0.0.1", "localhost"].contains(redirect.host ?? "") else {
            throw CLIError.invalidArgument(
                "--redirect-uri must be a loopback http URI such as http://127.0.0.1:7777/callback, got '\(redirectURI)'"
            )
        }
        guard timeout > 0 else { throw CLIError.invalidArgument("--timeout must be positive") }
        configuration.redirectURI = redirect
        let store = spotify.store(dataDirectory: dataDir.path)
        if let failure = await Self.login(configuration, store: store, timeout: timeout, open: !noOpen) {
            throw failure.withHint
        }
    }

    /// Logs in and saves the token; the failure, if any.
    static func login(
        _ configuration: SpotifyConfiguration, store: SpotifyTokenStore, timeout: Int, open: Bool
    ) async -> SpotifyError? {
        let redirect = configuration.redirectURI
        let token: SpotifyToken
        switch await loginResult(configuration, timeout: timeout, open: open) {
        case .success(let value): token = value
        case .failure(let error): return error
        }
        switch Result(catching: { () throws(SpotifyError) in try store.save(token) }) {
        case .success: break
        case .failure(let error): return error
        }
        printError(
            "Logged in (redirect \(redirect.absoluteString)); token saved to \(store.path) (mode 0600), scope \(token.scope ?? "-")."
        )
        return nil
    }

    static func loginResult(_ configuration: SpotifyConfiguration, timeout: Int, open: Bool) async -> Result<
        SpotifyToken, SpotifyError
    > {
        let redirect = configuration.redirectURI
        do {
            let token = try await SpotifyAuthorization(configuration: configuration).login(timeout: timeout) {
                url in
                printError(
                    "Open this URL to authorize Eddy (waiting for the redirect on \(redirect.absoluteString)):"
                )
                // Unbuffered: with stdout a pipe or file, print() would hold the URL until the login ends.
                announce(url.absoluteString)
                if open { Self.openBrowser(url) }
            }
            return .success(token)
        } catch {
            return .failure(error)
        }
    }

    /// `xdg-open` (or `open` on macOS) when present; failing to open is fine, the URL is printed.
    static func openBrowser(_ url: URL) {
        for tool in ["/usr/bin/xdg-open", "/usr/bin/open"]
        where FileManager.default.isExecutableFile(atPath: tool) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = [url.absoluteString]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try? process.run()
            return
        }
    }
}
