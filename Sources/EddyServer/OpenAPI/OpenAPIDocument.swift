import Foundation
import NIOCore
import OpenAPIKit

/// The API's OpenAPI document, composed from the server's own description and each mounted module's
/// fragment, encoded once when the server is made and served at `/openapi.json`. Tests check every
/// response the API gives against it (path, status, required properties).
enum OpenAPIDocument {
    static func compose(modules: [any APIModule]) -> OpenAPI.Document {
        let fragment = modules.reduce(ServerAPIDescription.fragment) { $0.merging($1.openAPI) }
        return OpenAPI.Document(
            openAPIVersion: .v3_1_0,
            info: OpenAPI.Document.Info(
                title: "Eddy API",
                description:
                    "Live results of Eddy's streaming pipelines: topics, pipelines, their live tables, the apps' questions, live updates, metrics. Errors are JSON objects {error, message} with the matching status.",
                version: "0.1.0"),
            servers: [OpenAPI.Server(url: URL(string: "http://127.0.0.1:8080")!)],
            paths: fragment.paths,
            components: OpenAPI.Components(
                schemas: fragment.schemas,
                responses: [
                    "Error": .b(OpenAPI.Response(description: "An error", content: .json("Error")))
                ]))
    }

    /// The document as JSON, keys sorted so the bytes are the same on every start.
    static func encoded(modules: [any APIModule]) -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return ByteBuffer(bytes: try encoder.encode(compose(modules: modules)))
        } catch {
            // Only a bug in a module's description can get here; say so instead of serving nothing.
            preconditionFailure("the OpenAPI document cannot be encoded: \(error)")
        }
    }
}
