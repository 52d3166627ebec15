/// The tracks recommendations are drawn from, as one contiguous feature matrix: row `i` holds track `i`'s
/// raw features, and a normalised, centred `Float` copy (what similarities are computed on) is rebuilt
/// lazily from the streaming statistics when they have changed (``prepare()``), not on every added track.
/// A track id that arrives again updates its row in place.
///
/// ```swift
/// var catalogue = TrackCatalogue(featureNames: ["danceability", "energy"], normalization: .minMax)
/// catalogue.upsert(Track(id: "a", features: [0.5, 0.9]))
/// catalogue.upsert(Track(id: "b", features: [0.7, 0.1]))
/// catalogue.prepare()
/// catalogue.row(of: "b")   // 1
/// ```
public struct TrackCatalogue: Sendable {
    /// The 12 audio features of Spotify's audio-features object, in the order rows keep them.
    public static let spotifyFeatures = [
        "danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
        "instrumentalness", "liveness", "valence", "tempo", "time_signature",
    ]

    public let featureNames: [String]
    /// Floats per normalised row: the feature count rounded up to a multiple of 4 (zero padding), so the
    /// similarity kernels run whole SIMD lanes.
    public let stride: Int
    public private(set) var normalizer: FeatureNormalizer
    /// Changes with every upsert; recommendations computed at another version are stale.
    public private(set) var version: UInt64 = 0

    public private(set) var ids: [String] = []
    public private(set) var names: [String] = []
    public private(set) var albums: [String] = []
    private var rowOfID: [String: Int32] = [:]
    private(set) var raw: [Double] = []
    /// Normalised and centred on the catalogue's mean, `stride` floats a row; valid when
    /// `normalizedVersion == normalizer.version`.
    private(set) var centred: [Float] = []
    private var normalizedVersion: UInt64 = .max

    /// Interned metadata: artists, album and genre as small integers so overlaps are array lookups.
    private(set) var artistIDs: [[Int32]] = []
    private(set) var albumIDs: [Int32] = []
    private(set) var genreIDs: [Int32] = []
    public private(set) var artistNames: [String] = []
    public private(set) var genreNames: [String] = []
    private var artistIndex: [String: Int32] = [:]
    private var albumIndex: [String: Int32] = [:]
    private var albumNames: [String] = []
    /// Rows by artist id and album id (an updated track moves: a few entries to remove).
    private var rowsByArtist: [[Int32]] = []
    private var rowsByAlbum: [[Int32]] = []
    private var genreIndex: [String: Int32] = [:]
    /// One song is often several track ids (single, album, compilation): tracks with the same name and
    /// artists share a song id, so a song is recommended once and not at all when one version is liked.
    private(set) var songIDs: [Int32] = []
    private var songIndex: [[UInt8]: Int32] = [:]

    public init(
        featureNames: [String] = TrackCatalogue.spotifyFeatures, normalization: Normalization = .minMax
    ) {
        self.featureNames = featureNames
        stride = (featureNames.count + 3) / 4 * 4
        normalizer = FeatureNormalizer(features: featureNames.count, normalization: normalization)
    }

    public var count: Int { ids.count }
    public var featureCount: Int { featureNames.count }

    public func row(of id: String) -> Int? { rowOfID[id].map(Int.init) }

    public func track(at row: Int) -> Track {
        Track(
            id: ids[row], name: names[row], artists: artistIDs[row].map { artistNames[Int($0)] },
            album: albums[row], genre: genreIDs[row] < 0 ? nil : genreNames[Int(genreIDs[row])],
            features: Array(raw[row * featureCount..<(row + 1) * featureCount]))
    }

    public func genre(at row: Int) -> String? {
        genreIDs[row] < 0 ? nil : genreNames[Int(genreIDs[row])]
    }

    public func artists(at row: Int) -> [String] { artistIDs[row].map { artistNames[Int($0)] } }

