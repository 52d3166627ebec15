/// A check of each decoded record before any operator sees it; a record it rejects goes to the dead-letter
/// topic (reason `invalid`, the returned text as detail) instead of the pipeline's tables.
struct RecordValidation: Sendable {
    var name: String
    var check: @Sendable (RowAccess) -> String?
}

extension Pipeline {
    /// Sends records that fail `check` to the dead-letter topic: `check` sees the decoded record (the source
    /// schema's columns) and returns why it is invalid, or nil to keep it. The pipeline goes on either way.
    /// `name` identifies the rule in checkpoints (change it when the rule changes meaning).
    ///
    /// ```swift
    /// Pipeline("sales").source(topic: "ecommerce_sales", schema: schema)
    ///     .validate("orders-v1") { $0.isNull("products") ? "missing products" : nil }
    /// ```
    public func validate(_ name: String = "validate", _ check: @escaping @Sendable (RowAccess) -> String?)
        -> Pipeline
    {
        var copy = self
        copy.validation = RecordValidation(name: name, check: check)
        return copy
    }
}
