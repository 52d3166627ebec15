import EddyApps
import EddyLog
import EddyML
import Foundation
import Testing

/// The songs app after a restart: it resumes from the positions saved with its state (and committed as its
/// consumer group) — the catalogue is not read again, and no like is lost, neither those applied before the
/// stop nor those that arrived while it was down.
@Suite struct SongsResumeTests {
    static func settings(_ directory: String) -> SongsService.Settings {
        var settings = SongsService.Settings()
        settings.stateDirectory = directory
        // Checkpoints while running are exercised, but not so often that a busy disk (the whole suite fsyncs
        // in parallel) starves the service; the stop always saves.
        settings.checkpointInterval = .milliseconds(500)
        return settings
    }

    static func like(_ user: String, _ track: String, at second: Int) -> ProducerRecord {
        ProducerRecord(
            value: SongRecords.json(
                SongRecords.LikeEvent(userID: user, trackID: track, likedAt: Int64(second) * 1_000_000)))
    }

    /// Runs `body` with the service running, then stops it (a graceful stop saves the state).
    static func running(_ service: SongsService, _ body: () async throws -> Void) async throws {
        let task = Task { try await service.run() }
        do {
            try await body()
        } catch {
            task.cancel()
            _ = try? await task.value
            throw error
        }
        task.cancel()
        try await task.value
    }

    struct TimedOut: Error {}

    /// Generous: under the whole suite on two cores a debug build can take minutes to get here.
    static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(180)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw TimedOut() }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test func restartResumesFromSavedOffsetsWithoutLosingLikes() async throws {
        let directory = NSTemporaryDirectory() + "eddy-songs-resume-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = MemoryLog()
        _ = try log.createTopic("songs", config: TopicConfig(partitions: 1))
        _ = try log.createTopic("likes", config: TopicConfig(partitions: 1))
        let source = SongCatalogueSource.synthetic(tracks: 300, seed: 9)
        _ = try log.append(source.records.map { ProducerRecord(value: $0) }, to: "songs")
        let ids = source.records.compactMap { try? SongRecords.track(from: $0).get().id }
        _ = try log.append((0..<5).map { Self.like("ana", ids[$0], at: $0) }, to: "likes")

        let first = SongsService(log: log, settings: Self.settings(directory))
        let before = try await {
            var answer: [String] = []
            try await Self.running(first) {
                try await Self.waitUntil { first.likes(of: "ana").count == 5 }
                // A like through the service while it runs.
                #expect(
                    try await first.append(
                        SongRecords.LikeEvent(userID: "ana", trackID: ids[5], likedAt: 5_000_000),
                        timeout: .seconds(180)))
                answer = first.recommendations(for: "ana", n: 10)?.items.map(\.track.id) ?? []
            }
            return answer
        }()
        #expect(first.progress.recordsRead == Int64(ids.count + 6))
        #expect(!first.progress.resumed)
        #expect(before.count == 10)
        let committed = try log.consumerGroups.committed(group: "eddy-songs", topic: "likes")
        #expect(committed[0] == 6, "the saved position is committed as the consumer group")

        // While it is down: two more likes and one track updated.
        _ = try log.append([Self.like("ana", ids[6], at: 6), Self.like("bo", ids[7], at: 7)], to: "likes")
        let updated = Array(
            #"{"track_id": "\#(ids[0])", "track_name": "renamed", "artists": "x", "album_name": "y", "danceability": 0.5}"#
                .utf8)
        _ = try log.append([ProducerRecord(value: updated)], to: "songs")

        let second = SongsService(log: log, settings: Self.settings(directory))
        try await Self.running(second) {
            try await Self.waitUntil { second.likes(of: "bo").count == 1 }
            #expect(second.likes(of: "ana") == Array(ids[0...6]), "no like lost, none twice")
            #expect(second.hasTrack(ids[299]), "the catalogue comes back from the saved state")
            let answer = second.recommendations(for: "ana", n: 10)
            #expect(answer?.items.count == 10)
            #expect(answer?.liked.first { $0.id == ids[0] }?.name == "renamed")
        }
        #expect(second.progress.resumed)
        #expect(second.progress.recordsRead == 3, "only what arrived while it was down is read")

        // A third start with nothing new reads nothing and answers as the second did.
        let third = SongsService(log: log, settings: Self.settings(directory))
        try await Self.running(third) {
            try await Self.waitUntil { third.likes(of: "bo").count == 1 }
            #expect(third.likes(of: "ana").count == 7)
        }
        #expect(third.progress.recordsRead == 0)
    }

    @Test func withoutASavedStateBothTopicsAreReadFromTheStart() async throws {
        let directory = NSTemporaryDirectory() + "eddy-songs-resume-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = MemoryLog()
        _ = try log.createTopic("songs", config: TopicConfig(partitions: 1))
        _ = try log.createTopic("likes", config: TopicConfig(partitions: 1))
        let source = SongCatalogueSource.synthetic(tracks: 50, seed: 2)
        _ = try log.append(source.records.map { ProducerRecord(value: $0) }, to: "songs")
        let ids = source.records.compactMap { try? SongRecords.track(from: $0).get().id }
        _ = try log.append([Self.like("ana", ids[1], at: 1)], to: "likes")
        let service = SongsService(log: log, settings: Self.settings(directory))
        try await Self.running(service) {
            try await Self.waitUntil { service.likes(of: "ana").count == 1 }
        }
        #expect(service.progress.recordsRead == 51)
        #expect(FileManager.default.fileExists(atPath: directory + "/state.json"))
    }
}
