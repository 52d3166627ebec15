public import EddyLog
public import EddyServer
public import ServiceLifecycle

/// Apps started together and the server over them: what `eddy serve` and `eddy demo` run. Building it
/// from a registry is the whole wiring — a new app needs nothing here.
///
/// ```swift
/// let deployment = try AppRegistry.standard.deploy(
///     [AppChoice("retail"), AppChoice("sales", settings: ["sink": "sqlite:shop.sqlite"])],
///     log: log, dataDirectory: "eddy-data")
/// try await deployment.server.run(host: "127.0.0.1", port: 8080, services: deployment.services)
/// ```
public struct AppDeployment: Sendable {
    public var server: EddyServer
    /// The apps' pipelines (and any feeds added by the caller), run beside the server.
    public var services: [any Service]
}

/// An app to start, by name, with its settings (`topic` and the app's own).
public struct AppChoice: Sendable, Hashable {
    public var name: String
    public var settings: [String: String]

    public init(_ name: String, settings: [String: String] = [:]) {
        self.name = name
        self.settings = settings
    }
}

/// An app that could not start, and why.
public struct AppLaunchError: Error, CustomStringConvertible {
    public var app: String
    public var reason: any Error

    public var description: String { "pipeline \(app) cannot start: \(reason)" }
}

extension AppRegistry {
    /// Starts each chosen app (in the given order) and builds the server over their pipelines, routes,
    /// OpenAPI fragments and panels; with `accessToken`, every request but `/health` and the dashboard's
    /// page must carry it.
    public func deploy(
        _ choices: [AppChoice], log: any Log, dataDirectory: String, reset: Bool = false,
        accessToken: String? = nil
    ) throws -> AppDeployment {
        var pipelines: [any PipelineHandle] = []
        var services: [any Service] = []
        var modules: [any APIModule] = []
        for choice in choices {
            let app = try require(choice.name)
            do {
                let launched = try app.launch(
                    AppLaunchContext(
                        log: log, dataDirectory: dataDirectory, reset: reset, settings: choice.settings))
                pipelines += launched.pipelines
                services += launched.services
            } catch {
                throw AppLaunchError(app: app.name, reason: error)
            }
            modules.append(app)
        }
        return AppDeployment(
            server: EddyServer(pipelines: pipelines, log: log, modules: modules, accessToken: accessToken),
            services: services)
    }
}
