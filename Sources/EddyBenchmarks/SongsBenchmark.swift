import EddyApps
import EddyFormats
import EddyLog
import EddyML
import EddyServer
import EddyStream
import Foundation
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `eddy bench songs`: seed 000's targets in one run — catalogue ingest (Parquet file → topic on disk →
/// the songs service's normalised live table, the path `eddy produce` + `eddy serve` take), top-10 for one
/// user over the real 6k tracks and over 1M synthetic 12-feature tracks (beside numpy's brute force on the
/// same matrix: matrix–vector product + `argpartition`), and a like → updated recommendations, in process
/// and through the songs server's `POST /api/users/{id}/likes`.
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

        // 1. Ingest, the path a user runs: `eddy produce songs --from-parquet FILE --key-field track_id` (each
        // row a JSON record, appended to topic `songs` of a data directory on disk), then the songs service
        // that `eddy serve --pipeline songs` runs reads the topic until the normalised catalogue table it
        // serves holds every track.
        var ingest: [Double] = []
        var parts: (produce: [Double], table: [Double]) = ([], [])
        var servedTracks = 0
        for run in 0..<7 {
            let directory = work + "/ingest-\(run)"
            let topics = try FileLog(directory: directory, flushPolicy: .default)
            let started = ContinuousClock.now
            let records = try produce(parquet: path, to: topics, topic: SongsApp.songsTopic)
            let produced = ContinuousClock.now
            let (tracks, ended) = try await serveCatalogue(log: topics, records: records)
            topics.close()
            ingest.append(millis(started.duration(to: ended)))
            parts.produce.append(millis(started.duration(to: produced)))
            parts.table.append(millis(produced.duration(to: ended)))
            servedTracks = tracks
            try? FileManager.default.removeItem(atPath: directory)
        }
        log(
            "catalogue ingest, Parquet file → normalised live table `catalogue` (\(servedTracks) tracks from \(path)): median \(format(median(ingest))) ms (target ≤ 200 ms) — produce (file → topic on disk) \(format(median(parts.produce))) ms, songs service (topic → normalised table) \(format(median(parts.table))) ms"
        )
        var catalogue = TrackCatalogue()
        for record in try SongCatalogueSource.read(parquet: path).records {
            if case .success(let track) = SongRecords.track(from: record) { catalogue.upsert(track) }
        }
        catalogue.prepare()

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

        // …and the way the dashboard and API clients do it: `POST /api/users/{id}/likes` to the songs app
        // deployed as `eddy serve --pipeline songs` deploys it (FileLog, HTTP), timed until the answer with
        // the updated recommendations has arrived.
        let served = try await httpLikeLatency(path: path, likes: options.repetitions, work: work)
        log(
            "like → new top-10 (POST /api/users/{id}/likes to the songs server: HTTP, append to `likes` on disk, applied, answered; 20–60 likes, \(served.count) timed): p50 \(format(percentile(served, 0.5))) ms, p99 \(format(percentile(served, 0.99))) ms (target p99 ≤ 5 ms)"
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

    /// What `eddy produce TOPIC --from-parquet FILE --key-field track_id` does: every row a JSON object keyed
    /// by its track id, appended in batches of 1,000. Returns the records appended.
    static func produce(parquet path: String, to log: FileLog, topic: String) throws -> Int {
        if (try? log.describeTopic(topic)) == nil {
            _ = try log.createTopic(topic, config: TopicConfig(partitions: 1))
        }
        let reader = try ParquetReader(path: path)
        let key = reader.fields.firstIndex { $0.name == "track_id" }
        var batch: [ProducerRecord] = []
        var written = 0
        for group in 0..<reader.rowGroupCount {
            let table = try reader.read(rowGroups: group..<group + 1)
            let json = JSONObjectWriter(table)
            for row in 0..<table.rowCount {
                var value: [UInt8] = []
                json.append(row: row, to: &value)
                batch.append(
                    ProducerRecord(key: key.flatMap { table.text(row: row, column: $0) }, value: value))
                if batch.count == 1_000 {
                    try log.append(batch, to: topic)
                    written += batch.count
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
        if !batch.isEmpty { try log.append(batch, to: topic) }
        return written + batch.count
    }

    /// Starts the songs service on `log` and waits until it has read all `records` of the catalogue topic
    /// and published the normalised catalogue table with them; returns the tracks served and when.
    static func serveCatalogue(log: FileLog, records: Int) async throws -> (
        tracks: Int, at: ContinuousClock.Instant
    ) {
        _ = try log.createTopic(SongsApp.likesTopic, config: TopicConfig(partitions: 1))
        let service = SongsService(log: log)
        let running = Task { try await service.run() }
        defer { running.cancel() }
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while ContinuousClock.now < deadline {
            // The table is written after the records are applied, so once everything was read, a table
            // version covering all of it has the whole catalogue.
            let read = service.progress.recordsRead
            let table = service.catalogueTable
            if read >= Int64(records), table.rowCount > 0, table.lastBatchId >= 0,
                service.catalogueCount == table.rowCount
            {
                let at = ContinuousClock.now
                running.cancel()
                _ = await running.result
                return (table.rowCount, at)
            }
            try await Task.sleep(for: .microseconds(100))
        }
        throw Failure(description: "the songs service did not publish the catalogue within 60 s")
    }

    /// The songs app deployed as `eddy serve --pipeline songs` deploys it, on a data directory holding the
    /// catalogue; likes posted one at a time over one keep-alive connection, `likes` of them timed from the
    /// request's first byte to the answer's last (users with 20 to 60 likes, as in process). Each answer must
    /// list one more liked track and 10 recommendations.
    static func httpLikeLatency(path: String, likes: Int, work: String) async throws -> [Double] {
        let directory = work + "/serve"
        let log = try FileLog(directory: directory, flushPolicy: .default)
        let records = try produce(parquet: path, to: log, topic: SongsApp.songsTopic)
        let deployment = try AppRegistry.standard.deploy(
            [AppChoice(SongsApp.appName)], log: log, dataDirectory: directory)
        guard let service = deployment.services.lazy.compactMap({ $0 as? SongsService }).first else {
            throw Failure(description: "the songs app did not start a songs service")
        }
        let port = Mutex(0)
        let group = deployment.server.serviceGroup(
            host: "127.0.0.1", port: 0, services: deployment.services, gracefulShutdownSignals: []
        ) { bound in port.withLock { $0 = bound } }
        let serving = Task { try await group.run() }
        defer { serving.cancel() }
        var ids: [String] = []
        // The file lists tracks genre by genre, so 60 in a row are mostly of one genre, as a user's likes.
        var seen = Set<String>()
        for record in try SongCatalogueSource.read(parquet: path).records {
            if case .success(let track) = SongRecords.track(from: record), seen.insert(track.id).inserted {
                ids.append(track.id)
            }
        }
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while port.withLock({ $0 }) == 0 || service.progress.recordsRead < Int64(records)
            || service.catalogueTable.rowCount == 0
        {
            guard ContinuousClock.now < deadline else {
                throw Failure(description: "the songs server did not start and load the catalogue in 60 s")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        let bound = port.withLock { $0 }
        let likedIDs = ids
        // The client runs on a thread of its own: blocking reads on the concurrency pool would take a thread
        // from the server it measures.
        let result: Result<[Double], any Error> = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    returning: Result {
                        let client = try KeepAliveClient(port: bound)
                        var times: [Double] = []
                        // As in process: each user has 20 likes (not timed), then 40 more are timed, one by one.
                        for index in 0..<(likes + 39) / 40 * 60 {
                            let user = index / 60
                            let body = #"{"track_id": "\#(likedIDs[index % likedIDs.count])"}"#
                            let started = ContinuousClock.now
                            let answer = try client.post("/api/users/bench-\(user)/likes", body: body)
                            if index % 60 >= 20 { times.append(millis(started.duration(to: .now))) }
                            let object =
                                (try? JSONSerialization.jsonObject(with: Data(answer.body))) as? [String: Any]
                            let liked = (object?["liked"] as? [Any])?.count
                            guard answer.status == 200, liked == index % 60 + 1,
                                (object?["items"] as? [Any])?.count == 10
                            else {
                                throw Failure(
                                    description:
                                        "like \(index % 60 + 1) of bench-\(user) was answered \(answer.status) without the updated recommendations: \(String(decoding: answer.body.prefix(300), as: UTF8.self))"
                                )
                            }
                        }
                        return times
                    })
            }
        }
        await group.triggerGracefulShutdown()
        _ = await serving.result
        log.close()
        return try result.get()
    }

    /// A blocking HTTP/1.1 client on one keep-alive connection, for timing single requests without a
    /// client library's overhead in the figure.
    final class KeepAliveClient {
        private let socket: Int32

        init(port: Int) throws {
            socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard socket >= 0, connected == 0 else {
                throw Failure(description: "cannot connect to 127.0.0.1:\(port): errno \(errno)")
            }
            var yes: Int32 = 1
            setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        }

        deinit { close(socket) }

        func post(_ path: String, body: String) throws -> (status: Int, body: [UInt8]) {
            let payload = Array(body.utf8)
            let request =
                Array(
                    "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(payload.count)\r\n\r\n"
                        .utf8) + payload
            var sent = 0
            while sent < request.count {
                let count = request[sent...].withUnsafeBytes { write(socket, $0.baseAddress, $0.count) }
                guard count > 0 else { throw Failure(description: "the server closed the connection") }
                sent += count
            }
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            var headerEnd: Int?
            var length = 0
            while headerEnd.map({ received.count < $0 + length }) ?? true {
                let count = read(socket, &buffer, buffer.count)
                guard count > 0 else { throw Failure(description: "the server closed the connection") }
                received += buffer[0..<count]
                if headerEnd == nil, let end = Self.headerEnd(received) {
                    headerEnd = end
                    let head = String(decoding: received[..<end], as: UTF8.self).lowercased()
                    guard
                        let line = head.split(separator: "\r\n").first(where: {
                            $0.hasPrefix("content-length:")
                        }),
                        let value = Int(
                            line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
                    else { throw Failure(description: "an answer without Content-Length: \(head)") }
                    length = value
                }
            }
            let end = headerEnd!
            let statusLine = String(decoding: received.prefix { $0 != 13 }, as: UTF8.self)
            let status = statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            return (status, Array(received[end..<end + length]))
        }

        /// The index just past the blank line ending the head.
        static func headerEnd(_ bytes: [UInt8]) -> Int? {
            guard bytes.count >= 4 else { return nil }
            for index in 0...(bytes.count - 4)
            where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13
                && bytes[index + 3] == 10
            {
                return index + 4
            }
            return nil
        }
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
