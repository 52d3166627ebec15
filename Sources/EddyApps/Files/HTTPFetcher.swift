public import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One GET of an HTTP JSON API through Foundation's `URLSession` (libcurl on Linux): the body, the status
/// and the `Link: <…>; rel="next"` target when there is one.
///
/// ```swift
/// let answer = try await HTTPFetcher(headers: [("Authorization", "Bearer x")]).get("http://127.0.0.1:8080/api/topics")
/// ```
public struct HTTPFetcher: Sendable {
    public struct Answer: Sendable {
        public var status: Int
        public var body: [UInt8]
        public var nextLink: String?
    }

    public var headers: [(name: String, value: String)]
    public var timeout: TimeInterval

    public init(headers: [(name: String, value: String)] = [], timeout: TimeInterval = 30) {
        self.headers = headers
        self.timeout = timeout
    }

    public func get(_ url: String) async throws -> Answer {
        guard let target = URL(string: url), target.scheme == "http" || target.scheme == "https" else {
            throw FetchError.invalidURL(url)
        }
        var request = URLRequest(url: target, timeoutInterval: timeout)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        for header in headers { request.setValue(header.value, forHTTPHeaderField: header.name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        var next: String?
        if let link = http?.value(forHTTPHeaderField: "Link") {
            for part in link.split(separator: ",") where part.contains("rel=\"next\"") {
                if let open = part.firstIndex(of: "<"), let close = part.firstIndex(of: ">"), open < close {
                    next = String(part[part.index(after: open)..<close])
                }
            }
        }
        return Answer(status: http?.statusCode ?? 0, body: Array(data), nextLink: next)
    }
}

/// Why a poll of the API failed; each is retried with backoff and counted.
public enum FetchError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(String)
    case status(Int, url: String)
    case notJSON(url: String, reason: String)
    case noRecords(url: String, pointer: String)
    case transport(url: String, reason: String)

    /// A short name for counters: `http`, `json`, `records`, `transport`.
    public var kind: String {
        switch self {
        case .invalidURL, .transport: "transport"
        case .status: "http"
        case .notJSON: "json"
        case .noRecords: "records"
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let url): "'\(url)' is not an http:// or https:// URL"
        case .status(let code, let url): "\(url) answered HTTP \(code)"
        case .notJSON(let url, let reason): "\(url) did not answer JSON: \(reason)"
        case .noRecords(let url, let pointer):
            "\(url): no array of objects at '\(pointer.isEmpty ? "(the document)" : pointer)'"
        case .transport(let url, let reason): "\(url): \(reason)"
        }
    }
}
