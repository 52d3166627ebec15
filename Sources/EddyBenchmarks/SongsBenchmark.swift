import EddyApps
import EddyLog
import EddyML
import Foundation

/// `eddy bench songs`: seed 000's targets in one run — catalogue ingest (Parquet file → normalised
/// catalogue), top-10 for one user over the real 6k tracks and over 1M synthetic 12-feature tracks (beside
/// numpy's brute force on the same matrix: matrix–vector product + `argpartition`), and a like → updated
/// recommendations, in process and through ``SongsService`` on a log.
///
/// ```swift
/// try SongsBenchmark.run(.init(parquet: ".build/datasets/…/spotify_by_genre.parquet")) { print($0) }
/// ```
public enum SongsBenchmark {
    public struct Options: Sendable {
        public var parquet: String?
        public var syntheticTracks = 1_000_000
        public var python: String? = ".build/venv/bin/python"
        public var repetitions = 200

        public init(parquet: String?) { self.parquet = parquet }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func run(_ options: Options, log: (String) -> Void) async throws {
        guard let path = options.parquet, FileManager.default.fileExists(atPath: path) else {
            throw Failure(description: "the catalogue file was not found (\(SongCatalogueSource.fetchHint))")
        }
        let work = NSTemporaryDirectory() + "/eddy-bench-songs-\(getpid())"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }

        // 1. Ingest: file → JSON records (as on the topic) → tracks → normalised catalogue.
        var ingest: [Double] = []
        var parts: (read: [Double], decode: [Double], upsert: [Double], prepare: [Double]) = ([], [], [], [])
        var catalogue = TrackCatalogue()
        for _ in 0..<7 {
            let started = ContinuousClock.now
            let source = try SongCatalogueSource.read(parquet: path)
            let read = ContinuousClock.now
            var tracks: [Track] = []
            tracks.reserveCapacity(source.records.count)
            for record in source.records {
                if case .success(let track) = SongRecords.track(from: record) { tracks.append(track) }
            }
            let decoded = ContinuousClock.now
            var fresh = TrackCatalogue()
            for track in tracks { fresh.upsert(track) }
            let upserted = ContinuousClock.now
            fresh.prepare()
            let prepared = ContinuousClock.now
            ingest.append(millis(started.duration(to: prepared)))
            parts.read.append(millis(started.duration(to: read)))
            parts.decode.append(millis(read.duration(to: decoded)))
            parts.upsert.append(millis(decoded.duration(to: upserted)))
            parts.prepare.append(millis(upserted.duration(to: prepared)))
            catalogue = fresh
        }
        log(
            "catalogue ingest, \(catalogue.count) tracks from \(path): median \(format(median(ingest))) ms (target ≤ 200 ms) — Parquet → JSON records \(format(median(parts.read))) ms, JSON → tracks \(format(median(parts.decode))) ms, upsert \(format(median(parts.upsert))) ms, normalise \(format(median(parts.prepare))) ms"
        )

        // 2. Top-10 over the real catalogue for users who liked 20 tracks of one genre.
        let recommender = ContentRecommender()
        let profiles = userProfiles(catalogue, users: 12)
        var real: [Double] = []
        for index in 0..<options.repetitions * 5 {
            let started = ContinuousClock.now
            let result = recommender.recommend(profiles[index % profiles.count], in: catalogue, n: 10)
            real.append(millis(started.duration(to: .now)))
            precondition(result.items.count == 10)
        }
        log(
            "top-10 over \(catalogue.count) tracks, 20 likes: p50 \(format(percentile(real, 0.5))) ms, p99 \(format(percentile(real, 0.99))) ms (target ≤ 0.5 ms)"
        )

        // 3. Like → updated recommendations (in process: apply the like, recompute the top 10).
        var updates: [Double] = []
        var profile = profiles[0]
        var random = SeededGenerator(seed: 3)
        for like in 0..<options.repetitions * 5 {
            let row = Int(random.next() % UInt64(catalogue.count))
            let started = ContinuousClock.now
            profile.like(catalogue.ids[row], at: Int64(100 + like))
            let result = recommender.recommend(profile, in: catalogue, n: 10)
            updates.append(millis(started.duration(to: .now)))
            precondition(!result.items.isEmpty)
            if profile.count > 60 { profile.unlike(profile.likes[0].trackID) }
        }
        log(
            "like → new top-10 (in process, 20–60 likes): p50 \(format(percentile(updates, 0.5))) ms, p99 \(format(percentile(updates, 0.99))) ms (target p99 ≤ 5 ms)"
        )

        // …and through the running service: append to `likes`, wait until the answer includes it.
        let service = try await serviceLatency(path: path, likes: options.repetitions)
        log(
            "like → new top-10 (SongsService on a memory log: append, read, recompute): p50 \(format(percentile(service, 0.5))) ms, p99 \(format(percentile(service, 0.99))) ms"
        )

