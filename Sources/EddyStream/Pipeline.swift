public import EddyLog

/// A streaming query described as a value: a source topic, a chain of operators, and one or more outputs.
/// Defining a pipeline does nothing; ``build()`` checks it (types, columns, Spark's output-mode rules) and
/// ``PipelineRunner`` runs it.
///
/// ```swift
/// let retail = Pipeline("retail")
///     .source(topic: "motion", schema: MotionReading.schema)
///     .filter(col("duration").isNotNull && col("location").isNotNull)
///     .groupBy("location")
///     .aggregate(
///         .sum("duration", as: "total_duration"),
///         .sum("traffic_count", as: "total_traffic"),
///         .avg("duration", as: "avg_duration"))
///     .output(mode: .complete, to: .console)
/// try await PipelineRunner(retail, log: log, dataDirectory: "./eddy-data").run()
/// ```
///
/// Several outputs can share the source (each gets its own table, mode and sink) with ``fork(_:)``:
///
/// ```swift
/// Pipeline("retail").source(topic: "motion", schema: schema)
///     .fork { $0.groupBy("location").aggregate(.count(as: "n")).output("areas", mode: .complete, to: .console) }
///     .fork { $0.filter(col("duration") > 300).output("long_visits", mode: .append, to: .jsonLines) }
/// ```
public struct Pipeline: Sendable {
    public var name: String
    var source: SourceSpec?
    var stages: [Stage] = []
    var outputs: [OutputSpec] = []
    public internal(set) var trigger: Trigger = .continuous
    public internal(set) var deadLetterTopic: String?
    public internal(set) var lateRowsTopic: String?
    public internal(set) var checkpointInterval: Duration = .seconds(5)
    public internal(set) var maxRecordsPerBatch: Int?
    public internal(set) var fetchBytes: Int = 1 << 20
    public internal(set) var workers: Int = 1
    var validation: RecordValidation?
    /// Tests: run every record through the row operators (the reference the batch path is checked against).
    var rowByRow = false

    public init(_ name: String) {
        self.name = name
    }

    private func adding(_ stage: Stage) -> Pipeline {
        var copy = self
        copy.stages.append(stage)
        return copy
    }

    // MARK: Source

    /// Reads `topic` (all partitions, or `partitions`), decoding each record's value as JSON with `schema`
    /// (Spark's `from_json`: a missing or mistyped field is null; a record that is not a JSON object goes to
    /// the dead-letter topic). `logTimestampColumn` adds the record's log timestamp as a timestamp column.
    public func source(
        topic: String, schema: Schema, partitions: [Int]? = nil, startingOffsets: StartingOffsets = .earliest,
        logTimestampColumn: String? = nil
    ) -> Pipeline {
        var copy = self
        copy.source = SourceSpec(
            topic: topic, schema: schema, partitions: partitions, startingOffsets: startingOffsets,
            logTimestampColumn: logTimestampColumn)
        return copy
    }

    // MARK: Row operators

    /// Keeps rows whose condition is true (null counts as false, as in SQL).
    public func filter(_ condition: Expression) -> Pipeline { adding(.filter(condition)) }

    /// Keeps rows for which `predicate` returns true. `name` identifies the closure in checkpoints: change
    /// it when the predicate changes meaning, so a checkpoint written by the old code is refused rather than
    /// silently resumed.
    ///
    /// ```swift
    /// pipeline.filter("adults-v1") { row in (row.int("age") ?? 0) >= 18 }
    /// ```
    public func filter(_ name: String, _ predicate: @escaping @Sendable (RowAccess) -> Bool) -> Pipeline {
        adding(.filterRows(name: name, predicate))
    }

    /// Keeps rows for which `predicate` returns true. Unnamed, the closure makes the pipeline
    /// non-resumable: with a checkpoint present it refuses to start (see ``filter(_:_:)``).
    public func filter(_ predicate: @escaping @Sendable (RowAccess) -> Bool) -> Pipeline {
        adding(.filterRows(name: nil, predicate))
    }

