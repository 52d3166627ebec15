import EddyServer
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A server with an access token answers `/health` and the dashboard's page to anyone, and everything else
/// only with the token — as a bearer header or a `token` parameter — without ever echoing it.
@Suite struct AccessTokenTests {
    static let token = "4f3c2b1a00ffeeddccbbaa9988776655"

    @Test func everyAPIRequestButHealthNeedsTheToken() async throws {
        let server = EddyServer(pipelines: [], log: nil, accessToken: Self.token)
        try await server.application().test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/dashboard.js", method: .get) { #expect($0.status == .ok) }
            for path in ["/api/pipelines", "/api/topics", "/openapi.json", "/metrics", "/api/nope"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .unauthorized, "\(path) answered without the token")
                    #expect(response.headers[.wwwAuthenticate] == "Bearer")
                    let body = String(buffer: response.body)
                    #expect(body.contains("\"error\":\"unauthorized\""))
                    #expect(!body.contains(Self.token))
                }
            }
            let wrong = "4f3c2b1a00ffeeddccbbaa9988776656"
            for headers: HTTPFields in [
                [.authorization: "Bearer \(wrong)"], [.authorization: "Basic \(Self.token)"],
                [.authorization: "Bearer \(Self.token)x"],
            ] {
                try await client.execute(uri: "/api/pipelines", method: .get, headers: headers) {
                    #expect($0.status == .unauthorized)
                }
            }
            try await client.execute(
                uri: "/api/pipelines", method: .get, headers: [.authorization: "Bearer \(Self.token)"]
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/topics?token=\(Self.token)", method: .get) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/api/topics?token=\(wrong)", method: .get) {
                #expect($0.status == .unauthorized)
            }
        }
    }

    @Test func withoutATokenTheAPIIsOpen() async throws {
        let server = EddyServer(pipelines: [], log: nil)
        try await server.application().test(.router) { client in
            try await client.execute(uri: "/api/pipelines", method: .get) { #expect($0.status == .ok) }
        }
    }
}
