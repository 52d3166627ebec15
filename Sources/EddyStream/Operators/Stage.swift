/// One step of a pipeline's logical plan, in the order written. ``Pipeline/build()`` type-checks the steps and
/// compiles them into operators.
enum Stage: Sendable, CustomStringConvertible {
    case filter(Expression)
    /// A closure filter; `name` (given by the user) stands for the closure in the plan's fingerprint.
    case filterRows(name: String?, @Sendable (RowAccess) -> Bool)
    case select([NamedExpression])
    case withColumn(NamedExpression)
    case drop([String])
    case map(name: String?, [Column], @Sendable (RowAccess) -> Row)
    case explode(column: String, as: String, keepEmpty: Bool)
    case watermark(Watermark)
    case aggregate(keys: [NamedExpression], window: Window?, aggregates: [Aggregate])
    case orderBy([SortKey])
    case limit(Int)

    /// A closure stage without a user-given name: the fingerprint cannot tell one closure from another.
    var isUnnamedClosure: Bool {
        switch self {
        case .filterRows(nil, _), .map(nil, _, _): true
        default: false
        }
    }

    var description: String {
        switch self {
        case .filter(let e): "filter \(e)"
        case .filterRows(let name?, _): "filter \"\(name)\" {closure}"
        case .filterRows(nil, _): "filter {closure}"
        case .select(let items):
            "select \(items.map { "\($0.expression) AS \($0.name)" }.joined(separator: ", "))"
        case .withColumn(let item): "withColumn \(item.name) = \(item.expression)"
        case .drop(let names): "drop \(names.joined(separator: ", "))"
        case .map(let name, let columns, _):
            "map\(name.map { " \"\($0)\"" } ?? "") -> \(columns.map(\.name).joined(separator: ", "))"
        case .explode(let column, let alias, let keepEmpty):
            "explode\(keepEmpty ? "_outer" : "") \(column) AS \(alias)"
        case .watermark(let w): "watermark \(w.column) delay \(w.delayMicros)µs"
        case .aggregate(let keys, let window, let aggregates):
            "groupBy \(window.map { "\($0), " } ?? "")\(keys.map(\.keyDescription).joined(separator: ", ")) agg "
                + aggregates.map(\.description).joined(separator: ", ")
        case .orderBy(let keys): "orderBy \(keys.map(\.description).joined(separator: ", "))"
        case .limit(let n): "limit \(n)"
        }
    }
}

/// A sort key for ``Pipeline/orderBy(_:)``: `.descending("total_traffic")`.
public struct SortKey: Sendable, CustomStringConvertible {
    public var column: String
    public var descending: Bool

    public init(_ column: String, descending: Bool = false) {
        self.column = column
        self.descending = descending
    }

    public static func ascending(_ column: String) -> SortKey { SortKey(column) }
    public static func descending(_ column: String) -> SortKey { SortKey(column, descending: true) }

    public var description: String { "\(column) \(descending ? "DESC" : "ASC")" }
}

extension NamedExpression {
    /// A group key in a plan's description: its name when it is the column of that name (or a dotted path
    /// ending in it, as ``Pipeline/groupBy(_:)`` names them), else the expression too, so two plans that
    /// group by different expressions under one name differ.
    var keyDescription: String {
        if case .column(let column) = expression.node,
            column.split(separator: ".").last.map(String.init) == name
        {
            return name
        }
        return "\(expression) AS \(name)"
    }
}
