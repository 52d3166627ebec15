public import EddyStream

/// A SQL file planned: its sources, sinks and queries (`CREATE SOURCE`, `CREATE SINK … AS SELECT`,
/// `INSERT INTO`, bare `SELECT`s), ready to become pipelines — one per source, each query an output of it.
///
/// ```swift
/// let script = try SQLScript.plan(text, catalog: catalog)
/// let pipelines = try script.pipelines(named: "retail") { output in ConsoleSink() }
/// ```
public struct SQLScript: Sendable {
    /// One query and where its rows go.
    public struct Output: Sendable {
        public var query: SQLQuery
        /// The sink declaration it writes to; nil for a bare SELECT (printed like `eddy run` prints).
        public var sink: SinkDeclaration?
    }

    public var outputs: [Output]
    public var catalog: SQLCatalog

    /// Plans every statement of `text` against `catalog` (which gains its `CREATE SOURCE`s).
    public static func plan(_ text: String, catalog: SQLCatalog) throws(SQLError) -> SQLScript {
        var catalog = catalog
        var sinks: [String: SinkDeclaration] = [:]
        var outputs: [Output] = []
        var tables: Set<String> = []
        func add(_ query: SelectStatement, table: String, sink: SinkDeclaration?, at position: SourcePosition)
            throws(SQLError)
        {
            guard tables.insert(table).inserted else {
                throw SQLError(.invalid, "'\(table)' already has a query; one query per sink", at: position)
            }
            var mode: OutputMode?
            if let text = sink?.options["mode"] {
                guard let m = OutputMode(rawValue: text.lowercased()) else {
                    throw SQLError(
                        .invalid, "mode '\(text)' is not append, update or complete", at: sink!.position)
                }
                mode = m
            }
            outputs.append(
                Output(
                    query: try SQLPlanner.plan(query, catalog: &catalog, table: table, mode: mode), sink: sink
                ))
        }
        for statement in try SQLParser.parse(text) {
            switch statement {
            case .createSource(let declaration):
                try catalog.declare(declaration)
            case .createSink(let declaration, let query):
                guard sinks[declaration.name] == nil else {
                    throw SQLError(
                        .invalid, "sink '\(declaration.name)' is declared twice", at: declaration.position)
                }
                sinks[declaration.name] = declaration
                if let query {
                    try add(query, table: declaration.name, sink: declaration, at: declaration.position)
                }
            case .insert(let target, let position, let query):
                guard let sink = sinks[target] else {
                    let hint =
                        closestName(to: target, in: Array(sinks.keys)).map { " (did you mean '\($0)'?)" }
                        ?? ""
                    throw SQLError(
                        .unknownName,
                        "sink '\(target)' does not exist\(hint); declare it with CREATE SINK \(target) WITH (…)",
                        at: position)
                }
                try add(query, table: target, sink: sink, at: position)
            case .select(let query):
                let table = "query\(outputs.count + 1)"
                try add(query, table: table, sink: nil, at: query.position)
            }
        }
        guard !outputs.isEmpty else {
            throw SQLError(
                .invalid, "no query: add a SELECT, CREATE SINK … AS SELECT or INSERT INTO", at: nil)
        }
        return SQLScript(outputs: outputs, catalog: catalog)
    }

    /// One pipeline per source read (named `name`, or `name-<source>` when there are several), each query an
    /// output writing to the sink `sink` makes for it.
    public func pipelines(named name: String, sink: (Output) throws -> any Sink) rethrows -> [Pipeline] {
        var order: [String] = []
        var bySource: [String: [Output]] = [:]
        for output in outputs {
            let key = output.query.source.name
            if bySource[key] == nil { order.append(key) }
            bySource[key, default: []].append(output)
        }
        return try order.map { key in
            let group = bySource[key]!
            let source = group[0].query.source
            var pipeline = Pipeline(order.count == 1 ? name : "\(name)-\(key)")
                .source(topic: source.topic, schema: source.schema)
            for output in group {
                let target = try sink(output)
                pipeline = pipeline.fork { output.query.output(from: $0, to: target) }
            }
            return pipeline
        }
    }
}
