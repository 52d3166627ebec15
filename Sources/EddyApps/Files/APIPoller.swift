import EddyConnectors
import EddyFormats
public import EddyLog
import EddyServer
public import EddyStream
import Foundation
public import ServiceLifecycle
import Synchronization

/// Seed 004's producer: polls an HTTP JSON API, writes each answer (each page, following `next` links) as
/// `<output>/raw/<time>-<n>.parquet` and publishes a ``FileReference`` to it on topic `files`.
///
/// A file is written as `.<name>.tmp`, fsynced and renamed, then its reference is published. HTTP errors,
/// non-JSON answers and answers without an array of objects are retried with backoff (1 s doubling up to
/// `every`), counted per kind, and never written. After a crash, a file in `raw/` whose reference is not on
/// the topic (the crash came between rename and publish) is published at start: the data was fetched and is
/// complete, so it is kept rather than fetched again.
///
/// ```swift
/// let poller = APIPoller(log: log, settings: .init(url: "http://127.0.0.1:8080/api/pipelines", recordsAt: "/pipelines"))
/// try await poller.run()
/// ```
public final class APIPoller: Service, Sendable {
    public struct Settings: Sendable {
        /// nil: this process's own API (``LocalAPI``) at `/api/pipelines`.
        public var url: String?
        public var every: Duration = .seconds(30)
        public var recordsAt: String = ""
        public var headers: [(name: String, value: String)] = []
        public var output: String = "output"
        public var topic: String = APIPoller.defaultTopic
        /// Pages followed per poll at most, so a `next` loop ends.
        public var maxPages = 100

        public init(url: String? = nil, recordsAt: String = "") {
            self.url = url
            self.recordsAt = recordsAt
        }
    }

    public static let defaultTopic = "files"
    let log: any Log
    public let settings: Settings
    /// One row per file written: name, rows, bytes, sha256, fetched_at, url.
    public let files = LiveTable("raw_files", maxRows: 1000)
    /// One row per kind of failed poll: kind, count, last_error, at.
    public let errors = LiveTable("api_errors", maxRows: 100)
    private let progress = Mutex(Progress())

    struct Progress {
        var state: PipelineSnapshot.State = .starting
        var polls: Int64 = 0
        var rows: Int64 = 0
        var files: Int64 = 0
        var errors: [String: (count: Int64, last: String, at: Int64)] = [:]
        var lastPoll: (id: Int64, micros: Int64, millis: Double)?
        var failure: String?
    }

    public init(log: any Log, settings: Settings) {
        self.log = log
        self.settings = settings
    }

    var rawFolder: String { settings.output + "/raw" }

    public func run() async throws {
        try await runReportingState({ state, failure in
            progress.withLock {
                $0.state = state
                if let failure { $0.failure = failure }
            }
        }) { try await self.loop() }
    }

