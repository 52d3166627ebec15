/// Which result rows a sink receives each batch, with Spark Structured Streaming's meanings.
public enum OutputMode: String, Sendable, Hashable, CaseIterable {
    /// Only rows that are final and will never change (for aggregations: windows closed by the watermark).
    case append
    /// Only rows that changed since the last batch.
    case update
    /// The whole result table, every batch.
    case complete
}
