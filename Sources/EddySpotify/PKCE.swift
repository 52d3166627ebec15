import Crypto
import Foundation

/// A PKCE pair (RFC 7636): a random code verifier kept by the client and its S256 challenge sent with the
/// authorize request, so an intercepted authorization code is useless without the verifier.
///
/// ```swift
/// let pkce = PKCE()
/// pkce.challenge == PKCE.challenge(for: pkce.verifier)   // base64url(SHA-256(verifier))
/// ```
public struct PKCE: Sendable, Hashable {
    public let verifier: String
    public var challenge: String { Self.challenge(for: verifier) }

    /// A verifier of 64 characters from the unreserved set.
    public init() {
        var generator = SystemRandomNumberGenerator()
        verifier = Self.randomToken(length: 64, using: &generator)
    }

    public init(verifier: String) {
        self.verifier = verifier
    }

    public static func challenge(for verifier: String) -> String {
        base64URL(Array(SHA256.hash(data: Array(verifier.utf8))))
    }

    static let unreserved = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func randomToken(length: Int, using generator: inout some RandomNumberGenerator) -> String {
        String((0..<length).map { _ in unreserved.randomElement(using: &generator)! })
    }

    /// Base64 with the URL alphabet and no padding.
    public static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
