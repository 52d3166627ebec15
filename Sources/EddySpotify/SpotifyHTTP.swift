import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The one place Eddy makes HTTP requests to Spotify: URLSession (libcurl on Linux), no caching, no cookies.
struct SpotifyHTTP: Sendable {
    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data

        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpShouldSetCookies = false
        configuration.timeoutIntervalForRequest = 30
        return URLSession(configuration: configuration)
    }()

    func send(
        _ method: String, _ url: URL, headers: [String: String] = [:], body: Data? = nil
    ) async throws(SpotifyError) -> Reply {
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        do {
            let (data, response) = try await Self.session.data(for: request)
            guard let http = response as? HTTPURLResponse else {
                throw SpotifyError.unexpectedResponse("not an HTTP response from \(url.host ?? "?")")
            }
            var fields: [String: String] = [:]
            for (key, value) in http.allHeaderFields {
                if let key = key as? String, let value = value as? String { fields[key] = value }
            }
            return Reply(status: http.statusCode, headers: fields, body: data)
        } catch let error as SpotifyError {
            throw error
        } catch {
            // Never the request itself: it may carry a token.
            throw SpotifyError.transport(
                "\(method) \(url.host ?? "?")\(url.path): \(error.localizedDescription)")
        }
    }

    /// `application/x-www-form-urlencoded` from pairs.
    static func form(_ pairs: [(String, String)]) -> Data {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let text = pairs.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }.joined(separator: "&")
        return Data(text.utf8)
    }
}
