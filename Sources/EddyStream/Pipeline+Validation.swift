/// A check of each decoded record before any operator sees it; a record it rejects goes to the dead-letter
/// topic (reason `invalid`, the returned text as detail) instead of the pipeline's tables.
struct RecordValidation: Sendable {
    var name: String
    var check: @Sendable (RowAccess) -> String?
    /// The same rules on the scanned slots (the source schema's field indices), for the compiled path: true
    /// when the record surely passes; false hands it to `check`, whose answer is final.
    var fastCheck: (@Sendable (ScannedRecord) -> Bool)? = nil
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

    /// Like ``validate(_:_:)``, with the same rules also written on the scanned record's slots, so the compiled
    /// explode-and-aggregate path (see ``PipelinePlan/usesFastPath``) can validate without decoding rows.
    /// `fastCheck` returns true when the record passes; false sends it to `check`, which decides and gives the
    /// reason, so the two need only agree on the valid records.
    ///
    /// ```swift
    /// .validate("orders-v1", { $0.isNull("products") ? "missing products" : nil },
    ///           fastCheck: { $0.count(2) != nil })
    /// ```
    public func validate(
        _ name: String, _ check: @escaping @Sendable (RowAccess) -> String?,
        fastCheck: @escaping @Sendable (ScannedRecord) -> Bool
    ) -> Pipeline {
        var copy = self
        copy.validation = RecordValidation(name: name, check: check, fastCheck: fastCheck)
        return copy
    }
}
