import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A one-request HTTP listener on the loopback interface for the OAuth redirect: accepts connections until
/// one asks for the redirect path, answers it with a short page and hands back its query. Blocking socket
/// calls run on a Dispatch thread, not the cooperative pool.
final class LoopbackListener: @unchecked Sendable {
    private let socket: Int32
    let port: Int

    /// Binds `host:port` (port 0: any free port).
    init(host: String, port: Int) throws(SpotifyError) {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SpotifyError.listener("socket: errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            close(fd)
            throw SpotifyError.listener("\(host) is not an IPv4 loopback address (use 127.0.0.1)")
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 8) == 0 else {
            let code = errno
            close(fd)
            throw SpotifyError.listener("\(host):\(port): \(String(cString: strerror(code)))")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        socket = fd
        self.port = Int(UInt16(bigEndian: actual.sin_port))
    }

    deinit { close(socket) }

    /// Waits up to `timeout` seconds for a request of `path`; answers it with `page(query)` and returns its
    /// query parameters.
    func awaitRedirect(path: String, timeout: Int, page: @escaping @Sendable ([String: String]) -> String)
        async throws(SpotifyError)
        -> [String: String]
    {
        let result: Result<[String: String], SpotifyError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: self.serve(path: path, timeout: timeout, page: page))
            }
        }
        return try result.get()
    }

    private func serve(path: String, timeout: Int, page: ([String: String]) -> String) -> Result<
        [String: String], SpotifyError
    > {
        let deadline = Date().addingTimeInterval(Double(timeout))
        while true {
            let remaining = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
            guard remaining > 0 else { return .failure(.timedOut(seconds: timeout)) }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, remaining) > 0 else { continue }
            let client = accept(socket, nil, nil)
            guard client >= 0 else { continue }
            defer { close(client) }
            guard let target = readRequestTarget(client) else { continue }
            let (requestPath, query) = Self.split(target)
            guard requestPath == path else {
                respond(client, status: "404 Not Found", body: "not found")
                continue
            }
            respond(client, status: "200 OK", body: page(query))
            return .success(query)
        }
    }

    private func readRequestTarget(_ client: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 8192)
        var received: [UInt8] = []
        var descriptor = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
        while received.count < 65536 {
            guard poll(&descriptor, 1, 5000) > 0 else { return nil }
            let count = read(client, &buffer, buffer.count)
            guard count > 0 else { break }
            received += buffer[0..<count]
            if received.count >= 4, received.suffix(4) == [13, 10, 13, 10] { break }
            if received.contains(10) { break }
        }
        let line = String(decoding: received.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0] == "GET" else { return nil }
        return String(parts[1])
    }

    private func respond(_ client: Int32, status: String, body: String) {
        let bytes = Array(body.utf8)
        let head =
            "HTTP/1.1 \(status)\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(bytes.count)\r\nConnection: close\r\n\r\n"
        let all = Array(head.utf8) + bytes
        _ = all.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
    }

    /// `/callback?code=a&state=b` → ("/callback", ["code": "a", "state": "b"]).
    static func split(_ target: String) -> (String, [String: String]) {
        guard let components = URLComponents(string: target) else { return (target, [:]) }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name] = item.value ?? "" }
        return (components.path, query)
    }
}
