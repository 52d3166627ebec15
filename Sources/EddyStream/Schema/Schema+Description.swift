extension Schema: CustomStringConvertible {
    /// Spark's `simpleString` spelling, for messages and `printSchema`-style output:
    /// `struct<location:string,duration:double,products:array<struct<quantity:bigint,price:decimal(18,2)>>>`.
    /// (Eddy's ints are 64-bit, Spark's `bigint`; decimals hold at most 18 digits.)
    public var description: String {
        ColumnType.object(fields).simpleString
    }
}

extension ColumnType {
    /// Spark's name for the type (`bigint`, `decimal(18,2)`, `array<string>`, `struct<a:int>`).
    public var simpleString: String {
        switch self {
        case .bool: "boolean"
        case .int: "bigint"
        case .double: "double"
        case .string: "string"
        case .timestamp: "timestamp"
        case .decimal(let scale): "decimal(18,\(scale))"
        case .array(let element): "array<\(element.simpleString)>"
        case .object(let fields):
            "struct<" + fields.map { "\($0.name):\($0.type.simpleString)" }.joined(separator: ",") + ">"
        }
    }
}
