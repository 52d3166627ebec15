public import EddyStream

/// Adds an `updated_at` timestamp column (the time the batch was written) to every row before passing the
/// batch on, so a result table shows when each row last changed. Offsets and exactly-once behaviour are the
/// wrapped sink's.
///
/// ```swift
/// let sink = UpdatedAtSink(try SQLiteSink(path: "sales.sqlite"))
/// ```
public struct UpdatedAtSink: Sink {
    public let base: any Sink
    public let column: String
    private let now: @Sendable () -> Int64

    /// - Parameter now: microseconds since the epoch (injectable for tests).
    public init(_ base: any Sink, column: String = "updated_at", now: (@Sendable () -> Int64)? = nil) {
        self.base = base
        self.column = column
        self.now = now ?? { SystemClock().nowMillis() * 1000 }
    }

    public func write(_ batch: SinkBatch) async throws {
        var stamped = batch
        let stamp = Value.timestamp(now())
        stamped.columns.append(Column(column, .timestamp))
        stamped.rows = batch.rows.map { $0 + [stamp] }
        try await base.write(stamped)
    }

    public func committedOffsets(pipeline: String) async throws -> SourceOffsets? {
        try await base.committedOffsets(pipeline: pipeline)
    }

    public func close() async throws { try await base.close() }
}
