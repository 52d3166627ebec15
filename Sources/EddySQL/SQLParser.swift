import EddyStream

/// A recursive-descent parser for Eddy's SQL: queries (`SELECT`), `CREATE SOURCE`, `CREATE SINK`/`CREATE
/// TABLE … AS SELECT` and `INSERT INTO`. Every node keeps its position, so later errors point at the text.
///
/// ```swift
/// let statements = try SQLParser.parse("SELECT location, count(*) AS n FROM motion GROUP BY location")
/// ```
public struct SQLParser {
    var tokens: [SQLToken]
    var index = 0

    init(_ text: String) throws(SQLError) {
        tokens = try SQLLexer.tokens(in: text)
    }

    /// The statements of `text`, separated by semicolons.
    public static func parse(_ text: String) throws(SQLError) -> [SQLStatement] {
        var parser = try SQLParser(text)
        var statements: [SQLStatement] = []
        while true {
            while parser.accept(symbol: ";") {}
            if parser.peek.kind == .end { break }
            statements.append(try parser.statement())
            if parser.peek.kind != .end, !parser.accept(symbol: ";") {
                throw parser.unexpected("';' or the end of the statement")
            }
        }
        guard !statements.isEmpty else { throw .syntax("no SQL statement", at: parser.peek.position) }
        return statements
    }

    /// One expression alone (tests, tools).
    public static func parseExpression(_ text: String) throws(SQLError) -> SQLExpression {
        var parser = try SQLParser(text)
        let e = try parser.expression()
        guard parser.peek.kind == .end else { throw parser.unexpected("the end of the expression") }
        return e
    }

    // MARK: Tokens

    var peek: SQLToken { tokens[index] }
    var peekNext: SQLToken { tokens[min(index + 1, tokens.count - 1)] }

