// Expressions compile against a stage's columns to closures over row positions; names are resolved and types
// inferred once, when the pipeline is built.

struct CompiledExpression: Sendable {
    /// nil when the type is unknown (a null literal).
    var type: ColumnType?
    var evaluate: @Sendable (Row) -> Value
}

extension Expression {
    func compile(against columns: [Column], stage: String) throws(PipelineError) -> CompiledExpression {
        try Expression.compile(node, columns, stage)
    }

    /// The column type this expression yields against `columns`.
    func type(against columns: [Column], stage: String) throws(PipelineError) -> ColumnType? {
        try compile(against: columns, stage: stage).type
    }

    static func compile(_ node: Node, _ columns: [Column], _ stage: String) throws(PipelineError)
        -> CompiledExpression
    {
        switch node {
        case .column(let name):
            return try resolveColumn(name, columns, stage)
        case .literal(let value):
            return CompiledExpression(type: value.inferredType) { _ in value }
        case .isNull(let n):
            let e = try compile(n, columns, stage).evaluate
            return CompiledExpression(type: .bool) { .bool(e($0).isNull) }
        case .isNotNull(let n):
            let e = try compile(n, columns, stage).evaluate
            return CompiledExpression(type: .bool) { .bool(!e($0).isNull) }
        case .not(let n):
            let e = try compile(n, columns, stage).evaluate
            return CompiledExpression(type: .bool) {
                if case .bool(let b) = e($0) { return .bool(!b) }
                return .null
            }
        case .and(let a, let b):
            let (ea, eb) = (try compile(a, columns, stage).evaluate, try compile(b, columns, stage).evaluate)
            // SQL three-valued logic: false wins over null.
            return CompiledExpression(type: .bool) { row in
                let x = ea(row)
                if case .bool(false) = x { return .bool(false) }
                let y = eb(row)
                if case .bool(false) = y { return .bool(false) }
                if case .bool(true) = x, case .bool(true) = y { return .bool(true) }
                return .null
            }
        case .or(let a, let b):
            let (ea, eb) = (try compile(a, columns, stage).evaluate, try compile(b, columns, stage).evaluate)
            return CompiledExpression(type: .bool) { row in
                let x = ea(row)
                if case .bool(true) = x { return .bool(true) }
                let y = eb(row)
                if case .bool(true) = y { return .bool(true) }
                if case .bool(false) = x, case .bool(false) = y { return .bool(false) }
                return .null
            }
        case .compare(let op, let a, let b):
            let (ea, eb) = (try compile(a, columns, stage).evaluate, try compile(b, columns, stage).evaluate)
            return CompiledExpression(type: .bool) { row in
                let x = ea(row)
                let y = eb(row)
                if x.isNull || y.isNull { return .null }
                let c = Value.compare(x, y)
                switch op {
                case .equal: return .bool(c == 0)
                case .notEqual: return .bool(c != 0)
                case .less: return .bool(c < 0)
                case .lessOrEqual: return .bool(c <= 0)
                case .greater: return .bool(c > 0)
                case .greaterOrEqual: return .bool(c >= 0)
                }
            }
        case .arithmetic(let op, let a, let b):
            let ca = try compile(a, columns, stage)
            let cb = try compile(b, columns, stage)
            let type = try arithmeticType(op, ca.type, cb.type, node, stage)
            let (ea, eb) = (ca.evaluate, cb.evaluate)
            return CompiledExpression(type: type) { Value.arithmetic(op, ea($0), eb($0)) }
        case .negate(let n):
            let c = try compile(n, columns, stage)
            let e = c.evaluate
            return CompiledExpression(type: c.type) { Value.arithmetic(.subtract, .int(0), e($0)) }
        case .toTimestamp(let n):
            let e = try compile(n, columns, stage).evaluate
            return CompiledExpression(type: .timestamp) {
                Value.eventTime(e($0)).map(Value.timestamp) ?? .null
            }
        case .coalesce(let nodes):
            let compiled = try nodes.map { (n) throws(PipelineError) in try compile(n, columns, stage) }
            let evaluators = compiled.map(\.evaluate)
            return CompiledExpression(type: compiled.lazy.compactMap(\.type).first) { row in
                for e in evaluators {
                    let v = e(row)
                    if !v.isNull { return v }
                }
                return .null
            }
        case .lower(let n):
            let e = try compile(n, columns, stage).evaluate
            return CompiledExpression(type: .string) {
                e($0).stringValue.map { .string($0.lowercased()) } ?? .null
            }
        case .upper(let n):
            let e = try compile(n, columns, stage).evaluate
            return CompiledExpression(type: .string) {
                e($0).stringValue.map { .string($0.uppercased()) } ?? .null
            }
        case .length(let n):
            let e = try compile(n, columns, stage).evaluate
            return CompiledExpression(type: .int) { row in
                switch e(row) {
                case .string(let s): .int(Int64(s.count))
                case .array(let a): .int(Int64(a.count))
                default: .null
                }
            }
        case .function(let function, let arguments):
            return try compileFunction(function, arguments, columns, stage)
        }
    }

