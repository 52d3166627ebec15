import EddyLog
import EddyML
public import EddyServer
import EddyStream

/// Seed 000 as an app: a track catalogue on topic `songs`, users' likes on topic `likes`, content-based
/// recommendations per user kept current as both change (``SongsService``), served at
/// `GET /api/users/{id}/song-recommendations`; `POST /api/users/{id}/likes` adds a like.
public struct SongsApp: EddyApp {
    public static let appName = "songs"
    public static let songsTopic = "songs"
    public static let likesTopic = "likes"

    public init() {}

    public var name: String { Self.appName }
    public var summary: String {
        "Content-based song recommendations from a streamed catalogue and users' likes (seed 000)"
    }
    public var topics: [AppTopic] {
        [AppTopic(Self.songsTopic, partitions: 1), AppTopic(Self.likesTopic, partitions: 1)]
    }

    /// `eddy simulate songs N`: the catalogue, real when the Parquet file is found, else synthetic.
    public static let songs = AppSimulator(
        "songs", summary: "The track catalogue (seed 000's Spotify tracks when found, else synthetic).",
        details: """
            Each record is one track: track_id, track_name, artists (;-separated), album_name, track_genre and \
            the audio features danceability, energy, key, loudness, mode, speechiness, acousticness, \
            instrumentalness, liveness, valence, tempo, time_signature. The real 6,000 tracks are read from \
            $\(SongCatalogueSource.environmentVariable) or \(SongCatalogueSource.datasetPath); otherwise a \
            synthetic catalogue of the same shape is made. After the last track, tracks are sent again at \
            random (updates).

            Examples:
              eddy simulate songs 6000 --to songs
              eddy produce songs --from-parquet spotify_by_genre.parquet --key-field track_id
            """,
        topic: songsTopic, unit: "tracks"
    ) { run in
        CatalogueReplay(source: .demo, seed: run.seed)
    }

    /// `eddy simulate likes N`: users liking tracks of their favourite genre over time.
    public static let likes = AppSimulator(
        "likes", summary: "Users liking (and now and then unliking) tracks of the catalogue.",
        details: """
            Records: {"user_id": "user-1", "track_id": "…", "liked_at": "…"}, or {"user_id", "track_id", \
            "unliked": true}. Each user mostly likes tracks of one genre of the catalogue `eddy simulate \
            songs` streams.

            Examples:
              eddy simulate likes 100 --rate 1 --to likes
            """,
        topic: likesTopic, unit: "likes",
        settings: [
            AppSetting("users", help: "how many users like tracks", defaultValue: "3") {
                guard let n = Int($0), (1...100_000).contains(n) else {
                    throw SettingError("must be a whole number from 1 to 100000")
                }
            }
        ]
    ) { run in
        LikeSimulator(
            source: .demo, users: Int(try run.double("users", default: 3)), seed: run.seed, clock: run.clock)
    }

    public var simulators: [AppSimulator] { [Self.songs, Self.likes] }

    public var demoFeeds: [DemoFeed] {
        [DemoFeed(Self.songs, defaultRate: 1000), DemoFeed(Self.likes, defaultRate: 1)]
    }

    public var settings: [AppSetting] {
        [
            AppSetting(
                "likesTopic", help: "the topic of likes (--topic is the catalogue's)", defaultValue: "likes"),
            AppSetting("normalize", help: "minmax or zscore", defaultValue: "minmax") {
                guard Normalization(rawValue: $0) != nil else {
                    throw SettingError("must be minmax or zscore")
                }
            },
            AppSetting(flag: "excludeArtistsLiked", help: "never recommend artists the user already liked"),
            AppSetting("genreCap", help: "at most this many recommendations of one genre") {
                guard let n = Int($0), n >= 1 else { throw SettingError("must be a whole number, 1 or more") }
            },
            AppSetting("recencyHalfLifeDays", help: "likes this many days older count half (default: equal)")
            {
                guard let n = Double($0), n > 0, n.isFinite else {
                    throw SettingError("must be a positive number")
                }
            },
            AppSetting("keep", help: "recommendations kept current per user", defaultValue: "10") {
                guard let n = Int($0), (1...1000).contains(n) else {
                    throw SettingError("must be a whole number from 1 to 1000")
                }
            },
        ]
    }

