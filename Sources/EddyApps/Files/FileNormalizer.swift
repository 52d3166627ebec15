import EddyConnectors
import EddyFormats
public import EddyLog
import EddyServer
public import EddyStream
import Foundation
public import ServiceLifecycle
import Synchronization

/// Seed 004's consumer: reads each ``FileReference`` on topic `files`, checks the file (size and SHA-256),
/// normalises it (``FileNormalization``) and writes `<output>/normalized/<raw name>.parquet` and `.csv`.
///
/// Exactly once per reference: the output names follow from the raw file's name, each file is written to a
/// temporary name, fsynced and renamed over any earlier attempt, and only then is the reference's offset
/// committed to `<output>/normalized/_offsets.json` (atomically). A crash before the commit redoes the
/// reference and replaces its files with identical ones; after it, the reference is never read again. A
/// reference whose file is missing, changed or unreadable goes to `files.dlq` with the reason (once: the
/// dead-letter topic is read at start), counted.
///
/// ```swift
/// let normalizer = FileNormalizer(log: log, settings: .init(output: "output", key: "name"))
/// try await normalizer.run()
/// ```
public final class FileNormalizer: Service, Sendable {
    public struct Settings: Sendable {
        public var output: String
        public var key: String?
        public var topic: String = APIPoller.defaultTopic

        public init(output: String = "output", key: String? = nil) {
            self.output = output
            self.key = key
        }
    }

    let log: any Log
    public let settings: Settings
    /// One row per output file: name, format, rows, bytes, written_at, source (the raw file).
    public let outputs = LiveTable("outputs", maxRows: 2000)
    /// Normalised rows per minute: minute, folder, rows.
    public let rowsPerMinute = LiveTable("rows_per_minute", maxRows: 1440)
    private let progress = Mutex(Progress())

    struct Progress {
        var state: PipelineSnapshot.State = .starting
        var positions: [Int: Offset] = [:]
        var references: Int64 = 0
        var files: Int64 = 0
        var deadLetters: Int64 = 0
        var perMinute: [Int64: Int64] = [:]
        var last: (id: Int64, micros: Int64, millis: Double)?
        var failure: String?
    }

    public init(log: any Log, settings: Settings) {
        self.log = log
        self.settings = settings
    }

    var folder: String { settings.output + "/normalized" }
    var offsetsPath: String { folder + "/_offsets.json" }
    var deadLetterTopic: String { settings.topic + ".dlq" }

    public func run() async throws {
        try await runReportingState({ state, failure in
            progress.withLock {
                $0.state = state
                if let failure { $0.failure = failure }
            }
        }) { try await self.loop() }
    }

