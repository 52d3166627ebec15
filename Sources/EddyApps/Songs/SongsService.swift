public import EddyLog
public import EddyML
import EddyServer
public import EddyStream
import Foundation
public import ServiceLifecycle
import Synchronization

/// Seed 000's streaming job: reads the catalogue from topic `songs` into a ``TrackCatalogue`` (normalised
/// lazily as its statistics change) and likes from topic `likes` into one ``TasteProfile`` per user, and
/// keeps every user's recommendations current — recomputed when their likes change, and when the catalogue
/// changes (at most once per `refreshInterval`).
///
/// With a ``Settings/stateDirectory`` the state (catalogue, likes) is saved with the topic positions it
/// was read up to (``SongsSnapshot``, every ``Settings/checkpointInterval`` and at a stop) and a restart
/// resumes from those positions — committed as consumer group `eddy-<name>` too — instead of reading both
/// topics again; without one, both topics are read from the beginning at start. Records that are not a
/// track or a like go to `<topic>.dlq` with `eddy.dlq.reason`, once per source record across restarts.
///
/// ```swift
/// let service = SongsService(log: log, settings: SongsService.Settings())
/// let answer = service.recommendations(for: "ana", n: 10)
/// ```
public final class SongsService: Service, Sendable {
    public struct Settings: Sendable {
        public var songsTopic = SongsApp.songsTopic
        public var likesTopic = SongsApp.likesTopic
        public var normalization = Normalization.minMax
        public var recommender = ContentRecommender.Options()
        /// How many recommendations per user are kept current (and shown in the live table).
        public var keep = 10
        public var refreshInterval: Duration = .seconds(1)
        /// Apply what is in the topics, publish the recommendations, then stop (`eddy run --trigger once`).
        public var once = false
        /// Where `eddy run` prints the recommendations as they change.
        public var display: (any Sink)?
        /// Where the state is saved to resume from (the app's checkpoint folder); nil: nothing is saved and
        /// a start reads both topics from the beginning.
        public var stateDirectory: String?
        /// How often the state is saved while records arrive (and at a stop).
        public var checkpointInterval: Duration = .seconds(5)
        /// The consumer group the saved positions are committed as.
        public var consumerGroup = "eddy-" + SongsApp.appName

        public init() {}
    }

    let log: any Log
    public let settings: Settings
    let recommender: ContentRecommender
    let state: Mutex<State>

    /// Users' current recommendations: user_id, rank, track_id, track_name, artists, genre, similarity, score.
    public let recommendationsTable = LiveTable("song_recommendations", maxRows: 100_000)
    /// Each user's likes: user_id, track_id, track_name, artists, genre, liked_at.
    public let likesTable = LiveTable("likes", maxRows: 100_000)
    /// Each user's taste against their recommendations, per feature: user_id, feature, weight (learned from
    /// the likes), liked (the profile), recommended (the recommendations' mean), normalised.
    public let tasteTable = LiveTable("taste", maxRows: 100_000)
    /// Tracks per genre in the catalogue.
    public let genresTable = LiveTable("genres", maxRows: 1_000)
    /// The normaliser's statistics per feature: feature, minimum, maximum, mean, stddev.
    public let featuresTable = LiveTable("features", maxRows: 100)
    /// The normalised catalogue, one row per track: track_id, track_name, artists, album, genre and each
    /// feature on the catalogue's current scale (min-max in [0, 1], or z-scores).
    public let catalogueTable = LiveTable("catalogue", maxRows: 1_000_000)

    struct State {
        var catalogue: TrackCatalogue
        var profiles: [String: TasteProfile] = [:]
        var current: [String: SongRecommendations] = [:]
        var positions: [String: [Int: Offset]] = [:]
        var routed: [String: [Int: Offset]] = [:]
        var runState: PipelineSnapshot.State = .starting
        var tracksIn: Int64 = 0
        var likesIn: Int64 = 0
        var deadLetters: Int64 = 0
        var recentDeadLetters: [DeadLetterSummary] = []
        var batches: Int64 = 0
        var lastBatch: BatchSummary?
        var error: String?
        var dirtyUsers: Set<String> = []
        var catalogueRefreshed: UInt64 = .max
        /// Records read by this process (not restored from a snapshot).
        var recordsRead: Int64 = 0
        /// Whether the state was restored from a snapshot at start.
        var resumed = false
        /// The positions of the last saved snapshot.
        var savedPositions: [String: [Int: Offset]] = [:]
    }