    public func launch(_ context: AppLaunchContext) throws -> LaunchedApp {
        var settings = SongsService.Settings()
        settings.songsTopic = context.settings["topic"] ?? Self.songsTopic
        settings.likesTopic = context.settings["likesTopic"] ?? Self.likesTopic
        settings.normalization = try context.setting("normalize", default: .minMax) {
            Normalization(rawValue: $0)
        }
        settings.recommender.excludeLikedArtists = context.settings["excludeArtistsLiked"] == "true"
        if let text = context.settings["genreCap"] {
            guard let cap = Int(text), cap >= 1 else { throw SettingError("genreCap '\(text)' is not valid") }
            settings.recommender.genreCap = cap
        }
        if let text = context.settings["recencyHalfLifeDays"] {
            guard let days = Double(text), days > 0, days.isFinite else {
                throw SettingError("recencyHalfLifeDays '\(text)' is not valid")
            }
            settings.recommender.recencyHalfLifeDays = days
        }
        settings.keep = try context.setting("keep", default: 10) {
            Int($0).flatMap { (1...1000).contains($0) ? $0 : nil }
        }
        settings.once = context.trigger == .once
        settings.display = context.consoleSink
        // The state is saved with its topic positions in the app's checkpoint folder, so a restart resumes.
        let instance = context.instance ?? name
        settings.stateDirectory =
            CheckpointStore(dataDirectory: context.dataDirectory, pipeline: instance).directory
        settings.checkpointInterval = context.checkpointInterval
        settings.consumerGroup = "eddy-" + instance
        if context.reset { try SongsSnapshot.File(directory: settings.stateDirectory!).delete() }
        try Self.createTopics([settings.songsTopic, settings.likesTopic], in: context.log)
        let service = SongsService(log: context.log, settings: settings)
        return LaunchedApp(
            pipelines: [SongsHandle(name: context.instance ?? name, service: service)], services: [service],
            summary:
                "catalogue from '\(settings.songsTopic)', likes from '\(settings.likesTopic)', \(settings.normalization.rawValue) features"
        )
    }

    /// Creates the topics that do not exist yet (one partition: the catalogue and likes are small).
    static func createTopics(_ names: [String], in log: any Log) throws {
        for name in names {
            if (try? log.describeTopic(name)) != nil { continue }
            do {
                _ = try log.createTopic(name, config: TopicConfig(partitions: 1))
            } catch {
                // Another writer may have created it meanwhile; anything else is real.
                if (try? log.describeTopic(name)) == nil { throw error }
            }
        }
    }

    /// One user at a time (a picker shared by the panels): their recommendations with why, their likes,
    /// their taste profile against the recommendations, and the feature weights learned from their likes.
    public var panels: [DashboardPanel] {
        [
            DashboardPanel(
                pipeline: name, table: "song_recommendations", title: "Recommendations for",
                chart: .table(orderBy: nil), limit: 2_000, wide: true, pick: "user_id"),
            DashboardPanel(
                pipeline: name, table: "taste", title: "Taste profile vs recommendations (normalised) for",
                chart: .compare(label: "feature", values: ["liked", "recommended"]), limit: 5_000,
                pick: "user_id"),
            DashboardPanel(
                pipeline: name, table: "taste", title: "Feature weights learned from the likes of",
                chart: .bars(label: "feature", value: "weight"), limit: 5_000, accent: "gold", pick: "user_id"
            ),
            DashboardPanel(
                pipeline: name, table: "likes", title: "Liked tracks of", chart: .table(orderBy: "liked_at"),
                limit: 2_000, wide: true, pick: "user_id"),
            DashboardPanel(
                pipeline: name, table: "genres", title: "Catalogue tracks per genre",
                chart: .bars(label: "genre", value: "tracks"), accent: "alt"),
            DashboardPanel(
                pipeline: name, table: "features", title: "Feature statistics (streaming)",
                chart: .table(orderBy: nil), limit: 12),
            DashboardPanel(
                pipeline: name, table: "catalogue", title: "Catalogue, normalised features (first tracks)",
                chart: .table(orderBy: nil), limit: 12, wide: true),
        ]
    }
}
