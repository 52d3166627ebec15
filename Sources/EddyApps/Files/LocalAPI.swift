import Synchronization

/// The address of the HTTP API this process serves, once it listens: `api-to-parquet` polls it when no `url`
/// is set, so `eddy demo` has a real JSON API to read without anything else running.
///
/// ```swift
/// LocalAPI.announce(host: "127.0.0.1", port: 8080)
/// LocalAPI.baseURL   // "http://127.0.0.1:8080"
/// ```
public enum LocalAPI {
    private static let address = Mutex<(url: String, token: String?)?>(nil)

    /// Where the server listens, and the access token it requires (when exposed beyond loopback).
    public static func announce(host: String, port: Int, token: String? = nil) {
        let shown = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        address.withLock { $0 = ("http://\(shown.contains(":") ? "[\(shown)]" : shown):\(port)", token) }
    }

    public static var baseURL: String? { address.withLock { $0?.url } }

    /// The header the server's own API wants, if any.
    static var authorization: [(name: String, value: String)] {
        address.withLock { $0?.token.map { [("Authorization", "Bearer \($0)")] } ?? [] }
    }
}