    /// Adds the track, or replaces the one with its id; returns its row.
    @discardableResult
    public mutating func upsert(_ track: Track) -> Int {
        var values = [Double](repeating: .nan, count: featureCount)
        for index in 0..<min(featureCount, track.features.count) { values[index] = track.features[index] }
        let row: Int
        if let existing = rowOfID[track.id] {
            row = Int(existing)
            normalizer.remove(raw[row * featureCount..<(row + 1) * featureCount])
            raw.replaceSubrange(row * featureCount..<(row + 1) * featureCount, with: values)
            names[row] = track.name
            albums[row] = track.album
            // Out of the inverted indexes under the old artists and album, so they stay exact.
            for artist in artistIDs[row] { rowsByArtist[Int(artist)].removeAll { $0 == Int32(row) } }
            rowsByAlbum[Int(albumIDs[row])].removeAll { $0 == Int32(row) }
            artistIDs[row] = track.artists.map { Self.intern($0, in: &artistIndex, names: &artistNames) }
            albumIDs[row] = Self.intern(track.album, in: &albumIndex, names: &albumNames)
            genreIDs[row] = track.genre.map { Self.intern($0, in: &genreIndex, names: &genreNames) } ?? -1
            songIDs[row] = songID(row)
        } else {
            row = ids.count
            rowOfID[track.id] = Int32(row)
            ids.append(track.id)
            names.append(track.name)
            albums.append(track.album)
            raw += values
            artistIDs.append(track.artists.map { Self.intern($0, in: &artistIndex, names: &artistNames) })
            albumIDs.append(Self.intern(track.album, in: &albumIndex, names: &albumNames))
            genreIDs.append(track.genre.map { Self.intern($0, in: &genreIndex, names: &genreNames) } ?? -1)
            songIDs.append(songID(row))
        }
        let artists = artistIDs[row]
        for (index, artist) in artists.enumerated() where !artists[..<index].contains(artist) {
            while rowsByArtist.count <= Int(artist) { rowsByArtist.append([]) }
            rowsByArtist[Int(artist)].append(Int32(row))
        }
        while rowsByAlbum.count <= Int(albumIDs[row]) { rowsByAlbum.append([]) }
        rowsByAlbum[Int(albumIDs[row])].append(Int32(row))
        normalizer.add(values)
        version &+= 1
        return row
    }

    /// The song id of `row` from its name and artists (a nameless track is a song of its own).
    private mutating func songID(_ row: Int) -> Int32 {
        // The key is bytes: the lower-cased name (ASCII by hand, the rest through `lowercased()`), then
        // each artist id. Building it as a `String` with interpolation was most of an upsert's time.
        var key: [UInt8] = []
        let name = names[row]
        if name.isEmpty {
            key.append(UInt8(ascii: "#"))
            key.append(contentsOf: ids[row].utf8)
        } else if name.utf8.allSatisfy({ $0 < 0x80 }) {
            key.reserveCapacity(name.utf8.count + 5 * artistIDs[row].count)
            for byte in name.utf8 { key.append(byte >= 65 && byte <= 90 ? byte + 32 : byte) }
        } else {
            key.append(contentsOf: name.lowercased().utf8)
        }
        for artist in artistIDs[row] {
            key.append(0)
            withUnsafeBytes(of: artist.littleEndian) { key.append(contentsOf: $0) }
        }
        if let id = songIndex[key] { return id }
        let id = Int32(songIndex.count)
        songIndex[key] = id
        return id
    }

    private static func intern(_ value: String, in index: inout [String: Int32], names: inout [String])
        -> Int32
    {
        if let id = index[value] { return id }
        let id = Int32(names.count)
        index[value] = id
        names.append(value)
        return id
    }

    /// Rows whose track has the artist `artist` (an interned id).
    func rows(withArtist artist: Int32) -> [Int] {
        var rows: [Int] = []
        forEachRow(withArtist: artist) { rows.append($0) }
        return rows
    }

    /// Rows whose track is on the album `album` (an interned id).
    func rows(withAlbum album: Int32) -> [Int] {
        var rows: [Int] = []
        forEachRow(withAlbum: album) { rows.append($0) }
        return rows
    }