    mutating func next() -> SQLToken {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    func isKeyword(_ word: String) -> Bool { peek.keyword == word }

    mutating func accept(_ word: String) -> Bool {
        guard isKeyword(word) else { return false }
        index += 1
        return true
    }

    mutating func accept(symbol: String) -> Bool {
        guard peek.kind == .symbol(symbol) else { return false }
        index += 1
        return true
    }

    mutating func expect(_ word: String) throws(SQLError) {
        guard accept(word) else { throw unexpected(word) }
    }

    mutating func expect(symbol: String) throws(SQLError) {
        guard accept(symbol: symbol) else { throw unexpected("'\(symbol)'") }
    }

    func unexpected(_ wanted: String) -> SQLError {
        .syntax("expected \(wanted), found \(peek.text)", at: peek.position)
    }

    /// Words that end a clause and so cannot be an alias or a bare name.
    static let reserved: Set<String> = [
        "SELECT", "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "AND", "OR", "NOT", "AS", "ON",
        "CROSS", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "UNION", "BY", "IS", "IN", "BETWEEN", "LIKE",
        "CASE",
        "WHEN", "THEN", "ELSE", "END", "WITH", "INSERT", "INTO", "CREATE", "DISTINCT", "NULL", "TRUE",
        "FALSE",
        "ASC", "DESC", "WINDOW", "OFFSET",
    ]

    /// A name: a bare word that is not reserved, or a quoted name.
    mutating func name(_ what: String) throws(SQLError) -> String {
        switch peek.kind {
        case .word(let w) where !Self.reserved.contains(w.uppercased()):
            index += 1
            return w
        case .quotedName(let n):
            index += 1
            return n
        default:
            throw unexpected(what)
        }
    }

    // MARK: Statements

    mutating func statement() throws(SQLError) -> SQLStatement {
        let start = peek.position
        if isKeyword("SELECT") { return .select(try select()) }
        if accept("CREATE") {
            if accept("SOURCE") { return .createSource(try createSource(start)) }
            if accept("SINK") || accept("TABLE") || (accept("MATERIALIZED") && accept("VIEW")) {
                let name = try self.name("a sink name")
                let options = accept("WITH") ? try self.options() : [:]
                var query: SelectStatement?
                if accept("AS") { query = try select() }
                return .createSink(
                    SinkDeclaration(name: name, position: start, options: options), query: query)
            }
            throw unexpected("SOURCE, SINK or TABLE after CREATE")
        }
        if accept("INSERT") {
            try expect("INTO")
            let target = peek.position
            let name = try self.name("a sink name")
            return .insert(target: name, position: target, query: try select())
        }
        throw unexpected("SELECT, CREATE or INSERT")
    }

    mutating func options() throws(SQLError) -> [String: String] {
        try expect(symbol: "(")
        var options: [String: String] = [:]
        repeat {
            let key: String
            if case .string(let s) = peek.kind {
                index += 1
                key = s
            } else {
                key = try name("an option name")
            }
            try expect(symbol: "=")
            let t = next()
            switch t.kind {
            case .string(let s), .number(let s), .word(let s): options[key.lowercased()] = s
            default: throw .syntax("expected the value of option '\(key)', found \(t.text)", at: t.position)
            }
        } while accept(symbol: ",")
        try expect(symbol: ")")
        return options
    }

    mutating func createSource(_ start: SourcePosition) throws(SQLError) -> SourceDeclaration {
        let name = try self.name("a source name")
        var columns: [Column] = []
        var watermark: (String, Int64)?
        if accept(symbol: "(") {
            repeat {
                if accept("WATERMARK") {
                    try expect("FOR")
                    let column = try self.name("the watermark's column")
                    try expect("AS")
                    let e = try expression()
                    guard case .binary("-", let base, let delay) = e.kind, case .column([column]) = base.kind,
                        case .interval(let micros) = delay.kind
                    else {
                        throw .syntax(
                            "a watermark is written WATERMARK FOR \(column) AS \(column) - INTERVAL '5' MINUTE",
                            at: e.position)
                    }
                    watermark = (column, micros)
                } else {
                    let at = peek.position
                    let column = try self.name("a column name")
                    guard !columns.contains(where: { $0.name == column }) else {
                        throw .syntax("column '\(column)' is declared twice", at: at)
                    }
                    columns.append(Column(column, try type()))
                }
            } while accept(symbol: ",")
            try expect(symbol: ")")
        }
        let options = accept("WITH") ? try self.options() : [:]
        if let format = options["format"], format.lowercased() != "json" {
            throw .unsupported("format '\(format)' (sources read JSON records)", at: start)
        }
        if let (column, _) = watermark, !columns.isEmpty, !columns.contains(where: { $0.name == column }) {
            throw SQLError(.unknownName, "the watermark's column '\(column)' is not declared", at: start)
        }
        return SourceDeclaration(
            name: name, position: start, columns: columns, watermark: watermark.map { ($0.0, $0.1) },
            options: options)
    }

    /// A column type: `BIGINT`, `DECIMAL(10, 2)`, `ARRAY<…>`, `ROW<name type, …>` (or `STRUCT<…>`).
    mutating func type() throws(SQLError) -> ColumnType {
        let t = next()
        guard let word = t.keyword else { throw .syntax("expected a type, found \(t.text)", at: t.position) }
        switch word {
        case "BOOLEAN", "BOOL": return .bool
        case "BIGINT", "INT", "INTEGER", "SMALLINT", "TINYINT", "LONG": return .int
        case "DOUBLE", "FLOAT", "REAL":
            _ = accept("PRECISION")
            return .double
        case "STRING", "TEXT", "VARCHAR", "CHAR":
            if accept(symbol: "(") {
                _ = next()
                try expect(symbol: ")")
            }
            return .string
        case "TIMESTAMP", "TIMESTAMPTZ": return .timestamp
        case "DECIMAL", "NUMERIC":
            var scale = 0
            if accept(symbol: "(") {
                _ = try integer("a precision")
                if accept(symbol: ",") { scale = try integer("a scale") }
                try expect(symbol: ")")
            }
            guard (0...18).contains(scale) else {
                throw .unsupported("DECIMAL with scale \(scale) (at most 18)", at: t.position)
            }
            return .decimal(scale: scale)
        case "ARRAY":
            try expect(symbol: "<")
            let element = try type()
            try expect(symbol: ">")
            return .array(element)
        case "ROW", "STRUCT":
            try expect(symbol: "<")
            var fields: [Column] = []
            repeat {
                let field = try name("a field name")
                fields.append(Column(field, try type()))
            } while accept(symbol: ",")
            try expect(symbol: ">")
            return .object(fields)
        default:
            throw .syntax(
                "unknown type \(t.text) (BOOLEAN, BIGINT, DOUBLE, DECIMAL(p,s), STRING, TIMESTAMP, ARRAY<…>, ROW<…>)",
                at: t.position)
        }
    }

    mutating func integer(_ what: String) throws(SQLError) -> Int {
        let t = next()
        guard case .number(let n) = t.kind, let value = Int(n) else {
            throw .syntax("expected \(what) (a whole number), found \(t.text)", at: t.position)
        }
        return value
    }

    // MARK: SELECT

    mutating func select() throws(SQLError) -> SelectStatement {
        let start = peek.position
        try expect("SELECT")
        if accept("DISTINCT") {
            throw .unsupported("SELECT DISTINCT (write GROUP BY the columns instead)", at: start)
        }
        var items: [SelectItem] = []
        repeat {
            let at = peek.position
            if accept(symbol: "*") {
                items.append(SelectItem(expression: nil, alias: nil, position: at))
                continue
            }
            let e = try expression()
            var alias: String?
            if accept("AS") {
                alias = try name("an alias")
            } else if case .word(let w) = peek.kind, !Self.reserved.contains(w.uppercased()) {
                alias = w
                index += 1
            } else if case .quotedName(let n) = peek.kind {
                alias = n
                index += 1
            }
            items.append(SelectItem(expression: e, alias: alias, position: at))
        } while accept(symbol: ",")
        try expect("FROM")
        let from = try tableReference()
        var statement = SelectStatement(
            position: start, items: items, from: from, filter: nil, groupBy: [], groupByPosition: nil,
            having: nil,
            orderBy: [], orderByPosition: nil, limit: nil, limitPosition: nil)
        if accept("WHERE") { statement.filter = try expression() }
        if isKeyword("GROUP") {
            statement.groupByPosition = peek.position
            index += 1
            try expect("BY")
            repeat { statement.groupBy.append(try expression()) } while accept(symbol: ",")
        }
        if accept("HAVING") { statement.having = try expression() }
        if isKeyword("ORDER") {
            statement.orderByPosition = peek.position
            index += 1
            try expect("BY")
            repeat {
                let e = try expression()
                var descending = false
                if accept("DESC") { descending = true } else { _ = accept("ASC") }
                statement.orderBy.append((e, descending))
            } while accept(symbol: ",")
        }
        if isKeyword("LIMIT") {
            statement.limitPosition = peek.position
            index += 1
            statement.limit = try integer("a row count")
        }
        if isKeyword("UNION") || isKeyword("OFFSET") || isKeyword("WINDOW") {
            throw .unsupported(peek.text.uppercased(), at: peek.position)
        }
        return statement
    }

    mutating func tableReference() throws(SQLError) -> TableReference {
        let at = peek.position
        var reference: TableReference
        if let word = peek.keyword, ["TUMBLE", "HOP", "SESSION"].contains(word), peekNext.kind == .symbol("(")
        {
            index += 2
            _ = accept("TABLE")
            let source = try name("the source of the window")
            try expect(symbol: ",")
            let described = accept("DESCRIPTOR")
            if described { try expect(symbol: "(") }
            let timeColumn = try name("the window's time column")
            if described { try expect(symbol: ")") }
            try expect(symbol: ",")
            let first = try intervalArgument()
            let function: TableReference.WindowFunction
            switch word {
            case "TUMBLE": function = .tumble(size: first)
            case "HOP":
                try expect(symbol: ",")
                function = .hop(slide: first, size: try intervalArgument())
            default: function = .session(gap: first)
            }
            try expect(symbol: ")")
            reference = TableReference(source: source, sourcePosition: at, window: (function, timeColumn, at))
        } else if accept(symbol: "(") {
            throw .unsupported("a subquery in FROM", at: at)
        } else {
            reference = TableReference(source: try name("a source (topic) name"), sourcePosition: at)
        }
        if accept("AS") {
            reference.alias = try name("an alias")
        } else if case .word(let w) = peek.kind, !Self.reserved.contains(w.uppercased()) {
            reference.alias = w
            index += 1
        }
        if isKeyword("CROSS") {
            let crossAt = peek.position
            index += 1
            try expect("JOIN")
            if accept("UNNEST") {
                try expect(symbol: "(")
                let columnAt = peek.position
                let column = try expression()
                guard case .column(let parts) = column.kind else {
                    throw .unsupported("UNNEST of an expression (name an array column)", at: columnAt)
                }
                try expect(symbol: ")")
                _ = accept("AS")
                let alias = try name("the unnested element's name (AS p)")
                if accept(symbol: "(") {
                    throw .unsupported(
                        "column aliases on UNNEST (write UNNEST(x) AS p and use p)", at: peek.position)
                }
                var column_ = parts
                if parts.count == 2, parts[0] == reference.alias || parts[0] == reference.source {
                    column_ = [parts[1]]
                }
                reference.unnest = (column_.joined(separator: "."), alias, columnAt)
            } else {
                throw .unsupported(
                    "CROSS JOIN of two sources (only CROSS JOIN UNNEST(array) AS x)", at: crossAt)
            }
        }
        if let word = peek.keyword,
            ["JOIN", "INNER", "LEFT", "RIGHT", "FULL", ","].contains(word) || peek.kind == .symbol(",")
        {
            throw .unsupported("joins (only CROSS JOIN UNNEST is supported so far)", at: peek.position)
        }
        return reference
    }

    /// An `INTERVAL '1' MINUTE` argument of a window function, in microseconds.
    mutating func intervalArgument() throws(SQLError) -> Int64 {
        let e = try expression()
        guard case .interval(let micros) = e.kind else {
            throw .syntax("expected an INTERVAL such as INTERVAL '1' MINUTE", at: e.position)
        }
        guard micros > 0 else { throw .syntax("a window's interval must be positive", at: e.position) }
        return micros
    }
}
