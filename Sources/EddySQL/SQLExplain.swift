public import EddyStream

/// What `--explain` prints for a query: its source and schema (declared or inferred), the columns scanned,
/// the operators in order with where state is kept, and the result table.
///
/// ```swift
/// print(SQLExplain.text(query, plan: try query.pipeline(named: "sql", to: ConsoleSink()).build()))
/// ```
public enum SQLExplain {
    public static func text(_ query: SQLQuery, plan: PipelinePlan?) -> String {
        let source = query.source
        var lines: [String] = []
        let origin =
            source.inferredFrom.map { "inferred from \($0) record\($0 == 1 ? "" : "s") of the topic" }
            ?? "declared"
        lines.append("source \(source.name): topic '\(source.topic)', JSON, schema \(origin)")
        for column in source.schema.fields {
            lines.append("  \(column.name) \(SQLTypeName.render(column.type))")
        }
        if let w = source.watermark {
            lines.append(
                "  WATERMARK FOR \(w.column) AS \(w.column) - \(Duration.microseconds(w.delayMicros)) (windowed queries)"
            )
        }
        lines.append(
            "scanned columns: \(query.scannedColumns.isEmpty ? "(none)" : query.scannedColumns.joined(separator: ", "))"
        )
        lines.append("plan of table '\(query.table)' (\(query.mode.rawValue) mode):")
        lines.append("  1. read topic '\(source.topic)' (all partitions), decode JSON")
        for (i, step) in query.steps.enumerated() { lines.append("  \(i + 2). \(step)") }
        if let plan, let table = plan.tables.first(where: { $0.name == query.table }) {
            lines.append("  \(query.steps.count + 2). output \(table.mode.rawValue) to the sink")
            let keys = Set(table.keyColumns)
            lines.append("result columns:")
            for (i, column) in table.columns.enumerated() {
                lines.append(
                    "  \(column.name) \(SQLTypeName.render(column.type))\(keys.contains(i) ? " (key)" : "")")
            }
            lines.append(
                "state: "
                    + (query.hasAggregation
                        ? "the aggregation's groups, in memory, checkpointed with the offsets"
                        : "none (rows pass through)"))
            lines.append("execution: \(plan.usesFastPath ? "column batches (compiled path)" : "row by row")")
        }
        return lines.joined(separator: "\n")
    }
}