    private func loop() async throws {
        try DurableFiles.makeDirectory(rawFolder)
        try await recover()
        progress.withLock { $0.state = .running }
        var backoff = Duration.seconds(1)
        while !Task.isCancelled {
            guard let url = settings.url ?? LocalAPI.baseURL.map({ $0 + "/api/pipelines" }) else {
                // The local server is not listening yet.
                try await Task.sleep(for: .milliseconds(200))
                continue
            }
            let started = ContinuousClock.now
            do {
                let pages = try await fetch(url)
                backoff = .seconds(1)
                let fetchedAt = Int64(Date().timeIntervalSince1970 * 1_000_000)
                for (n, page) in pages.enumerated() where !page.records.isEmpty {
                    try await write(page.records, url: page.url, fetchedAt: fetchedAt, index: n)
                }
                let elapsed = started.duration(to: .now)
                progress.withLock {
                    $0.polls += 1
                    $0.lastPoll = (
                        $0.polls, fetchedAt,
                        Double(elapsed.components.attoseconds) * 1e-15 + Double(elapsed.components.seconds)
                            * 1000
                    )
                }
                try await Task.sleep(for: settings.every)
            } catch let error as FetchError {
                try await count(error)
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, settings.every)
            }
        }
    }

    /// Every page of one poll, or the first failure (then nothing of this poll is written).
    func fetch(_ first: String) async throws(FetchError) -> [(url: String, records: [JSONNode])] {
        // This process's own API needs its access token when it is exposed beyond loopback.
        let fetcher = HTTPFetcher(
            headers: settings.headers + (settings.url == nil ? LocalAPI.authorization : []))
        var pages: [(url: String, records: [JSONNode])] = []
        var next: String? = first
        var visited: Set<String> = []
        while let url = next, pages.count < settings.maxPages, visited.insert(url).inserted {
            let answer: HTTPFetcher.Answer
            do {
                answer = try await fetcher.get(url)
            } catch let error as FetchError {
                throw error
            } catch {
                throw .transport(url: url, reason: "\(error)")
            }
            guard (200..<300).contains(answer.status) else { throw .status(answer.status, url: url) }
            let document: JSONNode
            do {
                document = try JSONNode(parsing: answer.body)
            } catch {
                throw .notJSON(url: url, reason: error.description)
            }
            guard case .array(let items)? = document.at(pointer: settings.recordsAt),
                items.allSatisfy({ if case .object = $0 { true } else { false } })
            else { throw .noRecords(url: url, pointer: settings.recordsAt) }
            pages.append((url, items))
            var link = answer.nextLink
            if link == nil, case .string(let text)? = document["next"], !text.isEmpty { link = text }
            next = link.flatMap { URL(string: $0, relativeTo: URL(string: url))?.absoluteString }
        }
        return pages
    }

    private func write(_ records: [JSONNode], url: String, fetchedAt: Int64, index: Int) async throws {
        let table = try RecordColumns.table(records)
        let name = Self.fileName(micros: fetchedAt, index: index)
        let temporary = rawFolder + "/." + name + ".tmp"
        let path = rawFolder + "/" + name
        try ParquetWriter.write(table, to: temporary, options: ParquetWriteOptions(codec: .snappy))
        try DurableFiles.rename(temporary, to: path)
        try DurableFiles.sync(rawFolder, directory: true)
        try await publish(path: path, url: url, fetchedAt: fetchedAt)
    }

    /// Publishes the reference to a complete file in `raw/`.
    private func publish(path: String, url: String, fetchedAt: Int64) async throws {
        let bytes = try DurableFiles.read(path)
        let rows = try ParquetReader(bytes: bytes, name: path).rowCount
        let reference = FileReference(
            path: path, rows: rows, bytes: bytes.count, sha256: FileReference.sha256(bytes),
            fetchedAt: Timestamp.formatISO8601(fetchedAt), url: url)
        _ = try log.append([ProducerRecord(key: Array(path.utf8), value: reference.json)], to: settings.topic)
        progress.withLock {
            $0.files += 1
            $0.rows += Int64(rows)
        }
        try await files.write(
            SinkBatch(
                pipeline: "api-to-parquet", table: "raw_files", batchId: 0, mode: .update,
                columns: [
                    Column("name", .string), Column("rows", .int), Column("bytes", .int),
                    Column("sha256", .string),
                    Column("fetched_at", .timestamp), Column("url", .string),
                ],
                keyColumns: [0],
                rows: [
                    [
                        .string(DurableFiles.split(path).name), .int(Int64(rows)), .int(Int64(bytes.count)),
                        .string(reference.sha256), .timestamp(fetchedAt), .string(url),
                    ]
                ], offsets: [:]))
    }

    /// Deletes half-written files and publishes complete ones whose reference never made it to the topic.
    private func recover() async throws {
        var published: Set<String> = []
        for reference in try FileReferences.all(in: log, topic: settings.topic) {
            published.insert(reference.path)
        }
        for name in DurableFiles.list(rawFolder) {
            let path = rawFolder + "/" + name
            if name.hasPrefix(".") && name.hasSuffix(".tmp") {
                try DurableFiles.remove(path)
            } else if name.hasSuffix(".parquet"), !published.contains(path),
                let micros = Self.micros(fromFileName: name)
            {
                try await publish(path: path, url: settings.url ?? "(local API)", fetchedAt: micros)
            }
        }
    }

    private func count(_ error: FetchError) async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let entry = progress.withLock { progress -> (count: Int64, last: String, at: Int64) in
            var entry = progress.errors[error.kind] ?? (0, "", 0)
            entry.count += 1
            entry.last = error.description
            entry.at = now
            progress.errors[error.kind] = entry
            return entry
        }
        try await errors.write(
            SinkBatch(
                pipeline: "api-to-parquet", table: "api_errors", batchId: 0, mode: .update,
                columns: [
                    Column("kind", .string), Column("count", .int), Column("last_error", .string),
                    Column("at", .timestamp),
                ],
                keyColumns: [0],
                rows: [[.string(error.kind), .int(entry.count), .string(entry.last), .timestamp(entry.at)]],
                offsets: [:]))
    }

    /// `20261129T061500123Z-0.parquet`: the fetch time to the millisecond, then the page.
    static func fileName(micros: Int64, index: Int) -> String {
        let iso = Timestamp.formatISO8601(micros / 1000 * 1000)  // 2026-11-29T06:15:00.123000Z
        let digits = iso.filter { $0.isNumber || $0 == "T" }
        // yyyyMMddTHHmmss + milliseconds
        let millis = String(digits.dropFirst(15).prefix(3))
        let stamp = String(digits.prefix(15)) + millis + String(repeating: "0", count: 3 - millis.count)
        return "\(stamp)Z-\(index).parquet"
    }

    static func micros(fromFileName name: String) -> Int64? {
        let chars = Array(name)
        guard chars.count >= 19, chars[8] == "T" else { return nil }
        let s = String(chars)
        let text =
            "\(s.prefix(4))-\(s.dropFirst(4).prefix(2))-\(s.dropFirst(6).prefix(2))T\(s.dropFirst(9).prefix(2)):"
            + "\(s.dropFirst(11).prefix(2)):\(s.dropFirst(13).prefix(2)).\(s.dropFirst(15).prefix(3))Z"
        return Timestamp.parseISO8601(text)
    }

    func snapshot() -> PipelineSnapshot {
        let progress = self.progress.withLock { $0 }
        return PipelineSnapshot(
            state: progress.state, sources: [settings.url ?? "(local API)"],
            recordsIn: progress.rows, recordsOut: progress.files,
            deadLetters: progress.errors.values.reduce(0) { $0 + $1.count },
            lastBatch: progress.lastPoll.map {
                BatchSummary(id: $0.id, finishedAtMicros: $0.micros, durationMillis: $0.millis)
            },
            error: progress.failure)
    }
}

/// Reading the references on a topic.
enum FileReferences {
    /// Every reference on `topic` (all partitions), with its partition and offset; records that are not
    /// references are skipped.
    static func all(in log: any Log, topic: String) throws -> [FileReference] {
        guard let description = try? log.describeTopic(topic) else { return [] }
        var references: [FileReference] = []
        for partition in description.partitions.map(\.partition) {
            let tp = TopicPartition(topic, partition)
            let end = try log.offsets(of: tp).end
            var next = try log.offsets(of: tp).start
            while next < end {
                let fetched = try log.read(tp, from: next, maxBytes: 1 << 20)
                if fetched.isEmpty { break }
                fetched.forEach { record in
                    if let reference = FileReference.decode(Array(record.value)) {
                        references.append(reference)
                    }
                }
                next = fetched.nextOffset
            }
        }
        return references
    }
}