    /// Calls `body` with each row whose track has the artist `artist` (once each), without allocating.
    @inline(__always)
    func forEachRow(withArtist artist: Int32, _ body: (Int) -> Void) {
        guard Int(artist) < rowsByArtist.count else { return }
        for row in rowsByArtist[Int(artist)] { body(Int(row)) }
    }

    @inline(__always)
    func forEachRow(withAlbum album: Int32, _ body: (Int) -> Void) {
        guard Int(album) < rowsByAlbum.count else { return }
        for row in rowsByAlbum[Int(album)] { body(Int(row)) }
    }

    /// Puts back statistics saved with the tracks (``normalizer``), after the tracks were upserted again in
    /// row order: the running minimum and maximum remember values since replaced, which upserting the
    /// current tracks alone would forget. Refused (false) when they do not describe this catalogue.
    @discardableResult
    public mutating func restoreStatistics(_ saved: FeatureNormalizer) -> Bool {
        guard saved.normalization == normalizer.normalization, saved.featureCount == featureCount,
            saved.statistics.allSatisfy({ $0.count <= count })
        else { return false }
        // A version unlike any the matrix was built at, so the next prepare() re-normalises.
        normalizer = saved
        normalizer.touch(after: normalizedVersion)
        return true
    }

    /// True when the normalised matrix is current.
    public var isPrepared: Bool { normalizedVersion == normalizer.version && centred.count == count * stride }

    /// Re-normalises the matrix if the statistics changed since the last time (one pass over the rows).
    public mutating func prepare() {
        guard !isPrepared else { return }
        let (offset, scale) = normalizer.affine()
        let d = featureCount
        // Centre on the catalogue mean in normalised space, so cosine compares directions away from the
        // typical track rather than every vector pointing into the positive orthant.
        var centre = [Double](repeating: 0, count: d)
        var fill = [Double](repeating: 0, count: d)
        for f in 0..<d {
            let stats = normalizer.statistics[f]
            centre[f] = (stats.mean - offset[f]) * scale[f]
            fill[f] = stats.mean
        }
        var matrix = [Float](repeating: 0, count: count * stride)
        matrix.withUnsafeMutableBufferPointer { out in
            raw.withUnsafeBufferPointer { values in
                for row in 0..<count {
                    for f in 0..<d {
                        var value = values[row * d + f]
                        if !value.isFinite { value = fill[f] }
                        out[row * stride + f] = Float((value - offset[f]) * scale[f] - centre[f])
                    }
                }
            }
        }
        centred = matrix
        normalizedVersion = normalizer.version
    }

    /// The normalised, centred rows (`stride` floats each) similarities are computed on; current after
    /// ``prepare()``.
    public var centredRows: [Float] { centred }

    /// Track `row`'s features on the catalogue's normalised scale (min-max in [0, 1], or z-scores).
    public func normalizedFeatures(at row: Int) -> [Double] {
        normalizer.normalize(Array(raw[row * featureCount..<(row + 1) * featureCount]))
    }

    /// Every track's features on the normalised scale, row by row: ``normalizedFeatures(at:)`` for all rows
    /// with the scale computed once. A missing feature is NaN here (the table shows it as missing).
    public func forEachNormalizedRow(_ body: (_ row: Int, _ features: [Double]) -> Void) {
        let (offset, scale) = normalizer.affine()
        let d = featureCount
        var values = [Double](repeating: 0, count: d)
        for row in 0..<count {
            for f in 0..<d { values[f] = (raw[row * d + f] - offset[f]) * scale[f] }
            body(row, values)
        }
    }

    /// The per-feature variance of the normalised catalogue (1 for z-scores).
    func normalizedVariance() -> [Double] {
        let (_, scale) = normalizer.affine()
        return (0..<featureCount).map { normalizer.statistics[$0].variance * scale[$0] * scale[$0] }
    }

    /// The normalised centre the centred rows are measured from, to turn a centred vector back.
    func normalizedCentre() -> [Double] {
        let (offset, scale) = normalizer.affine()
        return (0..<featureCount).map { (normalizer.statistics[$0].mean - offset[$0]) * scale[$0] }
    }
}
