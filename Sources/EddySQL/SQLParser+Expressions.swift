import EddyStream

// Expressions by precedence, loosest first: OR, AND, NOT, comparisons (with IS, IN, BETWEEN, LIKE),
// concatenation (||), + and -, * / %, unary minus, then primaries.

extension SQLParser {
    mutating func expression() throws(SQLError) -> SQLExpression { try or() }

    mutating func or() throws(SQLError) -> SQLExpression {
        var e = try and()
        while isKeyword("OR") {
            let at = next().position
            e = SQLExpression(.binary("OR", e, try and()), at: at)
        }
        return e
    }

    mutating func and() throws(SQLError) -> SQLExpression {
        var e = try not()
        while isKeyword("AND") {
            let at = next().position
            e = SQLExpression(.binary("AND", e, try not()), at: at)
        }
        return e
    }

    mutating func not() throws(SQLError) -> SQLExpression {
        if isKeyword("NOT") {
            let at = next().position
            return SQLExpression(.unary("NOT", try not()), at: at)
        }
        return try comparison()
    }

    mutating func comparison() throws(SQLError) -> SQLExpression {
        let e = try concatenation()
        let at = peek.position
        if case .symbol(let op) = peek.kind, ["=", "<>", "<", "<=", ">", ">="].contains(op) {
            index += 1
            return SQLExpression(.binary(op, e, try concatenation()), at: at)
        }
        if accept("IS") {
            let negated = accept("NOT")
            try expect("NULL")
            return SQLExpression(.isNull(e, negated: negated), at: at)
        }
        let negated = isKeyword("NOT") && ["IN", "BETWEEN", "LIKE"].contains(peekNext.keyword ?? "")
        if negated { index += 1 }
        if accept("IN") {
            try expect(symbol: "(")
            if isKeyword("SELECT") { throw .unsupported("a subquery in IN", at: peek.position) }
            var list: [SQLExpression] = []
            repeat { list.append(try expression()) } while accept(symbol: ",")
            try expect(symbol: ")")
            return SQLExpression(.inList(e, list, negated: negated), at: at)
        }
        if accept("BETWEEN") {
            let low = try concatenation()
            try expect("AND")
            return SQLExpression(.between(e, low, try concatenation(), negated: negated), at: at)
        }
        if accept("LIKE") {
            return SQLExpression(.like(e, try concatenation(), negated: negated), at: at)
        }
        return e
    }

    mutating func concatenation() throws(SQLError) -> SQLExpression {
        var e = try additive()
        while peek.kind == .symbol("||") {
            let at = next().position
            e = SQLExpression(.call("concat", [e, try additive()], distinct: false, star: false), at: at)
        }
        return e
    }

    mutating func additive() throws(SQLError) -> SQLExpression {
        var e = try multiplicative()
        while case .symbol(let op) = peek.kind, op == "+" || op == "-" {
            let at = next().position
            e = SQLExpression(.binary(op, e, try multiplicative()), at: at)
        }
        return e
    }

    mutating func multiplicative() throws(SQLError) -> SQLExpression {
        var e = try unary()
        while case .symbol(let op) = peek.kind, op == "*" || op == "/" || op == "%" {
            let at = next().position
            if op == "%" { throw .unsupported("the % operator", at: at) }
            e = SQLExpression(.binary(op, e, try unary()), at: at)
        }
        return e
    }

    mutating func unary() throws(SQLError) -> SQLExpression {
        if peek.kind == .symbol("-") {
            let at = next().position
            let operand = try unary()
            // A negative literal stays a literal (so `-5` is an integer constant, and LIMIT-like checks see it).
            switch operand.kind {
            case .literal(.int(let i)): return SQLExpression(.literal(.int(-i)), at: at)
            case .literal(.double(let d)): return SQLExpression(.literal(.double(-d)), at: at)
            case .literal(.decimal(let d)):
                return SQLExpression(
                    .literal(.decimal(DecimalValue(units: -d.units, scale: d.scale))), at: at)
            default: return SQLExpression(.unary("-", operand), at: at)
            }
        }
        if peek.kind == .symbol("+") { index += 1 }
        var e = try primary()
        while accept(symbol: "::") {
            e = SQLExpression(.cast(e, try type()), at: e.position)
        }
        return e
    }

