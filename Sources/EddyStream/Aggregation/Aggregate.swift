/// One aggregate column of a ``GroupedPipeline``: a function over an input expression, with an output name.
/// Nulls are ignored, as in SQL: `sum` of no non-null values is null, `count(column)` counts non-nulls.
///
/// ```swift
/// .aggregate(
///     .sum("duration", as: "total_duration"),
///     .sum(col("product.quantity") * col("product.price"), as: "total_sales"),
///     .count(as: "readings"),
///     .countDistinct("customer_id", as: "customers"))
/// ```
///
/// Result types follow Spark: `count` is an integer, `sum` keeps an integer, double or exact decimal input's
/// type, `avg` is a double, `min`/`max` keep the input type.
public struct Aggregate: Sendable, CustomStringConvertible {
    public enum Function: String, Sendable, Hashable {
        case count, sum, avg, min, max, countDistinct = "count_distinct"
    }

    public var function: Function
    /// nil only for `count(*)`.
    public var input: Expression?
    public var name: String

    public init(_ function: Function, _ input: Expression?, as name: String) {
        self.function = function
        self.input = input
        self.name = name
    }

    /// Rows in the group (`count(*)`).
    public static func count(as name: String = "count") -> Aggregate { Aggregate(.count, nil, as: name) }
    /// Rows whose `column` is not null.
    public static func count(_ column: String, as name: String) -> Aggregate {
        Aggregate(.count, col(column), as: name)
    }
    public static func count(_ input: Expression, as name: String) -> Aggregate {
        Aggregate(.count, input, as: name)
    }
    public static func sum(_ column: String, as name: String) -> Aggregate {
        Aggregate(.sum, col(column), as: name)
    }
    public static func sum(_ input: Expression, as name: String) -> Aggregate {
        Aggregate(.sum, input, as: name)
    }
    public static func avg(_ column: String, as name: String) -> Aggregate {
        Aggregate(.avg, col(column), as: name)
    }
    public static func avg(_ input: Expression, as name: String) -> Aggregate {
        Aggregate(.avg, input, as: name)
    }
    public static func min(_ column: String, as name: String) -> Aggregate {
        Aggregate(.min, col(column), as: name)
    }
    public static func min(_ input: Expression, as name: String) -> Aggregate {
        Aggregate(.min, input, as: name)
    }
    public static func max(_ column: String, as name: String) -> Aggregate {
        Aggregate(.max, col(column), as: name)
    }
    public static func max(_ input: Expression, as name: String) -> Aggregate {
        Aggregate(.max, input, as: name)
    }
    public static func countDistinct(_ column: String, as name: String) -> Aggregate {
        Aggregate(.countDistinct, col(column), as: name)
    }
    public static func countDistinct(_ input: Expression, as name: String) -> Aggregate {
        Aggregate(.countDistinct, input, as: name)
    }

    public var description: String { "\(function.rawValue)(\(input?.description ?? "*")) AS \(name)" }
}