    /// Spark's `where`, the same as ``filter(_:)-(Expression)``.
    public func `where`(_ condition: Expression) -> Pipeline { filter(condition) }

    /// Keeps only the named columns, in this order.
    public func select(_ columns: String...) -> Pipeline {
        adding(.select(columns.map(Pipeline.named)))
    }

    /// A column by name, named like Spark names it: the last segment of a dotted path (`product.price` →
    /// `price`).
    static func named(_ column: String) -> NamedExpression {
        NamedExpression(String(column.split(separator: ".").last ?? Substring(column)), col(column))
    }

    /// Computes a new set of columns: `select(col("location"), (col("duration") / 60).as("minutes"))`.
    public func select(_ items: NamedExpression...) -> Pipeline { adding(.select(items)) }

    public func select(_ items: [NamedExpression]) -> Pipeline { adding(.select(items)) }

    /// Adds (or replaces) a column computed from the others.
    public func withColumn(_ name: String, _ expression: Expression) -> Pipeline {
        adding(.withColumn(NamedExpression(name, expression)))
    }

    public func drop(_ columns: String...) -> Pipeline { adding(.drop(columns)) }

    /// Replaces each row with the row `transform` returns, whose values follow `columns`. `name` identifies
    /// the closure in checkpoints (as for ``filter(_:_:)``).
    ///
    /// ```swift
    /// pipeline.map("fahrenheit-v1", to: [Column("f", .double)]) { [.double(($0.double("c") ?? 0) * 1.8 + 32)] }
    /// ```
    public func map(
        _ name: String, to columns: [Column], _ transform: @escaping @Sendable (RowAccess) -> Row
    ) -> Pipeline {
        adding(.map(name: name, columns, transform))
    }

    /// Unnamed: makes the pipeline non-resumable (see ``map(_:to:_:)``).
    public func map(to columns: [Column], _ transform: @escaping @Sendable (RowAccess) -> Row) -> Pipeline {
        adding(.map(name: nil, columns, transform))
    }

    /// One row per element of the array column `column`, the element in column `alias` (default: the same
    /// name). Rows whose array is null or empty disappear, unless `keepEmpty` (Spark's `explode_outer`), which
    /// keeps them with a null element. Fields of object elements are read as `col("alias.field")`.
    public func explode(_ column: String, as alias: String? = nil, keepEmpty: Bool = false) -> Pipeline {
        adding(.explode(column: column, as: alias ?? column, keepEmpty: keepEmpty))
    }

    /// Declares event time and how late rows may arrive: watermark = max `column` seen − `delay`.
    public func withWatermark(_ column: String, delay: Duration) -> Pipeline {
        adding(.watermark(Watermark(column: column, delay: delay)))
    }

    // MARK: Aggregation

    /// Groups rows by the named columns (a dotted name reads an object field and is named by its last
    /// segment); finish with ``GroupedPipeline/aggregate(_:)``.
    public func groupBy(_ columns: String...) -> GroupedPipeline {
        GroupedPipeline(base: self, keys: columns.map(Pipeline.named), window: nil)
    }

    /// Groups rows by event-time window and the named columns.
    public func groupBy(_ window: Window, _ columns: String...) -> GroupedPipeline {
        GroupedPipeline(base: self, keys: columns.map(Pipeline.named), window: window)
    }

    /// Groups rows by computed keys.
    public func groupBy(_ window: Window? = nil, keys: [NamedExpression]) -> GroupedPipeline {
        GroupedPipeline(base: self, keys: keys, window: window)
    }

    /// Sorts result rows (after an aggregation, complete mode only, as in Spark).
    public func orderBy(_ keys: SortKey...) -> Pipeline { adding(.orderBy(keys)) }

    /// Keeps the first `n` result rows (after ``orderBy(_:)``: a top-N).
    public func limit(_ n: Int) -> Pipeline { adding(.limit(n)) }

    // MARK: Outputs