    mutating func primary() throws(SQLError) -> SQLExpression {
        let t = peek
        let at = t.position
        switch t.kind {
        case .number(let text):
            index += 1
            return SQLExpression(.literal(try Self.number(text, at: at)), at: at)
        case .string(let s):
            index += 1
            return SQLExpression(.literal(.string(s)), at: at)
        case .symbol("("):
            index += 1
            if isKeyword("SELECT") { throw .unsupported("subqueries", at: peek.position) }
            let e = try expression()
            try expect(symbol: ")")
            return e
        case .quotedName:
            return try columnReference()
        case .word(let w):
            switch w.uppercased() {
            case "NULL":
                index += 1
                return SQLExpression(.literal(.null), at: at)
            case "TRUE", "FALSE":
                index += 1
                return SQLExpression(.literal(.bool(w.uppercased() == "TRUE")), at: at)
            case "CASE":
                index += 1
                return try caseExpression(at)
            case "CAST" where peekNext.kind == .symbol("("):
                index += 2
                let e = try expression()
                try expect("AS")
                let type = try type()
                try expect(symbol: ")")
                return SQLExpression(.cast(e, type), at: at)
            case "EXTRACT" where peekNext.kind == .symbol("("):
                index += 2
                let fieldToken = next()
                guard let name = fieldToken.keyword?.lowercased(),
                    let field = ScalarFunction.TimeField(rawValue: name)
                else {
                    throw .syntax(
                        "expected a field to extract (\(ScalarFunction.TimeField.allCases.map(\.rawValue).joined(separator: ", "))), found \(fieldToken.text)",
                        at: fieldToken.position)
                }
                try expect("FROM")
                let e = try expression()
                try expect(symbol: ")")
                return SQLExpression(.extract(field, e), at: at)
            case "INTERVAL":
                index += 1
                return SQLExpression(.interval(try interval(at)), at: at)
            case "TIMESTAMP" where { if case .string = peekNext.kind { true } else { false } }():
                index += 1
                guard case .string(let s) = next().kind, let micros = Timestamp.parseISO8601(s) else {
                    throw .syntax("not a timestamp literal (write TIMESTAMP '2024-08-23 15:22:00')", at: at)
                }
                return SQLExpression(.literal(.timestamp(micros)), at: at)
            case "DATE" where { if case .string = peekNext.kind { true } else { false } }():
                index += 1
                guard case .string(let s) = next().kind, let micros = Timestamp.parseISO8601(s) else {
                    throw .syntax("not a date literal (write DATE '2024-08-23')", at: at)
                }
                return SQLExpression(.literal(.timestamp(micros)), at: at)
            default:
                if Self.reserved.contains(w.uppercased()) { throw unexpected("an expression") }
                if peekNext.kind == .symbol("(") {
                    return try call()
                }
                return try columnReference()
            }
        default:
            throw unexpected("an expression")
        }
    }

    /// `name`, `t.name`, `p.field.subfield`.
    mutating func columnReference() throws(SQLError) -> SQLExpression {
        let at = peek.position
        var parts = [try name("a column name")]
        while accept(symbol: ".") {
            if accept(symbol: "*") { throw .unsupported("qualified * (write * or name the columns)", at: at) }
            parts.append(try name("a field name after '.'"))
        }
        return SQLExpression(.column(parts), at: at)
    }

