import Foundation
import HummingbirdCore
import HummingbirdTLS

/// The certificate chain and private key the HTTP server presents for HTTPS, read from PEM files once at
/// start so a wrong path or a file that is not PEM fails before the server listens, naming the file.
///
/// ```swift
/// let tls = try TLSCertificate(certificateFile: "server.pem", privateKeyFile: "server-key.pem")
/// try await server.run(host: "0.0.0.0", port: 8443, services: [], tls: tls)
/// ```
public struct TLSCertificate: Sendable {
    public let certificateFile: String
    public let privateKeyFile: String
    /// HTTP/1.1 inside TLS, for the application.
    let server: HTTPServerBuilder

    public init(certificateFile: String, privateKeyFile: String) throws(TLSCertificateError) {
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
        let certificatePEM = try Self.read(certificateFile)
        let keyPEM = try Self.read(privateKeyFile)
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(certificatePEM)
        } catch {
            throw .invalid(
                path: certificateFile, reason: "not a PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        // An empty chain parses without error when the file holds no certificate block at all.
        guard !chain.isEmpty else {
            throw .invalid(
                path: certificateFile, reason: "it holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: keyPEM, format: .pem)
        } catch {
            throw .invalid(
                path: privateKeyFile,
                reason:
                    "not an unencrypted PEM private key (-----BEGIN PRIVATE KEY----- or EC/RSA PRIVATE KEY)")
        }
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        do {
            // Building the channel builds the TLS context, which checks that the key belongs to the
            // certificate: a mismatch is found here rather than when the server starts.
            _ = try TLSChannel(HTTP1Channel(responder: { _, _, _ in }), tlsConfiguration: configuration)
            self.server = try .tls(.http1(), tlsConfiguration: configuration)
        } catch {
            throw .invalid(
                path: privateKeyFile, reason: "not the private key of the certificate in '\(certificateFile)'"
            )
        }
    }

    private static func read(_ path: String) throws(TLSCertificateError) -> [UInt8] {
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            let reason =
                FileManager.default.fileExists(atPath: path)
                ? "it cannot be read (permissions?)" : "no such file"
            throw .unreadable(path: path, reason: reason)
        }
    }
}

/// Why ``TLSCertificate`` could not load its files; each names the file.
public enum TLSCertificateError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case invalid(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read TLS file '\(path)': \(reason)"
        case .invalid(let path, let reason): "TLS file '\(path)': \(reason)"
        }
    }
}
