/// A computation over the columns of a row, like Spark's `Column` expressions. Expressions are values, so a
/// pipeline can inspect them: the planner type-checks them against the schema when the pipeline is built and
/// compiles them to index lookups (and, for simple filters, to the scanner's fast path).
///
/// ```swift
/// let valid = col("duration").isNotNull && col("location").isNotNull
/// let revenue = col("product.quantity") * col("product.price")
/// let busy = col("traffic_count") >= 5
/// ```
///
/// A dotted name (`"product.price"`) reads a field of an object column when no column has that exact name.
/// Comparisons and arithmetic follow SQL: any null operand gives null, and a filter keeps a row only when its
/// condition is `true`.
public struct Expression: Sendable, CustomStringConvertible {
    public indirect enum Node: Sendable, Hashable {
        case column(String)
        case literal(Value)
        case isNull(Node)
        case isNotNull(Node)
        case not(Node)
        case and(Node, Node)
        case or(Node, Node)
        case compare(ComparisonOperator, Node, Node)
        case arithmetic(ArithmeticOperator, Node, Node)
        case negate(Node)
        /// Parses an ISO-8601 string (or passes a timestamp through) into a ``Value/timestamp(_:)``.
        case toTimestamp(Node)
        case coalesce([Node])
        case lower(Node)
        case upper(Node)
        case length(Node)
        /// A SQL function (``ScalarFunction``) applied to its arguments.
        case function(ScalarFunction, [Node])
    }

    public enum ComparisonOperator: String, Sendable, Hashable {
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual =
            ">="
    }

    public enum ArithmeticOperator: String, Sendable, Hashable {
        case add = "+", subtract = "-", multiply = "*", divide = "/"
    }

    public var node: Node

    public init(_ node: Node) {
        self.node = node
    }

    /// The column names this expression reads (the first segment of a dotted name included).
    public var referencedColumns: [String] {
        var names: [String] = []
        func walk(_ node: Node) {
            switch node {
            case .column(let name): if !names.contains(name) { names.append(name) }
            case .literal: break
            case .isNull(let n), .isNotNull(let n), .not(let n), .negate(let n), .toTimestamp(let n),
                .lower(let n), .upper(let n), .length(let n):
                walk(n)
            case .and(let a, let b), .or(let a, let b), .compare(_, let a, let b),
                .arithmetic(_, let a, let b):
                walk(a)
                walk(b)
            case .coalesce(let nodes), .function(_, let nodes): nodes.forEach(walk)
            }
        }
        walk(node)
        return names
    }

    public var description: String { Self.render(node) }

    static func render(_ node: Node) -> String {
        switch node {
        case .column(let name): return name
        case .literal(let value): return value.sqlLiteral
        case .isNull(let n): return "(\(render(n)) IS NULL)"
        case .isNotNull(let n): return "(\(render(n)) IS NOT NULL)"
        case .not(let n): return "(NOT \(render(n)))"
        case .and(let a, let b): return "(\(render(a)) AND \(render(b)))"
        case .or(let a, let b): return "(\(render(a)) OR \(render(b)))"
        case .compare(let op, let a, let b): return "(\(render(a)) \(op.rawValue) \(render(b)))"
        case .arithmetic(let op, let a, let b): return "(\(render(a)) \(op.rawValue) \(render(b)))"
        case .negate(let n): return "(- \(render(n)))"
        case .toTimestamp(let n): return "to_timestamp(\(render(n)))"
        case .coalesce(let nodes): return "coalesce(\(nodes.map(render).joined(separator: ", ")))"
        case .lower(let n): return "lower(\(render(n)))"
        case .upper(let n): return "upper(\(render(n)))"
        case .length(let n): return "length(\(render(n)))"
        case .function(let f, let nodes): return renderFunction(f, nodes)
        }
    }
}

/// A column by name: `col("duration")`, or a field of an object column: `col("product.price")`.
public func col(_ name: String) -> Expression { Expression(.column(name)) }

