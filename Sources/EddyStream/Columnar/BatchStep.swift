/// A stateless operator compiled for batches. Expression steps run a column at a time; closure steps
/// (``Pipeline/filter(_:)-closure``, ``Pipeline/map(to:_:)``) are the escape hatch and run once per selected
/// row on the row's values.
enum BatchStep: Sendable {
    case filter(VectorExpression)
    case filterRows(ColumnIndex, @Sendable (RowAccess) -> Bool)
    case project([VectorExpression])
    case map(ColumnIndex, [ColumnVector.Kind], @Sendable (RowAccess) -> Row)

    /// Applies the step to the selected rows of `vectors`.
    func apply(_ vectors: inout [ColumnVector], _ rows: inout Selection, capacity: Int) {
        switch self {
        case .filter(let condition):
            let result = condition.evaluate(vectors, rows, capacity: capacity)
            if result.kind == .bool {
                rows.rows.removeAll { !(result.valid[$0] && result.ints[$0] != 0) }
            } else {
                rows.rows.removeAll { result.value(at: $0) != .bool(true) }
            }
        case .filterRows(let columns, let predicate):
            let current = vectors
            rows.rows.removeAll {
                !predicate(RowAccess(columns: columns, values: ColumnBatch.row(current, $0)))
            }
        case .project(let items):
            let current = vectors
            let selected = rows
            vectors = items.map { $0.evaluate(current, selected, capacity: capacity) }
        case .map(let columns, let kinds, let transform):
            let out = kinds.map { _ in ColumnVector(kind: .boxed, capacity: capacity) }
            for r in rows.rows {
                var row = transform(RowAccess(columns: columns, values: ColumnBatch.row(vectors, r)))
                // A transform returning the wrong width is padded or cut, as on the row path.
                if row.count < kinds.count {
                    row.append(contentsOf: repeatElement(.null, count: kinds.count - row.count))
                }
                for (i, v) in out.enumerated() { v.setBoxed(r, row[i]) }
            }
            vectors = out
        }
    }
}

/// A pipeline compiled for column batches: the scanner's fields, the stages every output shares (run once
/// per batch), then per output its own stages and its hash aggregation. ``compile(_:inputColumns:)``
/// returns nil for what batches do not run yet (explode, session windows, an output without an
/// aggregation, late rows routed to a topic, a record validation): those pipelines take the row path.
///
/// ```swift
/// let plan = BatchPlan.compile(pipeline, inputColumns: columns)   // nil: run row by row
/// ```
struct BatchPlan: Sendable {
    var shared: [BatchStep]
    var outputs: [(steps: [BatchStep], aggregation: BatchAggregation)]

    static func compile(_ pipeline: Pipeline, inputColumns: [Column]) -> BatchPlan? {
        guard pipeline.validation == nil, pipeline.lateRowsTopic == nil else { return nil }
        let stageLists = pipeline.outputs.map(\.stages)
        // The shared prefix: identical expression stages at the head of every output.
        var prefix = 0
        func shareable(_ s: Stage) -> Bool {
            switch s {
            case .filter, .select, .withColumn, .drop: true
            default: false
            }
        }
        while let first = stageLists.first, prefix < first.count, shareable(first[prefix]),
            stageLists.allSatisfy({ $0.count > prefix && $0[prefix].description == first[prefix].description }
            )
        {
            prefix += 1
        }
        do {
            var columns = inputColumns
            let shared = try steps(Array(stageLists[0].prefix(prefix)), &columns)
            guard let shared else { return nil }
            var outputs: [(steps: [BatchStep], aggregation: BatchAggregation)] = []
            for stages in stageLists {
                var mine = columns
                var before: [Stage] = []
                var aggregation: BatchAggregation?
                var watermark: Watermark?
                for stage in stages.dropFirst(prefix) {
                    if aggregation != nil { continue }  // after the aggregation: on the emitted rows
                    switch stage {
                    case .watermark(let w): watermark = w
                    case .aggregate(let keys, let window, let aggregates):
                        guard let steps = try steps(before, &mine) else { return nil }
                        before = []
                        if case .session? = window?.kind { return nil }
                        let timeColumn = window?.timeColumn ?? watermark?.column
                        aggregation = BatchAggregation(
                            keys: try keys.map { (k) throws(PipelineError) in
                                try VectorExpression.compile(k.expression.node, columns: mine)
                            },
                            window: window?.kind,
                            eventTime: try timeColumn.map { (c) throws(PipelineError) in
                                try VectorExpression.compile(col(c).node, columns: mine)
                            },
                            watermarkDelay: watermark?.delayMicros,
                            functions: aggregates.map(\.function),
                            inputs: try aggregates.map { (a) throws(PipelineError) in
                                try a.input.map { (e) throws(PipelineError) in
                                    try VectorExpression.compile(e.node, columns: mine)
                                }
                            })
                        outputs.append((steps, aggregation!))
                    default:
                        before.append(stage)
                    }
                }
                guard aggregation != nil else { return nil }
            }
            return BatchPlan(shared: shared, outputs: outputs)
        } catch {
            return nil  // build() already reported what is wrong; this only compiles what passed
        }
    }

    /// Compiles stateless stages against `columns` (updated to the columns after them); nil when one of
    /// them cannot run on batches.
    private static func steps(_ stages: [Stage], _ columns: inout [Column]) throws(PipelineError)
        -> [BatchStep]?
    {
        var out: [BatchStep] = []
        for stage in stages {
            switch stage {
            case .filter(let e):
                out.append(.filter(try VectorExpression.compile(e.node, columns: columns)))
            case .filterRows(_, let predicate):
                out.append(.filterRows(ColumnIndex(columns), predicate))
            case .select(let items):
                var next: [Column] = []
                var exprs: [VectorExpression] = []
                for item in items {
                    exprs.append(try VectorExpression.compile(item.expression.node, columns: columns))
                    next.append(
                        Column(item.name, try item.expression.type(against: columns, stage: "") ?? .string))
                }
                out.append(.project(exprs))
                columns = next
            case .withColumn(let item):
                let e = try VectorExpression.compile(item.expression.node, columns: columns)
                let column = Column(
                    item.name, try item.expression.type(against: columns, stage: "") ?? .string)
                var exprs = columns.indices.map { VectorExpression.column($0) }
                if let i = columns.firstIndex(where: { $0.name == item.name }) {
                    exprs[i] = e
                    columns[i] = column
                } else {
                    exprs.append(e)
                    columns.append(column)
                }
                out.append(.project(exprs))
            case .drop(let names):
                let keep = columns.indices.filter { !names.contains(columns[$0].name) }
                out.append(.project(keep.map { VectorExpression.column($0) }))
                columns = keep.map { columns[$0] }
            case .map(_, let next, let transform):
                out.append(.map(ColumnIndex(columns), next.map { _ in .boxed }, transform))
                columns = next
            case .watermark:
                continue
            case .explode, .aggregate, .orderBy, .limit:
                return nil
            }
        }
        return out
    }
}
