/// The fields a pipeline reads from its input and their types: Spark's `StructType`.
///
/// A schema directs decoding: ``JSONScanner`` and ``JSONRowDecoder`` look only for the fields named here,
/// skip everything else, and give null for a field that is missing or has the wrong type (Spark's
/// `from_json` semantics). Values come out in the schema's field order.
///
/// ```swift
/// let motion: Schema = [
///     Column("timestamp", .timestamp),
///     Column("location", .string),
///     Column("duration", .double),
///     Column("traffic_count", .int),
/// ]
/// let duration = motion.index(of: "duration")  // 2
/// ```
public struct Schema: Sendable, Hashable {
    public var fields: [Column]

    public init(_ fields: [Column]) {
        self.fields = fields
    }

    /// The position of the first field called `name`, or nil when the schema has no such field.
    public func index(of name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }

    /// The number of top-level fields.
    public var count: Int { fields.count }

    public subscript(index: Int) -> Column { fields[index] }

    /// The field called `name`, or nil.
    public subscript(name: String) -> Column? {
        index(of: name).map { fields[$0] }
    }
}

extension Schema: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Column...) {
        self.init(elements)
    }
}
