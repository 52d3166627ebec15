import Foundation

extension ContentRecommender {
    /// One user's query against one prepared catalogue: the weights and vectors every score needs,
    /// computed once.
    struct Query {
        let catalogue: TrackCatalogue
        let options: Options
        let likedRows: [Int]
        /// Per-feature weights, `stride` long (zero in the padding).
        let weights: [Float]
        /// Profile (weighted mean of liked centred rows), and `weights ⊙ profile` with its weighted norm.
        let profileCentred: [Double]
        let weightedProfile: [Float]
        let profileNorm: Float
        /// `weights ⊙ liked row` for each liked track, and weighted norms.
        let weightedLiked: [Float]
        let likedNorms: [Float]
        /// Share of likes in each genre id (used only when ``Options/genreWeight`` is not 0).
        let genreShare: [Float]
        /// Artists and albums of the likes with how many likes have each, sorted by id for binary search
        /// (a few dozen entries: cheaper than hashing for every candidate).
        let likedArtists: [Count]
        let likedAlbums: [Count]

        struct Count {
            var id: Int32
            var count: Int32
        }

        /// A row to score, with how many likes share its artist and its album.
        struct Candidate {
            var row: Int32
            var artist: Int32
            var album: Int32
        }

        /// A candidate's full score and its parts, for ranking and for saying why.
        struct Scored {
            var row: Int32
            var score: Float
            var similarity: Float
            var nearest: Int32
            var nearestSimilarity: Float
            var artistShare: Float
            var albumShare: Float
        }

        init(catalogue: TrackCatalogue, likedRows: [Int], likedAt: [Int64], options: Options) {
            self.catalogue = catalogue
            self.options = options
            self.likedRows = likedRows
            let d = catalogue.featureCount
            let stride = catalogue.stride
            let matrix = catalogue.centred
            let count = Double(likedRows.count)

            // Recency: weight 2^(−age / half-life), age from the newest like.
            var recency = [Double](repeating: 1, count: likedRows.count)
            if let halfLife = options.recencyHalfLifeDays, halfLife > 0, let newest = likedAt.max() {
                recency = likedAt.map { exp2(-Double(newest - $0) / (halfLife * 86_400_000_000)) }
            }
            let recencySum = recency.reduce(0, +)

            var mean = [Double](repeating: 0, count: d)
            var plainMean = [Double](repeating: 0, count: d)
            for (index, row) in likedRows.enumerated() {
                for f in 0..<d {
                    let value = Double(matrix[row * stride + f])
                    mean[f] += recency[index] * value / recencySum
                    plainMean[f] += value / count
                }
            }
            profileCentred = mean

            var weights = [Float](repeating: 0, count: stride)
            let catalogueVariance = catalogue.normalizedVariance()
            for f in 0..<d where catalogueVariance[f] > 0 {
                guard options.learnFeatureWeights else {
                    weights[f] = 1
                    continue
                }
                var likedVariance = 0.0
                for row in likedRows {
                    let deviation = Double(matrix[row * stride + f]) - plainMean[f]
                    likedVariance += deviation * deviation
                }
                likedVariance /= count
                // Shrink towards the catalogue's variance: two likes agreeing on a feature say little.
                let prior = 2.0
                let shrunk = (count * likedVariance + prior * catalogueVariance[f]) / (count + prior)
                weights[f] = Float(catalogueVariance[f] / max(shrunk, 1e-12))
            }
            let used = weights.filter { $0 > 0 }
            if !used.isEmpty {
                let scale = Float(used.count) / used.reduce(0, +)
                for f in weights.indices { weights[f] *= scale }
            }
            self.weights = weights

            var weightedProfile = [Float](repeating: 0, count: stride)
            var norm: Float = 0
            for f in 0..<d {
                weightedProfile[f] = weights[f] * Float(mean[f])
                norm += weights[f] * Float(mean[f] * mean[f])
            }
            self.weightedProfile = weightedProfile
            profileNorm = norm.squareRoot()

            var weightedLiked = [Float](repeating: 0, count: likedRows.count * stride)
            var likedNorms = [Float](repeating: 0, count: likedRows.count)
            for (index, row) in likedRows.enumerated() {
                var norm: Float = 0
                for f in 0..<d {
                    let value = matrix[row * stride + f]
                    weightedLiked[index * stride + f] = weights[f] * value
                    norm += weights[f] * value * value
                }
                likedNorms[index] = norm.squareRoot()
            }
            self.weightedLiked = weightedLiked
            self.likedNorms = likedNorms

            var genreShare = [Float](repeating: 0, count: catalogue.genreNames.count)
            var artists: [Int32] = []
            var albums: [Int32] = []
            for row in likedRows {
                let genre = catalogue.genreIDs[row]
                if genre >= 0 { genreShare[Int(genre)] += Float(1 / count) }
                let own = catalogue.artistIDs[row]
                for (index, artist) in own.enumerated() where !own[..<index].contains(artist) {
                    artists.append(artist)
                }
                albums.append(catalogue.albumIDs[row])
            }
            self.genreShare = genreShare
            likedArtists = Self.counted(artists)
            likedAlbums = Self.counted(albums)
        }

