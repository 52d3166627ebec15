import ArgumentParser
import EddyServer

/// `--tls-cert FILE --tls-key FILE`: serve the HTTP API over HTTPS with this PEM certificate chain and
/// private key. Both or neither; the files are read and checked before the server listens.
///
/// ```swift
/// struct Serve: AsyncParsableCommand {
///     @OptionGroup var tls: TLSOptions
///     func run() async throws { let certificate = try tls.load() }   // nil: plain HTTP
/// }
/// ```
struct TLSOptions: ParsableArguments {
    @Option(
        name: .customLong("tls-cert"),
        help: ArgumentHelp(
            "Serve HTTPS with this PEM certificate (the server's first, then any intermediates); needs --tls-key.",
            valueName: "file"))
    var certificateFile: String?

    @Option(
        name: .customLong("tls-key"),
        help: ArgumentHelp("The PEM private key of --tls-cert (unencrypted).", valueName: "file"))
    var privateKeyFile: String?

    /// The scheme the banner shows.
    var scheme: String { certificateFile == nil ? "http" : "https" }

    func validate() throws {
        switch (certificateFile, privateKeyFile) {
        case (.some, nil): throw ValidationError("--tls-cert needs --tls-key (the certificate's private key)")
        case (nil, .some): throw ValidationError("--tls-key needs --tls-cert (the certificate it belongs to)")
        default: break
        }
    }

    /// The certificate to serve with, or nil for plain HTTP.
    func load() throws -> TLSCertificate? {
        guard let certificateFile, let privateKeyFile else { return nil }
        do {
            return try TLSCertificate(certificateFile: certificateFile, privateKeyFile: privateKeyFile)
        } catch {
            throw CLIError.invalidArgument(
                error.description + "; --tls-cert and --tls-key take PEM files, e.g. from certbot or openssl")
        }
    }
}
