import EddyLog
import Foundation
import Synchronization

@testable import EddyStream

/// Collects every batch a pipeline emits.
final class CollectingSink: Sink {
    private let batches = Mutex<[SinkBatch]>([])

    var all: [SinkBatch] { batches.withLock { $0 } }
    var last: SinkBatch? { all.last }

    func write(_ batch: SinkBatch) async throws {
        batches.withLock { $0.append(batch) }
    }
}

/// A sink that behaves like a database table with an offsets row: upserts by key and stores the source
/// offsets with each batch, so the engine resumes from them (exactly-once).
final class OffsetStoringSink: Sink {
    struct Stored {
        var rows: [[String]: Row] = [:]
        var offsets: SourceOffsets?
        var writes = 0
    }
    let stored = Mutex(Stored())

    func write(_ batch: SinkBatch) async throws {
        stored.withLock { s in
            if batch.mode == .complete { s.rows = [:] }
            for row in batch.rows { s.rows[batch.keyColumns.map { row[$0].renderedForDisplay }] = row }
            s.offsets = batch.offsets
            s.writes += 1
        }
    }

    func committedOffsets(pipeline: String) async throws -> SourceOffsets? {
        stored.withLock { $0.offsets }
    }
}

enum Fixtures {
    static let motionSchema: Schema = [
        Column("timestamp", .timestamp),
        Column("id_sensor", .string),
        Column("location", .string),
        Column("customer_id", .string),
        Column("movement_detected", .bool),
        Column("duration", .double),
        Column("traffic_count", .int),
    ]

    static func log(topic: String = "motion", partitions: Int = 1) throws -> MemoryLog {
        let log = MemoryLog()
        try log.createTopic(topic, config: TopicConfig(partitions: partitions))
        return log
    }

    static func produce(_ log: MemoryLog, _ lines: [String], topic: String = "motion", partition: Int? = nil)
        throws
    {
        let records = lines.map { ProducerRecord(value: Array($0.utf8)) }
        if let partition {
            try log.append(records, to: TopicPartition(topic, partition))
        } else {
            try log.append(records, to: topic)
        }
    }

    static func motion(
        _ time: String, _ location: String?, duration: Double?, traffic: Int = 1,
        customer: String = "Cliente_1"
    ) -> String {
        var fields = [
            "\"timestamp\": \"\(time)\"", "\"id_sensor\": \"SM-123AB\"", "\"customer_id\": \"\(customer)\"",
            "\"movement_detected\": true", "\"traffic_count\": \(traffic)",
        ]
        if let location { fields.append("\"location\": \"\(location)\"") }
        if let duration { fields.append("\"duration\": \(duration)") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "eddy-engine-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Rows keyed by their rendered key columns, for order-independent comparisons.
    static func keyed(_ batch: SinkBatch?) -> [String: [String]] {
        guard let batch else { return [:] }
        var result: [String: [String]] = [:]
        for row in batch.rows {
            let key = batch.keyColumns.map { row[$0].renderedForDisplay }.joined(separator: "|")
            result[key] = row.map(\.renderedForDisplay)
        }
        return result
    }
}
