public import EddyStream

/// A `SELECT` planned against its source: the engine operators it adds after the source, the table it
/// produces, and what `--explain` prints. ``SQLPlanner`` makes it; ``pipeline(named:to:)`` gives the same
/// ``Pipeline`` value the Swift API builds.
///
/// ```swift
/// var catalog = SQLCatalog { _ in (RetailPipeline.schema, 0) }
/// let query = try SQLPlanner.plan("SELECT location, count(*) AS n FROM motion GROUP BY location", catalog: &catalog)
/// let pipeline = query.pipeline(named: "sql", to: ConsoleSink())
/// ```
public struct SQLQuery: Sendable {
    public var source: SQLSource
    /// The statement it was planned from.
    public var statement: SelectStatement
    /// The result table's name (the sink's name in a file, else the pipeline's).
    public var table: String
    public var mode: OutputMode
    public var hasAggregation: Bool
    /// Source columns the query reads (the scanner decodes only these).
    public var scannedColumns: [String]
    /// The operators, in order, as `--explain` prints them.
    public var steps: [String]
    /// Appends the query's operators to a pipeline reading ``source``.
    var operators: @Sendable (Pipeline) -> Pipeline

    /// The operators, applied to `pipeline` (which reads ``source``), and the output to `sink`.
    public func output(from pipeline: Pipeline, to sink: some Sink) -> Pipeline {
        operators(pipeline).output(table, mode: mode, to: sink)
    }

    /// A pipeline running this query alone.
    public func pipeline(named name: String, to sink: some Sink) -> Pipeline {
        output(from: Pipeline(name).source(topic: source.topic, schema: source.schema), to: sink)
    }
}