    public init(log: any Log, settings: Settings = Settings()) {
        self.log = log
        self.settings = settings
        recommender = ContentRecommender(options: settings.recommender)
        state = Mutex(State(catalogue: TrackCatalogue(normalization: settings.normalization)))
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await self.loop() }
            try checkpoint()
            state.withLock { $0.runState = .stopped }
        } catch is CancellationError {
            try checkpoint()
            state.withLock { $0.runState = .stopped }
        } catch {
            state.withLock {
                $0.runState = .failed
                $0.error = "\(error)"
            }
            throw error
        }
    }

    private func loop() async throws {
        let topics = [settings.songsTopic, settings.likesTopic]
        var partitions: [String: [Int]] = [:]
        let saved = try settings.stateDirectory.flatMap { try SongsSnapshot.File(directory: $0).load() }
        let resumed = state.withLock { s in
            guard let saved, saved.restore(into: &s) else { return false }
            s.resumed = true
            s.savedPositions = s.positions
            return true
        }
        for topic in topics {
            partitions[topic] = try log.describeTopic(topic).partitions.map(\.partition)
            let routed = try alreadyRouted(from: topic)
            // From the saved position, or the oldest record still kept (retention may have removed the first
            // ones — then also when the saved position is older than that).
            var starts: [Int: Offset] = [:]
            for partition in partitions[topic]! {
                let start = try log.offsets(of: TopicPartition(topic, partition)).start
                let savedPosition = resumed ? state.withLock { $0.positions[topic]?[partition] } : nil
                starts[partition] = max(start, savedPosition ?? start)
            }
            state.withLock {
                $0.positions[topic] = starts
                $0.routed[topic] = routed
            }
        }
        state.withLock { $0.runState = .running }
        var lastRefresh: ContinuousClock.Instant?
        var lastCheckpoint = ContinuousClock.now
        while !Task.isCancelled {
            let started = ContinuousClock.now
            var read = 0
            for topic in topics {
                for partition in partitions[topic]! { read += try poll(topic, partition) }
            }
            // While tracks stream in, what the catalogue changed is published once per refreshInterval; once
            // the topics are caught up, at once (at most four times an interval), so a file loaded in one go
            // is served as soon as it is read rather than up to an interval later.
            let since = lastRefresh.map { $0.duration(to: .now) }
            let due =
                since.map {
                    $0 >= settings.refreshInterval || (read == 0 && $0 >= settings.refreshInterval / 4)
                }
                ?? (read == 0)
            // With --trigger once, what is printed is the answer once everything is read, not the partial
            // ones on the way there.
            let refreshed = try await refresh(catalogueToo: due, display: !settings.once)
            if due { lastRefresh = .now }
            if read > 0 || refreshed {
                let finished = ContinuousClock.now
                let millis =
                    Double(started.duration(to: finished).components.attoseconds) * 1e-15
                    + Double(started.duration(to: finished).components.seconds) * 1000
                state.withLock {
                    $0.batches += 1
                    $0.lastBatch = BatchSummary(
                        id: $0.batches, finishedAtMicros: Int64(Date().timeIntervalSince1970 * 1_000_000),
                        durationMillis: millis)
                }
            }
            if read == 0, settings.once {
                _ = try await refresh(catalogueToo: true, display: true, always: true)
                return
            }
            if lastCheckpoint.duration(to: .now) >= settings.checkpointInterval {
                try checkpoint()
                lastCheckpoint = .now
            }
            if read == 0 { await waitForRecords(partitions) }
        }
    }

    /// Reads what is new on one partition and applies it; returns the number of records.
    private func poll(_ topic: String, _ partition: Int) throws -> Int {
        let tp = TopicPartition(topic, partition)
        let from = state.withLock { $0.positions[topic]?[partition] ?? 0 }
        let fetched = try log.read(tp, from: from, maxBytes: 1 << 20)
        var letters: [(offset: Offset, value: [UInt8], problem: SongRecords.Problem)] = []
        var count = 0
        let isSongs = topic == settings.songsTopic
        let records = fetched.records()
        guard !records.isEmpty else { return 0 }
        state.withLock { $0.recordsRead += Int64(records.count) }
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        state.withLock { s in
            for record in records {
                count += 1
                if isSongs {
                    switch SongRecords.track(from: record.value) {
                    case .success(let track):
                        s.catalogue.upsert(track)
                        s.tracksIn += 1
                    case .failure(let problem): letters.append((record.offset, record.value, problem))
                    }
                } else {
                    switch SongRecords.like(from: record.value) {
                    case .success(let event):
                        apply(event, recordTime: Int64(record.timestamp) * 1000, now: now, to: &s)
                    case .failure(let problem): letters.append((record.offset, record.value, problem))
                    }
                }
            }
            s.positions[topic, default: [:]][partition] = fetched.nextOffset
        }
        if !letters.isEmpty { try deadLetter(letters, topic: topic, partition: partition) }
        return count
    }

    /// Saves the state with the positions it was read up to, if they moved since the last save, then
    /// commits them as the consumer group.
    func checkpoint() throws {
        guard let directory = settings.stateDirectory else { return }
        let copy = state.withLock { s -> State? in s.positions == s.savedPositions ? nil : s }
        guard let copy else { return }
        // The state lives beside the log: not into a data directory that is no longer the one opened.
        try log.verifyStorage()
        try SongsSnapshot.File(directory: directory).save(SongsSnapshot(state: copy))
        state.withLock { $0.savedPositions = copy.positions }
        var offsets: [TopicPartition: Offset] = [:]
        for (topic, positions) in copy.positions {
            for (partition, position) in positions { offsets[TopicPartition(topic, partition)] = position }
        }
        try log.consumerGroups.commit(group: settings.consumerGroup, offsets: offsets)
    }

    private func apply(_ event: SongRecords.LikeEvent, recordTime: Int64, now: Int64, to s: inout State) {
        s.likesIn += 1
        if event.unliked {
            guard s.profiles[event.userID]?.unlike(event.trackID) == true else { return }
        } else {
            s.profiles[event.userID, default: TasteProfile()].like(
                event.trackID, at: event.likedAt ?? (recordTime > 0 ? recordTime : now))
        }
        s.dirtyUsers.insert(event.userID)
    }

    /// Recomputes the recommendations of users whose likes changed, and (when `catalogueToo`) of every user
    /// if the catalogue changed; writes the live tables. Returns whether anything was recomputed.
    /// `display`: also print the recommendations (`eddy run`); `always`: write the tables even when nothing
    /// changed since the last time.
    private func refresh(catalogueToo: Bool, display: Bool = true, always: Bool = false) async throws -> Bool
    {
        let keep = settings.keep
        let work = state.withLock { s -> (users: [String], catalogueChanged: Bool) in
            let catalogueChanged = catalogueToo && s.catalogueRefreshed != s.catalogue.version
            var users = s.dirtyUsers
            if catalogueChanged { users.formUnion(s.profiles.keys) }
            guard !users.isEmpty || catalogueChanged else { return ([], false) }
            s.catalogue.prepare()
            for user in users {
                s.current[user] = recommender.recommend(
                    s.profiles[user] ?? TasteProfile(), in: s.catalogue, n: keep)
            }
            s.dirtyUsers = []
            if catalogueChanged { s.catalogueRefreshed = s.catalogue.version }
            return (Array(users), catalogueChanged)
        }
        guard !work.users.isEmpty || work.catalogueChanged || always else { return false }
        try await writeTables(catalogueChanged: work.catalogueChanged, display: display)
        return true
    }

    /// Waits until any partition of either topic has records beyond the position (or a short timeout, so
    /// a catalogue refresh that fell due still happens).
    private func waitForRecords(_ partitions: [String: [Int]]) async {
        let positions = state.withLock { $0.positions }
        await withTaskGroup(of: Bool.self) { group in
            for (topic, list) in partitions {
                for partition in list {
                    let position = positions[topic]?[partition] ?? 0
                    group.addTask {
                        await self.log.waitForData(
                            TopicPartition(topic, partition), beyond: position, timeout: .milliseconds(500))
                    }
                }
            }
            _ = await group.next()
            group.cancelAll()
        }
    }
}
