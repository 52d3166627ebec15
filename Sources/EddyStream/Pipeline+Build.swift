/// A result table a pipeline produces: what a sink or the HTTP API needs to know about it.
public struct TableDescription: Sendable, Hashable {
    public var name: String
    public var columns: [Column]
    /// Indices into `columns` identifying a row (window and group keys); empty for tables without keys.
    public var keyColumns: [Int]
    public var mode: OutputMode
}

/// A checked, compiled pipeline, ready for ``PipelineRunner``. Made by ``Pipeline/build()``.
public struct PipelinePlan: Sendable {
    public var name: String
    public var topic: String
    /// The tables the outputs produce, in output order.
    public var tables: [TableDescription]
    /// The columns rows have straight after decoding (the schema's, plus the log timestamp if asked).
    public var inputColumns: [Column]
    public var trigger: Trigger
    /// Whether the pipeline runs on column batches (or the explode path) rather than row by row.
    public var usesFastPath: Bool { batchPlan != nil || explodePath != nil }
    var pipeline: Pipeline
    var source: SourceSpec
    var outputs: [OutputPlan]
    /// Positions (in the schema) of the only fields the operators read, when that is fewer than all: the
    /// generic path scans just these and leaves the other columns null.
    var projection: [Int]?
    /// The pipeline compiled for column batches (see ``BatchPlan``); nil runs it row by row.
    var batchPlan: BatchPlan?
    /// SALESPERF hook: the compiled explode-and-aggregate path (see ``ExplodeAggregationPlan``).
    var explodePath: ExplodeAggregationPlan?
    /// Identifies the definition, so a checkpoint is only resumed by the pipeline that wrote it: the source,
    /// and per output its mode and stages as written (expressions in full, closures by their given names).
    var fingerprint: String
    /// Closure stages without a name (`'filter {closure}' of output 'areas'`): with any, no checkpoint is
    /// resumed, since nothing shows the closure is the one that wrote it.
    var unnamedClosures: [String] = []
}

struct OutputPlan: Sendable {
    var table: TableDescription
    var sink: any Sink
    var pre: [RowStep]
    var aggregation: AggregationPlan?
    var post: [RowStep]
    var order: [(index: Int, descending: Bool)]
    var limit: Int?
}

struct AggregationPlan: Sendable {
    var keys: [@Sendable (Row) -> Value]
    var window: Window.Kind?
    /// The event time rows are windowed and watermarked by.
    var eventTime: (@Sendable (Row) -> Value)?
    var watermarkDelay: Int64?
    var functions: [Aggregate.Function]
    var inputs: [(@Sendable (Row) -> Value)?]
    /// The columns of the rows the aggregation consumes (late rows are published with these names).
    var inputColumns: [Column]
    var keyCount: Int { keys.count + (window == nil ? 0 : 2) }
}

extension Pipeline {
    /// Refuses settings no run can work with: a batch cap below 1 would never finish a `.availableNow` run.
    func checkSettings() throws(PipelineError) {
        if let cap = maxRecordsPerBatch, cap < 1 {
            throw .invalidSetting(
                pipeline: name, setting: "maxRecordsPerBatch",
                detail: "must be at least 1 (got \(cap)); pass nil for no cap")
        }
        if checkpointInterval < .zero {
            throw .invalidSetting(
                pipeline: name, setting: "checkpointInterval",
                detail: "must not be negative (got \(checkpointInterval))")
        }
    }

