import EddyServer
import EddyStream
import Foundation
import HTTPTypes
import Testing

@Suite struct LiveStreamTests {
    /// Splits an SSE body into (event, data) pairs.
    static func events(_ text: String) -> [(String, String)] {
        text.components(separatedBy: "\n\n").compactMap { frame in
            var event: String?
            var data: String?
            for line in frame.split(separator: "\n") {
                if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            guard let event, let data else { return nil }
            return (event, data)
        }
    }

    @Test func streamSendsEveryTableThenStatus() async throws {
        let fixture = Fixture()
        try await CheckedClient.with(fixture) { client in
            let reply = try await client.get("/api/pipelines/retail/stream?events=4")
            #expect(reply.status == .ok)
            #expect(reply.contentType == "text/event-stream")
            let events = Self.events(reply.text)
            #expect(events.map(\.0) == ["table", "table", "table", "status"])
            for (name, data) in events {
                let value = try JSONSerialization.jsonObject(with: Data(data.utf8))
                let problems = client.checker.checkValue(
                    value, schemaNamed: name == "table" ? "TableEvent" : "Pipeline")
                #expect(problems.isEmpty, "\(problems)")
            }
            let first = try JSONSerialization.jsonObject(with: Data(events[0].1.utf8)) as? [String: Any]
            #expect(first?["table"] as? String == "areas")
            #expect((first?["rows"] as? [Any])?.count == 4)
        }
    }

    @Test func streamReportsChangesAndHeartbeats() async throws {
        let fixture = Fixture()
        let writer = Task {
            // Changes keep coming while the stream runs; the stream must report at least one of them.
            for traffic in 1...200 {
                try await Task.sleep(for: .milliseconds(5))
                fixture.areas.upsert([[.string("Entrada"), .int(Int64(traffic)), .double(1), .double(1)]])
            }
        }
        defer { writer.cancel() }
        try await CheckedClient.with(fixture) { client in
            let reply = try await client.get("/api/pipelines/retail/stream?events=8")
            let names = Self.events(reply.text).map(\.0)
            #expect(names.count == 8)
            #expect(names.filter { $0 == "table" }.count > 3, "\(names)")
        }
    }

    @Test func streamRejectsUnknownPipelineAndBadEvents() async throws {
        try await CheckedClient.with(Fixture()) { client in
            let missing = try await client.get("/api/pipelines/nope/stream")
            #expect(missing.status == .notFound)
            let bad = try await client.get("/api/pipelines/retail/stream?events=0")
            #expect(bad.status == .badRequest)
            #expect(bad.json["parameter"] as? String == "events")
        }
    }
}
