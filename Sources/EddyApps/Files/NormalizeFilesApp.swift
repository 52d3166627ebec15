import EddyLog
public import EddyServer
import EddyStream

/// Seed 004's second half as an app: consume the references on topic `files`, check and normalise each file,
/// write `<output>/normalized/*.parquet` and `*.csv` exactly once per reference (``FileNormalizer``). Its
/// routes list the output folder and preview any file in it (`/api/files`).
public struct NormalizeFilesApp: EddyApp {
    public init() {}

    public var name: String { "normalize-files" }
    public var summary: String {
        "Reads the files referenced on topic files, normalises them and writes Parquet and CSV (seed 004)"
    }
    public var topics: [AppTopic] {
        [
            AppTopic(APIPoller.defaultTopic, partitions: 1),
            AppTopic(APIPoller.defaultTopic + ".dlq", partitions: 1),
        ]
    }

    public var settings: [AppSetting] {
        [
            AppSetting("key", help: "column whose duplicates are dropped within a file (default: none)"),
            AppSetting(
                "output", help: "folder of the raw/ and normalized/ files (default: <data-dir>/output)"),
        ]
    }

    public func launch(_ context: AppLaunchContext) throws -> LaunchedApp {
        var settings = FileNormalizer.Settings(
            output: context.settings["output"] ?? context.dataDirectory + "/output")
        settings.key = context.settings["key"]
        if let topic = context.settings["topic"] { settings.topic = topic }
        for topic in [settings.topic, settings.topic + ".dlq"]
        where (try? context.log.describeTopic(topic)) == nil {
            _ = try context.log.createTopic(topic, config: TopicConfig(partitions: 1))
        }
        let normalizer = FileNormalizer(log: context.log, settings: settings)
        return LaunchedApp(
            pipelines: [FileNormalizerHandle(name: name, normalizer: normalizer)], services: [normalizer])
    }

    public var panels: [DashboardPanel] {
        [
            DashboardPanel(
                pipeline: name, table: "outputs", title: "Normalised files (newest first)",
                chart: .files(name: "name", orderBy: "written_at", preview: "/api/files/{name}/preview"),
                limit: 12,
                wide: true, accent: "alt"),
            DashboardPanel(
                pipeline: name, table: "rows_per_minute", title: "Normalised rows per minute",
                chart: .timeSeries(time: "minute", series: "folder", value: "rows"), limit: 60, wide: true),
        ]
    }
}

struct FileNormalizerHandle: PipelineHandle {
    let name: String
    let normalizer: FileNormalizer

    var tables: [any LiveTableReader] { [normalizer.outputs, normalizer.rowsPerMinute] }
    func status() -> PipelineSnapshot { normalizer.snapshot() }
}
