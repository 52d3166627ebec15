/// An ``Expression`` compiled for batches: evaluated a column at a time over the selected rows of a batch,
/// with typed loops for columns, literals, null tests, boolean logic, comparisons and arithmetic. Other
/// nodes (and operands the typed loops do not cover, like decimals) take the row semantics of
/// ``Expression`` one row at a time, so results never depend on which path ran.
///
/// ```swift
/// let e = try VectorExpression.compile((col("duration") / 60).node, columns: columns)
/// let minutes = e.evaluate(vectors, rows, capacity: batch.capacity)
/// ```
indirect enum VectorExpression: Sendable {
    case column(Int)
    case literal(Value)
    case isNull(VectorExpression, negated: Bool)
    case not(VectorExpression)
    case and(VectorExpression, VectorExpression)
    case or(VectorExpression, VectorExpression)
    case compare(Expression.ComparisonOperator, VectorExpression, VectorExpression)
    case arithmetic(Expression.ArithmeticOperator, VectorExpression, VectorExpression)
    /// Any other node: its row closure, run on each selected row.
    case rows(@Sendable (Row) -> Value)

    static func compile(_ node: Expression.Node, columns: [Column]) throws(PipelineError) -> VectorExpression
    {
        switch node {
        case .column(let name):
            if let i = columns.firstIndex(where: { $0.name == name }) { return .column(i) }
        case .literal(let v): return .literal(v)
        case .isNull(let n): return .isNull(try compile(n, columns: columns), negated: false)
        case .isNotNull(let n): return .isNull(try compile(n, columns: columns), negated: true)
        case .not(let n): return .not(try compile(n, columns: columns))
        case .and(let a, let b):
            return .and(try compile(a, columns: columns), try compile(b, columns: columns))
        case .or(let a, let b): return .or(try compile(a, columns: columns), try compile(b, columns: columns))
        case .compare(let op, let a, let b):
            return .compare(op, try compile(a, columns: columns), try compile(b, columns: columns))
        case .arithmetic(let op, let a, let b):
            return .arithmetic(op, try compile(a, columns: columns), try compile(b, columns: columns))
        case .negate(let n):
            return .arithmetic(.subtract, .literal(.int(0)), try compile(n, columns: columns))
        default: break
        }
        return .rows(try Expression.compile(node, columns, "").evaluate)
    }

    /// The expression's value on every row of `rows`; other rows of the result are undefined.
    func evaluate(_ vectors: [ColumnVector], _ rows: Selection, capacity: Int) -> ColumnVector {
        switch self {
        case .column(let i):
            return vectors[i]
        case .literal(let v):
            return .constant(v, rows: rows, capacity: capacity)
        case .isNull(let e, let negated):
            let x = e.evaluate(vectors, rows, capacity: capacity)
            let out = ColumnVector(kind: .bool, capacity: capacity)
            for r in rows.rows { out.setBool(r, x.valid[r] == negated) }
            return out
        case .not(let e):
            let x = e.evaluate(vectors, rows, capacity: capacity)
            let out = ColumnVector(kind: .bool, capacity: capacity)
            if x.kind == .bool {
                for r in rows.rows {
                    if x.valid[r] { out.setBool(r, x.ints[r] == 0) } else { out.setNull(r) }
                }
            } else {
                for r in rows.rows {
                    if case .bool(let b) = x.value(at: r) { out.setBool(r, !b) } else { out.setNull(r) }
                }
            }
            return out
        case .and(let a, let b):
            return Self.logic(
                isAnd: true, a.evaluate(vectors, rows, capacity: capacity),
                b.evaluate(vectors, rows, capacity: capacity), rows, capacity)
        case .or(let a, let b):
            return Self.logic(
                isAnd: false, a.evaluate(vectors, rows, capacity: capacity),
                b.evaluate(vectors, rows, capacity: capacity), rows, capacity)
        case .compare(let op, let a, let b):
            return Self.compare(
                op, a.evaluate(vectors, rows, capacity: capacity),
                b.evaluate(vectors, rows, capacity: capacity),
                rows, capacity)
        case .arithmetic(let op, let a, let b):
            return Self.arithmetic(
                op, a.evaluate(vectors, rows, capacity: capacity),
                b.evaluate(vectors, rows, capacity: capacity),
                rows, capacity)
        case .rows(let closure):
            let out = ColumnVector(kind: .boxed, capacity: capacity)
            for r in rows.rows { out.setBoxed(r, closure(ColumnBatch.row(vectors, r))) }
            return out
        }
    }

    /// SQL's three-valued AND / OR: false (AND) or true (OR) wins over null.
    private static func logic(
        isAnd: Bool, _ x: ColumnVector, _ y: ColumnVector, _ rows: Selection, _ capacity: Int
    ) -> ColumnVector {
        let out = ColumnVector(kind: .bool, capacity: capacity)
        let dominant: Int64 = isAnd ? 0 : 1
        if x.kind == .bool && y.kind == .bool {
            for r in rows.rows {
                let (xv, yv) = (x.valid[r], y.valid[r])
                if (xv && x.ints[r] == dominant) || (yv && y.ints[r] == dominant) {
                    out.setInt(r, dominant)
                } else if xv && yv {
                    out.setInt(r, 1 - dominant)
                } else {
                    out.setNull(r)
                }
            }
            return out
        }
        for r in rows.rows {
            let (a, b) = (x.value(at: r).boolValue, y.value(at: r).boolValue)
            let d = dominant == 1
            if a == d || b == d {
                out.setBool(r, d)
            } else if a != nil && b != nil {
                out.setBool(r, !d)
            } else {
                out.setNull(r)
            }
        }
        return out
    }

    @inline(__always)
    private static func holds(_ op: Expression.ComparisonOperator, _ c: Int) -> Bool {
        switch op {
        case .equal: c == 0
        case .notEqual: c != 0
        case .less: c < 0
        case .lessOrEqual: c <= 0
        case .greater: c > 0
        case .greaterOrEqual: c >= 0
        }
    }

    private static func isNumber(_ k: ColumnVector.Kind) -> Bool { k == .int || k == .double }

    private static func compare(
        _ op: Expression.ComparisonOperator, _ x: ColumnVector, _ y: ColumnVector, _ rows: Selection,
        _ capacity: Int
    ) -> ColumnVector {
        let out = ColumnVector(kind: .bool, capacity: capacity)
        switch (x.kind, y.kind) {
        case (.int, .int), (.timestamp, .timestamp), (.bool, .bool):
            for r in rows.rows {
                guard x.valid[r] && y.valid[r] else {
                    out.setNull(r)
                    continue
                }
                let (a, b) = (x.ints[r], y.ints[r])
                out.setBool(r, holds(op, a == b ? 0 : (a < b ? -1 : 1)))
            }
        case let (kx, ky) where isNumber(kx) && isNumber(ky):
            for r in rows.rows {
                guard x.valid[r] && y.valid[r] else {
                    out.setNull(r)
                    continue
                }
                let a = kx == .double ? x.doubles[r] : Double(x.ints[r])
                let b = ky == .double ? y.doubles[r] : Double(y.ints[r])
                out.setBool(r, holds(op, a == b ? 0 : (a < b ? -1 : 1)))
            }
        case (.string, .string):
            for r in rows.rows {
                guard x.valid[r] && y.valid[r] else {
                    out.setNull(r)
                    continue
                }
                out.setBool(r, holds(op, compareStrings(x.stringBytes(r), y.stringBytes(r))))
            }
        default:
            for r in rows.rows {
                let (a, b) = (x.value(at: r), y.value(at: r))
                if a.isNull || b.isNull {
                    out.setNull(r)
                } else {
                    out.setBool(r, holds(op, Value.compare(a, b)))
                }
            }
        }
        return out
    }

    /// Strings ordered as Swift orders them: bytes decide for ASCII; other text goes through `String`.
    private static func compareStrings(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        if a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0) {
            if isASCII(a) { return 0 }
        } else if isASCII(a) && isASCII(b) {
            let n = min(a.count, b.count)
            let c = n == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, n)
            if c != 0 { return c < 0 ? -1 : 1 }
            return a.count < b.count ? -1 : 1
        }
        let (s, t) = (String(decoding: a, as: UTF8.self), String(decoding: b, as: UTF8.self))
        return s == t ? 0 : (s < t ? -1 : 1)
    }

    private static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for b in bytes where b >= 0x80 { return false }
        return true
    }

    private static func arithmetic(
        _ op: Expression.ArithmeticOperator, _ x: ColumnVector, _ y: ColumnVector, _ rows: Selection,
        _ capacity: Int
    ) -> ColumnVector {
        switch (x.kind, y.kind) {
        case (.int, .int) where op != .divide:
            let out = ColumnVector(kind: .int, capacity: capacity)
            for r in rows.rows {
                guard x.valid[r] && y.valid[r] else {
                    out.setNull(r)
                    continue
                }
                let (v, overflow) =
                    switch op {
                    case .add: x.ints[r].addingReportingOverflow(y.ints[r])
                    case .subtract: x.ints[r].subtractingReportingOverflow(y.ints[r])
                    default: x.ints[r].multipliedReportingOverflow(by: y.ints[r])
                    }
                // Overflow turns the value into a double (Value's rule): the whole batch goes generic.
                if overflow { return generic(op, x, y, rows, capacity) }
                out.setInt(r, v)
            }
            return out
        case let (kx, ky) where isNumber(kx) && isNumber(ky):
            let out = ColumnVector(kind: .double, capacity: capacity)
            for r in rows.rows {
                guard x.valid[r] && y.valid[r] else {
                    out.setNull(r)
                    continue
                }
                let a = kx == .double ? x.doubles[r] : Double(x.ints[r])
                let b = ky == .double ? y.doubles[r] : Double(y.ints[r])
                switch op {
                case .add: out.setDouble(r, a + b)
                case .subtract: out.setDouble(r, a - b)
                case .multiply: out.setDouble(r, a * b)
                case .divide: if b == 0 { out.setNull(r) } else { out.setDouble(r, a / b) }
                }
            }
            return out
        default:
            return generic(op, x, y, rows, capacity)
        }
    }

    private static func generic(
        _ op: Expression.ArithmeticOperator, _ x: ColumnVector, _ y: ColumnVector, _ rows: Selection,
        _ capacity: Int
    ) -> ColumnVector {
        let out = ColumnVector(kind: .boxed, capacity: capacity)
        for r in rows.rows { out.setBoxed(r, Value.arithmetic(op, x.value(at: r), y.value(at: r))) }
        return out
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
