import EddyApps
import EddyLog
import EddyServer
import EddyStream
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ServiceLifecycle
import Testing

/// Seed 001 through the registry: ratings on a topic → ALS models retrained as they arrive → a user's
/// recommendations over HTTP, checked against the OpenAPI document.
@Suite struct RecommendationsAppTests {
    @Test func ratingsBecomeServedRecommendations() async throws {
        let log = MemoryLog()
        try log.createTopic("ratings", config: TopicConfig(partitions: 2))
        var simulator = RatingSimulator(users: 60, items: 40, seed: 3)
        try log.append((0..<3000).map { _ in simulator.next() }, to: "ratings")
        try log.append([ProducerRecord(value: Array("not a rating".utf8))], to: "ratings")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recs-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // An item catalogue in MovieLens's u.item form (Latin-1, `id|title|…`): the API adds the titles.
        let items = directory + "/u.item"
        let catalogue = (1...40).map { "\($0)|Café \($0) (1995)|01-Jan-1995||http://x|0|1" }.joined(
            separator: "\n")
        try #require(catalogue.data(using: .isoLatin1)).write(to: URL(fileURLWithPath: items))
        let deployment = try AppRegistry.standard.deploy(
            [
                AppChoice(
                    "recommendations", settings: ["retrainEvery": "1000", "topN": "4", "items": items])
            ], log: log,
            dataDirectory: directory)
        let running = Task { for service in deployment.services { try await service.run() } }
        defer { running.cancel() }

        try await deployment.server.application().test(.router) { client in
            let document = try await client.execute(uri: "/openapi.json", method: .get) {
                Data($0.body.readableBytesView)
            }
            let checked = CheckedClient(client: client, checker: try OpenAPIChecker(json: document))
            // The model appears once the trainer has read the topic and trained.
            var reply = try await checked.get("/api/users/7/recommendations?n=5")
            let deadline = ContinuousClock.now + .seconds(60)
            while reply.status != .ok, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                reply = try await checked.get("/api/users/7/recommendations?n=5")
            }
            #expect(reply.status == .ok)
            #expect(reply.json["user_id"] as? Int == 7)
            #expect((reply.json["model_version"] as? Int ?? 0) >= 1)
            let items = reply.json["items"] as? [[String: Any]] ?? []
            #expect(items.count == 5)
            let scores = items.compactMap { $0["score"] as? Double }
            #expect(scores == scores.sorted(by: >), "best first")
            for item in items {
                #expect(item["title"] as? String == "Café \(item["item_id"] as? Int ?? -1) (1995)", "\(item)")
            }
            // Each model's training curve: one row per iteration.
            let training = try await checked.get(
                "/api/pipelines/recommendations/tables/training?orderBy=iteration&limit=200")
            let steps = (training.json["rows"] as? [[String: Any]] ?? []).filter {
                $0["model_version"] as? Int == 1
            }
            #expect(steps.compactMap { $0["iteration"] as? Int }.sorted() == Array(1...10))
            #expect(steps.allSatisfy { ($0["training_rmse"] as? Double ?? -1) > 0 })

            #expect(try await checked.get("/api/users/999999/recommendations").status == .notFound)
            #expect(try await checked.get("/api/users/7/recommendations?n=0").status == .badRequest)
            let pipeline = try await checked.get("/api/pipelines/recommendations")
            #expect(pipeline.json["deadLetters"] as? Int == 1, "the malformed rating is counted")

            // Every user's top-N, as the database table holds it (the default SQLite file in the data dir).
            let table = try await checked.get(
                "/api/pipelines/recommendations/tables/recommendations?limit=1000")
            let rows = table.json["rows"] as? [[String: Any]] ?? []
            #expect(rows.count == 60, "one row per user")
            let seven = rows.first { $0["user_id"] as? String == "7" }
            #expect((seven?["items"] as? [[String: Any]])?.count == 4)
            #expect((seven?["model_version"] as? Int ?? 0) >= 1)
            #expect(FileManager.default.fileExists(atPath: directory + "/recommendations.sqlite"))
        }
    }
}