    /// Checks the pipeline and compiles it: every column must exist, types must fit, and each output's mode
    /// must be one Spark allows for its query (see ``OutputMode``). Nothing is read yet.
    ///
    /// ```swift
    /// do { let plan = try pipeline.build() } catch { print(error) }
    /// // output 'areas' cannot use append mode: append emits a group only once it is final, ...
    /// ```
    public func build() throws(PipelineError) -> PipelinePlan {
        guard let source else { throw .noSource(pipeline: name) }
        guard !outputs.isEmpty else { throw .noOutputs(pipeline: name) }
        try checkSettings()
        var inputColumns = source.schema.fields
        if let ts = source.logTimestampColumn { inputColumns.append(Column(ts, .timestamp)) }
        var plans: [OutputPlan] = []
        var seen: Set<String> = []
        for output in outputs {
            guard seen.insert(output.table).inserted else { throw .duplicateTable(output.table) }
            plans.append(try Pipeline.plan(output, inputColumns: inputColumns))
        }
        var fingerprint =
            "topic=\(source.topic);schema=\(source.schema.fields.map { "\($0.name):\($0.type)" })"
        for output in outputs {
            fingerprint +=
                ";\(output.table)[\(output.mode.rawValue)]:"
                + output.stages.map(\.description).joined(separator: "|")
        }
        if let validation { fingerprint += ";validate=\(validation.name)" }
        let unnamedClosures = outputs.flatMap { output in
            output.stages.filter(\.isUnnamedClosure).map { "'\($0.description)' of output '\(output.table)'" }
        }
        let batchPlan = rowByRow ? nil : BatchPlan.compile(self, inputColumns: inputColumns)
        // SALESPERF hook: explode → group by an element field → sums, validated on the slots.
        var explodePath: ExplodeAggregationPlan?
        if batchPlan == nil, !rowByRow, outputs.count == 1, source.logTimestampColumn == nil,
            plans[0].aggregation != nil
        {
            explodePath = ExplodeAggregationPlan.compile(
                stages: outputs[0].stages, schema: source.schema, validation: validation)
        }
        // A validation closure may read any field of the record, so it turns the projection off.
        let projection =
            validation == nil ? Pipeline.projection(outputs.flatMap(\.stages), schema: source.schema) : nil
        return PipelinePlan(
            name: name, topic: source.topic, tables: plans.map(\.table), inputColumns: inputColumns,
            trigger: trigger,
            pipeline: self, source: source, outputs: plans, projection: projection, batchPlan: batchPlan,
            explodePath: explodePath, fingerprint: fingerprint, unnamedClosures: unnamedClosures)
    }

