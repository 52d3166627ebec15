import EddyLog
public import EddyServer
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

    public var settings: [AppSetting] {
        [
            AppSetting(
                "output", help: "table `eddy run` prints: areas, windows, customers or top",
                defaultValue: "areas"
            ) { text in
                guard RetailPipeline.Output(rawValue: text) != nil else {
                    throw SettingError("must be one of areas, windows, customers, top")
                }
            },
            AppSetting("top", help: "rows in the top table", defaultValue: "3") { text in
                guard let n = Int(text), n >= 1 else {
                    throw SettingError("must be a whole number, 1 or more")
                }
            },
            AppSetting("workers", help: "parallel workers sharing the partitions", defaultValue: "2") {
                text in
                guard let n = Int(text), n >= 1 else {
                    throw SettingError("must be a whole number, 1 or more")
                }
            },
            AppSetting(flag: "seedQueryOnly", help: "run only the seed's query (the areas table)"),
        ]
    }

    /// `eddy simulate motion N`: seed 002's sensor readings.
    public static let motion = AppSimulator(
        "motion", summary: "Motion-sensor readings in seed 002's shape, one JSON object per line.",
        details: """
            Fields: timestamp (ISO-8601 UTC with microseconds), id_sensor (SM-123AB), location (Entrada, \
            Corredor_A, Corredor_B, Caixa, Sessao_de_Roupas, Sessao_de_Eletronicos), customer_id \
            (Cliente_5678), movement_detected (true), duration (1.00-300.00 s), traffic_count (1-10). \
            Each sensor stays in one area. With --to, records are keyed by id_sensor.

            Examples:
              eddy simulate motion 10000 > dados_movimento.jsonl
              eddy simulate motion 100000 --rate 200 --to motion
            """,
        topic: defaultTopic, unit: "readings",
        settings: [
            AppSetting(
                "nullRate",
                help:
                    "probability (0 to 1) that a reading's duration, and independently its location, is null",
                defaultValue: "0"
            ) { text in
                guard let rate = Double(text), (0...1).contains(rate) else {
                    throw SettingError("must be between 0 and 1")
                }
            }
        ]
    ) { run in
        MotionSimulator(seed: run.seed, nullRate: try run.double("nullRate", default: 0), clock: run.clock)
    }

    public var simulators: [AppSimulator] { [Self.motion] }

    public var demoFeeds: [DemoFeed] {
        [DemoFeed(Self.motion, defaultRate: 1000, settings: ["nullRate": "0.01"])]
    }

    public func launch(_ context: AppLaunchContext) throws -> LaunchedApp {
        let instance = context.instance ?? name
        let store = CheckpointStore(dataDirectory: context.dataDirectory, pipeline: instance)
        if context.reset { try store.reset() }
        let output = try context.setting("output", default: RetailPipeline.Output.areas) {
            RetailPipeline.Output(rawValue: $0)
        }
        let top = try context.setting("top", default: 3) { Int($0).flatMap { $0 >= 1 ? $0 : nil } }
        let workers = try context.setting("workers", default: 2) { Int($0).flatMap { $0 >= 1 ? $0 : nil } }
        let retail = RetailPipeline(
            name: instance, topic: context.settings["topic"] ?? Self.defaultTopic, topN: top)
        let display = context.consoleSink
        let pipeline: Pipeline
        if context.settings["seedQueryOnly"] == "true" {
            guard output == .areas else {
                throw SettingError(
                    "seedQueryOnly produces the areas table only; drop output \(output.rawValue)")
            }
            pipeline = retail.areasPipeline(to: FanOutSink([retail.areas] + (display.map { [$0] } ?? [])))
        } else {
            pipeline = retail.pipeline(display: display == nil ? nil : output, to: display)
        }
        let runner = try PipelineRunner(
            plan: context.configure(pipeline.workers(workers)).build(), log: context.log, checkpoints: store)
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
