import EddyLog
import EddyServer
import EddyStream

/// Seed 002 as an app: motion-sensor readings on topic `motion`, the retail job's four live tables
/// (``RetailPipeline``), the business question's endpoints (``RetailRoutes``) and its dashboard panels.
public struct RetailApp: EddyApp {
    public static let defaultTopic = "motion"

    public init() {}

    public var name: String { "retail" }
    public var summary: String {
        "Traffic and dwell time per store area from motion-sensor readings (seed 002)"
    }
    public var topics: [AppTopic] { [AppTopic(Self.defaultTopic, partitions: 3)] }

    public var demoFeeds: [DemoFeed] {
        [
            DemoFeed(topic: Self.defaultTopic, unit: "readings", defaultRate: 1000) {
                MotionSimulator(seed: nil, nullRate: 0.01, clock: .wall)
            }
        ]
    }

    public func launch(_ context: AppLaunchContext) throws -> LaunchedApp {
        let store = CheckpointStore(dataDirectory: context.dataDirectory, pipeline: name)
        if context.reset { try store.reset() }
        let retail = RetailPipeline(name: name, topic: context.settings["topic"] ?? Self.defaultTopic)
        let plan = try retail.pipeline(display: nil, to: nil).checkpointInterval(context.checkpointInterval)
            .build()
        let runner = try PipelineRunner(plan: plan, log: context.log, checkpoints: store)
        return LaunchedApp(
            pipelines: [EngineHandle(runner: runner, tables: retail.liveTables, log: context.log)],
            services: [PipelineService(runner: runner)])
    }

    public var panels: [DashboardPanel] {
        [
            DashboardPanel(
                pipeline: name, table: "areas", title: "Traffic per area",
                chart: .bars(label: "location", value: "total_traffic")),
            DashboardPanel(
                pipeline: name, table: "areas", title: "Dwell time per area (s)",
                chart: .bars(label: "location", value: "total_duration"), accent: "alt"),
            DashboardPanel(
                pipeline: name, table: "windows", title: "Traffic per window",
                chart: .timeSeries(time: "window_start", series: "location", value: "traffic"), limit: 300,
                wide: true),
            DashboardPanel(
                pipeline: name, table: "customers", title: "Longest stays",
                chart: .table(orderBy: "dwell_time"), limit: 12, wide: true),
            DashboardPanel(
                pipeline: name, table: "top", title: "Busiest areas",
                chart: .table(orderBy: "total_traffic"), limit: 12, wide: true),
        ]
    }
}
