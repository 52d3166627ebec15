public import EddyStream

/// Compiles a `SELECT` into engine operators: names resolved against the source's schema (errors point at
/// the text), aggregates collected, `HAVING` and the final projection placed after the aggregation, and the
/// result checked by ``Pipeline/build()`` (types, Spark's output-mode rules) with the engine's messages.
///
/// ```swift
/// var catalog = SQLCatalog { topic in try SchemaInference.sample(log: log, topic: topic) }
/// let query = try SQLPlanner.plan("SELECT location, sum(duration) AS total FROM motion GROUP BY location",
///                                 catalog: &catalog)
/// ```
public enum SQLPlanner {
    /// Plans the single `SELECT` of `text`.
    public static func plan(
        _ text: String, catalog: inout SQLCatalog, table: String = "sql", mode: OutputMode? = nil
    ) throws(SQLError) -> SQLQuery {
        let statements = try SQLParser.parse(text)
        var select: SelectStatement?
        for statement in statements {
            switch statement {
            case .createSource(let declaration): try catalog.declare(declaration)
            case .select(let s):
                guard select == nil else {
                    throw SQLError(
                        .unsupported, "one query at a time here (use eddy run --file for several)",
                        at: s.position)
                }
                select = s
            case .createSink(let sink, _):
                throw SQLError(.unsupported, "CREATE SINK here (use eddy run --file)", at: sink.position)
            case .insert(_, let position, _):
                throw SQLError(.unsupported, "INSERT INTO here (use eddy run --file)", at: position)
            }
        }
        guard let select else { throw SQLError(.syntax, "no SELECT query", at: .start) }
        return try plan(select, catalog: &catalog, table: table, mode: mode)
    }

    /// Plans `statement` into a query producing `table` in `mode` (default: complete for an aggregation,
    /// append otherwise).
    public static func plan(
        _ statement: SelectStatement, catalog: inout SQLCatalog, table: String, mode: OutputMode? = nil
    ) throws(SQLError) -> SQLQuery {
        let source = try catalog.source(named: statement.from.source, at: statement.from.sourcePosition)
        var planner = QueryPlanner(statement: statement, source: source)
        let query = try planner.plan(table: table, mode: mode)
        try check(query)
        return query
    }

    /// Builds the query alone, so engine errors surface now with a position in the text.
    static func check(_ query: SQLQuery) throws(SQLError) {
        struct Discard: Sink { func write(_ batch: SinkBatch) async throws {} }
        let statement = query.statement
        do {
            _ = try query.pipeline(named: "check", to: Discard()).build()
        } catch {
            var position = statement.position
            if case .unsupported(let message) = error, message.contains("sorting and limiting") {
                position = statement.orderByPosition ?? statement.limitPosition ?? position
            }
            throw .engine(error, at: position)
        }
    }
}

/// The state of planning one statement.
struct QueryPlanner {
    let statement: SelectStatement
    let source: SQLSource
    var scope: SQLScope
    var steps: [String] = []
    var scanned: [String] = []
    var operators: [@Sendable (Pipeline) -> Pipeline] = []

    init(statement: SelectStatement, source: SQLSource) {
        self.statement = statement
        self.source = source
        var qualifiers: Set<String> = [source.name, statement.from.source]
        if let alias = statement.from.alias { qualifiers.insert(alias) }
        scope = SQLScope(columns: source.schema.fields, qualifiers: qualifiers)
    }

    var isWindowed: Bool { statement.from.window != nil }

    mutating func add(_ step: String, _ op: @escaping @Sendable (Pipeline) -> Pipeline) {
        steps.append(step)
        operators.append(op)
    }