    /// Sends the result table to `sink` in `mode`. `table` names it (default: the pipeline's name, or
    /// `<pipeline>-<n>` for later outputs). May be called more than once; each output gets the operators
    /// written before it.
    public func output(_ table: String? = nil, mode: OutputMode, to sink: some Sink) -> Pipeline {
        var copy = self
        let name = table ?? (outputs.isEmpty ? self.name : "\(self.name)-\(outputs.count)")
        copy.outputs.append(OutputSpec(table: name, stages: stages, mode: mode, sink: sink))
        return copy
    }

    /// Builds further outputs on the operators so far without changing them for what follows.
    public func fork(_ branch: (Pipeline) -> Pipeline) -> Pipeline {
        var copy = branch(self)
        copy.stages = stages
        return copy
    }

    // MARK: Settings

    public func trigger(_ trigger: Trigger) -> Pipeline {
        var copy = self
        copy.trigger = trigger
        return copy
    }

    /// Where undecodable records go (default `<topic>.dlq`, created when first needed).
    public func deadLetters(to topic: String) -> Pipeline {
        var copy = self
        copy.deadLetterTopic = topic
        return copy
    }

    /// Also publish late rows (as JSON objects, with headers naming the table and watermark) to `topic`.
    public func lateRows(to topic: String) -> Pipeline {
        var copy = self
        copy.lateRowsTopic = topic
        return copy
    }

    /// How often state and offsets are checkpointed while running (they are also saved on stop).
    public func checkpointInterval(_ interval: Duration) -> Pipeline {
        var copy = self
        copy.checkpointInterval = interval
        return copy
    }

    /// Caps the records one batch reads (nil: until the source is drained).
    public func maxRecordsPerBatch(_ n: Int?) -> Pipeline {
        var copy = self
        copy.maxRecordsPerBatch = n
        return copy
    }

    /// Where the source starts when there is no checkpoint (a checkpoint always wins).
    public func startingOffsets(_ offsets: StartingOffsets) -> Pipeline {
        var copy = self
        copy.source?.startingOffsets = offsets
        return copy
    }

    /// Bytes requested per read of a partition: the read buffer's bound.
    public func fetchBytes(_ n: Int) -> Pipeline {
        var copy = self
        copy.fetchBytes = max(1024, n)
        return copy
    }

    /// Parallel workers for pipelines that run on column batches (each reads a share of the partitions, or
    /// of their offsets; their partial aggregates are merged before emitting). Pipelines that run row by row
    /// (an explode into several outputs, session windows, outputs without an aggregation) use one worker.
    public func workers(_ n: Int) -> Pipeline {
        var copy = self
        copy.workers = max(1, n)
        return copy
    }
}

/// A grouping waiting for its aggregates: `pipeline.groupBy("location").aggregate(.count(as: "n"))`.
public struct GroupedPipeline: Sendable {
    var base: Pipeline
    var keys: [NamedExpression]
    var window: Window?

    public func aggregate(_ aggregates: Aggregate...) -> Pipeline { aggregate(aggregates) }

    public func aggregate(_ aggregates: [Aggregate]) -> Pipeline {
        var copy = base
        copy.stages.append(.aggregate(keys: keys, window: window, aggregates: aggregates))
        return copy
    }

    /// `count(*)` as `count`, like Spark's `groupBy(...).count()`.
    public func count() -> Pipeline { aggregate(.count(as: "count")) }
}

/// Where a pipeline starts reading when it has no checkpoint.
public enum StartingOffsets: Sendable, Hashable {
    case earliest
    /// Only records appended after the pipeline starts.
    case latest
    /// The consumer group's committed offsets (the engine commits under `eddy-<pipeline>` by default);
    /// partitions without one start at the earliest offset.
    case committed(group: String?)
    /// Explicit next offsets per partition; others start at the earliest.
    case offsets([Int: Offset])
}

struct SourceSpec: Sendable {
    var topic: String
    var schema: Schema
    var partitions: [Int]?
    var startingOffsets: StartingOffsets
    var logTimestampColumn: String?
}

struct OutputSpec: Sendable {
    var table: String
    var stages: [Stage]
    var mode: OutputMode
    var sink: any Sink
}
