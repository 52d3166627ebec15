/// The running state of one aggregate in one group. Accumulators merge, which is what lets session windows
/// combine and parallel workers' partial results add up.
enum Accumulator: Sendable, Hashable, Codable {
    case count(Int64)
    case sum(Sum)
    case avg(sum: Double, count: Int64)
    case min(Value)
    case max(Value)
    case distinct(Set<Value>)

    /// A sum that keeps its input's numeric type: integer, double, or exact decimal.
    enum Sum: Sendable, Hashable, Codable {
        case empty
        case int(Int64)
        case double(Double)
        case decimal(DecimalValue)
        /// A decimal sum that no longer fits 64-bit units: null from then on (Spark's non-ANSI behaviour).
        case overflowed

        mutating func add(_ value: Value) {
            switch (self, value) {
            case (_, .null), (.overflowed, _): return
            case (.empty, .int(let v)): self = .int(v)
            case (.empty, .double(let v)): self = .double(v)
            case (.empty, .decimal(let v)): self = .decimal(v)
            case (.int(let a), .int(let b)): self = .int(a &+ b)
            case (.double(let a), _): self = .double(a + (value.doubleValue ?? 0))
            case (.decimal(let a), .decimal(let b)): self = a.checkedAdding(b).map(Sum.decimal) ?? .overflowed
            case (.decimal(let a), .int(let b)):
                self = a.checkedAdding(DecimalValue(units: b, scale: 0)).map(Sum.decimal) ?? .overflowed
            case (.int(let a), .decimal(let b)):
                self = DecimalValue(units: a, scale: 0).checkedAdding(b).map(Sum.decimal) ?? .overflowed
            case (.int(let a), .double(let b)): self = .double(Double(a) + b)
            case (.decimal(let a), .double(let b)): self = .double((a.doubleValue ?? 0) + b)
            default: return
            }
        }

        var value: Value {
            switch self {
            case .empty, .overflowed: .null
            case .int(let v): .int(v)
            case .double(let v): .double(v)
            case .decimal(let v): .decimal(v)
            }
        }
    }

    init(_ function: Aggregate.Function) {
        switch function {
        case .count: self = .count(0)
        case .sum: self = .sum(.empty)
        case .avg: self = .avg(sum: 0, count: 0)
        case .min: self = .min(.null)
        case .max: self = .max(.null)
        case .countDistinct: self = .distinct([])
        }
    }

    mutating func add(_ value: Value) {
        if value.isNull { return }
        switch self {
        case .count(let n): self = .count(n + 1)
        case .sum(var s):
            s.add(value)
            self = .sum(s)
        case .avg(let sum, let count):
            guard let v = value.doubleValue else { return }
            self = .avg(sum: sum + v, count: count + 1)
        case .min(let current):
            if current.isNull || Value.compare(value, current) < 0 { self = .min(value) }
        case .max(let current):
            if current.isNull || Value.compare(value, current) > 0 { self = .max(value) }
        case .distinct(var set):
            self = .count(0)  // release the set's storage before mutating it, so the insert does not copy
            set.insert(value)
            self = .distinct(set)
        }
    }

    mutating func merge(_ other: Accumulator) {
        switch (self, other) {
        case (.count(let a), .count(let b)): self = .count(a + b)
        case (.sum(var a), .sum(let b)):
            if case .overflowed = b { a = .overflowed } else { a.add(b.value) }
            self = .sum(a)
        case (.avg(let s1, let c1), .avg(let s2, let c2)): self = .avg(sum: s1 + s2, count: c1 + c2)
        case (.min, .min(let v)), (.max, .max(let v)): add(v)
        case (.distinct(var a), .distinct(let b)):
            a.formUnion(b)
            self = .distinct(a)
        default: preconditionFailure("merging accumulators of different functions")
        }
    }

    var result: Value {
        switch self {
        case .count(let n): .int(n)
        case .sum(let s): s.value
        case .avg(let sum, let count): count == 0 ? .null : .double(sum / Double(count))
        case .min(let v), .max(let v): v
        case .distinct(let set): .int(Int64(set.count))
        }
    }
}