    mutating func plan(table: String, mode: OutputMode?) throws(SQLError) -> SQLQuery {
        let from = statement.from
        if let unnest = from.unnest {
            let (path, type) = try scope.resolve(
                unnest.column.split(separator: ".").map(String.init), at: unnest.position)
            guard case .array(let element) = type else {
                throw SQLError(
                    .invalid, "UNNEST needs an array column; '\(path)' is \(SQLTypeName.render(type))",
                    at: unnest.position)
            }
            guard !path.contains(".") else {
                throw SQLError.unsupported(
                    "UNNEST of a nested field (name a top-level array column)", at: unnest.position)
            }
            note(path)
            let alias = unnest.alias
            add("explode \(path) AS \(alias)") { $0.explode(path, as: alias) }
            if let i = scope.columns.firstIndex(where: { $0.name == path }) {
                scope.columns[i] = Column(alias, element)
            }
        }
        if let filter = statement.filter {
            if let aggregate = filter.firstAggregate {
                throw SQLError(
                    .invalid, "aggregate functions are not allowed in WHERE (use HAVING)",
                    at: aggregate.position)
            }
            let condition = try translate(filter)
            add("filter \(condition)") { $0.filter(condition) }
        }
        let aggregated =
            !statement.groupBy.isEmpty
            || statement.items.contains { $0.expression?.containsAggregate == true }
            || statement.having != nil
        if isWindowed && !aggregated {
            throw SQLError.unsupported(
                "a window table function without GROUP BY (group by window_start, window_end)",
                at: from.window!.position)
        }
        if aggregated {
            try planAggregation()
        } else {
            try planProjection()
        }
        let mode = mode ?? (aggregated ? .complete : .append)
        let operators = self.operators
        return SQLQuery(
            source: source, statement: statement, table: table, mode: mode, hasAggregation: aggregated,
            scannedColumns: scanned, steps: steps,
            operators: { pipeline in operators.reduce(pipeline) { $1($0) } })
    }

    mutating func note(_ path: String) {
        let column = String(path.split(separator: ".").first ?? Substring(path))
        if source.schema.index(of: column) != nil, !scanned.contains(column) { scanned.append(column) }
    }

    // MARK: Without aggregation

    mutating func planProjection() throws(SQLError) {
        var items: [NamedExpression] = []
        var identity = true
        for item in statement.items {
            guard let e = item.expression else {
                items += scope.columns.map { NamedExpression($0.name, col($0.name)) }
                scope.columns.forEach { note($0.name) }
                continue
            }
            identity = false
            items.append(NamedExpression(item.alias ?? defaultName(e), try translate(e)))
        }
        try checkDistinct(items.map(\.name))
        if !identity {
            let projection = items
            add("select \(items.map { "\($0.expression) AS \($0.name)" }.joined(separator: ", "))") {
                $0.select(projection)
            }
        }
        // Spark refuses sorting a stream without an aggregation; the engine's build() says so with its message.
        let names = items.map(\.name)
        try planOrderAndLimit(names: names, items: statement.items.compactMap { $0 })
    }

    func checkDistinct(_ names: [String]) throws(SQLError) {
        var seen: Set<String> = []
        for (i, name) in names.enumerated() where !seen.insert(name).inserted {
            let position = i < statement.items.count ? statement.items[i].position : statement.position
            throw SQLError(
                .invalid, "two result columns are called '\(name)'; give one an alias (AS …)", at: position)
        }
    }

    mutating func planOrderAndLimit(names: [String], items: [SelectItem]) throws(SQLError) {
        if !statement.orderBy.isEmpty {
            var keys: [SortKey] = []
            for (e, descending) in statement.orderBy {
                keys.append(SortKey(try orderName(e, names: names, items: items), descending: descending))
            }
            let sortKeys = keys
            add("orderBy \(keys.map(\.description).joined(separator: ", "))") { $0.orderBy(sortKeys) }
        }
        if let limit = statement.limit {
            add("limit \(limit)") { $0.limit(limit) }
        }
    }

    /// The result column an ORDER BY key names: a column of the result, its position, or a SELECT expression.
    func orderName(_ e: SQLExpression, names: [String], items: [SelectItem]) throws(SQLError) -> String {
        if case .literal(.int(let n)) = e.kind {
            guard n >= 1, n <= names.count else {
                throw SQLError(
                    .invalid, "ORDER BY \(n) is not a column position (1 to \(names.count))", at: e.position)
            }
            return names[Int(n) - 1]
        }
        if case .column(let parts) = e.kind, parts.count == 1, names.contains(parts[0]) { return parts[0] }
        for (i, item) in items.enumerated() where item.expression?.canonical == e.canonical && i < names.count
        {
            return names[i]
        }
        if case .column(let parts) = e.kind, parts.count == 1 {
            let hint = closestName(to: parts[0], in: names).map { " (did you mean '\($0)'?)" } ?? ""
            throw SQLError(
                .unknownName, "ORDER BY column '\(parts[0])' is not a column of the result\(hint)",
                at: e.position)
        }
        throw SQLError.unsupported(
            "ORDER BY an expression that is not in the SELECT list (select it with an alias and order by that)",
            at: e.position)
    }

    // MARK: Aggregation

