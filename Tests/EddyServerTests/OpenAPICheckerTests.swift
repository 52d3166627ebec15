import EddyServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The checker is what makes every endpoint test also a contract test, so it must itself catch violations.
@Suite struct OpenAPICheckerTests {
    @Test func flagsWhatTheDocumentDoesNotAllow() async throws {
        try await Fixture().application().test(.router) { client in
            let document = try await client.execute(uri: "/openapi.json", method: .get) {
                Data($0.body.readableBytesView)
            }
            let checker = try OpenAPIChecker(json: document)
            let json = "application/json"
            #expect(
                checker.check(
                    method: "GET", path: "/api/nothing", status: 200, contentType: json, body: Data("{}".utf8)
                ).count == 1)
            #expect(
                !checker.check(
                    method: "POST", path: "/health", status: 200, contentType: json, body: Data("{}".utf8)
                ).isEmpty)
            #expect(
                !checker.check(
                    method: "GET", path: "/health", status: 418, contentType: json, body: Data("{}".utf8)
                ).isEmpty)
            #expect(
                !checker.check(
                    method: "GET", path: "/health", status: 200, contentType: "text/html",
                    body: Data("{}".utf8)
                ).isEmpty)
            let missing = checker.check(
                method: "GET", path: "/health", status: 200, contentType: json,
                body: Data(#"{"status":"ok","pipelines":1}"#.utf8))
            #expect(missing.contains { $0.contains("failedPipelines") })
            let wrongType = checker.check(
                method: "GET", path: "/api/topics", status: 200, contentType: json,
                body: Data(#"{"topics":[{"name":3}]}"#.utf8))
            #expect(wrongType.contains { $0.contains("name") && $0.contains("string") })
            #expect(
                checker.template(for: "/api/pipelines/retail/tables/areas")
                    == "/api/pipelines/{name}/tables/{table}")
            #expect(checker.template(for: "/api/retail/areas") == "/api/retail/areas")
            #expect(checker.checkError(body: Data(#"{"error":"x"}"#.utf8)).count == 1)
        }
    }
}
