// SQL-style arithmetic and ordering over cells. Numbers widen like Spark's: int op int stays int (except
// division), anything with a double is double, decimal op int stays exact.

extension Value {
    /// Total order used by sorting, min and max: null first, then booleans, numbers (compared numerically across
    /// int, double and decimal), strings, timestamps, arrays, objects.
    static func compare(_ lhs: Value, _ rhs: Value) -> Int {
        switch (lhs, rhs) {
        case (.null, .null): return 0
        case (.null, _): return -1
        case (_, .null): return 1
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (a ? 1 : -1)
        case (.int(let a), .int(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.string(let a), .string(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.timestamp(let a), .timestamp(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.decimal(let a), .decimal(let b)): return a.checkedCompare(b)
        case (.int(let a), .decimal(let b)): return DecimalValue(units: a, scale: 0).checkedCompare(b)
        case (.decimal(let a), .int(let b)): return a.checkedCompare(DecimalValue(units: b, scale: 0))
        default:
            if let a = lhs.doubleValue, let b = rhs.doubleValue {
                return a == b ? 0 : (a < b ? -1 : 1)
            }
            let (ra, rb) = (lhs.typeRank, rhs.typeRank)
            if ra != rb { return ra < rb ? -1 : 1 }
            let (sa, sb) = (lhs.renderedForDisplay, rhs.renderedForDisplay)
            return sa == sb ? 0 : (sa < sb ? -1 : 1)
        }
    }

    private var typeRank: Int {
        switch self {
        case .null: 0
        case .bool: 1
        case .int, .double, .decimal: 2
        case .string: 3
        case .timestamp: 4
        case .array: 5
        case .object: 6
        }
    }

    /// The number as a double (ints, doubles, decimals); nil for anything else.
    public var doubleValue: Double? {
        switch self {
        case .int(let v): Double(v)
        case .double(let v): v
        case .decimal(let d): Double(d.units) / pow10(d.scale)
        default: nil
        }
    }

    public var int64Value: Int64? {
        switch self {
        case .int(let v): v
        case .timestamp(let v): v
        default: nil
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    static func arithmetic(_ op: Expression.ArithmeticOperator, _ lhs: Value, _ rhs: Value) -> Value {
        switch (lhs, rhs) {
        case (.null, _), (_, .null): return .null
        case (.int(let a), .int(let b)):
            switch op {
            case .add:
                let (r, o) = a.addingReportingOverflow(b)
                return o ? .double(Double(a) + Double(b)) : .int(r)
            case .subtract:
                let (r, o) = a.subtractingReportingOverflow(b)
                return o ? .double(Double(a) - Double(b)) : .int(r)
            case .multiply:
                let (r, o) = a.multipliedReportingOverflow(by: b)
                return o ? .double(Double(a) * Double(b)) : .int(r)
            case .divide: return b == 0 ? .null : .double(Double(a) / Double(b))
            }
        case (.decimal, .decimal), (.decimal, .int), (.int, .decimal):
            let a = lhs.decimalValue!
            let b = rhs.decimalValue!
            switch op {
            case .add: return a.checkedAdding(b).map(Value.decimal) ?? .null
            case .subtract: return a.checkedSubtracting(b).map(Value.decimal) ?? .null
            case .multiply: return a.checkedMultiplying(b).map(Value.decimal) ?? .null
            case .divide:
                guard let x = a.doubleValue, let y = b.doubleValue, y != 0 else { return .null }
                return .double(x / y)
            }
        case (.timestamp(let a), .int(let b)):
            switch op {
            case .add: return .timestamp(a &+ b)
            case .subtract: return .timestamp(a &- b)
            default: return .null
            }
        case (.timestamp(let a), .timestamp(let b)) where op == .subtract:
            return .int(a &- b)
        default:
            guard let a = lhs.doubleValue, let b = rhs.doubleValue else { return .null }
            switch op {
            case .add: return .double(a + b)
            case .subtract: return .double(a - b)
            case .multiply: return .double(a * b)
            case .divide: return b == 0 ? .null : .double(a / b)
            }
        }
    }

    var decimalValue: DecimalValue? {
        switch self {
        case .decimal(let d): d
        case .int(let v): DecimalValue(units: v, scale: 0)
        default: nil
        }
    }

    /// A literal as SQL would print it, for expression descriptions.
    var sqlLiteral: String {
        switch self {
        case .string(let s): "'\(s)'"
        default: renderedForDisplay
        }
    }
}

extension DecimalValue {
    var doubleValue: Double? { Double(units) / pow10(scale) }
}

func pow10(_ n: Int) -> Double {
    var r = 1.0
    for _ in 0..<max(0, n) { r *= 10 }
    return r
}
