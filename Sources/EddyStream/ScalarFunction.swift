/// A SQL function over row values that the expression language has no operator for: `CASE`, `CAST`, `IN`,
/// `LIKE`, string and time functions. Used as ``Expression/Node/function(_:_:)``; the arguments are nodes.
///
/// ```swift
/// let cheap = Expression(.function(.like, [col("location").node, lit("Corredor%").node]))
/// let minute = Expression(.function(.dateTrunc(.minute), [col("timestamp").node]))
/// ```
///
/// Nulls follow SQL: a null argument gives null (except `CASE`, whose branches decide, and `IN`, which is
/// null only when no element matches and one is null).
public enum ScalarFunction: Sendable, Hashable, CustomStringConvertible {
    /// `CASE WHEN c1 THEN v1 … [ELSE e] END`: arguments c1, v1, c2, v2, …, then e when `hasElse`.
    case caseWhen(hasElse: Bool)
    /// `CAST(x AS type)`; null when the value cannot be converted.
    case cast(ColumnType)
    /// `x IN (a, b, …)`: the first argument against the others.
    case isIn
    /// `x LIKE pattern` (`%` any text, `_` one character); the pattern is the second argument.
    case like
    case trim
    /// `concat(a, b, …)`: null when any argument is null, as in Spark.
    case concat
    /// `substring(s, start[, length])`, positions from 1.
    case substring
    /// `date_trunc('minute', ts)`: the timestamp rounded down to the unit.
    case dateTrunc(TimeUnit)
    /// `extract(hour FROM ts)`: one field of the UTC date and time, as an integer.
    case extract(TimeField)

    public enum TimeUnit: String, Sendable, Hashable, CaseIterable {
        case second, minute, hour, day
    }

    public enum TimeField: String, Sendable, Hashable, CaseIterable {
        case year, month, day, hour, minute, second
    }

    public var description: String {
        switch self {
        case .caseWhen: "case"
        case .cast(let type): "cast(\(type))"
        case .isIn: "in"
        case .like: "like"
        case .trim: "trim"
        case .concat: "concat"
        case .substring: "substring"
        case .dateTrunc(let unit): "date_trunc(\(unit.rawValue))"
        case .extract(let field): "extract(\(field.rawValue))"
        }
    }
}
