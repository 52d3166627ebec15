import EddyLog
public import EddyServer
import EddyStream

/// Seed 004's first half as an app: poll an HTTP JSON API, write each answer as a Parquet file in
/// `<output>/raw/`, publish a reference to it on topic `files` (``APIPoller``). Without `url` it polls this
/// process's own `/api/pipelines` every 10 s, which is what `eddy demo` shows.
public struct ApiToParquetApp: EddyApp {
    public init() {}

    public var name: String { "api-to-parquet" }
    public var summary: String {
        "Polls an HTTP JSON API and writes each answer as a Parquet file, referenced on topic files (seed 004)"
    }
    public var topics: [AppTopic] { [AppTopic(APIPoller.defaultTopic, partitions: 1)] }

    public var settings: [AppSetting] {
        [
            AppSetting(
                "url", help: "the API to poll (default: this server's /api/pipelines, records at /pipelines)"
            ) {
                guard $0.hasPrefix("http://") || $0.hasPrefix("https://") else {
                    throw SettingError("must be an http:// or https:// URL (got '\($0)')")
                }
            },
            AppSetting("every", help: "time between polls, e.g. 30s (default 30s; 10s for this server)") {
                _ = try FilesSettings.duration($0)
            },
            AppSetting(
                "recordsAt", help: "JSON pointer to the array of records, e.g. /data (default: the document)"
            ) {
                _ = try FilesSettings.pointer($0)
            },
            AppSetting("header", help: "a request header 'Name: value' (several: one per line)") {
                _ = try FilesSettings.headers($0)
            },
            AppSetting("output", help: "folder of the raw/ files (default: <data-dir>/output)"),
        ]
    }

    public func launch(_ context: AppLaunchContext) throws -> LaunchedApp {
        var settings = APIPoller.Settings(url: context.settings["url"])
        // Without a url the app polls the API of the server it runs in; `eddy run` starts no server.
        if settings.url == nil, context.console != nil {
            throw SettingError(
                "url is required here (only eddy serve and eddy demo have an API of their own to poll)")
        }
        if settings.url == nil {
            settings.recordsAt = "/pipelines"
            settings.every = .seconds(10)
        }
        if let text = context.settings["every"] { settings.every = try FilesSettings.duration(text) }
        if let text = context.settings["recordsAt"] { settings.recordsAt = try FilesSettings.pointer(text) }
        if let text = context.settings["header"] { settings.headers = try FilesSettings.headers(text) }
        settings.output = context.settings["output"] ?? context.dataDirectory + "/output"
        if let topic = context.settings["topic"] { settings.topic = topic }
        if (try? context.log.describeTopic(settings.topic)) == nil {
            _ = try context.log.createTopic(settings.topic, config: TopicConfig(partitions: 1))
        }
        let poller = APIPoller(log: context.log, settings: settings)
        return LaunchedApp(pipelines: [APIPollerHandle(name: name, poller: poller)], services: [poller])
    }

    public var panels: [DashboardPanel] {
        [
            DashboardPanel(
                pipeline: name, table: "raw_files", title: "Raw files (API answers)",
                chart: .files(name: "name", orderBy: "fetched_at", preview: "/api/files/{name}/preview"),
                limit: 10,
                wide: true),
            DashboardPanel(
                pipeline: name, table: "api_errors", title: "Failed polls (retried)",
                chart: .table(orderBy: "count"),
                limit: 5),
        ]
    }
}

struct APIPollerHandle: PipelineHandle {
    let name: String
    let poller: APIPoller

    var tables: [any LiveTableReader] { [poller.files, poller.errors] }
    func status() -> PipelineSnapshot { poller.snapshot() }
}
