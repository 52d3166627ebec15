import Foundation

extension ContentRecommender {
    /// One user's query against one prepared catalogue: the weights and vectors every score needs,
    /// computed once.
    struct Query {
        let catalogue: TrackCatalogue
        let options: Options
        let likedRows: [Int]
        let likedSet: Set<Int>
        /// Per-feature weights, `stride` long (zero in the padding).
        let weights: [Float]
        /// Profile (weighted mean of liked centred rows), and `weights ⊙ profile` with its weighted norm.
        let profileCentred: [Double]
        let weightedProfile: [Float]
        let profileNorm: Float
        /// `weights ⊙ liked row` for each liked track, and weighted norms.
        let weightedLiked: [Float]
        let likedNorms: [Float]
        /// Share of likes in each genre id, artist id, album id.
        let genreShare: [Float]
        let artistCounts: [Int32: Int]
        let albumCounts: [Int32: Int]

        init(catalogue: TrackCatalogue, likedRows: [Int], likedAt: [Int64], options: Options) {
            self.catalogue = catalogue
            self.options = options
            self.likedRows = likedRows
            likedSet = Set(likedRows)
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
            var artistCounts: [Int32: Int] = [:]
            var albumCounts: [Int32: Int] = [:]
            for row in likedRows {
                let genre = catalogue.genreIDs[row]
                if genre >= 0 { genreShare[Int(genre)] += Float(1 / count) }
                for artist in Set(catalogue.artistIDs[row]) { artistCounts[artist, default: 0] += 1 }
                albumCounts[catalogue.albumIDs[row], default: 0] += 1
            }
            self.genreShare = genreShare
            self.artistCounts = artistCounts
            self.albumCounts = albumCounts
        }

        /// The best `n` after exclusions and the genre cap.
        func rank(n: Int) -> [SongRecommendation] {
            let excluded = options.excludeLikedArtists ? likedRows.count * 4 : likedRows.count
            let candidateCount = max(10 * n, 200) + excluded
            var candidates = Set(firstStage(keep: candidateCount))
            for row in metadataRows() { candidates.insert(row) }

            var scored: [(row: Int, score: Double, similarity: Double)] = []
            scored.reserveCapacity(candidates.count)
            for row in candidates where !likedSet.contains(row) {
                if options.excludeLikedArtists,
                    catalogue.artistIDs[row].contains(where: { artistCounts[$0] != nil })
                {
                    continue
                }
                let (profile, neighbours) = similarities(row)
                let similarity = Double(profile)
                let score =
                    options.profileWeight * similarity + options.neighbourWeight * neighbours
                    + metadataScore(row)
                scored.append((row, score, similarity))
            }
            // The candidates are a few hundred: sorting them is cheap next to the pass that chose them.
            scored.sort { $0.score > $1.score || ($0.score == $1.score && $0.row < $1.row) }
            var perGenre: [Int32: Int] = [:]
            var items: [SongRecommendation] = []
            // One song is often several track ids (single, album, compilation): recommend it once, and not
            // at all when the user liked one of its versions.
            var songs = Set(likedRows.map(songKey))
            for candidate in scored {
                guard items.count < n else { break }
                guard songs.insert(songKey(candidate.row)).inserted else { continue }
                if let cap = options.genreCap {
                    let genre = catalogue.genreIDs[candidate.row]
                    if genre >= 0 {
                        guard perGenre[genre, default: 0] < cap else { continue }
                        perGenre[genre, default: 0] += 1
                    }
                }
                items.append(
                    SongRecommendation(
                        row: candidate.row, trackID: catalogue.ids[candidate.row], score: candidate.score,
                        similarity: candidate.similarity))
            }
            return items
        }

        /// The same song under another track id: same name and artists.
        func songKey(_ row: Int) -> String {
            guard !catalogue.names[row].isEmpty else { return "#\(row)" }
            return catalogue.names[row].lowercased() + "\u{0}"
                + catalogue.artistIDs[row].map(String.init).joined(separator: ",")
        }

