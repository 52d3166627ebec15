public import EddyStream

/// An expression as written, with its position: the parser's output, before names are resolved.
///
/// ```swift
/// let e = try SQLParser.parseExpression("duration / 60 > 5")
/// e.canonical   // "((duration / 60) > 5)"
/// ```
public struct SQLExpression: Sendable, CustomStringConvertible {
    public indirect enum Kind: Sendable {
        /// A possibly qualified name: `location`, `m.location`, `p.product_name`.
        case column([String])
        case literal(Value)
        /// `INTERVAL '5' MINUTE`, in microseconds.
        case interval(Int64)
        /// `NOT x`, `-x`.
        case unary(String, SQLExpression)
        /// Arithmetic, comparisons, `AND`, `OR`, `||`.
        case binary(String, SQLExpression, SQLExpression)
        case isNull(SQLExpression, negated: Bool)
        case inList(SQLExpression, [SQLExpression], negated: Bool)
        case between(SQLExpression, SQLExpression, SQLExpression, negated: Bool)
        case like(SQLExpression, SQLExpression, negated: Bool)
        case caseWhen(operand: SQLExpression?, [(SQLExpression, SQLExpression)], otherwise: SQLExpression?)
        case cast(SQLExpression, ColumnType)
        /// A function call; `count(*)` has `star`, `count(DISTINCT x)` has `distinct`.
        case call(String, [SQLExpression], distinct: Bool, star: Bool)
        case extract(ScalarFunction.TimeField, SQLExpression)
    }

    public var kind: Kind
    public var position: SourcePosition

    public init(_ kind: Kind, at position: SourcePosition) {
        self.kind = kind
        self.position = position
    }

    /// The expression's text in one normal form (lower-case functions, full parentheses, no positions):
    /// two expressions are the same when their canonical texts are.
    public var canonical: String {
        switch kind {
        case .column(let parts): return parts.joined(separator: ".")
        case .literal(let v):
            if case .string(let s) = v {
                return "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''")
                    + "'"
            }
            return v.renderedForDisplay
        case .interval(let micros): return "INTERVAL \(micros)us"
        case .unary(let op, let e): return "(\(op) \(e.canonical))"
        case .binary(let op, let a, let b): return "(\(a.canonical) \(op) \(b.canonical))"
        case .isNull(let e, let negated): return "(\(e.canonical) IS \(negated ? "NOT " : "")NULL)"
        case .inList(let e, let list, let negated):
            return
                "(\(e.canonical) \(negated ? "NOT " : "")IN (\(list.map(\.canonical).joined(separator: ", "))))"
        case .between(let e, let lo, let hi, let negated):
            return "(\(e.canonical) \(negated ? "NOT " : "")BETWEEN \(lo.canonical) AND \(hi.canonical))"
        case .like(let e, let p, let negated):
            return "(\(e.canonical) \(negated ? "NOT " : "")LIKE \(p.canonical))"
        case .caseWhen(let operand, let branches, let otherwise):
            var text = "CASE"
            if let operand { text += " \(operand.canonical)" }
            for (w, t) in branches { text += " WHEN \(w.canonical) THEN \(t.canonical)" }
            if let otherwise { text += " ELSE \(otherwise.canonical)" }
            return text + " END"
        case .cast(let e, let type): return "CAST(\(e.canonical) AS \(SQLTypeName.render(type)))"
        case .call(let name, let args, let distinct, let star):
            if star { return "\(name)(*)" }
            return "\(name)(\(distinct ? "DISTINCT " : "")\(args.map(\.canonical).joined(separator: ", ")))"
        case .extract(let field, let e): return "extract(\(field.rawValue) FROM \(e.canonical))"
        }
    }

    public var description: String { canonical }

    /// The sub-expressions, for walks.
    var children: [SQLExpression] {
        switch kind {
        case .column, .literal, .interval: []
        case .unary(_, let e), .isNull(let e, _), .cast(let e, _), .extract(_, let e): [e]
        case .binary(_, let a, let b), .like(let a, let b, _): [a, b]
        case .inList(let e, let list, _): [e] + list
        case .between(let e, let lo, let hi, _): [e, lo, hi]
        case .caseWhen(let operand, let branches, let otherwise):
            (operand.map { [$0] } ?? []) + branches.flatMap { [$0.0, $0.1] } + (otherwise.map { [$0] } ?? [])
        case .call(_, let args, _, _): args
        }
    }

    /// Is this a call of an aggregate function (`count`, `sum`, `avg`, `min`, `max`)?
    var isAggregateCall: Bool {
        if case .call(let name, _, _, _) = kind { return SQLExpression.aggregateNames.contains(name) }
        return false
    }

    /// Does an aggregate call appear anywhere in it?
    var containsAggregate: Bool { firstAggregate != nil }

    /// The first aggregate call in it (itself included), for errors that point at it.
    var firstAggregate: SQLExpression? {
        if isAggregateCall { return self }
        for child in children { if let found = child.firstAggregate { return found } }
        return nil
    }

    static let aggregateNames: Set<String> = ["count", "sum", "avg", "min", "max"]
}

