import EddyStream
import Foundation

/// What `GET /api/pipelines/{name}` answers (and `/api/pipelines` lists): a pipeline's snapshot, its tables
/// and its dashboard panels, in the shape of the `Pipeline` schema of `/openapi.json`, encoded by `Codable`.
///
/// ```swift
/// let bytes = try PipelineDocument(handle, panels: panels).jsonBytes()
/// ```
struct PipelineDocument: Encodable {
    var name: String
    var state: String
    var sources: [String]
    var recordsIn: Int64
    var recordsOut: Int64
    var recordsPerSecond: Double
    /// Records not yet read, all partitions.
    var lag: Int64
    var deadLetters: Int64
    var lateRecords: Int64
    var checkpointAgeSeconds: JSONNullable<Double>
    var error: JSONNullable<String>
    var lastBatch: JSONNullable<Batch>
    var partitions: [Partition]
    var tables: [Table]
    var panels: [DashboardPanel]
    var recentDeadLetters: [DeadLetter]

    struct Batch: Encodable {
        var id: Int64
        var finishedAt: String
        var durationMillis: Double
    }

    struct Partition: Encodable {
        var topic: String
        var partition: Int
        var position: Int64
        var endOffset: Int64
        var lag: Int64
    }

    struct Table: Encodable {
        var name: String
        var rowCount: Int
        var version: UInt64
        var columns: [ColumnDescription]
    }

    struct DeadLetter: Encodable {
        var reason: String
        var topic: String
        var partition: Int
        var offset: Int64
        var detail: String
        var value: String
    }

    init(_ pipeline: any PipelineHandle, panels: [DashboardPanel]) {
        let status = pipeline.status()
        name = pipeline.name
        state = status.state.rawValue
        sources = status.sources
        recordsIn = status.recordsIn
        recordsOut = status.recordsOut
        recordsPerSecond = status.recordsPerSecond
        lag = status.totalLag
        deadLetters = status.deadLetters
        lateRecords = status.lateRecords
        checkpointAgeSeconds = JSONNullable(status.checkpointAgeSeconds)
        error = JSONNullable(status.error)
        lastBatch = JSONNullable(
            status.lastBatch.map {
                Batch(
                    id: $0.id, finishedAt: Timestamp.formatISO8601($0.finishedAtMicros),
                    durationMillis: $0.durationMillis)
            })
        partitions = status.partitions.map {
            Partition(
                topic: $0.topic, partition: $0.partition, position: $0.position, endOffset: $0.endOffset,
                lag: $0.lag)
        }
        tables = pipeline.tables.map {
            Table(
                name: $0.name, rowCount: $0.rowCount, version: $0.version,
                columns: $0.columns.map(ColumnDescription.init))
        }
        self.panels = panels
        recentDeadLetters = status.recentDeadLetters.map {
            DeadLetter(
                reason: $0.reason, topic: $0.topic, partition: $0.partition, offset: $0.offset,
                detail: $0.detail, value: $0.value)
        }
    }
}

/// A table column as the API describes it: `{"name": "location", "type": "string"}`.
struct ColumnDescription: Encodable {
    var name: String
    var type: String

    init(_ column: Column) {
        name = column.name
        type = column.type.apiName
    }
}

/// An optional that is written as JSON `null` when absent, where `Codable` would leave the key out: the API's
/// schemas list such fields as present and nullable.
struct JSONNullable<Wrapped: Encodable>: Encodable {
    var value: Wrapped?

    init(_ value: Wrapped?) {
        self.value = value
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

extension Encodable {
    /// This value as JSON bytes (keys in declaration order).
    func jsonBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return Array(try encoder.encode(self))
    }
}