        /// One pass over every row: weighted profile cosine plus the genre share, best `keep` in a heap.
        func firstStage(keep: Int) -> [Int] {
            let stride = catalogue.stride
            let rows = catalogue.count
            var top = TopN(n: keep)
            let profileWeight = Float(options.profileWeight)
            let genreWeight = Float(options.genreWeight)
            let genreIDs = catalogue.genreIDs
            catalogue.centred.withUnsafeBufferPointer { matrix in
                weights.withUnsafeBufferPointer { w in
                    weightedProfile.withUnsafeBufferPointer { p in
                        genreShare.withUnsafeBufferPointer { share in
                            genreIDs.withUnsafeBufferPointer { genres in
                                let base = UnsafeRawPointer(matrix.baseAddress!)
                                let wRaw = UnsafeRawPointer(w.baseAddress!)
                                let pRaw = UnsafeRawPointer(p.baseAddress!)
                                for row in 0..<rows {
                                    var dot = SIMD4<Float>()
                                    var norm = SIMD4<Float>()
                                    var offset = 0
                                    while offset < stride {
                                        let x = base.loadUnaligned(
                                            fromByteOffset: (row * stride + offset) * 4, as: SIMD4<Float>.self
                                        )
                                        let wx =
                                            wRaw.loadUnaligned(
                                                fromByteOffset: offset * 4, as: SIMD4<Float>.self) * x
                                        dot +=
                                            pRaw.loadUnaligned(
                                                fromByteOffset: offset * 4, as: SIMD4<Float>.self) * x
                                        norm += wx * x
                                        offset += 4
                                    }
                                    let length = norm.sum().squareRoot() * profileNorm
                                    var score = length > 0 ? profileWeight * dot.sum() / length : 0
                                    let genre = genres[row]
                                    if genre >= 0 { score += genreWeight * share[Int(genre)] }
                                    top.offer(Int32(row), score)
                                }
                            }
                        }
                    }
                }
            }
            return top.heap.map { Int($0.index) }
        }

        /// Rows sharing an artist or album with a liked track (the metadata term can lift them past rows
        /// the first stage preferred).
        func metadataRows() -> [Int] {
            guard options.artistWeight > 0 || options.albumWeight > 0 else { return [] }
            var rows: [Int] = []
            if options.artistWeight > 0 {
                for artist in artistCounts.keys { rows += catalogue.rows(withArtist: artist) }
            }
            if options.albumWeight > 0 {
                for album in albumCounts.keys { rows += catalogue.rows(withAlbum: album) }
            }
            return rows
        }

        /// Weighted cosine of `row` to the profile, and the mean of its `neighbours` highest weighted cosines
        /// to single liked tracks — one pass over the liked tracks, no allocation.
        func similarities(_ row: Int) -> (profile: Float, neighbours: Double) {
            let stride = catalogue.stride
            let k = max(1, min(options.neighbours, likedRows.count, 8))
            return catalogue.centred.withUnsafeBufferPointer { matrix in
                weights.withUnsafeBufferPointer { w in
                    weightedProfile.withUnsafeBufferPointer { p in
                        weightedLiked.withUnsafeBufferPointer { liked in
                            let x = UnsafeRawPointer(matrix.baseAddress! + row * stride)
                            let wRaw = UnsafeRawPointer(w.baseAddress!)
                            let pRaw = UnsafeRawPointer(p.baseAddress!)
                            var norm = SIMD4<Float>()
                            var dot = SIMD4<Float>()
                            var offset = 0
                            while offset < stride {
                                let value = x.loadUnaligned(fromByteOffset: offset * 4, as: SIMD4<Float>.self)
                                norm +=
                                    wRaw.loadUnaligned(fromByteOffset: offset * 4, as: SIMD4<Float>.self)
                                    * value * value
                                dot +=
                                    pRaw.loadUnaligned(fromByteOffset: offset * 4, as: SIMD4<Float>.self)
                                    * value
                                offset += 4
                            }
                            let rowNorm = norm.sum().squareRoot()
                            let length = rowNorm * profileNorm
                            let profile = length > 0 ? dot.sum() / length : 0
                            // The k best so far, best first (k ≤ 8).
                            var best = SIMD8<Float>(repeating: -.infinity)
                            let base = UnsafeRawPointer(liked.baseAddress!)
                            for index in 0..<likedRows.count {
                                var sum = SIMD4<Float>()
                                var offset = 0
                                while offset < stride {
                                    sum +=
                                        base.loadUnaligned(
                                            fromByteOffset: (index * stride + offset) * 4,
                                            as: SIMD4<Float>.self)
                                        * x.loadUnaligned(fromByteOffset: offset * 4, as: SIMD4<Float>.self)
                                    offset += 4
                                }
                                let length = rowNorm * likedNorms[index]
                                let similarity = length > 0 ? sum.sum() / length : 0
                                guard similarity > best[k - 1] else { continue }
                                var place = k - 1
                                while place > 0, best[place - 1] < similarity {
                                    best[place] = best[place - 1]
                                    place -= 1
                                }
                                best[place] = similarity
                            }
                            var total: Float = 0
                            for place in 0..<k { total += best[place] }
                            return (profile, Double(total) / Double(k))
                        }
                    }
                }
            }
        }

        func metadataScore(_ row: Int) -> Double {
            let count = Double(likedRows.count)
            var score = 0.0
            let genre = catalogue.genreIDs[row]
            if genre >= 0 { score += options.genreWeight * Double(genreShare[Int(genre)]) }
            if options.artistWeight > 0 {
                var shared = 0
                for artist in catalogue.artistIDs[row] { shared = max(shared, artistCounts[artist] ?? 0) }
                score += options.artistWeight * Double(shared) / count
            }
            if options.albumWeight > 0 {
                score += options.albumWeight * Double(albumCounts[catalogue.albumIDs[row]] ?? 0) / count
            }
            return score
        }
    }
}
