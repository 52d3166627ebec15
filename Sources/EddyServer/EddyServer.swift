public import EddyLog
import EddyStream
import Foundation
public import Hummingbird
public import Logging
import Metrics
import NIOCore
public import ServiceLifecycle

/// The HTTP face of Eddy: a JSON API over topics, pipelines and their live tables, the seeds' questions as
/// plain endpoints, live updates over server-sent events, Prometheus metrics, an OpenAPI document and the
/// dashboard.
///
/// ```swift
/// let server = EddyServer(pipelines: [retail, sales], log: log, modules: [RetailApp(), SalesApp()])
/// let app = server.application(host: "127.0.0.1", port: 8080)
/// try await app.runService()
/// ```
public struct EddyServer: Sendable {
    let pipelines: [any PipelineHandle]
    let log: (any Log)?
    /// What the apps add: routes, OpenAPI paths, dashboard panels.
    let modules: [any APIModule]
    /// `/openapi.json`, composed once.
    let openAPIDocument: ByteBuffer
    let cache: RenderCache
    let rates = RateMeter()
    /// How often a live-update stream looks for table changes.
    let streamInterval: Duration
    /// How often a live-update stream sends a comment line so proxies and browsers keep it open.
    let heartbeatInterval: Duration
    /// When set, every request but `/health` and the dashboard's page must carry it (``AccessTokenMiddleware``).
    public let accessToken: String?

    public init(
        pipelines: [any PipelineHandle], log: (any Log)?, modules: [any APIModule] = [],
        streamInterval: Duration = .milliseconds(250), heartbeatInterval: Duration = .seconds(10),
        accessToken: String? = nil, cachesRenderedAnswers: Bool = true
    ) {
        self.accessToken = accessToken
        self.cache = RenderCache(capacity: cachesRenderedAnswers ? 4096 : 0)
        EddyMetrics.bootstrap()
        self.pipelines = pipelines
        self.log = log
        self.modules = modules
        self.openAPIDocument = OpenAPIDocument.encoded(modules: modules)
        self.streamInterval = streamInterval
        self.heartbeatInterval = heartbeatInterval
    }

    func pipeline(named name: String) throws(APIError) -> any PipelineHandle {
        guard let pipeline = pipelines.first(where: { $0.name == name }) else {
            let known = pipelines.map(\.name).joined(separator: ", ")
            throw .notFound(
                "pipeline '\(name)' is not running here (running: \(known.isEmpty ? "none" : known))")
        }
        return pipeline
    }

    func table(_ tableName: String, of pipelineName: String) throws(APIError) -> any LiveTableReader {
        let pipeline = try pipeline(named: pipelineName)
        guard let table = pipeline.table(named: tableName) else {
            let known = pipeline.tables.map(\.name).joined(separator: ", ")
            throw .notFound("pipeline '\(pipelineName)' has no table '\(tableName)' (tables: \(known))")
        }
        return table
    }

    /// All routes, with JSON errors for everything including unknown paths.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        // Metrics outermost, so error responses (404s, 400s) are counted too.
        router.add(middleware: RequestMetricsMiddleware())
        let methods = RouteMethods()
        router.add(middleware: JSONErrorMiddleware(methods: methods))
        if let accessToken { router.add(middleware: AccessTokenMiddleware(token: accessToken)) }
        addSystemRoutes(to: router)
        addTopicRoutes(to: router)
        addPipelineRoutes(to: router)
        let api = APIContext(server: self)
        for module in modules {
            router.addRoutes(module.routes(api))
        }
        addStreamRoutes(to: router)
        addDashboardRoutes(to: router)
        methods.record(router.routes.map { (path: $0.path.description, method: $0.method) })
        return router
    }

    /// The server as a runnable service (bind address, the router; `services` run beside it, such as the
    /// pipelines themselves, and shut down with it).
    /// With `tls` it speaks HTTPS only (HTTP/1.1 inside TLS); a plain-HTTP request on that port fails the
    /// handshake.
    public func application(
        host: String = "127.0.0.1", port: Int = 8080, services: [any Service] = [],
        logger: Logger = Logger(label: "eddy.server"), tls: TLSCertificate? = nil,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let configuration = ApplicationConfiguration(address: .hostname(host, port: port), serverName: "eddy")
        let running: @Sendable (any Channel) async -> Void = { channel in
            await onServerRunning(channel.localAddress?.port ?? port)
        }
        guard let tls else {
            return Application(
                router: router(), configuration: configuration, services: services,
                onServerRunning: running, logger: logger)
        }
        return Application(
            router: router(), server: tls.server, configuration: configuration,
            services: services, onServerRunning: running, logger: logger)
    }
}
