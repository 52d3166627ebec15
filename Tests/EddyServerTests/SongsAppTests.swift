import EddyApps
import EddyLog
import EddyML
import EddyServer
import EddyStream
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ServiceLifecycle
import Testing

/// Seed 000 through the registry: a catalogue on `songs`, likes on `likes` (from a producer and from the
/// API), recommendations over HTTP that change as likes arrive, checked against the OpenAPI document.
@Suite struct SongsAppTests {
    static func post(_ client: CheckedClient, _ uri: String, _ body: String) async throws -> Reply {
        let reply = try await client.client.execute(
            uri: uri, method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: body)
        ) { response in
            Reply(
                status: response.status, contentType: response.headers[.contentType],
                body: Data(response.body.readableBytesView))
        }
        let problems = client.checker.check(
            method: "POST", path: uri, status: reply.status.code, contentType: reply.contentType,
            body: reply.body)
        #expect(problems.isEmpty, "\(uri): \(problems.joined(separator: "; "))")
        return reply
    }

    static func genres(_ reply: Reply) -> [String] {
        (reply.json["items"] as? [[String: Any]] ?? []).compactMap { $0["genre"] as? String }
    }

    @Test func likesArrivingLiveChangeTheAnswer() async throws {
        let log = MemoryLog()
        try log.createTopic("songs", config: TopicConfig(partitions: 1))
        try log.createTopic("likes", config: TopicConfig(partitions: 1))
        let source = SongCatalogueSource.synthetic(tracks: 600, seed: 3)
        try log.append(source.records.map { ProducerRecord(value: $0) }, to: "songs")
        try log.append([ProducerRecord(value: Array(#"{"track_name": "no id"}"#.utf8))], to: "songs")
        try log.append([ProducerRecord(value: Array("not json".utf8))], to: "likes")
        var tracksByGenre: [String: [String]] = [:]
        for record in source.records {
            if case .success(let track) = SongRecords.track(from: record) {
                tracksByGenre[track.genre!, default: []].append(track.id)
            }
        }
        let metal = tracksByGenre["metal"]!
        let country = tracksByGenre["country"]!

        let dataDirectory = NSTemporaryDirectory() + "eddy-songs-app-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let deployment = try AppRegistry.standard.deploy(
            [AppChoice("songs")], log: log, dataDirectory: dataDirectory)
        let running = Task {
            try await withThrowingDiscardingTaskGroup { group in
                for service in deployment.services { group.addTask { try await service.run() } }
            }
        }
        defer { running.cancel() }

        try await deployment.server.application().test(.router) { client in
            let document = try await client.execute(uri: "/openapi.json", method: .get) {
                Data($0.body.readableBytesView)
            }
            let checked = CheckedClient(client: client, checker: try OpenAPIChecker(json: document))
            #expect(try await checked.get("/api/users/ana/song-recommendations").status == .notFound)

            // The catalogue streams in first; a like of a track not yet there is refused.
            let deadline = ContinuousClock.now + .seconds(60)
            var reply = try await Self.post(checked, "/api/users/ana/likes", #"{"track_id": "\#(metal[0])"}"#)
            while reply.status != .ok, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                reply = try await Self.post(checked, "/api/users/ana/likes", #"{"track_id": "\#(metal[0])"}"#)
            }
            #expect(reply.status == .ok)
            for track in metal[1..<8] {
                reply = try await Self.post(checked, "/api/users/ana/likes", #"{"track_id": "\#(track)"}"#)
                #expect(reply.status == .ok)
            }
            #expect(Self.genres(reply).filter { $0 == "metal" }.count >= 8, "\(Self.genres(reply))")
            let liked = Set(metal[0..<8])
            let ids = (reply.json["items"] as? [[String: Any]] ?? []).compactMap { $0["track_id"] as? String }
            #expect(ids.count == 10)
            #expect(liked.isDisjoint(with: ids))
            #expect((reply.json["liked"] as? [Any])?.count == 8)
            // Each item says why: the liked track it is most like.
            let because = (reply.json["items"] as? [[String: Any]] ?? []).compactMap {
                (($0["because"] as? [String: Any])?["nearest_liked"] as? [String: Any])?["track_id"]
                    as? String
            }
            #expect(because.count == 10 && because.allSatisfy(liked.contains), "\(because)")

            // Likes from a producer on the topic (not the API): the answer follows them.
            let records = country.prefix(30).map { id in
                ProducerRecord(
                    value: Array(
                        #"{"user_id": "ana", "track_id": "\#(id)", "liked_at": "2026-01-01T00:00:00Z"}"#.utf8)
                )
            }
            try log.append(records, to: "likes")
            // A deadline of its own: under the whole suite the steps above may have used up the first one.
            let followed = ContinuousClock.now + .seconds(60)
            var answer = try await checked.get("/api/users/ana/song-recommendations?n=10")
            while Self.genres(answer).filter({ $0 == "country" }).count < 8, ContinuousClock.now < followed {
                try await Task.sleep(for: .milliseconds(50))
                answer = try await checked.get("/api/users/ana/song-recommendations?n=10")
            }
            #expect(Self.genres(answer).filter { $0 == "country" }.count >= 8, "\(Self.genres(answer))")

            // Unlikes take likes back.
            for id in country.prefix(30) {
                reply = try await Self.post(
                    checked, "/api/users/ana/likes", #"{"track_id": "\#(id)", "unliked": true}"#)
            }
            #expect((reply.json["liked"] as? [Any])?.count == 8)
            #expect(Self.genres(reply).filter { $0 == "metal" }.count >= 8)

            #expect(try await checked.get("/api/users/ana/song-recommendations?n=0").status == .badRequest)
            #expect(try await Self.post(checked, "/api/users/ana/likes", "[1]").status == .badRequest)
            #expect(
                try await Self.post(checked, "/api/users/ana/likes", #"{"track_id": "nope"}"#).status
                    == .notFound)
            let pipeline = try await checked.get("/api/pipelines/songs")
            #expect(pipeline.json["deadLetters"] as? Int == 2, "the track without id and the bad like")
        }
        for (topic, reason) in [("songs.dlq", "missing_track_id"), ("likes.dlq", "not_an_object")] {
            let letters = try log.read(TopicPartition(topic, 0), from: 0, maxBytes: 1 << 20).records()
            #expect(letters.count == 1)
            let header = letters.first?.headers.first { $0.key == DeadLetterHeaders.reason }
            #expect(header?.value.map { String(decoding: $0, as: UTF8.self) } == reason)
        }
    }

    /// The songs panels show one user at a time (a shared picker) and the taste profile as a compare chart;
    /// the declarations survive the JSON the page reads.
    @Test func panelsPickAUserAndCompareTheProfile() throws {
        let panels = SongsApp().panels
        let data = try JSONEncoder().encode(panels)
        #expect(try JSONDecoder().decode([DashboardPanel].self, from: data) == panels)
        let json = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        let compare = json.first { ($0["chart"] as? [String: Any])?["kind"] as? String == "compare" }
        #expect((compare?["chart"] as? [String: Any])?["values"] as? [String] == ["liked", "recommended"])
        #expect(compare?["pick"] as? String == "user_id")
        #expect(
            Set(panels.filter { $0.pick == "user_id" }.map(\.table)) == [
                "song_recommendations", "likes", "taste",
            ])
    }
}
