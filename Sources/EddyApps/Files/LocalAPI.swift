import Synchronization

/// The address of the HTTP API this process serves, once it listens: `api-to-parquet` polls it when no `url`
/// is set, so `eddy demo` has a real JSON API to read without anything else running.
///
/// ```swift
/// LocalAPI.announce(host: "127.0.0.1", port: 8080)
/// LocalAPI.baseURL   // "http://127.0.0.1:8080"
/// ```
public enum LocalAPI {
    private static let address = Mutex<String?>(nil)

    public static func announce(host: String, port: Int) {
        let shown = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        address.withLock { $0 = "http://\(shown.contains(":") ? "[\(shown)]" : shown):\(port)" }
    }

    public static var baseURL: String? { address.withLock { $0 } }
}
