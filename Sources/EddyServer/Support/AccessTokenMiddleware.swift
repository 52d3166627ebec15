import HTTPTypes
public import Hummingbird

/// Requires the server's access token on every request but `/health` and the dashboard's static page:
/// `Authorization: Bearer TOKEN`, or `?token=TOKEN` for what cannot set headers (a browser's
/// `EventSource`, a link). A missing or wrong token is a JSON 401; the token is compared in constant time
/// and never echoed, logged or put in an error.
///
/// ```swift
/// router.add(middleware: AccessTokenMiddleware(token: "s3cr3t"))
/// ```
public struct AccessTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]

    /// Paths anyone may read: liveness for load balancers, and the dashboard's page, script and style
    /// (they hold no data; the page reads the token from its own address and sends it with every call).
    static var open: Set<String> { ["/health", "/", "/index.html", "/dashboard.js", "/dashboard.css"] }

    public init(token: String) {
        self.token = Array(token.utf8)
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if Self.open.contains(request.uri.path) || authorized(request) {
            return try await next(request, context)
        }
        var response = APIError(
            status: .unauthorized, code: "unauthorized",
            message:
                "this server needs its access token: send 'Authorization: Bearer TOKEN' (or ?token=TOKEN); it was "
                + "printed when the server started, or set with --token / EDDY_TOKEN"
        ).jsonResponse()
        response.headers[.wwwAuthenticate] = "Bearer"
        return response
    }

    func authorized(_ request: Request) -> Bool {
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            return Self.equal(Array(header.utf8.dropFirst("Bearer ".utf8.count)), token)
        }
        if let given = request.uri.queryParameters.get("token") {
            return Self.equal(Array(given.utf8), token)
        }
        return false
    }

    /// Equality whose time does not depend on where the first difference is.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
