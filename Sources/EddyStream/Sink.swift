public import EddyLog

/// The source positions a batch of results reflects: for each partition, the next offset to read.
public typealias SourceOffsets = [TopicPartition: Offset]

/// What a pipeline hands a sink once per batch (a micro-batch, or a short run of continuous processing).
public struct SinkBatch: Sendable {
    /// The pipeline's name; a sink that stores offsets keys them by it.
    public var pipeline: String
    /// The table this batch belongs to (a pipeline may have several outputs).
    public var table: String
    /// 0, 1, 2 … per table; the console's `Batch: N`.
    public var batchId: Int64
    public var mode: OutputMode
    public var columns: [Column]
    /// Indices into `columns` that identify a row (the group-by key, window, …); empty when rows have no key.
    public var keyColumns: [Int]
    /// Per ``mode``: final rows, changed rows, or the whole table.
    public var rows: [Row]
    /// Where the source stands once this batch is applied; an exactly-once sink stores these in the same
    /// transaction as the rows.
    public var offsets: SourceOffsets

    public init(
        pipeline: String, table: String, batchId: Int64, mode: OutputMode, columns: [Column],
        keyColumns: [Int],
        rows: [Row], offsets: SourceOffsets
    ) {
        self.pipeline = pipeline
        self.table = table
        self.batchId = batchId
        self.mode = mode
        self.columns = columns
        self.keyColumns = keyColumns
        self.rows = rows
        self.offsets = offsets
    }
}

/// Where results go: console, JSON lines, a live table, SQLite, PostgreSQL, files, a topic.
///
/// A sink that returns offsets from ``committedOffsets(pipeline:)`` is exactly-once: the engine resumes
/// from them instead of its own checkpoint, because the sink's transaction is the commit point.
public protocol Sink: Sendable {
    func write(_ batch: SinkBatch) async throws
    /// Offsets stored with the last committed batch, or nil when this sink does not store offsets.
    func committedOffsets(pipeline: String) async throws -> SourceOffsets?
    /// Flushes and releases resources; called once when the pipeline stops.
    func close() async throws
}

extension Sink {
    public func committedOffsets(pipeline: String) async throws -> SourceOffsets? { nil }
    public func close() async throws {}
}
