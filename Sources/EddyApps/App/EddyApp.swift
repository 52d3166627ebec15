import EddyLog
public import EddyServer
public import ServiceLifecycle

/// A streaming application Eddy ships: everything one seed pipeline is, declared in one place — the
/// topics it reads, the simulator that feeds it in `eddy demo`, the pipelines it runs, the settings
/// `eddy serve --config` accepts for it, and (as an ``APIModule``) its HTTP routes, their OpenAPI
/// description and its dashboard panels. The CLI and the server iterate ``AppRegistry`` and never name an
/// app's tables or columns; adding an app is a folder here plus one line in ``AppRegistry/standard``.
///
/// ```swift
/// struct CounterApp: EddyApp {
///     var name: String { "counter" }
///     var summary: String { "Counts records per key" }
///     var topics: [AppTopic] { [AppTopic("events", partitions: 1)] }
///     func launch(_ context: AppLaunchContext) throws -> LaunchedApp { … }
///     func routes(_ api: APIContext) -> RouteCollection<BasicRequestContext> { RouteCollection() }
///     var openAPI: OpenAPIFragment { OpenAPIFragment() }
/// }
/// let registry = AppRegistry(AppRegistry.standard.apps + [CounterApp()])
/// ```
public protocol EddyApp: APIModule {
    /// The app's name: `eddy serve --pipeline NAME`, `/api/pipelines/NAME`, its checkpoint folder.
    var name: String { get }
    /// One line saying what it answers, for `--help` and the docs.
    var summary: String { get }
    /// The topics it reads, with the partitions `eddy demo` creates them with.
    var topics: [AppTopic] { get }
    /// Its settings besides `topic` (which every app takes): keys of `eddy serve --config`, and options of
    /// `eddy run NAME` (`retrainEvery` is `--retrain-every`).
    var settings: [AppSetting] { get }
    /// Its simulators: `eddy simulate NAME N`, and what its demo feeds run.
    var simulators: [AppSimulator] { get }
    /// The simulated feeds `eddy demo` runs for it.
    var demoFeeds: [DemoFeed] { get }
    /// Starts its pipelines: the handles the server reads, and the services that run them.
    func launch(_ context: AppLaunchContext) throws -> LaunchedApp
}

extension EddyApp {
    public var settings: [AppSetting] { [] }
    public var simulators: [AppSimulator] { [] }
    public var demoFeeds: [DemoFeed] { [] }
}

/// A topic an app reads: its default name and the partitions it is created with.
public struct AppTopic: Sendable, Hashable {
    public var name: String
    public var partitions: Int

    public init(_ name: String, partitions: Int) {
        self.name = name
        self.partitions = partitions
    }
}

/// A started app: what the server reads, and the services (pipelines) that run until shutdown.
public struct LaunchedApp: Sendable {
    public var pipelines: [any PipelineHandle]
    public var services: [any Service]
    /// One line on where it reads and writes, which `eddy run` prints when it starts.
    public var summary: String?

    public init(pipelines: [any PipelineHandle], services: [any Service], summary: String? = nil) {
        self.pipelines = pipelines
        self.services = services
        self.summary = summary
    }
}
