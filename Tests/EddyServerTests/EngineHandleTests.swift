import EddyApps
import EddyLog
import EddyServer
import EddyStream
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The real engine behind the API: the seed retail pipeline over an in-memory log, read through
/// ``EngineHandle`` by the endpoints.
@Suite struct EngineHandleTests {
    static func reading(_ location: String?, duration: Double?, traffic: Int, customer: String = "Cliente_1")
        -> ProducerRecord
    {
        var fields = [
            #""timestamp": "2024-08-23T15:22:16.968007Z""#, #""id_sensor": "SM-123AB""#,
            #""customer_id": "\#(customer)""#, #""movement_detected": true"#,
            #""traffic_count": \#(traffic)"#,
        ]
        if let location { fields.append(#""location": "\#(location)""#) }
        if let duration { fields.append(#""duration": \#(duration)"#) }
        return ProducerRecord(value: Array(("{" + fields.joined(separator: ", ") + "}").utf8))
    }

    @Test func retailPipelineThroughTheAPI() async throws {
        let log = MemoryLog()
        try log.createTopic("motion", config: TopicConfig(partitions: 2))
        try log.append(
            [
                Self.reading("Entrada", duration: 10, traffic: 3),
                Self.reading("Caixa", duration: 30, traffic: 1),
                Self.reading("Entrada", duration: 20, traffic: 4, customer: "Cliente_2"),
                Self.reading(nil, duration: 5, traffic: 9), Self.reading("Caixa", duration: nil, traffic: 9),
                ProducerRecord(value: Array("{not json".utf8)),
            ], to: "motion")
        let retail = RetailPipeline()
        let runner = try PipelineRunner(
            plan: retail.pipeline(display: nil, to: nil).trigger(.availableNow).build(), log: log,
            checkpoints: nil)
        try await runner.run()

        let handle = EngineHandle(runner: runner, tables: retail.liveTables, log: log)
        let status = handle.status()
        #expect(status.sources == ["motion"])
        #expect(status.partitions.map(\.lag) == [0, 0])
        #expect(status.partitions.reduce(0) { $0 + $1.endOffset } == 6)
        #expect(status.deadLetters == 1)
        #expect(status.recentDeadLetters.first?.topic == "motion")

        let server = EddyServer(pipelines: [handle], log: log, modules: [RetailApp()])
        try await server.application().test(.router) { client in
            let document = try await client.execute(uri: "/openapi.json", method: .get) {
                Data($0.body.readableBytesView)
            }
            let checked = CheckedClient(client: client, checker: try OpenAPIChecker(json: document))
            let areas = try await checked.get("/api/retail/areas?top=2")
            let rows = areas.json["areas"] as? [[String: Any]] ?? []
            #expect(rows.map { $0["location"] as? String } == ["Entrada", "Caixa"])
            #expect(rows.first?["total_traffic"] as? Int == 7)
            #expect(rows.first?["avg_duration"] as? Int == 15)

            let customer = try await checked.get("/api/retail/customers/Cliente_2")
            #expect((customer.json["areas"] as? [[String: Any]])?.first?["dwell_time"] as? Int == 20)

            let windows = try await checked.get("/api/retail/windows?area=Entrada")
            #expect((windows.json["windows"] as? [[String: Any]])?.first?["traffic"] as? Int == 7)

            let pipeline = try await checked.get("/api/pipelines/retail")
            #expect(pipeline.json["deadLetters"] as? Int == 1)
            #expect(pipeline.json["lag"] as? Int == 0)
        }
    }
}