    mutating func call() throws(SQLError) -> SQLExpression {
        let nameToken = next()
        let at = nameToken.position
        let name = nameToken.text.lowercased()
        try expect(symbol: "(")
        if accept(symbol: "*") {
            try expect(symbol: ")")
            guard name == "count" else { throw .syntax("only count takes *", at: at) }
            return SQLExpression(.call(name, [], distinct: false, star: true), at: at)
        }
        let distinct = accept("DISTINCT")
        var args: [SQLExpression] = []
        if name == "date_trunc" || name == "substring" || name == "trim" {
            // date_trunc('minute', ts); substring(s FROM 2 FOR 3); trim(BOTH FROM s) are read as plain calls.
            _ = accept("BOTH")
            if accept("FROM") {}
        }
        if !accept(symbol: ")") {
            repeat {
                args.append(try expression())
                if name == "substring", accept("FROM") || accept("FOR") { args.append(try expression()) }
                if name == "substring", accept("FOR") { args.append(try expression()) }
            } while accept(symbol: ",")
            try expect(symbol: ")")
        }
        if isKeyword("OVER") { throw .unsupported("window functions (OVER)", at: peek.position) }
        if accept("FILTER") { throw .unsupported("aggregate FILTER clauses", at: at) }
        return SQLExpression(.call(name, args, distinct: distinct, star: false), at: at)
    }

    mutating func caseExpression(_ at: SourcePosition) throws(SQLError) -> SQLExpression {
        let operand = isKeyword("WHEN") ? nil : try expression()
        var branches: [(SQLExpression, SQLExpression)] = []
        while accept("WHEN") {
            let condition = try expression()
            try expect("THEN")
            branches.append((condition, try expression()))
        }
        guard !branches.isEmpty else { throw unexpected("WHEN") }
        let otherwise = accept("ELSE") ? try expression() : nil
        try expect("END")
        return SQLExpression(.caseWhen(operand: operand, branches, otherwise: otherwise), at: at)
    }

    /// `INTERVAL '5' MINUTE`, `INTERVAL '5 minutes'`, `INTERVAL 5 SECONDS`, in microseconds.
    mutating func interval(_ at: SourcePosition) throws(SQLError) -> Int64 {
        let t = next()
        var amountText: String
        var unit: String?
        switch t.kind {
        case .string(let s):
            let parts = s.split(separator: " ")
            amountText = parts.first.map(String.init) ?? ""
            if parts.count == 2 { unit = String(parts[1]) }
        case .number(let n): amountText = n
        default: throw .syntax("expected an amount after INTERVAL, found \(t.text)", at: t.position)
        }
        if unit == nil {
            guard let word = peek.keyword else { throw unexpected("a unit (SECOND, MINUTE, HOUR, DAY)") }
            index += 1
            unit = word
        }
        guard let amount = Double(amountText), amount >= 0 else {
            throw .syntax("'\(amountText)' is not an interval amount", at: t.position)
        }
        let perUnit: Double
        switch unit!.uppercased().trimmingSuffix("S") {
        case "MICROSECOND": perUnit = 1
        case "MILLISECOND": perUnit = 1_000
        case "SECOND": perUnit = 1_000_000
        case "MINUTE": perUnit = 60_000_000
        case "HOUR": perUnit = 3_600_000_000
        case "DAY": perUnit = 86_400_000_000
        default:
            throw .syntax("unknown interval unit '\(unit!)' (SECOND, MINUTE, HOUR, DAY)", at: at)
        }
        return Int64((amount * perUnit).rounded())
    }

    /// An integer literal stays an integer; one with a fraction is an exact decimal (as in SQL); an exponent
    /// makes a double.
    static func number(_ text: String, at: SourcePosition) throws(SQLError) -> Value {
        if let i = Int64(text) { return .int(i) }
        if !text.contains("e"), !text.contains("E"), let dot = text.firstIndex(of: ".") {
            let scale = text.distance(from: dot, to: text.endIndex) - 1
            let digits = text.filter { $0 != "." }
            if scale <= 18, let units = Int64(digits.isEmpty ? "0" : digits) {
                return .decimal(DecimalValue(units: units, scale: scale))
            }
        }
        guard let d = Double(text) else { throw .syntax("'\(text)' is out of range", at: at) }
        return .double(d)
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) && count > suffix.count ? String(dropLast(suffix.count)) : self
    }
}
