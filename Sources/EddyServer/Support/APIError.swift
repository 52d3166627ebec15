import EddyStream
public import HTTPTypes
public import Hummingbird
import NIOCore

/// An error the API reports to its client as `{"error": "<code>", "message": "<what to do>"}` with the
/// right status. Every failure a request can cause maps to one of these; nothing a user sends yields a 500.
///
/// ```swift
/// throw APIError.badParameter("top", "must be an integer 1…1000, got 'abc'")
/// ```
public struct APIError: HTTPResponseError, Sendable, Equatable {
    public var status: HTTPResponse.Status
    /// A stable, machine-readable code: `not_found`, `bad_parameter`, `method_not_allowed`, `internal`.
    public var code: String
    public var message: String
    /// For `bad_parameter`: the offending query or path parameter.
    public var parameter: String?

    public init(status: HTTPResponse.Status, code: String, message: String, parameter: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.parameter = parameter
    }

    public static func notFound(_ message: String) -> APIError {
        APIError(status: .notFound, code: "not_found", message: message)
    }

    public static func badParameter(_ name: String, _ problem: String) -> APIError {
        APIError(status: .badRequest, code: "bad_parameter", message: "'\(name)' \(problem)", parameter: name)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        jsonResponse()
    }

    func jsonResponse() -> Response {
        var json = JSONWriter(capacity: 128)
        json.object {
            $0.field("error") { $0.string(code) }
            $0.field("message") { $0.string(message) }
            if let parameter { $0.field("parameter") { $0.string(parameter) } }
        }
        return Response.json(json.bytes, status: status)
    }
}

extension Response {
    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        json(ByteBuffer(bytes: bytes), status: status)
    }

    static func json(_ buffer: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: buffer))
    }
}
