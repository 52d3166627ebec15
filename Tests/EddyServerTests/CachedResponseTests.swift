import EddyStream
import Foundation
import HummingbirdTesting
import Testing

@testable import EddyServer

#if canImport(Glibc)
    import Glibc
#endif

/// Table-backed answers rendered once per table version (``RenderCache``), on a live server (a real socket
/// and the whole middleware chain): repeats get the same bytes, a changed table a new answer, and pipelined
/// requests their answers in order.
@Suite struct CachedResponseTests {
    @Test func repeatedRequestIsAnsweredAndFollowsTheTable() async throws {
        let fixture = Fixture()
        try await fixture.application().test(.live) { client in
            let port = try #require(client.port)
            let first = try await Self.exchange(
                port: port, "GET /api/retail/areas?top=2 HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(fixture.server.cache.count == 1, "the rendered answer was not kept")
            let second = try await Self.exchange(
                port: port, "GET /api/retail/areas?top=2 HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(first.status == 200 && second.status == 200)
            #expect(second.body == first.body)
            #expect(second.headers["content-type"] == "application/json; charset=utf-8")
            #expect(second.headers["content-length"] == String(second.body.utf8.count))
            #expect(second.headers["date"]?.hasSuffix(" GMT") == true)

            // The table changes: the next answer is the new one, never the stored one.
            fixture.areas.upsert([[.string("Entrada"), .int(999), .double(1), .double(1)]])
            let third = try await Self.exchange(
                port: port, "GET /api/retail/areas?top=2 HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(third.body.contains("\"total_traffic\":999"))
            #expect(third.body != first.body)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let fixture = Fixture()
        try await fixture.application().test(.live) { client in
            let port = try #require(client.port)
            _ = try await Self.exchange(
                port: port, "GET /api/sales/products?top=1 HTTP/1.1\r\nHost: x\r\n\r\n")
            // One write of four pipelined requests, cached and not: the answers come back in request order.
            let replies = try await Self.exchange(
                port: port,
                "GET /api/pipelines/retail HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /api/sales/products?top=1 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /api/nope HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /api/sales/products?top=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                responses: 4)
            #expect(replies.map(\.status) == [200, 200, 404, 200])
            #expect(replies[0].body.contains("\"name\":\"retail\""))
            #expect(replies[1].body.contains("\"products\""))
            #expect(replies[2].body.contains("\"error\""))
            #expect(replies[3].body == replies[1].body)
        }
    }

    @Test func onlyGetsAreAnsweredFromTheCache() async throws {
        let fixture = Fixture()
        try await fixture.application().test(.live) { client in
            let port = try #require(client.port)
            _ = try await Self.exchange(port: port, "GET /api/retail/areas HTTP/1.1\r\nHost: x\r\n\r\n")
            let post = try await Self.exchange(
                port: port, "POST /api/retail/areas HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
            #expect(post.status == 405 || post.status == 404, "a POST got \(post.status)")
            let head = try await Self.exchange(
                port: port, "HEAD /api/retail/areas HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(head.body.isEmpty)
        }
    }

    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    static func exchange(port: Int, _ request: String) async throws -> Reply {
        try await exchange(port: port, request, responses: 1)[0]
    }

    /// Writes `request` (one or more pipelined requests) on a new connection and reads `responses` replies.
    static func exchange(port: Int, _ request: String, responses: Int) async throws -> [Reply] {
        try await offThePool { try exchangeBlocking(port: port, request, responses: responses) }
    }

    struct SocketError: Error, CustomStringConvertible {
        var description: String
    }

    static func exchangeBlocking(port: Int, _ request: String, responses: Int) throws -> [Reply] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(description: "socket: \(errno)") }
        defer { close(fd) }
        // Generous: under the whole suite the in-process server shares two cores with every other test.
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw SocketError(description: "connect: \(errno)") }
        let bytes = Array(request.utf8)
        guard send(fd, bytes, bytes.count, 0) == bytes.count else { throw SocketError(description: "send") }

        var received: [UInt8] = []
        var replies: [Reply] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while replies.count < responses {
            if let (reply, used) = parse(received, isHead: request.hasPrefix("HEAD")) {
                replies.append(reply)
                received.removeFirst(used)
                continue
            }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                throw SocketError(description: "no reply within 60 s after \(replies.count) replies")
            }
            guard n > 0 else {
                throw SocketError(description: "connection ended after \(replies.count) replies")
            }
            received += buffer[0..<n]
        }
        return replies
    }

    /// One whole response at the start of `bytes` (Content-Length framed), and how many bytes it took.
    static func parse(_ bytes: [UInt8], isHead: Bool) -> (Reply, Int)? {
        let separator = Array("\r\n\r\n".utf8)
        guard
            let end = (0..<max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<($0 + 4)]) == separator })
        else { return nil }
        let lines = String(decoding: bytes[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        let length = isHead ? 0 : Int(headers["content-length"] ?? "0") ?? 0
        guard bytes.count >= end + 4 + length else { return nil }
        let body = String(decoding: bytes[(end + 4)..<(end + 4 + length)], as: UTF8.self)
        return (Reply(status: status, headers: headers, body: body), end + 4 + length)
    }
}
