/// Writes each result row as one JSON object per line, with the batch id: `{"batch":3,"location":"Caixa",...}`.
/// Values as ``JSONWriter/value(_:)`` writes them: numbers stay numbers (exact for decimals), timestamps in
/// ``Timestamp``'s written form.
///
/// ```swift
/// pipeline.output(mode: .update, to: .jsonLines)
/// ```
public struct JSONLinesSink: Sink {
    public var includeTable: Bool
    private let emit: @Sendable (String) -> Void

    /// `includeTable` adds a `"table"` field (useful when several outputs share the stream).
    public init(includeTable: Bool = false, write: (@Sendable (String) -> Void)? = nil) {
        self.includeTable = includeTable
        self.emit = write ?? StandardOutput.write
    }

    public func write(_ batch: SinkBatch) async throws {
        guard !batch.rows.isEmpty else { return }
        var json = JSONWriter(capacity: batch.rows.count * 128)
        for row in batch.rows {
            json.object { json in
                json.field("batch") { $0.int(batch.batchId) }
                if includeTable { json.field("table") { $0.string(batch.table) } }
                for (i, column) in batch.columns.enumerated() where i < row.count {
                    json.field(column.name) { $0.value(row[i]) }
                }
            }
            json.newline()
        }
        let out = String(decoding: json.bytes, as: UTF8.self)
        emit(out)
    }
}

extension Sink where Self == JSONLinesSink {
    /// One JSON object per result row on standard output.
    public static var jsonLines: JSONLinesSink { JSONLinesSink() }
}