    mutating func planAggregation() throws(SQLError) {
        // Keys: window bounds (from the table function), then GROUP BY expressions in order.
        var keys: [(canonical: String, name: String)] = []
        var keyExpressions: [NamedExpression] = []
        var outputNames: [String] = []
        if isWindowed { outputNames = [Window.startColumn, Window.endColumn] }
        for g in statement.groupBy {
            var g = g
            if case .literal(.int(let n)) = g.kind {
                guard n >= 1, n <= statement.items.count, let e = statement.items[Int(n) - 1].expression
                else {
                    throw SQLError(
                        .invalid, "GROUP BY \(n) is not a position in the SELECT list", at: g.position)
                }
                g = e
            }
            if case .column(let parts) = g.kind, parts.count == 1 {
                if isWindowed, parts[0] == Window.startColumn || parts[0] == Window.endColumn { continue }
                if !scope.columns.contains(where: { $0.name == parts[0] }),
                    let item = statement.items.first(where: { $0.alias == parts[0] }), let e = item.expression
                {
                    g = e
                }
            }
            if let aggregate = g.firstAggregate {
                throw SQLError(
                    .invalid, "aggregate functions are not allowed in GROUP BY", at: aggregate.position)
            }
            let item = statement.items.first { $0.expression?.canonical == g.canonical }
            let name = item?.alias ?? defaultName(g)
            guard !keys.contains(where: { $0.canonical == g.canonical }) else { continue }
            keys.append((g.canonical, name))
            keyExpressions.append(NamedExpression(name, try translate(g)))
            outputNames.append(name)
        }
        // Aggregates: those a SELECT item is exactly take its name; others get hidden names.
        var aggregates: [(canonical: String, name: String, aggregate: Aggregate)] = []
        func collect(_ e: SQLExpression, name: String?) throws(SQLError) {
            if e.isAggregateCall {
                if aggregates.contains(where: {
                    $0.canonical == e.canonical && (name == nil || $0.name == name)
                }) {
                    return
                }
                let aggregate = try translateAggregate(e, name: name ?? "_agg\(aggregates.count + 1)")
                aggregates.append((e.canonical, aggregate.name, aggregate))
                return
            }
            for child in e.children { try collect(child, name: nil) }
        }
        for item in statement.items {
            guard let e = item.expression else {
                throw SQLError(
                    .invalid, "SELECT * cannot be used with GROUP BY or aggregates; name the columns",
                    at: item.position)
            }
            try collect(e, name: e.isAggregateCall ? (item.alias ?? defaultName(e)) : nil)
        }
        if let having = statement.having { try collect(having, name: nil) }
        for (e, _) in statement.orderBy { try collect(e, name: nil) }
        outputNames += aggregates.map(\.name)
        let window = try windowSpec()
        if window != nil, let (column, delay) = source.watermark.map({ ($0.column, $0.delayMicros) }) {
            // The source's watermark bounds the lateness of windowed queries only (as in Flink); other
            // queries keep every row.
            let duration = Duration.microseconds(delay)
            add("watermark \(column) delay \(duration)") { $0.withWatermark(column, delay: duration) }
        }
        let aggregateList = aggregates.map(\.aggregate)
        let keyList = keyExpressions
        add(
            "groupBy \(window.map { "\($0), " } ?? "")\(keyList.map { "\($0.expression) AS \($0.name)" }.joined(separator: ", ")) "
                + "agg \(aggregateList.map(\.description).joined(separator: ", ")) — state: one entry per "
                + (window == nil ? "group" : "window and group")
        ) { $0.groupBy(window, keys: keyList).aggregate(aggregateList) }

        // After the aggregation, expressions read keys and aggregates by their output names.
        let post = PostAggregation(
            keys: keys, aggregates: aggregates.map { ($0.canonical, $0.name) }, windowed: isWindowed,
            outputNames: outputNames)
        if let having = statement.having {
            let condition = try post.translate(having, with: self)
            add("filter \(condition) (HAVING)") { $0.filter(condition) }
        }
        var items: [NamedExpression] = []
        for item in statement.items {
            let e = item.expression!
            let name =
                item.alias
                ?? (e.isAggregateCall
                    ? aggregates.first { $0.canonical == e.canonical }!.name : defaultName(e))
            items.append(NamedExpression(name, try post.translate(e, with: self)))
        }
        try checkDistinct(items.map(\.name))
        let identity =
            items.count == outputNames.count
            && zip(items, outputNames).allSatisfy { item, name in
                if case .column(name) = item.expression.node { return item.name == name }
                return false
            }
        if !identity {
            let projection = items
            add("select \(items.map { "\($0.expression) AS \($0.name)" }.joined(separator: ", "))") {
                $0.select(projection)
            }
        }
        try planOrderAndLimit(names: items.map(\.name), items: statement.items)
    }