        /// Ids with their multiplicity, sorted by id.
        static func counted(_ ids: [Int32]) -> [Count] {
            var result: [Count] = []
            for id in ids.sorted() {
                if result.last?.id == id {
                    result[result.count - 1].count += 1
                } else {
                    result.append(Count(id: id, count: 1))
                }
            }
            return result
        }

        @inline(__always)
        static func count(of id: Int32, in counts: [Count]) -> Int32 {
            var low = 0
            var high = counts.count
            while low < high {
                let middle = (low + high) / 2
                if counts[middle].id < id { low = middle + 1 } else { high = middle }
            }
            return low < counts.count && counts[low].id == id ? counts[low].count : 0
        }

        /// The best `n` after exclusions and the genre cap.
        func rank(n: Int) -> [SongRecommendation] {
            let rows = catalogue.count
            // Per row: −1 never recommend (liked, or by a liked artist in discovery mode); 0 not a candidate
            // (yet); i + 1 the i-th candidate.
            var slot = [Int32](repeating: 0, count: rows)
            for row in likedRows { slot[row] = -1 }
            if options.excludeLikedArtists {
                for artist in likedArtists { catalogue.forEachRow(withArtist: artist.id) { slot[$0] = -1 } }
            }
            // Every row sharing an artist or album with a like is a candidate (the metadata term can lift it
            // past anything the profile prefers); the shares are counted here, from the inverted indexes,
            // rather than looked up per candidate.
            var candidates: [Candidate] = []
            if options.artistWeight > 0, !options.excludeLikedArtists {
                for artist in likedArtists {
                    catalogue.forEachRow(withArtist: artist.id) { row in
                        let at = slot[row]
                        if at == 0 {
                            candidates.append(Candidate(row: Int32(row), artist: artist.count, album: 0))
                            slot[row] = Int32(candidates.count)
                        } else if at > 0 {
                            candidates[Int(at) - 1].artist = max(candidates[Int(at) - 1].artist, artist.count)
                        }
                    }
                }
            }
            if options.albumWeight > 0 {
                for album in likedAlbums {
                    catalogue.forEachRow(withAlbum: album.id) { row in
                        let at = slot[row]
                        if at == 0 {
                            candidates.append(Candidate(row: Int32(row), artist: 0, album: album.count))
                            slot[row] = Int32(candidates.count)
                        } else if at > 0 {
                            candidates[Int(at) - 1].album = album.count
                        }
                    }
                }
            }
            // …and the profile's best of the rest, in one pass over every row. The neighbour term only
            // re-orders: tried against scoring every row fully, 5n (at least 50) lose nothing measurable.
            let keep = max(5 * n, 50) + (options.genreCap == nil ? 0 : 5 * n)
            for row in firstStage(keep: keep, slot) {
                candidates.append(Candidate(row: row, artist: 0, album: 0))
            }

            var scored = candidates.map(score)
            // A few hundred candidates: sorting them is cheap next to the pass that chose them.
            scored.sort { $0.score > $1.score || ($0.score == $1.score && $0.row < $1.row) }
            var perGenre: [Int32: Int] = [:]
            var items: [SongRecommendation] = []
            items.reserveCapacity(n)
            // One song is often several track ids: recommend it once, and not when a version is liked.
            var songs = Set(likedRows.map { catalogue.songIDs[$0] })
            for candidate in scored {
                guard items.count < n else { break }
                let row = Int(candidate.row)
                guard songs.insert(catalogue.songIDs[row]).inserted else { continue }
                if let cap = options.genreCap {
                    let genre = catalogue.genreIDs[row]
                    if genre >= 0 {
                        guard perGenre[genre, default: 0] < cap else { continue }
                        perGenre[genre, default: 0] += 1
                    }
                }
                items.append(
                    SongRecommendation(
                        row: row, trackID: catalogue.ids[row], score: Double(candidate.score),
                        similarity: Double(candidate.similarity),
                        nearestLikedRow: candidate.nearest >= 0 ? likedRows[Int(candidate.nearest)] : nil,
                        nearestSimilarity: Double(candidate.nearestSimilarity),
                        artistShare: Double(candidate.artistShare), albumShare: Double(candidate.albumShare)))
            }
            return items
        }