        // 4. 1M synthetic tracks of 12 features, beside numpy.
        if options.syntheticTracks > 0 {
            var big = TrackCatalogue()
            var generator = SeededGenerator(seed: 1)
            let started = ContinuousClock.now
            for index in 0..<options.syntheticTracks {
                let genre = index % 6
                big.upsert(
                    Track(
                        id: "s\(index)", artists: ["artist \(Int(generator.next() % 50_000))"],
                        album: "album \(Int(generator.next() % 100_000))", genre: "genre \(genre)",
                        features: (0..<12).map { _ in Double(genre) * 0.1 + generator.nextGaussian() }))
            }
            big.prepare()
            log(
                "\(options.syntheticTracks) synthetic tracks built and normalised in \(format(millis(started.duration(to: .now)))) ms"
            )
            let bigProfiles = userProfiles(big, users: 4)
            var times: [Double] = []
            for index in 0..<20 {
                let started = ContinuousClock.now
                let result = recommender.recommend(bigProfiles[index % bigProfiles.count], in: big, n: 10)
                times.append(millis(started.duration(to: .now)))
                precondition(result.items.count == 10)
            }
            log(
                "top-10 over \(big.count) tracks, 20 likes (Eddy, full method): p50 \(format(percentile(times, 0.5))) ms, p99 \(format(percentile(times, 0.99))) ms (target ≤ 20 ms)"
            )
            if let python = options.python {
                let reference = try numpy(python: python, catalogue: big, work: work)
                log(
                    "top-10 over \(big.count) tracks (numpy brute force: M @ p + argpartition, float32): \(reference)"
                )
            }
            let smallReference = try options.python.map {
                try numpy(python: $0, catalogue: catalogue, work: work)
            }
            if let smallReference {
                log("top-10 over \(catalogue.count) tracks (numpy brute force): \(smallReference)")
            }
        }
    }

    /// Users who each liked 20 tracks of one genre (seeded).
    static func userProfiles(_ catalogue: TrackCatalogue, users: Int) -> [TasteProfile] {
        var rowsByGenre: [String: [Int]] = [:]
        for row in 0..<catalogue.count {
            rowsByGenre[catalogue.genre(at: row) ?? "", default: []].append(row)
        }
        let genres = rowsByGenre.keys.sorted()
        var random = SeededGenerator(seed: 42)
        return (0..<users).map { user in
            let rows = rowsByGenre[genres[user % genres.count]]!
            var profile = TasteProfile()
            for like in 0..<20 {
                profile.like(catalogue.ids[rows[Int(random.next() % UInt64(rows.count))]], at: Int64(like))
            }
            return profile
        }
    }

    static func serviceLatency(path: String, likes: Int) async throws -> [Double] {
        let log = MemoryLog()
        _ = try log.createTopic("songs", config: TopicConfig(partitions: 1))
        _ = try log.createTopic("likes", config: TopicConfig(partitions: 1))
        let source = try SongCatalogueSource.read(parquet: path)
        _ = try log.append(source.records.map { ProducerRecord(value: $0) }, to: "songs")
        let service = SongsService(log: log)
        let running = Task { try await service.run() }
        defer { running.cancel() }
        var ids: [String] = []
        for record in source.records.prefix(2_000) {
            if case .success(let track) = SongRecords.track(from: record) { ids.append(track.id) }
        }
        while !service.hasTrack(ids.last!) { try await Task.sleep(for: .milliseconds(10)) }
        var times: [Double] = []
        for index in 0..<likes {
            let started = ContinuousClock.now
            let applied = try await service.append(
                SongRecords.LikeEvent(userID: "bench", trackID: ids[index % ids.count], likedAt: Int64(index))
            )
            precondition(applied)
            _ = service.recommendations(for: "bench", n: 10)
            times.append(millis(started.duration(to: .now)))
        }
        return times
    }

    /// numpy's brute force on the same centred rows: one float32 matrix–vector product and `argpartition`.
    static func numpy(python: String, catalogue: TrackCatalogue, work: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            return
                "skipped (\(python) not found; python3 -m venv .build/venv && .build/venv/bin/pip install numpy)"
        }
        let matrixPath = work + "/matrix.f32"
        let rows = catalogue.centredRows
        try rows.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: matrixPath))
        let script = """
            import sys, time
            import numpy as np
            m = np.fromfile(sys.argv[1], dtype=np.float32).reshape(-1, int(sys.argv[2]))
            rng = np.random.default_rng(1)
            profile = m[rng.integers(0, m.shape[0], 20)].mean(axis=0)
            times = []
            for _ in range(50):
                t = time.perf_counter()
                scores = m @ profile
                top = np.argpartition(-scores, 10)[:10]
                top = top[np.argsort(-scores[top])]
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            print(f"p50 {times[len(times) // 2]:.3f} ms, p99 {times[int(len(times) * 0.99)]:.3f} ms (numpy {np.__version__})")
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, matrixPath, String(catalogue.stride)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return process.terminationStatus == 0 ? text : "failed: \(text.suffix(300))"
    }

    static func millis(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) * 1e-15
    }

    static func median(_ values: [Double]) -> Double { percentile(values, 0.5) }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    static func format(_ value: Double) -> String { String(format: "%.3f", value) }
}
