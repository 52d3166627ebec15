public import EddyStream

/// A source as a query sees it: its topic, its schema (declared or inferred) and its watermark.
///
/// ```swift
/// let motion = SQLSource(name: "motion", topic: "motion", schema: RetailPipeline.schema,
///                        watermark: ("timestamp", 300_000_000), inferredFrom: nil)
/// ```
public struct SQLSource: Sendable {
    public var name: String
    public var topic: String
    public var schema: Schema
    /// Column and delay in microseconds; applied to windowed queries on this source.
    public var watermark: (column: String, delayMicros: Int64)?
    /// The number of records the schema was inferred from, or nil when it was declared.
    public var inferredFrom: Int?

    public init(
        name: String, topic: String, schema: Schema, watermark: (column: String, delayMicros: Int64)? = nil,
        inferredFrom: Int? = nil
    ) {
        self.name = name
        self.topic = topic
        self.schema = schema
        self.watermark = watermark
        self.inferredFrom = inferredFrom
    }
}

/// Where a query finds its sources: the declared ones (`CREATE SOURCE`), else a topic of that name whose
/// schema `infer` reads from a sample of its records.
///
/// ```swift
/// var catalog = SQLCatalog { topic in try SchemaInference.sample(log: log, topic: topic) }
/// try catalog.declare(declaration)
/// ```
public struct SQLCatalog: Sendable {
    public var sources: [String: SQLSource] = [:]
    /// The schema of a topic from its records (and how many were read), or nil when there is no such topic.
    public var infer: @Sendable (String) throws -> (Schema, Int)?

    public init(infer: @escaping @Sendable (String) throws -> (Schema, Int)? = { _ in nil }) {
        self.infer = infer
    }

    /// Adds a `CREATE SOURCE`; one without columns is inferred from its topic now.
    public mutating func declare(_ declaration: SourceDeclaration) throws(SQLError) {
        guard sources[declaration.name] == nil else {
            throw SQLError(
                .invalid, "source '\(declaration.name)' is declared twice", at: declaration.position)
        }
        var source = SQLSource(
            name: declaration.name, topic: declaration.topic, schema: Schema(declaration.columns),
            watermark: declaration.watermark)
        if declaration.columns.isEmpty {
            let inferred = try inferred(declaration.topic, at: declaration.position)
            source.schema = inferred.0
            source.inferredFrom = inferred.1
            if let w = declaration.watermark, inferred.0.index(of: w.column) == nil {
                throw SQLError(
                    .unknownName,
                    "the watermark's column '\(w.column)' is not in topic '\(declaration.topic)'",
                    at: declaration.position)
            }
        }
        sources[declaration.name] = source
    }

    /// The source a query names.
    public mutating func source(named name: String, at position: SourcePosition) throws(SQLError) -> SQLSource
    {
        if let source = sources[name] { return source }
        let (schema, count) = try inferred(name, at: position)
        let source = SQLSource(name: name, topic: name, schema: schema, inferredFrom: count)
        sources[name] = source
        return source
    }

    private func inferred(_ topic: String, at position: SourcePosition) throws(SQLError) -> (Schema, Int) {
        let result: (Schema, Int)?
        do {
            result = try infer(topic)
        } catch {
            throw SQLError(.invalid, "cannot read topic '\(topic)': \(error)", at: position)
        }
        guard let result else {
            let hint =
                closestName(to: topic, in: Array(sources.keys)).map { " (did you mean '\($0)'?)" } ?? ""
            throw SQLError(
                .unknownName,
                "source '\(topic)' does not exist\(hint): declare it with CREATE SOURCE or create the topic",
                at: position)
        }
        guard !result.0.fields.isEmpty else {
            throw SQLError(
                .invalid,
                "topic '\(topic)' has no JSON object records to infer a schema from; declare it with CREATE SOURCE \(topic) (…)",
                at: position)
        }
        return result
    }
}