    func windowSpec() throws(SQLError) -> Window? {
        guard let (function, timeColumn, position) = statement.from.window else { return nil }
        let (path, type) = try scope.resolve([timeColumn], at: position)
        guard type == .timestamp || type == .string else {
            throw SQLError(
                .invalid,
                "the window's time column '\(path)' is \(SQLTypeName.render(type)), not a TIMESTAMP",
                at: position)
        }
        switch function {
        case .tumble(let size): return .tumbling(on: path, size: .microseconds(size))
        case .hop(let slide, let size):
            guard size >= slide else {
                throw SQLError(
                    .invalid, "HOP's window size must be at least its slide (HOP(source, time, slide, size))",
                    at: position)
            }
            return .hopping(on: path, size: .microseconds(size), slide: .microseconds(slide))
        case .session(let gap): return .session(on: path, gap: .microseconds(gap))
        }
    }

    mutating func translateAggregate(_ e: SQLExpression, name: String) throws(SQLError) -> Aggregate {
        guard case .call(let function, let args, let distinct, let star) = e.kind else {
            fatalError("not a call")
        }
        if star { return .count(as: name) }
        guard args.count == 1 else {
            throw SQLError(.invalid, "\(function) takes one argument, not \(args.count)", at: e.position)
        }
        if let nested = args[0].firstAggregate {
            throw SQLError(.invalid, "aggregate functions cannot be nested", at: nested.position)
        }
        let input = try translate(args[0])
        if distinct {
            guard function == "count" else {
                throw SQLError.unsupported("\(function)(DISTINCT …) (only count(DISTINCT …))", at: e.position)
            }
            return .countDistinct(input, as: name)
        }
        switch function {
        case "count": return .count(input, as: name)
        case "sum": return .sum(input, as: name)
        case "avg": return .avg(input, as: name)
        case "min": return .min(input, as: name)
        default: return .max(input, as: name)
        }
    }

    /// The name a SELECT item gets without an alias: a column's last segment, else the expression's text.
    func defaultName(_ e: SQLExpression) -> String {
        if case .column(let parts) = e.kind { return parts.last! }
        return e.canonical
    }

    // MARK: Expressions before aggregation

    mutating func translate(_ e: SQLExpression) throws(SQLError) -> Expression {
        var noted: [String] = []
        let result = try ExpressionTranslator.translate(e) { (e) throws(SQLError) -> Expression? in
            switch e.kind {
            case .column(let parts):
                if isWindowed, parts.count == 1,
                    parts[0] == Window.startColumn || parts[0] == Window.endColumn
                {
                    throw SQLError.unsupported(
                        "\(parts[0]) before the aggregation (it exists once rows are grouped by window)",
                        at: e.position)
                }
                let (path, _) = try scope.resolve(parts, at: e.position)
                noted.append(path)
                return col(path)
            case .call where e.isAggregateCall:
                throw SQLError(
                    .invalid, "aggregate function \(e.canonical) is not allowed here", at: e.position)
            default: return nil
            }
        }
        noted.forEach { note($0) }
        return result
    }
}

/// Expressions after the aggregation: group keys and aggregates are columns of its result.
struct PostAggregation {
    var keys: [(canonical: String, name: String)]
    var aggregates: [(canonical: String, name: String)]
    var windowed: Bool
    var outputNames: [String]

    func translate(_ e: SQLExpression, with planner: QueryPlanner) throws(SQLError) -> Expression {
        try ExpressionTranslator.translate(e) { (e) throws(SQLError) -> Expression? in
            if let key = keys.first(where: { $0.canonical == e.canonical }) { return col(key.name) }
            if e.isAggregateCall, let a = aggregates.first(where: { $0.canonical == e.canonical }) {
                return col(a.name)
            }
            if case .column(let parts) = e.kind {
                let name = parts.joined(separator: ".")
                if windowed, name == Window.startColumn || name == Window.endColumn { return col(name) }
                if parts.count == 1, keys.contains(where: { $0.name == name }) { return col(name) }
                // A qualified reference to a key written unqualified in GROUP BY (or the reverse).
                if let key = keys.first(where: {
                    $0.canonical.split(separator: ".").last.map(String.init) == parts.last
                        && $0.canonical.hasSuffix(name) || name.hasSuffix("." + $0.canonical)
                }) {
                    return col(key.name)
                }
                _ = try planner.scope.resolve(parts, at: e.position)
                throw SQLError(
                    .invalid, "column '\(name)' must appear in GROUP BY or be used in an aggregate function",
                    at: e.position)
            }
            return nil
        }
    }
}
