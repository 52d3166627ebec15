import EddyStream

/// SQL expressions to engine ``Expression``s. `resolve` sees every node first (columns, aggregates, keys)
/// and returns its translation, or nil to translate the node structurally: BETWEEN becomes two comparisons,
/// a simple CASE a searched one, the rest map onto engine nodes and ``ScalarFunction``s.
enum ExpressionTranslator {
    typealias Resolve = (SQLExpression) throws(SQLError) -> Expression?

    static func translate(_ e: SQLExpression, _ resolve: Resolve) throws(SQLError) -> Expression {
        if let resolved = try resolve(e) { return resolved }
        func t(_ x: SQLExpression) throws(SQLError) -> Expression { try translate(x, resolve) }
        func call(_ f: ScalarFunction, _ args: [Expression]) -> Expression {
            Expression(.function(f, args.map(\.node)))
        }
        switch e.kind {
        case .column(let parts):
            return col(parts.joined(separator: "."))
        case .literal(let v):
            return lit(v)
        case .interval(let micros):
            // Timestamp arithmetic takes microseconds (`ts - INTERVAL '5' MINUTE`).
            return lit(.int(micros))
        case .unary(let op, let x):
            return op == "NOT" ? !(try t(x)) : -(try t(x))
        case .binary(let op, let a, let b):
            let (x, y) = (try t(a), try t(b))
            switch op {
            case "AND": return x && y
            case "OR": return x || y
            case "+": return x + y
            case "-": return x - y
            case "*": return x * y
            case "/": return x / y
            case "=": return x == y
            case "<>": return x != y
            case "<": return x < y
            case "<=": return x <= y
            case ">": return x > y
            case ">=": return x >= y
            default: throw SQLError.unsupported("the operator \(op)", at: e.position)
            }
        case .isNull(let x, let negated):
            return negated ? (try t(x)).isNotNull : (try t(x)).isNull
        case .inList(let x, let list, let negated):
            var args = [try t(x)]
            for item in list { args.append(try t(item)) }
            let test = call(.isIn, args)
            return negated ? !test : test
        case .between(let x, let low, let high, let negated):
            let value = try t(x)
            let test = value >= (try t(low)) && value <= (try t(high))
            return negated ? !test : test
        case .like(let x, let pattern, let negated):
            let test = call(.like, [try t(x), try t(pattern)])
            return negated ? !test : test
        case .caseWhen(let operand, let branches, let otherwise):
            var args: [Expression] = []
            let subject = try operand.map { (o) throws(SQLError) in try t(o) }
            for (condition, result) in branches {
                let c = try t(condition)
                args.append(subject.map { $0 == c } ?? c)
                args.append(try t(result))
            }
            if let otherwise { args.append(try t(otherwise)) }
            return call(.caseWhen(hasElse: otherwise != nil), args)
        case .cast(let x, let type):
            return call(.cast(type), [try t(x)])
        case .extract(let field, let x):
            return call(.extract(field), [try t(x)])
        case .call(let name, let args, let distinct, _):
            if distinct {
                throw SQLError(.invalid, "DISTINCT only goes in count(DISTINCT …)", at: e.position)
            }
            func one() throws(SQLError) -> Expression {
                guard args.count == 1 else {
                    throw SQLError(.invalid, "\(name) takes one argument, not \(args.count)", at: e.position)
                }
                return try t(args[0])
            }
            var translated: [Expression] = []
            switch name {
            case "lower": return (try one()).lowercased
            case "upper": return (try one()).uppercased
            case "length", "char_length", "character_length": return (try one()).length
            case "to_timestamp": return toTimestamp(try one())
            case "trim": return call(.trim, [try one()])
            case "coalesce", "ifnull":
                guard !args.isEmpty else {
                    throw SQLError(.invalid, "\(name) needs arguments", at: e.position)
                }
                for a in args { translated.append(try t(a)) }
                return Expression(.coalesce(translated.map(\.node)))
            case "concat":
                for a in args { translated.append(try t(a)) }
                return call(.concat, translated)
            case "substring", "substr":
                guard args.count == 2 || args.count == 3 else {
                    throw SQLError(
                        .invalid, "substring takes 2 or 3 arguments (text, start[, length])", at: e.position)
                }
                for a in args { translated.append(try t(a)) }
                return call(.substring, translated)
            case "date_trunc":
                guard args.count == 2, case .literal(.string(let unitText)) = args[0].kind else {
                    throw SQLError(
                        .invalid, "date_trunc takes a unit and a timestamp: date_trunc('minute', ts)",
                        at: e.position)
                }
                guard let unit = ScalarFunction.TimeUnit(rawValue: unitText.lowercased()) else {
                    throw SQLError(
                        .invalid,
                        "date_trunc unit '\(unitText)' is not one of \(ScalarFunction.TimeUnit.allCases.map(\.rawValue).joined(separator: ", "))",
                        at: args[0].position)
                }
                return call(.dateTrunc(unit), [try t(args[1])])
            case "now", "current_timestamp":
                throw SQLError.unsupported(
                    "\(name)() (a streaming query's result must not depend on when it runs)", at: e.position)
            default:
                if SQLExpression.aggregateNames.contains(name) {
                    throw SQLError(.invalid, "aggregate function \(name) is not allowed here", at: e.position)
                }
                let known = [
                    "lower", "upper", "length", "trim", "concat", "substring", "coalesce", "date_trunc",
                    "to_timestamp", "count", "sum", "avg", "min", "max",
                ]
                let hint = closestName(to: name, in: known).map { " (did you mean '\($0)'?)" } ?? ""
                throw SQLError(.unknownName, "function '\(name)' does not exist\(hint)", at: e.position)
            }
        }
    }
}
