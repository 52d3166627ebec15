import ArgumentParser
import Foundation

/// `--token`: the access token the HTTP API requires. Bound to loopback (the default) the API is open
/// unless a token is given; bound to any other address it always needs one, generated and printed once
/// when neither `--token` nor `EDDY_TOKEN` sets it.
struct AccessTokenOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Access token every API request must carry (Authorization: Bearer TOKEN, or ?token=TOKEN); default: "
                + "$EDDY_TOKEN, else generated and printed when --host is not a loopback address.",
            valueName: "token"))
    var token: String?

    /// The token to require for a server on `host`, announcing a generated one on stderr (once, at start).
    func resolve(host: String) throws -> String? {
        if let given = token ?? ProcessInfo.processInfo.environment["EDDY_TOKEN"] {
            guard given.count >= 16, given.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline })
            else {
                throw CLIError.invalidArgument(
                    "the access token must be at least 16 printable ASCII characters without spaces")
            }
            return given
        }
        guard !Self.isLoopback(host) else { return nil }
        let generated = Self.generate()
        printError(
            "API access token (this server listens on \(host), beyond this machine): \(generated)\n"
                + "  send it as 'Authorization: Bearer <token>', or open the dashboard at /?token=<token>; "
                + "set your own with --token or EDDY_TOKEN")
        return generated
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// 32 random bytes from the system's generator, as hex.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }
            .joined()
    }
}