    static func plan(_ output: OutputSpec, inputColumns: [Column]) throws(PipelineError) -> OutputPlan {
        var columns = inputColumns
        var pre: [RowStep] = []
        var post: [RowStep] = []
        var aggregation: AggregationPlan?
        var keyNames: [String] = []
        var watermark: (Watermark, @Sendable (Row) -> Value)?
        var orderNames: [SortKey] = []
        var limit: Int?
        let table = output.table
        let mode = output.mode

        func add(_ step: RowStep) {
            if aggregation == nil { pre.append(step) } else { post.append(step) }
        }

        for stage in output.stages {
            let where_ = "'\(stage.description)' of output '\(table)'"
            if aggregation != nil {
                switch stage {
                case .map, .explode, .watermark:
                    throw .unsupported(
                        "\(where_): after an aggregation only filter, select, withColumn, drop, orderBy and limit "
                            + "are supported; move it before groupBy")
                case .aggregate:
                    throw .unsupported("\(where_): a pipeline output may aggregate only once (as in Spark)")
                default: break
                }
            }
            switch stage {
            case .filter(let condition):
                let c = try condition.compile(against: columns, stage: where_)
                if let type = c.type, type != .bool {
                    throw .typeMismatch(
                        "filter condition \(condition) is \(type), not a boolean", stage: where_)
                }
                add(.filter(c.evaluate))
            case .filterRows(_, let predicate):
                add(.filterRows(ColumnIndex(columns), predicate))
            case .select(let items):
                var evaluators: [@Sendable (Row) -> Value] = []
                var next: [Column] = []
                for item in items {
                    let c = try item.expression.compile(against: columns, stage: where_)
                    evaluators.append(c.evaluate)
                    next.append(Column(item.name, c.type ?? .string))
                }
                add(.project(evaluators))
                columns = next
            case .withColumn(let item):
                let c = try item.expression.compile(against: columns, stage: where_)
                var evaluators: [@Sendable (Row) -> Value] = columns.indices.map { i in { $0[i] } }
                let column = Column(item.name, c.type ?? .string)
                if let i = columns.firstIndex(where: { $0.name == item.name }) {
                    evaluators[i] = c.evaluate
                    columns[i] = column
                } else {
                    evaluators.append(c.evaluate)
                    columns.append(column)
                }
                add(.project(evaluators))
            case .drop(let names):
                let keep = columns.indices.filter { !names.contains(columns[$0].name) }
                add(.project(keep.map { i in { $0[i] } }))
                columns = keep.map { columns[$0] }
            case .map(_, let next, let transform):
                add(.map(ColumnIndex(columns), next.count, transform))
                columns = next
            case .explode(let column, let alias, let keepEmpty):
                guard let i = columns.firstIndex(where: { $0.name == column }) else {
                    throw .unknownColumn(column, available: columns.map(\.name), stage: where_)
                }
                guard case .array(let element) = columns[i].type else {
                    throw .typeMismatch(
                        "explode needs an array column; '\(column)' is \(columns[i].type)", stage: where_)
                }
                add(.explode(index: i, keepEmpty: keepEmpty))
                columns[i] = Column(alias, element)
            case .watermark(let w):
                let c = try col(w.column).compile(against: columns, stage: where_)
                guard c.type == .timestamp || c.type == .string else {
                    throw .typeMismatch(
                        "the watermark column '\(w.column)' must be a timestamp (or ISO-8601 text), not "
                            + "\(c.type.map { "\($0)" } ?? "null")", stage: where_)
                }
                watermark = (w, c.evaluate)
            case .aggregate(let keys, let window, let aggregates):
                var keyEvaluators: [@Sendable (Row) -> Value] = []
                var outColumns: [Column] = []
                var eventTime: (@Sendable (Row) -> Value)?
                if let window {
                    let c = try col(window.timeColumn).compile(against: columns, stage: where_)
                    guard c.type == .timestamp || c.type == .string else {
                        throw .typeMismatch(
                            "the window's time column '\(window.timeColumn)' must be a timestamp (or ISO-8601 text)",
                            stage: where_)
                    }
                    if let (w, _) = watermark, w.column != window.timeColumn {
                        throw .unsupported(
                            "\(where_): the watermark is on '\(w.column)' but the window is on "
                                + "'\(window.timeColumn)'; declare the watermark on the window's time column")
                    }
                    if case .session(let s) = window.kind, s.gapMicros <= 0 {
                        throw .unsupported("\(where_): a session window needs a positive gap")
                    }
                    if case .tumbling(let t) = window.kind, t.sizeMicros <= 0 {
                        throw .unsupported("\(where_): a tumbling window needs a positive size")
                    }
                    if case .hopping(let h) = window.kind, h.sizeMicros <= 0 || h.slideMicros <= 0 {
                        throw .unsupported("\(where_): a hopping window needs a positive size and slide")
                    }
                    eventTime = c.evaluate
                    outColumns += [
                        Column(Window.startColumn, .timestamp), Column(Window.endColumn, .timestamp),
                    ]
                    keyNames += [Window.startColumn, Window.endColumn]
                } else if let (_, time) = watermark {
                    eventTime = time
                }
                for key in keys {
                    let c = try key.expression.compile(against: columns, stage: where_)
                    keyEvaluators.append(c.evaluate)
                    outColumns.append(Column(key.name, c.type ?? .string))
                    keyNames.append(key.name)
                }
                var inputs: [(@Sendable (Row) -> Value)?] = []
                for aggregate in aggregates {
                    let c = try aggregate.input.map { (e) throws(PipelineError) in
                        try e.compile(against: columns, stage: where_)
                    }
                    inputs.append(c?.evaluate)
                    outColumns.append(
                        Column(aggregate.name, try resultType(aggregate, input: c?.type, stage: where_)))
                }
                aggregation = AggregationPlan(
                    keys: keyEvaluators, window: window?.kind, eventTime: eventTime,
                    watermarkDelay: watermark?.0.delayMicros, functions: aggregates.map(\.function),
                    inputs: inputs,
                    inputColumns: columns)
                columns = outColumns
            case .orderBy(let keys):
                orderNames = keys
            case .limit(let n):
                guard n >= 0 else { throw .unsupported("\(where_): limit must not be negative") }
                limit = n
            }
        }

        // Spark's output-mode rules, refused here rather than at the first batch.
        if let aggregation {
            if mode == .append {
                guard aggregation.window != nil, aggregation.watermarkDelay != nil else {
                    throw .invalidOutputMode(
                        table: table, mode: mode,
                        reason:
                            "append emits a group only once it can never change, which needs an event-time "
                            + "window and a watermark on its time column (.withWatermark(\"time\", delay: ...)); "
                            + "add both, or use update or complete mode")
                }
            }
            if mode == .update, case .session = aggregation.window {
                throw .invalidOutputMode(
                    table: table, mode: mode,
                    reason:
                        "session windows merge as rows arrive, so a row emitted in update mode could later be "
                        + "replaced by one with different bounds; use append (with a watermark) or complete")
            }
        } else if mode == .complete {
            throw .invalidOutputMode(
                table: table, mode: mode,
                reason:
                    "complete mode re-emits the whole result table each batch, which needs an aggregation "
                    + "(without one the table is the entire stream); use append or update")
        }
        if (!orderNames.isEmpty || limit != nil) && (aggregation == nil || mode != .complete) {
            throw .unsupported(
                "output '\(table)': sorting and limiting a streaming result are only supported after an "
                    + "aggregation in complete mode (as in Spark); for a live top-N use a live table's query")
        }
        var order: [(Int, Bool)] = []
        for key in orderNames {
            guard let i = columns.firstIndex(where: { $0.name == key.column }) else {
                throw .unknownColumn(
                    key.column, available: columns.map(\.name), stage: "orderBy of '\(table)'")
            }
            order.append((i, key.descending))
        }
        var keyColumns: [Int] = []
        if aggregation != nil {
            let found = keyNames.compactMap { name in columns.firstIndex { $0.name == name } }
            if found.count == keyNames.count { keyColumns = found }
        }
        return OutputPlan(
            table: TableDescription(name: table, columns: columns, keyColumns: keyColumns, mode: mode),
            sink: output.sink, pre: pre, aggregation: aggregation, post: post, order: order, limit: limit)
    }

