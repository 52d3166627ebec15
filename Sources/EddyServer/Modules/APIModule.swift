public import Hummingbird

/// What an application adds to the server: its routes, the part of the OpenAPI document that describes
/// them, and the dashboard panels that show its tables. The server mounts every module it is given and
/// knows nothing else about them — no table or column of an app is named outside its module.
///
/// ```swift
/// struct HelloModule: APIModule {
///     func routes(_ api: APIContext) -> RouteCollection<BasicRequestContext> {
///         let routes = RouteCollection(context: BasicRequestContext.self)
///         routes.get("/api/hello") { _, _ in "hello" }
///         return routes
///     }
///     var openAPI: OpenAPIFragment { OpenAPIFragment() }
///     var panels: [DashboardPanel] { [] }
/// }
/// let server = EddyServer(pipelines: handles, log: log, modules: [HelloModule()])
/// ```
public protocol APIModule: Sendable {
    /// The module's routes; `api` finds pipelines' live tables and answers from them with caching.
    func routes(_ api: APIContext) -> RouteCollection<BasicRequestContext>
    /// The paths and schemas of those routes, merged into `/openapi.json`.
    var openAPI: OpenAPIFragment { get }
    /// Panels the dashboard draws for this module's pipelines, in order.
    var panels: [DashboardPanel] { get }
}

extension APIModule {
    public var panels: [DashboardPanel] { [] }
}
