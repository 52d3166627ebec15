import EddyLog
public import EddyML
import EddyServer
import EddyStream
import Foundation
import Synchronization

extension SongsService {
    /// A user's recommendations with everything the API shows: the tracks, their normalised features, the
    /// taste profile and the learned feature weights.
    public struct Answer: Sendable {
        public struct Item: Sendable {
            public var track: Track
            public var score: Double
            public var similarity: Double
            public var features: [Double]
            /// Why: the liked track it is most like (and how much), and the shares of likes by its artist
            /// and on its album.
            public var nearestLiked: Track?
            public var nearestSimilarity: Double
            public var artistShare: Double
            public var albumShare: Double
        }

        public var userID: String
        public var items: [Item]
        public var liked: [Track]
        public var missing: [String]
        public var profile: [Double]
        public var featureWeights: [Double]
        public var featureNames: [String]
        public var catalogueSize: Int
    }

    /// The user's `n` best tracks now (from the kept answer when it is current and long enough); nil when
    /// the user has no likes.
    public func recommendations(for user: String, n: Int) -> Answer? {
        state.withLock { s -> Answer? in
            guard let profile = s.profiles[user], !profile.isEmpty else { return nil }
            var result = s.current[user]
            if result == nil || result!.catalogueVersion != s.catalogue.version
                || result!.profileVersion != profile.version || result!.items.count < n
            {
                s.catalogue.prepare()
                let fresh = recommender.recommend(profile, in: s.catalogue, n: max(n, settings.keep))
                if fresh.items.count >= settings.keep || s.current[user] == nil { s.current[user] = fresh }
                result = fresh
            }
            let found = result!
            let catalogue = s.catalogue
            return Answer(
                userID: user,
                items: found.items.prefix(n).map {
                    Answer.Item(
                        track: catalogue.track(at: $0.row), score: $0.score, similarity: $0.similarity,
                        features: catalogue.normalizedFeatures(at: $0.row),
                        nearestLiked: $0.nearestLikedRow.map { catalogue.track(at: $0) },
                        nearestSimilarity: $0.nearestSimilarity, artistShare: $0.artistShare,
                        albumShare: $0.albumShare)
                },
                liked: found.likedRows.map { catalogue.track(at: $0) }, missing: found.missing,
                profile: found.profile, featureWeights: found.featureWeights,
                featureNames: catalogue.featureNames, catalogueSize: catalogue.count)
        }
    }

    /// Records this process read from the topics (not restored from a saved state), and whether it
    /// resumed from one.
    public var progress: (recordsRead: Int64, resumed: Bool) {
        state.withLock { ($0.recordsRead, $0.resumed) }
    }

    /// The user's liked track ids, oldest first.
    public func likes(of user: String) -> [String] {
        state.withLock { $0.profiles[user]?.likes.map(\.trackID) ?? [] }
    }

    /// Tracks in the catalogue now.
    public var catalogueCount: Int { state.withLock { $0.catalogue.count } }

    /// Whether the catalogue has the track.
    public func hasTrack(_ id: String) -> Bool {
        state.withLock { $0.catalogue.row(of: id) != nil }
    }

    /// Appends a like (or unlike) to the likes topic and waits (up to `timeout`) until this service has
    /// applied it, so the caller's next read sees it. Returns whether it was applied in time.
    public func append(_ event: SongRecords.LikeEvent, timeout: Duration = .seconds(2)) async throws -> Bool {
        let record = ProducerRecord(key: Array(event.userID.utf8), value: SongRecords.json(event))
        let metadata = try log.append([record], to: settings.likesTopic)
        guard let landed = metadata.first else { return false }
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            let applied = state.withLock { s in
                (s.positions[settings.likesTopic]?[landed.partition] ?? 0) > landed.offset
                    && !s.dirtyUsers.contains(event.userID)
            }
            if applied { return true }
            try await Task.sleep(for: .microseconds(250))
        }
        return false
    }

    /// What the server shows for this pipeline.
    func snapshot() -> PipelineSnapshot {
        let s = state.withLock { s in
            (
                s.runState, s.positions, s.tracksIn, s.likesIn, s.deadLetters, s.lastBatch, s.error,
                s.recentDeadLetters, s.current.count
            )
        }
        var partitions: [PartitionProgress] = []
        for (topic, positions) in s.1.sorted(by: { $0.key < $1.key }) {
            for (partition, position) in positions.sorted(by: { $0.key < $1.key }) {
                let end = (try? log.offsets(of: TopicPartition(topic, partition)).end) ?? position
                partitions.append(
                    PartitionProgress(topic: topic, partition: partition, position: position, endOffset: end))
            }
        }
        return PipelineSnapshot(
            state: s.0, sources: [settings.songsTopic, settings.likesTopic], partitions: partitions,
            recordsIn: s.2 + s.3 + s.4, recordsOut: Int64(s.8), deadLetters: s.4, lastBatch: s.5,
            recentDeadLetters: s.7, error: s.6)
    }
}

/// The songs service seen by the server.
struct SongsHandle: PipelineHandle {
    let name: String
    let service: SongsService

    var tables: [any LiveTableReader] {
        [
            service.recommendationsTable, service.likesTable, service.tasteTable, service.genresTable,
            service.featuresTable, service.catalogueTable,
        ]
    }
    func status() -> PipelineSnapshot { service.snapshot() }
}
