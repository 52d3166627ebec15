import EddyLog
import EddySQL
public import EddyServer
import EddyStream
import Foundation
public import Hummingbird
import ServiceLifecycle

/// A SQL file as an app, for `eddy serve --config`: `{"kind": "sql", "file": "examples/sql/retail.sql"}`.
/// Every query's result is a live table the API serves at `/api/pipelines/sql/tables/{table}` (and also goes
/// to its declared sink). Not in ``AppRegistry/standard`` (it has no default file); the server adds it.
///
/// ```swift
/// let registry = AppRegistry(AppRegistry.standard.apps + [SQLApp()])
/// ```
public struct SQLApp: EddyApp {
    public init() {}

    public var name: String { "sql" }
    public var summary: String {
        "The queries of a SQL file (CREATE SOURCE, CREATE SINK … AS SELECT, SELECT)"
    }
    public var topics: [AppTopic] { [] }

    public var settings: [AppSetting] {
        [
            AppSetting("file", help: "the SQL file to run (required)") { text in
                guard !text.isEmpty else { throw SettingError("must name a SQL file") }
            }
        ]
    }

    public func launch(_ context: AppLaunchContext) throws -> LaunchedApp {
        guard let path = context.settings["file"] else {
            throw SettingError("file is required: the SQL file whose queries to run")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SettingError("file '\(path)' cannot be read")
        }
        let log = context.log
        let script = try SQLScript.plan(
            text, catalog: SQLCatalog { topic in try SchemaInference.sample(log: log, topic: topic) })
        var tables: [String: LiveTable] = [:]
        let pipelines = try script.pipelines(named: context.instance ?? name) { output in
            let table = LiveTable(output.query.table)
            tables[output.query.table] = table
            guard let sink = try SQLSinkFactory.sink(for: output, console: context.consoleSink, log: log)
            else {
                return table
            }
            return FanOutSink(table, sink)
        }
        var handles: [any PipelineHandle] = []
        var services: [any Service] = []
        for pipeline in pipelines {
            let store = CheckpointStore(dataDirectory: context.dataDirectory, pipeline: pipeline.name)
            if context.reset { try store.reset() }
            let plan = try context.configure(pipeline).build()
            let runner = try PipelineRunner(plan: plan, log: log, checkpoints: store)
            let live = plan.tables.compactMap { tables[$0.name] }
            handles.append(EngineHandle(runner: runner, tables: live, log: log))
            services.append(PipelineService(runner: runner))
        }
        return LaunchedApp(
            pipelines: handles, services: services,
            summary: "\(path): "
                + script.outputs.map { "\($0.query.table) (\($0.query.mode.rawValue))" }.joined(
                    separator: ", "))
    }

    public func routes(_ api: APIContext) -> RouteCollection<BasicRequestContext> {
        RouteCollection(context: BasicRequestContext.self)
    }

    public var openAPI: OpenAPIFragment { OpenAPIFragment() }
}
