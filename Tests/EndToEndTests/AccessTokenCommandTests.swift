import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// `eddy serve` beyond loopback: without `--token` it makes one up, prints it once on stderr, and the API
/// then answers only requests that carry it; a token too short to be safe is refused.
@Suite struct AccessTokenCommandTests {
    @Test func aServerBeyondLoopbackPrintsAndRequiresItsToken() async throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        #expect(try eddy.run(["topics", "create", "motion"]).status == 0)
        let serve = try RunningEddy(
            eddy, ["serve", "--host", "0.0.0.0", "--port", "0", "--pipeline", "retail", "--no-kafka"])
        defer { serve.kill(SIGTERM) }
        #expect(serve.waitFor(seconds: 60) { $0.contains("Eddy is serving") }, "\(serve.stderr)")
        let port = try #require(
            serve.stdout.split(separator: ":").dropFirst(2).first.flatMap { Int($0.prefix { $0.isNumber }) })
        let printed = serve.stderr.split(separator: "\n").first { $0.hasPrefix("API access token") }
        let token = try #require(printed.flatMap { $0.split(separator: " ").last.map(String.init) })
        #expect(token.count == 64)

        func status(_ path: String, bearer: String? = nil) async throws -> Int {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
            let (_, response) = try await URLSession.shared.data(for: request)
            return (response as? HTTPURLResponse)?.statusCode ?? 0
        }
        #expect(try await status("/health") == 200)
        #expect(try await status("/api/pipelines") == 401)
        #expect(try await status("/api/pipelines", bearer: token) == 200)
        #expect(try await status("/api/retail/areas?token=\(token)") == 200)
    }

    @Test func aShortTokenIsRefused() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let result = try eddy.run(["serve", "--host", "0.0.0.0", "--port", "0", "--token", "short"])
        expectOneLineError(result, containing: ["at least 16"])
    }
}