        /// One pass over every row not flagged: weighted cosine to the profile (plus the genre share when
        /// asked for), the best `keep` in a heap.
        func firstStage(keep: Int, _ flags: [Int32]) -> [Int32] {
            let stride = catalogue.stride
            let chunks = stride / 4
            let rows = catalogue.count
            var top = TopN(n: keep)
            let genreWeight = Float(options.genreWeight)
            let useGenre = genreWeight != 0 && !genreShare.isEmpty
            let profileNorm = profileNorm
            // Weights and profile stay in registers for the usual ≤ 16 features.
            func lanes(_ values: [Float]) -> [SIMD4<Float>] {
                (0..<chunks).map { SIMD4(values[4 * $0..<4 * $0 + 4]) }
            }
            let w = lanes(weights)
            let p = lanes(weightedProfile)
            catalogue.centred.withUnsafeBufferPointer { matrix in
                flags.withUnsafeBufferPointer { flags in
                    catalogue.genreIDs.withUnsafeBufferPointer { genres in
                        let base = UnsafeRawPointer(matrix.baseAddress!)
                        if chunks <= 4 {
                            let zero = SIMD4<Float>()
                            let (w0, w1, w2, w3) = (
                                w[0], chunks > 1 ? w[1] : zero, chunks > 2 ? w[2] : zero,
                                chunks > 3 ? w[3] : zero
                            )
                            let (p0, p1, p2, p3) = (
                                p[0], chunks > 1 ? p[1] : zero, chunks > 2 ? p[2] : zero,
                                chunks > 3 ? p[3] : zero
                            )
                            for row in 0..<rows where flags[row] == 0 {
                                let at = base + row * stride * 4
                                let x0 = at.loadUnaligned(as: SIMD4<Float>.self)
                                var dot = p0 * x0
                                var norm = w0 * x0 * x0
                                if chunks > 1 {
                                    let x1 = at.loadUnaligned(fromByteOffset: 16, as: SIMD4<Float>.self)
                                    dot += p1 * x1
                                    norm += w1 * x1 * x1
                                }
                                if chunks > 2 {
                                    let x2 = at.loadUnaligned(fromByteOffset: 32, as: SIMD4<Float>.self)
                                    dot += p2 * x2
                                    norm += w2 * x2 * x2
                                }
                                if chunks > 3 {
                                    let x3 = at.loadUnaligned(fromByteOffset: 48, as: SIMD4<Float>.self)
                                    dot += p3 * x3
                                    norm += w3 * x3 * x3
                                }
                                let length = norm.sum().squareRoot() * profileNorm
                                var score = length > 0 ? dot.sum() / length : 0
                                if useGenre, genres[row] >= 0 {
                                    score += genreWeight * genreShare[Int(genres[row])]
                                }
                                if score > top.threshold { top.offer(Int32(row), score) }
                            }
                        } else {
                            for row in 0..<rows where flags[row] == 0 {
                                let at = base + row * stride * 4
                                var dot = SIMD4<Float>()
                                var norm = SIMD4<Float>()
                                for chunk in 0..<chunks {
                                    let x = at.loadUnaligned(
                                        fromByteOffset: chunk * 16, as: SIMD4<Float>.self)
                                    dot += p[chunk] * x
                                    norm += w[chunk] * x * x
                                }
                                let length = norm.sum().squareRoot() * profileNorm
                                var score = length > 0 ? dot.sum() / length : 0
                                if useGenre, genres[row] >= 0 {
                                    score += genreWeight * genreShare[Int(genres[row])]
                                }
                                if score > top.threshold { top.offer(Int32(row), score) }
                            }
                        }
                    }
                }
            }
            return top.heap.map(\.index)
        }

