/// Writes each result row as one JSON object per line, with the batch id: `{"batch":3,"location":"Caixa",...}`.
/// Numbers stay numbers (exact for decimals); timestamps are ISO-8601 strings.
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
        var out = ""
        for row in batch.rows {
            out += "{\"batch\":\(batch.batchId)"
            if includeTable {
                out += ",\"table\":"
                Value.appendJSONString(batch.table, to: &out)
            }
            for (i, column) in batch.columns.enumerated() where i < row.count {
                out += ","
                Value.appendJSONString(column.name, to: &out)
                out += ":"
                row[i].appendJSON(to: &out)
            }
            out += "}\n"
        }
        emit(out)
    }
}

extension Sink where Self == JSONLinesSink {
    /// One JSON object per result row on standard output.
    public static var jsonLines: JSONLinesSink { JSONLinesSink() }
}
