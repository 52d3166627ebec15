import EddyApps
import EddyLog
import EddyServer
import EddyStream
import Foundation
import Hummingbird
import HummingbirdTesting
import OpenAPIKit
import ServiceLifecycle
import Testing

/// A throw-away app that exists only here: words counted from topic `words-in`. Added through the registry
/// alone, it must show up in the server's routes, its OpenAPI document and the dashboard's panels.
struct WordCountApp: EddyApp {
    var name: String { "wordcount" }
    var summary: String { "Counts words" }
    var topics: [AppTopic] { [AppTopic("words-in", partitions: 1)] }

    func launch(_ context: AppLaunchContext) throws -> LaunchedApp {
        let table = LiveTable("words")
        let plan = try Pipeline(name)
            .source(topic: context.settings["topic"] ?? "words-in", schema: [Column("word", .string)])
            .groupBy("word").count()
            .output("words", mode: .update, to: table)
            .trigger(.availableNow)
            .build()
        let runner = try PipelineRunner(plan: plan, log: context.log, checkpoints: nil)
        return LaunchedApp(
            pipelines: [EngineHandle(runner: runner, tables: [table], log: context.log)],
            services: [PipelineService(runner: runner)])
    }

    func routes(_ api: APIContext) -> RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        TopRoute(
            path: "/api/wordcount/top", name: "words", table: "words", pipeline: name,
            orders: [("count", "count")]
        )
        .add(to: routes, api: api)
        return routes
    }

    var openAPI: OpenAPIFragment {
        OpenAPIFragment(
            paths: [
                "/api/wordcount/top": .get(
                    "The most frequent words", parameters: [.query("top", .integer(1...1000, default: 10))],
                    ok: "Words, most frequent first", .json("Words"), errors: [400, 404])
            ],
            schemas: [
                "Words": .object(properties: ["version": .integer, "words": .arrayOf("Row")])
            ])
    }

    var panels: [DashboardPanel] {
        [
            DashboardPanel(
                pipeline: name, table: "words", title: "Frequent words",
                chart: .bars(label: "word", value: "count"))
        ]
    }
}

@Suite struct AppRegistryTests {
    @Test func anAppAddedToTheRegistryIsServedDocumentedAndDrawn() async throws {
        let log = MemoryLog()
        try log.createTopic("words-in", config: TopicConfig(partitions: 1))
        try log.append(
            ["stream", "table", "stream", "log", "stream", "table"].map {
                ProducerRecord(value: Array(#"{"word": "\#($0)"}"#.utf8))
            }, to: "words-in")
        let registry = AppRegistry(AppRegistry.standard.apps + [WordCountApp()])
        #expect(registry.names == AppRegistry.standard.names + ", wordcount")

        let deployment = try registry.deploy(
            [AppChoice("wordcount")], log: log, dataDirectory: "/nonexistent")
        for service in deployment.services { try await service.run() }

        try await deployment.server.application().test(.router) { client in
            let document = try await client.execute(uri: "/openapi.json", method: .get) {
                Data($0.body.readableBytesView)
            }
            let checked = CheckedClient(client: client, checker: try OpenAPIChecker(json: document))
            let paths =
                (try JSONSerialization.jsonObject(with: document) as? [String: Any])?["paths"]
                as? [String: Any]
            #expect(paths?["/api/wordcount/top"] != nil, "the app's path is not in the document")
            #expect(paths?["/api/retail/areas"] == nil, "an app that is not deployed is documented")

            let top = try await checked.get("/api/wordcount/top?top=2")
            let words = top.json["words"] as? [[String: Any]] ?? []
            #expect(words.map { $0["word"] as? String } == ["stream", "table"])
            #expect(words.first?["count"] as? Int == 3)

            let pipeline = try await checked.get("/api/pipelines/wordcount")
            let panels = pipeline.json["panels"] as? [[String: Any]] ?? []
            #expect(panels.map { $0["title"] as? String } == ["Frequent words"])
            #expect((panels.first?["chart"] as? [String: Any])?["kind"] as? String == "bars")
        }
    }

    @Test func anUnknownAppIsRefusedByName() {
        #expect(throws: UnknownAppError.self) {
            try AppRegistry.standard.deploy(
                [AppChoice("weather")], log: MemoryLog(), dataDirectory: "/nonexistent")
        }
    }
}