        /// A candidate's full score: weighted cosine to the profile, the mean of its `neighbours` highest
        /// weighted cosines to single liked tracks (the highest one remembered, to say why), and the shares
        /// of likes sharing its artist or album — one pass over the liked tracks, no allocation.
        func score(_ candidate: Candidate) -> Scored {
            let row = Int(candidate.row)
            let stride = catalogue.stride
            let chunks = stride / 4
            let k = max(1, min(options.neighbours, likedRows.count, 8))
            var result = Scored(
                row: candidate.row, score: 0, similarity: 0, nearest: -1, nearestSimilarity: 0,
                artistShare: 0,
                albumShare: 0)
            catalogue.centred.withUnsafeBufferPointer { matrix in
                weights.withUnsafeBufferPointer { w in
                    weightedProfile.withUnsafeBufferPointer { p in
                        weightedLiked.withUnsafeBufferPointer { liked in
                            likedNorms.withUnsafeBufferPointer { likedNorms in
                                let x = UnsafeRawPointer(matrix.baseAddress! + row * stride)
                                let wRaw = UnsafeRawPointer(w.baseAddress!)
                                let pRaw = UnsafeRawPointer(p.baseAddress!)
                                var norm = SIMD4<Float>()
                                var dot = SIMD4<Float>()
                                for chunk in 0..<chunks {
                                    let value = x.loadUnaligned(
                                        fromByteOffset: chunk * 16, as: SIMD4<Float>.self)
                                    norm +=
                                        wRaw.loadUnaligned(fromByteOffset: chunk * 16, as: SIMD4<Float>.self)
                                        * value * value
                                    dot +=
                                        pRaw.loadUnaligned(fromByteOffset: chunk * 16, as: SIMD4<Float>.self)
                                        * value
                                }
                                let rowNorm = norm.sum().squareRoot()
                                let length = rowNorm * profileNorm
                                result.similarity = length > 0 ? dot.sum() / length : 0
                                // The k best so far, best first (k ≤ 8).
                                var best = SIMD8<Float>(repeating: -.infinity)
                                var (b0, b1, b2) = (-Float.infinity, -Float.infinity, -Float.infinity)
                                let base = UnsafeRawPointer(liked.baseAddress!)
                                // The candidate stays in registers for the usual ≤ 16 features.
                                let zero = SIMD4<Float>()
                                let x0 = x.loadUnaligned(as: SIMD4<Float>.self)
                                let x1 =
                                    chunks > 1
                                    ? x.loadUnaligned(fromByteOffset: 16, as: SIMD4<Float>.self) : zero
                                let x2 =
                                    chunks > 2
                                    ? x.loadUnaligned(fromByteOffset: 32, as: SIMD4<Float>.self) : zero
                                let x3 =
                                    chunks > 3
                                    ? x.loadUnaligned(fromByteOffset: 48, as: SIMD4<Float>.self) : zero
                                for index in 0..<likedRows.count {
                                    let at = base + index * stride * 4
                                    var sum = at.loadUnaligned(as: SIMD4<Float>.self) * x0
                                    if chunks > 1 {
                                        sum +=
                                            at.loadUnaligned(fromByteOffset: 16, as: SIMD4<Float>.self) * x1
                                    }
                                    if chunks > 2 {
                                        sum +=
                                            at.loadUnaligned(fromByteOffset: 32, as: SIMD4<Float>.self) * x2
                                    }
                                    if chunks > 3 {
                                        sum +=
                                            at.loadUnaligned(fromByteOffset: 48, as: SIMD4<Float>.self) * x3
                                    }
                                    if chunks > 4 {
                                        for chunk in 4..<chunks {
                                            sum +=
                                                at.loadUnaligned(
                                                    fromByteOffset: chunk * 16, as: SIMD4<Float>.self)
                                                * x.loadUnaligned(
                                                    fromByteOffset: chunk * 16, as: SIMD4<Float>.self)
                                        }
                                    }
                                    let length = rowNorm * likedNorms[index]
                                    let similarity = length > 0 ? sum.sum() / length : 0
                                    if k == 3 {
                                        // The default, in three registers (a vector indexed at run time
                                        // lives on the stack).
                                        guard similarity > b2 else { continue }
                                        if similarity > b1 {
                                            b2 = b1
                                            if similarity > b0 {
                                                b1 = b0
                                                b0 = similarity
                                                result.nearest = Int32(index)
                                            } else {
                                                b1 = similarity
                                            }
                                        } else {
                                            b2 = similarity
                                        }
                                        continue
                                    }
                                    guard similarity > best[k - 1] else { continue }
                                    var place = k - 1
                                    while place > 0, best[place - 1] < similarity {
                                        best[place] = best[place - 1]
                                        place -= 1
                                    }
                                    best[place] = similarity
                                    if place == 0 { result.nearest = Int32(index) }
                                }
                                if k == 3 { best[0] = b0; best[1] = b1; best[2] = b2 }
                                var total: Float = 0
                                for place in 0..<k { total += best[place] }
                                result.nearestSimilarity = best[0]
                                result.score =
                                    Float(options.profileWeight) * result.similarity
                                    + Float(options.neighbourWeight) * total / Float(k)
                            }
                        }
                    }
                }
            }
            let count = Float(likedRows.count)
            result.artistShare = Float(candidate.artist) / count
            result.albumShare = Float(candidate.album) / count
            result.score +=
                Float(options.artistWeight) * result.artistShare + Float(options.albumWeight)
                * result.albumShare
            let genre = catalogue.genreIDs[row]
            if options.genreWeight != 0, genre >= 0 {
                result.score += Float(options.genreWeight) * genreShare[Int(genre)]
            }
            return result
        }
    }
}