    /// The schema fields any stage may read; nil when that is all of them (or a closure, which could read
    /// anything, is involved). Names made by the stages themselves may match too: reading extra is harmless.
    static func projection(_ stages: [Stage], schema: Schema) -> [Int]? {
        var names: Set<String> = []
        func add(_ e: Expression) {
            for name in e.referencedColumns {
                names.insert(name)
                names.insert(String(name.split(separator: ".").first ?? Substring(name)))
            }
        }
        for stage in stages {
            switch stage {
            case .filterRows, .map: return nil
            case .filter(let e): add(e)
            case .select(let items): items.forEach { add($0.expression) }
            case .withColumn(let item): add(item.expression)
            case .drop, .orderBy, .limit: break
            case .explode(let column, _, _): names.insert(column)
            case .watermark(let w): names.insert(w.column)
            case .aggregate(let keys, let window, let aggregates):
                keys.forEach { add($0.expression) }
                if let window { names.insert(window.timeColumn) }
                for a in aggregates { if let input = a.input { add(input) } }
            }
        }
        let kept = schema.fields.indices.filter { names.contains(schema.fields[$0].name) }
        return kept.count == schema.fields.count ? nil : kept
    }

    static func resultType(_ aggregate: Aggregate, input: ColumnType?, stage: String) throws(PipelineError)
        -> ColumnType
    {
        switch aggregate.function {
        case .count, .countDistinct: return .int
        case .avg:
            switch input {
            case nil, .int?, .double?, .decimal?: return .double
            default: throw .typeMismatch("avg needs a number; \(aggregate.input!) is \(input!)", stage: stage)
            }
        case .sum:
            switch input {
            case nil: return .double
            case .int?, .double?, .decimal?: return input!
            default: throw .typeMismatch("sum needs a number; \(aggregate.input!) is \(input!)", stage: stage)
            }
        case .min, .max:
            return input ?? .string
        }
    }
}
