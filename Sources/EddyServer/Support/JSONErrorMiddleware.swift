import HTTPTypes
import Hummingbird
import Logging

/// Turns every error into the API's JSON error shape: unknown routes become a JSON 404 (a 405 with `Allow`
/// when the path exists with other methods), Hummingbird's own errors keep their status, and anything
/// unexpected is logged and reported as a JSON 500 without details.
///
/// ```swift
/// router.add(middleware: JSONErrorMiddleware(methods: methods))
/// ```
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The router's paths and their methods, to tell "no such path" from "not with this method".
    let methods: RouteMethods

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.jsonResponse()
        } catch let error as HTTPError {
            if error.status == .notFound {
                let allowed = methods.allowed(for: request.uri.path)
                if !allowed.isEmpty, !allowed.contains(request.method) {
                    var response = Self.translate(HTTPError(.methodNotAllowed), request: request)
                        .jsonResponse()
                    response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
                    return response
                }
            }
            return Self.translate(error, request: request).jsonResponse()
        } catch let error as any HTTPResponseError {
            // Errors Hummingbird and NIO give a status of their own (a body over the route's limit: 413).
            return Self.translate(HTTPError(error.status), request: request).jsonResponse()
        } catch {
            context.logger.error(
                "request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return APIError(
                status: .internalServerError, code: "internal", message: "internal error; see the server log"
            )
            .jsonResponse()
        }
    }

    static func translate(_ error: HTTPError, request: Request) -> APIError {
        switch error.status {
        case .notFound:
            return .notFound("no route for \(request.method.rawValue) \(request.uri.path); see /openapi.json")
        case .badRequest:
            return APIError(status: .badRequest, code: "bad_request", message: error.body ?? "bad request")
        case .contentTooLarge:
            return APIError(
                status: .contentTooLarge, code: "content_too_large",
                message: "the request body is over this endpoint's limit")
        case .methodNotAllowed:
            return APIError(
                status: .methodNotAllowed, code: "method_not_allowed",
                message: "\(request.method.rawValue) is not allowed on \(request.uri.path)")
        default:
            return APIError(
                status: error.status, code: "http_\(error.status.code)",
                message: error.body ?? error.status.reasonPhrase)
        }
    }
}