    private static func resolveColumn(_ name: String, _ columns: [Column], _ stage: String)
        throws(PipelineError)
        -> CompiledExpression
    {
        if let i = columns.firstIndex(where: { $0.name == name }) {
            return CompiledExpression(type: columns[i].type) { $0[i] }
        }
        // A dotted path into an object column: "product.price".
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if parts.count > 1, let i = columns.firstIndex(where: { $0.name == parts[0] }) {
            var type = columns[i].type
            for field in parts.dropFirst() {
                guard case .object(let fields) = type, let f = fields.first(where: { $0.name == field })
                else {
                    throw .unknownColumn(name, available: columns.map(\.name), stage: stage)
                }
                type = f.type
            }
            let path = Array(parts.dropFirst())
            return CompiledExpression(type: type) { row in
                var v = row[i]
                for field in path {
                    guard case .object(let fields) = v else { return .null }
                    v = fields[field] ?? .null
                }
                return v
            }
        }
        throw .unknownColumn(name, available: columns.map(\.name), stage: stage)
    }

    private static func arithmeticType(
        _ op: ArithmeticOperator, _ a: ColumnType?, _ b: ColumnType?, _ node: Node, _ stage: String
    ) throws(PipelineError) -> ColumnType? {
        guard let a, let b else { return a ?? b }
        switch (a, b) {
        case (.int, .int): return op == .divide ? .double : .int
        case (.decimal(let s), .int), (.int, .decimal(let s)):
            return op == .divide ? .double : .decimal(scale: s)
        case (.decimal(let s1), .decimal(let s2)):
            switch op {
            case .multiply: return .decimal(scale: s1 + s2)
            case .divide: return .double
            default: return .decimal(scale: max(s1, s2))
            }
        case (.double, .int), (.int, .double), (.double, .double), (.double, .decimal), (.decimal, .double):
            return .double
        case (.timestamp, .int) where op == .add || op == .subtract: return .timestamp
        case (.timestamp, .timestamp) where op == .subtract: return .int
        default:
            throw .typeMismatch(
                "cannot apply \(op.rawValue) to \(a) and \(b) in \(render(node))", stage: stage)
        }
    }
}

extension Value {
    /// The column type a literal has.
    var inferredType: ColumnType? {
        switch self {
        case .null: nil
        case .bool: .bool
        case .int: .int
        case .double: .double
        case .decimal(let d): .decimal(scale: d.scale)
        case .string: .string
        case .timestamp: .timestamp
        case .array(let a): .array(a.first?.inferredType ?? .string)
        case .object: .object([])
        }
    }

    /// Event time in microseconds: a timestamp as is, an ISO-8601 string parsed; nil otherwise.
    static func eventTime(_ value: Value) -> Int64? {
        switch value {
        case .timestamp(let t): t
        case .string(let s): Timestamp.parseISO8601(s)
        default: nil
        }
    }
}