/// A constant: `lit(5)`, `lit("Caixa")`.
public func lit(_ value: Value) -> Expression { Expression(.literal(value)) }
public func lit(_ value: Int) -> Expression { Expression(.literal(.int(Int64(value)))) }
public func lit(_ value: Double) -> Expression { Expression(.literal(.double(value))) }
public func lit(_ value: String) -> Expression { Expression(.literal(.string(value))) }
public func lit(_ value: Bool) -> Expression { Expression(.literal(.bool(value))) }

/// The first non-null argument.
public func coalesce(_ expressions: Expression...) -> Expression {
    Expression(.coalesce(expressions.map(\.node)))
}

/// Parses ISO-8601 text such as `2024-08-23T15:22:16.968007Z` into a timestamp (null when it does not parse).
public func toTimestamp(_ expression: Expression) -> Expression { Expression(.toTimestamp(expression.node)) }

extension Expression: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral
{
    /// A string literal is a constant, as with Spark's `lit`; use ``col(_:)`` for columns.
    public init(stringLiteral value: String) { self.init(.literal(.string(value))) }
    public init(integerLiteral value: Int64) { self.init(.literal(.int(value))) }
    public init(floatLiteral value: Double) { self.init(.literal(.double(value))) }
    public init(booleanLiteral value: Bool) { self.init(.literal(.bool(value))) }
}

extension Expression {
    public var isNull: Expression { Expression(.isNull(node)) }
    public var isNotNull: Expression { Expression(.isNotNull(node)) }
    public var lowercased: Expression { Expression(.lower(node)) }
    public var uppercased: Expression { Expression(.upper(node)) }
    public var length: Expression { Expression(.length(node)) }
    public var asTimestamp: Expression { Expression(.toTimestamp(node)) }

    public static func && (lhs: Expression, rhs: Expression) -> Expression {
        Expression(.and(lhs.node, rhs.node))
    }
    public static func || (lhs: Expression, rhs: Expression) -> Expression {
        Expression(.or(lhs.node, rhs.node))
    }
    public static prefix func ! (operand: Expression) -> Expression { Expression(.not(operand.node)) }
    public static prefix func - (operand: Expression) -> Expression { Expression(.negate(operand.node)) }

    public static func == (lhs: Expression, rhs: Expression) -> Expression {
        Expression(.compare(.equal, lhs.node, rhs.node))
    }
    public static func != (lhs: Expression, rhs: Expression) -> Expression {
        Expression(.compare(.notEqual, lhs.node, rhs.node))
    }
    public static func < (lhs: Expression, rhs: Expression) -> Expression {
        Expression(.compare(.less, lhs.node, rhs.node))
    }
    public static func <= (lhs: Expression, rhs: Expression) -> Expression {
        Expression(.compare(.lessOrEqual, lhs.node, rhs.node))
    }
    public static func > (lhs: Expression, rhs: Expression) -> Expression {
        Expression(.compare(.greater, lhs.node, rhs.node))
    }
    public static func >= (lhs: Expression, rhs: Expression) -> Expression {
        Expression(.compare(.greaterOrEqual, lhs.node, rhs.node))
    }
    public static func + (lhs: Expression, rhs: Expression) -> Expression {
        Expression(.arithmetic(.add, lhs.node, rhs.node))
    }
    public static func - (lhs: Expression, rhs: Expression) -> Expression {
        Expression(.arithmetic(.subtract, lhs.node, rhs.node))
    }
    public static func * (lhs: Expression, rhs: Expression) -> Expression {
        Expression(.arithmetic(.multiply, lhs.node, rhs.node))
    }
    public static func / (lhs: Expression, rhs: Expression) -> Expression {
        Expression(.arithmetic(.divide, lhs.node, rhs.node))
    }
}

/// An expression with an output column name, for `select` and `withColumn`.
///
/// ```swift
/// stream.select(col("location"), (col("duration") / 60).as("minutes"))
/// ```
public struct NamedExpression: Sendable {
    public var name: String
    public var expression: Expression

    public init(_ name: String, _ expression: Expression) {
        self.name = name
        self.expression = expression
    }
}

extension Expression {
    public func `as`(_ name: String) -> NamedExpression { NamedExpression(name, self) }

    /// The output name when none is given: the column name for a plain column, else the rendered text.
    var defaultName: String {
        if case .column(let name) = node { return name }
        return description
    }
}
