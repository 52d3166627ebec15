import EddyLog
import EddyServer
import ServiceLifecycle

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
    /// Settings `eddy serve --config` accepts for it besides `topic` (which every app takes).
    var settings: [AppSetting] { get }
    /// The simulated feeds `eddy demo` runs for it.
    var demoFeeds: [DemoFeed] { get }
    /// Starts its pipelines: the handles the server reads, and the services that run them.
    func launch(_ context: AppLaunchContext) throws -> LaunchedApp
}

extension EddyApp {
    public var settings: [AppSetting] { [] }
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

/// A setting an app accepts in `eddy serve --config` (`{"app": "sales", "sink": "postgres://…"}`), checked
/// when the file is read so a bad value is reported with its place.
public struct AppSetting: Sendable {
    public var name: String
    public var help: String
    /// Throws a message-bearing error when `value` is not acceptable.
    public var check: @Sendable (_ value: String) throws -> Void

    public init(_ name: String, help: String, check: @escaping @Sendable (String) throws -> Void = { _ in }) {
        self.name = name
        self.help = help
        self.check = check
    }
}

/// Where and how an app starts: the log, the data directory, and its settings.
public struct AppLaunchContext: Sendable {
    public var log: any Log
    public var dataDirectory: String
    /// Delete checkpoints (and other state the app keeps) first and start from the beginning.
    public var reset: Bool
    /// `topic` and the app's own ``EddyApp/settings``, as given; absent keys take the app's defaults.
    public var settings: [String: String]
    public var checkpointInterval: Duration

    public init(
        log: any Log, dataDirectory: String, reset: Bool = false, settings: [String: String] = [:],
        checkpointInterval: Duration = .seconds(5)
    ) {
        self.log = log
        self.dataDirectory = dataDirectory
        self.reset = reset
        self.settings = settings
        self.checkpointInterval = checkpointInterval
    }
}

/// A started app: what the server reads, and the services (pipelines) that run until shutdown.
public struct LaunchedApp: Sendable {
    public var pipelines: [any PipelineHandle]
    public var services: [any Service]

    public init(pipelines: [any PipelineHandle], services: [any Service]) {
        self.pipelines = pipelines
        self.services = services
    }
}