/// One item of a SELECT list: an expression with an optional alias, or `*`.
public struct SelectItem: Sendable {
    public var expression: SQLExpression?
    public var alias: String?
    public var position: SourcePosition

    public var isStar: Bool { expression == nil }
}

/// What a query reads: a source (topic), maybe through a window table function, maybe exploded.
public struct TableReference: Sendable {
    public enum WindowFunction: Sendable {
        case tumble(size: Int64)
        case hop(slide: Int64, size: Int64)
        case session(gap: Int64)
    }

    /// The source's name (a declared source, or a topic).
    public var source: String
    public var sourcePosition: SourcePosition
    /// The name the query may qualify columns with (`FROM motion AS m`).
    public var alias: String?
    /// `TUMBLE(motion, timestamp, INTERVAL '1' MINUTE)`: the window and its time column.
    public var window: (function: WindowFunction, timeColumn: String, position: SourcePosition)?
    /// `CROSS JOIN UNNEST(products) AS p`: the array column and the element's name.
    public var unnest: (column: String, alias: String, position: SourcePosition)?
}

/// A `SELECT` query.
public struct SelectStatement: Sendable {
    public var position: SourcePosition
    public var items: [SelectItem]
    public var from: TableReference
    public var filter: SQLExpression?
    public var groupBy: [SQLExpression]
    public var groupByPosition: SourcePosition?
    public var having: SQLExpression?
    public var orderBy: [(expression: SQLExpression, descending: Bool)]
    public var orderByPosition: SourcePosition?
    public var limit: Int?
    public var limitPosition: SourcePosition?
}

/// `CREATE SOURCE name (columns…, WATERMARK FOR c AS c - INTERVAL …) WITH (topic = '…', format = 'json')`.
public struct SourceDeclaration: Sendable {
    public var name: String
    public var position: SourcePosition
    /// Empty when the columns are to be inferred from the topic's records.
    public var columns: [Column]
    public var watermark: (column: String, delayMicros: Int64)?
    public var options: [String: String]

    public var topic: String { options["topic"] ?? name }
}

/// `CREATE SINK name WITH (…) [AS SELECT …]`, `CREATE TABLE name [WITH (…)] AS SELECT …`, or a sink that
/// `INSERT INTO` later fills.
public struct SinkDeclaration: Sendable {
    public var name: String
    public var position: SourcePosition
    /// `sink = 'console' | 'json' | 'table' | 'sqlite:…' | 'postgres://…' | 'parquet:…' | 'csv:…'`,
    /// `mode = 'append' | 'update' | 'complete'`.
    public var options: [String: String]
}

/// One statement of a SQL file.
public enum SQLStatement: Sendable {
    case select(SelectStatement)
    case createSource(SourceDeclaration)
    case createSink(SinkDeclaration, query: SelectStatement?)
    case insert(target: String, position: SourcePosition, query: SelectStatement)
}

/// Type names in SQL and back: `BIGINT`, `DOUBLE`, `DECIMAL(10,2)`, `ARRAY<ROW<name STRING>>`.
public enum SQLTypeName {
    public static func render(_ type: ColumnType) -> String {
        switch type {
        case .bool: "BOOLEAN"
        case .int: "BIGINT"
        case .double: "DOUBLE"
        case .string: "STRING"
        case .timestamp: "TIMESTAMP"
        case .decimal(let scale): "DECIMAL(38,\(scale))"
        case .array(let element): "ARRAY<\(render(element))>"
        case .object(let fields):
            "ROW<\(fields.map { "\($0.name) \(render($0.type))" }.joined(separator: ", "))>"
        }
    }
}