    private func loop() async throws {
        try DurableFiles.makeDirectory(folder)
        for name in DurableFiles.list(folder) where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            try DurableFiles.remove(folder + "/" + name)
        }
        let partitions = try log.describeTopic(settings.topic).partitions.map(\.partition)
        var positions = try committedPositions()
        let routed = try deadLettered()
        progress.withLock {
            $0.positions = positions
            $0.state = .running
        }
        while !Task.isCancelled {
            var read = 0
            for partition in partitions {
                let tp = TopicPartition(settings.topic, partition)
                let start = positions[partition] ?? 0
                let fetched = try log.read(tp, from: start, maxBytes: 1 << 20)
                var records: [(offset: Offset, value: [UInt8])] = []
                fetched.forEach { records.append(($0.offset, Array($0.value))) }
                for record in records where record.offset >= start {
                    let started = ContinuousClock.now
                    try await handle(
                        record.value, partition: partition, offset: record.offset, routed: routed)
                    positions[partition] = record.offset + 1
                    try commit(positions)
                    let elapsed = started.duration(to: .now)
                    progress.withLock {
                        $0.positions = positions
                        $0.references += 1
                        $0.last = (
                            $0.references, Int64(Date().timeIntervalSince1970 * 1_000_000),
                            Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds)
                                * 1e-15
                        )
                    }
                    read += 1
                }
                if records.isEmpty || fetched.nextOffset > (positions[partition] ?? 0) {
                    positions[partition] = max(positions[partition] ?? 0, fetched.nextOffset)
                }
            }
            if read == 0 {
                _ = await log.waitForData(
                    TopicPartition(settings.topic, partitions[0]), beyond: positions[partitions[0]] ?? 0,
                    timeout: .milliseconds(partitions.count == 1 ? 1000 : 100))
            }
        }
    }

    private func handle(_ value: [UInt8], partition: Int, offset: Offset, routed: Set<String>) async throws {
        guard let reference = FileReference.decode(value) else {
            return try deadLetter(
                value, reason: "not a file reference", partition: partition, offset: offset, routed: routed)
        }
        let bytes: [UInt8]
        do {
            bytes = try DurableFiles.read(reference.path)
        } catch {
            return try deadLetter(
                value, reason: "missing: \(error)", partition: partition, offset: offset, routed: routed)
        }
        guard bytes.count == reference.bytes else {
            return try deadLetter(
                value, reason: "changed: \(bytes.count) bytes, the reference says \(reference.bytes)",
                partition: partition, offset: offset, routed: routed)
        }
        guard FileReference.sha256(bytes) == reference.sha256 else {
            return try deadLetter(
                value, reason: "changed: its SHA-256 differs from the reference's", partition: partition,
                offset: offset, routed: routed)
        }
        let table: ColumnTable
        do {
            table = try FileNormalization(key: settings.key).apply(
                try ParquetReader(bytes: bytes, name: reference.path).read())
        } catch {
            return try deadLetter(
                value, reason: "unreadable: \(error)", partition: partition, offset: offset, routed: routed)
        }
        let base = DurableFiles.split(reference.path).name.replacingOccurrences(of: ".parquet", with: "")
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        for format in FileFormat.allCases {
            let name = base + "." + format.fileExtension
            let temporary = folder + "/." + name + ".tmp"
            switch format {
            case .parquet:
                try ParquetWriter.write(table, to: temporary, options: ParquetWriteOptions(codec: .snappy))
            case .csv:
                try CSVWriter.write(table, to: temporary)
                try DurableFiles.sync(temporary)
            }
            try DurableFiles.rename(temporary, to: folder + "/" + name)
            try await record(
                name: name, format: format, rows: table.rowCount, source: reference.path, at: now)
        }
        try DurableFiles.sync(folder, directory: true)
    }

    private func record(name: String, format: FileFormat, rows: Int, source: String, at now: Int64)
        async throws
    {
        let bytes = DurableFiles.size(folder + "/" + name) ?? 0
        try await outputs.write(
            SinkBatch(
                pipeline: "normalize-files", table: "outputs", batchId: 0, mode: .update,
                columns: [
                    Column("name", .string), Column("format", .string), Column("rows", .int),
                    Column("bytes", .int),
                    Column("written_at", .timestamp), Column("source", .string),
                ],
                keyColumns: [0],
                rows: [
                    [
                        .string(name), .string(format.rawValue), .int(Int64(rows)), .int(Int64(bytes)),
                        .timestamp(now), .string(source),
                    ]
                ], offsets: [:]))
        guard format == .parquet else { return }
        let minute = now / 60_000_000 * 60_000_000
        let total = progress.withLock {
            $0.files += 1
            $0.perMinute[minute, default: 0] += Int64(rows)
            return $0.perMinute[minute]!
        }
        try await rowsPerMinute.write(
            SinkBatch(
                pipeline: "normalize-files", table: "rows_per_minute", batchId: 0, mode: .update,
                columns: [Column("minute", .timestamp), Column("folder", .string), Column("rows", .int)],
                keyColumns: [0, 1], rows: [[.timestamp(minute), .string("normalized"), .int(total)]],
                offsets: [:]))
    }

    private func deadLetter(
        _ value: [UInt8], reason: String, partition: Int, offset: Offset, routed: Set<String>
    ) throws {
        progress.withLock { $0.deadLetters += 1 }
        guard !routed.contains("\(partition):\(offset)") else { return }
        var json = JSONWriter(capacity: 256)
        json.object {
            $0.field("reason") { $0.string(reason) }
            $0.field("topic") { $0.string(settings.topic) }
            $0.field("partition") { $0.int(partition) }
            $0.field("offset") { $0.int(offset) }
            $0.field("reference") { $0.string(String(decoding: value, as: UTF8.self)) }
        }
        if (try? log.describeTopic(deadLetterTopic)) == nil {
            _ = try? log.createTopic(deadLetterTopic, config: TopicConfig(partitions: 1))
        }
        _ = try log.append([ProducerRecord(key: nil, value: json.bytes)], to: deadLetterTopic)
    }

    /// `partition:offset` of every reference already on the dead-letter topic.
    private func deadLettered() throws -> Set<String> {
        guard let description = try? log.describeTopic(deadLetterTopic) else { return [] }
        var routed: Set<String> = []
        for partition in description.partitions.map(\.partition) {
            let tp = TopicPartition(deadLetterTopic, partition)
            let end = try log.offsets(of: tp).end
            var next = try log.offsets(of: tp).start
            while next < end {
                let fetched = try log.read(tp, from: next, maxBytes: 1 << 20)
                if fetched.isEmpty { break }
                fetched.forEach { record in
                    guard let node = try? JSONNode(parsing: Array(record.value)),
                        case .int(let p)? = node["partition"], case .int(let o)? = node["offset"]
                    else { return }
                    routed.insert("\(p):\(o)")
                }
                next = fetched.nextOffset
            }
        }
        return routed
    }

    private func committedPositions() throws -> [Int: Offset] {
        guard DurableFiles.exists(offsetsPath) else { return [:] }
        let node = try JSONNode(parsing: try DurableFiles.read(offsetsPath))
        guard case .object(let members) = node else { return [:] }
        var positions: [Int: Offset] = [:]
        for member in members {
            if let partition = Int(member.key), case .int(let offset) = member.value {
                positions[partition] = offset
            }
        }
        return positions
    }

    private func commit(_ positions: [Int: Offset]) throws {
        let node = JSONNode.object(
            positions.sorted { $0.key < $1.key }.map { (key: String($0.key), value: JSONNode.int($0.value)) })
        try DurableFiles.writeAtomically(Array(node.jsonText.utf8), to: offsetsPath)
    }

    func snapshot() -> PipelineSnapshot {
        let progress = self.progress.withLock { $0 }
        var partitions: [PartitionProgress] = []
        for (partition, position) in progress.positions.sorted(by: { $0.key < $1.key }) {
            let end = (try? log.offsets(of: TopicPartition(settings.topic, partition)).end) ?? position
            partitions.append(
                PartitionProgress(
                    topic: settings.topic, partition: partition, position: position, endOffset: end))
        }
        return PipelineSnapshot(
            state: progress.state, sources: [settings.topic], partitions: partitions,
            recordsIn: progress.references, recordsOut: progress.files, deadLetters: progress.deadLetters,
            lastBatch: progress.last.map {
                BatchSummary(id: $0.id, finishedAtMicros: $0.micros, durationMillis: $0.millis)
            },
            error: progress.failure)
    }
}
