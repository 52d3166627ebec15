public import EddyLog
import EddyML

/// The catalogue as a stream: every track of a ``SongCatalogueSource`` once, in order, keyed by track id;
/// after that, tracks again at random (a re-sent track updates the catalogue, as re-released metadata would).
///
/// ```swift
/// var songs = CatalogueReplay(source: .demo, seed: 1)
/// let first = songs.next()
/// ```
public struct CatalogueReplay: Simulator {
    let source: SongCatalogueSource
    private var index = 0
    private var random: SimulationRandom

    public init(source: SongCatalogueSource, seed: UInt64?) {
        self.source = source
        random = SimulationRandom(seed: seed)
    }

    public mutating func next() -> ProducerRecord {
        guard !source.records.isEmpty else { return ProducerRecord(value: Array("{}".utf8)) }
        let value: [UInt8]
        if index < source.records.count {
            value = source.records[index]
            index += 1
        } else {
            value = random.element(of: source.records)
        }
        let key: [UInt8]? =
            if case .success(let track) = SongRecords.track(from: value) { Array(track.id.utf8) } else { nil }
        return ProducerRecord(key: key, value: value)
    }
}

/// Users liking tracks over time: each user has a favourite genre and mostly likes tracks of it (now and
/// then one of another genre, and now and then takes an earlier like back), so their recommendations drift
/// towards that genre as likes arrive.
///
/// ```swift
/// var likes = LikeSimulator(source: .demo, users: 3, seed: 7)
/// let like = likes.next()   // {"user_id": "user-1", "track_id": "…", "liked_at": "…"}
/// ```
public struct LikeSimulator: Simulator {
    private let users: [(name: String, genre: String)]
    private let byGenre: [String: [String]]
    private let allTracks: [String]
    private var liked: [String: [String]] = [:]
    private var random: SimulationRandom
    private var clock: SimulationClock

    public init(source: SongCatalogueSource, users: Int = 3, seed: UInt64?, clock: SimulationClock = .wall) {
        var byGenre: [String: [String]] = [:]
        var all: [String] = []
        for record in source.records {
            guard case .success(let track) = SongRecords.track(from: record) else { continue }
            byGenre[track.genre ?? "", default: []].append(track.id)
            all.append(track.id)
        }
        let genres = byGenre.keys.sorted()
        self.users = (0..<max(1, users)).map {
            ("user-\($0 + 1)", genres.isEmpty ? "" : genres[$0 % genres.count])
        }
        self.byGenre = byGenre
        allTracks = all
        random = SimulationRandom(seed: seed)
        self.clock = clock
    }

    public mutating func next() -> ProducerRecord {
        let user = random.element(of: users)
        let micros = clock.nextMicros(random: &random)
        if let previous = liked[user.name], previous.count > 5, random.chance(0.05) {
            let track = random.element(of: previous)
            liked[user.name]?.removeAll { $0 == track }
            return record(SongRecords.LikeEvent(userID: user.name, trackID: track, unliked: true))
        }
        let pool = random.chance(0.9) ? (byGenre[user.genre] ?? allTracks) : allTracks
        let track = pool.isEmpty ? "none" : random.element(of: pool)
        liked[user.name, default: []].append(track)
        return record(SongRecords.LikeEvent(userID: user.name, trackID: track, likedAt: micros))
    }

    private func record(_ event: SongRecords.LikeEvent) -> ProducerRecord {
        ProducerRecord(key: Array(event.userID.utf8), value: SongRecords.json(event))
    }
}
