// Compiling and printing ``ScalarFunction`` calls. Argument counts and types are checked when the pipeline is
// built, so a bad call is refused before any record is read.

extension Expression {
    static func renderFunction(_ function: ScalarFunction, _ nodes: [Node]) -> String {
        let args = nodes.map(render)
        switch function {
        case .caseWhen(let hasElse):
            var text = "CASE"
            let pairs = (hasElse ? args.count - 1 : args.count) / 2
            for i in 0..<pairs { text += " WHEN \(args[2 * i]) THEN \(args[2 * i + 1])" }
            if hasElse, let last = args.last { text += " ELSE \(last)" }
            return text + " END"
        case .cast(let type): return "CAST(\(args.first ?? "") AS \(type))"
        case .isIn: return "(\(args.first ?? "") IN (\(args.dropFirst().joined(separator: ", "))))"
        case .like: return "(\(args.first ?? "") LIKE \(args.dropFirst().first ?? ""))"
        case .extract(let field): return "extract(\(field.rawValue) FROM \(args.first ?? ""))"
        case .dateTrunc(let unit): return "date_trunc('\(unit.rawValue)', \(args.first ?? ""))"
        default: return "\(function)(\(args.joined(separator: ", ")))"
        }
    }

    static func compileFunction(
        _ function: ScalarFunction, _ nodes: [Node], _ columns: [Column], _ stage: String
    ) throws(PipelineError) -> CompiledExpression {
        let compiled = try nodes.map { (n) throws(PipelineError) in try compile(n, columns, stage) }
        let args = compiled.map(\.evaluate)
        let text = renderFunction(function, nodes)
        func arity(_ range: ClosedRange<Int>) throws(PipelineError) {
            guard range.contains(nodes.count) else {
                throw .typeMismatch(
                    "\(function) takes \(range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)") arguments, not \(nodes.count), in \(text)",
                    stage: stage)
            }
        }
        func expect(_ i: Int, _ ok: (ColumnType) -> Bool, _ what: String) throws(PipelineError) {
            if let type = compiled[i].type, !ok(type) {
                throw .typeMismatch("\(function) needs \(what); \(render(nodes[i])) is \(type)", stage: stage)
            }
        }
        let isText: (ColumnType) -> Bool = { $0 == .string }
        switch function {
        case .caseWhen(let hasElse):
            let pairs = (hasElse ? nodes.count - 1 : nodes.count) / 2
            guard pairs >= 1, pairs * 2 + (hasElse ? 1 : 0) == nodes.count else {
                throw .typeMismatch("CASE needs WHEN … THEN … pairs in \(text)", stage: stage)
            }
            for i in 0..<pairs { try expect(2 * i, { $0 == .bool }, "a boolean condition") }
            let results = (0..<pairs).map { 2 * $0 + 1 } + (hasElse ? [nodes.count - 1] : [])
            let type = results.lazy.compactMap { compiled[$0].type }.first
            let fallback = hasElse ? args.last : nil
            return CompiledExpression(type: type) { row in
                for i in 0..<pairs where args[2 * i](row) == .bool(true) { return args[2 * i + 1](row) }
                return fallback?(row) ?? .null
            }
        case .cast(let target):
            try arity(1...1)
            let e = args[0]
            return CompiledExpression(type: target) { Value.cast(e($0), to: target) }
        case .isIn:
            guard nodes.count >= 2 else { throw .typeMismatch("IN needs a list in \(text)", stage: stage) }
            let value = args[0]
            let list = Array(args.dropFirst())
            return CompiledExpression(type: .bool) { row in
                let v = value(row)
                if v.isNull { return .null }
                var sawNull = false
                for e in list {
                    let x = e(row)
                    if x.isNull { sawNull = true } else if Value.compare(v, x) == 0 { return .bool(true) }
                }
                return sawNull ? .null : .bool(false)
            }
        case .like:
            try arity(2...2)
            try expect(0, isText, "text")
            try expect(1, isText, "a text pattern")
            let (value, pattern) = (args[0], args[1])
            // A literal pattern is parsed once; a computed one per row.
            if case .literal(.string(let p)) = nodes[1] {
                let matcher = LikePattern(p)
                return CompiledExpression(type: .bool) { row in
                    guard case .string(let s) = value(row) else { return .null }
                    return .bool(matcher.matches(s))
                }
            }
            return CompiledExpression(type: .bool) { row in
                guard case .string(let s) = value(row), case .string(let p) = pattern(row) else {
                    return .null
                }
                return .bool(LikePattern(p).matches(s))
            }
        case .trim:
            try arity(1...1)
            try expect(0, isText, "text")
            let e = args[0]
            return CompiledExpression(type: .string) { row in
                guard case .string(let s) = e(row) else { return .null }
                return .string(
                    String(s.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()))
            }
        case .concat:
            guard !nodes.isEmpty else { throw .typeMismatch("concat needs arguments", stage: stage) }
            return CompiledExpression(type: .string) { row in
                var text = ""
                for e in args {
                    let v = e(row)
                    if v.isNull { return .null }
                    text += v.renderedForDisplay
                }
                return .string(text)
            }
        case .substring:
            try arity(2...3)
            try expect(0, isText, "text")
            for i in 1..<nodes.count { try expect(i, { $0 == .int }, "an integer position or length") }
            return CompiledExpression(type: .string) { row in
                guard case .string(let s) = args[0](row), case .int(let start) = args[1](row) else {
                    return .null
                }
                var length = Int64.max
                if args.count == 3 {
                    guard case .int(let n) = args[2](row) else { return .null }
                    length = n
                }
                return .string(Value.substring(s, start: start, length: length))
            }
        case .dateTrunc(let unit):
            try arity(1...1)
            try expect(0, { $0 == .timestamp || $0 == .string }, "a timestamp")
            let e = args[0]
            let step: Int64 =
                switch unit {
                case .second: 1_000_000
                case .minute: 60_000_000
                case .hour: 3_600_000_000
                case .day: 86_400_000_000
                }
            return CompiledExpression(type: .timestamp) { row in
                guard let t = Value.eventTime(e(row)) else { return .null }
                return .timestamp(Timestamp.floorDiv(t, step) * step)
            }
        case .extract(let field):
            try arity(1...1)
            try expect(0, { $0 == .timestamp || $0 == .string }, "a timestamp")
            let e = args[0]
            return CompiledExpression(type: .int) { row in
                guard let t = Value.eventTime(e(row)) else { return .null }
                let days = Timestamp.floorDiv(t, 86_400_000_000)
                let seconds = (t - days * 86_400_000_000) / 1_000_000
                switch field {
                case .year, .month, .day:
                    let (y, m, d) = Timestamp.civilFromDays(days)
                    return .int(field == .year ? y : field == .month ? m : d)
                case .hour: return .int(seconds / 3600)
                case .minute: return .int(seconds / 60 % 60)
                case .second: return .int(seconds % 60)
                }
            }
        }
    }
}

extension Value {
    /// `CAST(value AS type)` with Spark's non-ANSI rules: what cannot be converted is null.
    static func cast(_ value: Value, to type: ColumnType) -> Value {
        if value.isNull { return .null }
        switch type {
        case .bool:
            switch value {
            case .bool: return value
            case .int(let i): return .bool(i != 0)
            case .string(let s):
                switch s.lowercased() {
                case "true", "t", "1", "yes": return .bool(true)
                case "false", "f", "0", "no": return .bool(false)
                default: return .null
                }
            default: return .null
            }
        case .int:
            switch value {
            case .int: return value
            case .bool(let b): return .int(b ? 1 : 0)
            case .double(let d):
                return d.isFinite && abs(d) < 9.2e18 ? .int(Int64(d.rounded(.towardZero))) : .null
            case .decimal(let d): return .int(d.rescaled(to: 0).units)
            case .timestamp(let t): return .int(t / 1_000_000)
            case .string(let s):
                let trimmed = s.trimmingWhitespace
                if let i = Int64(trimmed) { return .int(i) }
                return Double(trimmed).map { cast(.double($0), to: .int) } ?? .null
            default: return .null
            }
        case .double:
            switch value {
            case .string(let s): return Double(s.trimmingWhitespace).map(Value.double) ?? .null
            case .bool(let b): return .double(b ? 1 : 0)
            default: return value.doubleValue.map(Value.double) ?? .null
            }
        case .decimal(let scale):
            switch value {
            case .decimal(let d): return .decimal(d.rescaled(to: scale))
            case .int(let i): return .decimal(DecimalValue(units: i, scale: 0).rescaled(to: scale))
            case .double(let d): return decimal(fromText: Value.javaDoubleString(d), scale: scale)
            case .string(let s): return decimal(fromText: s.trimmingWhitespace, scale: scale)
            default: return .null
            }
        case .string:
            if case .timestamp(let t) = value { return .string(Timestamp.formatISO8601(t)) }
            return .string(value.renderedForDisplay)
        case .timestamp:
            switch value {
            case .timestamp: return value
            case .string(let s): return Timestamp.parseISO8601(s).map(Value.timestamp) ?? .null
            case .int(let seconds): return .timestamp(seconds &* 1_000_000)
            default: return .null
            }
        case .array, .object:
            return value
        }
    }

    /// Plain decimal text (`-12.345`) at `scale` digits, rounded half up; null if it is not one.
    static func decimal(fromText text: String, scale: Int) -> Value {
        var digits = Substring(text)
        var negative = false
        if digits.first == "-" || digits.first == "+" {
            negative = digits.first == "-"
            digits = digits.dropFirst()
        }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !digits.isEmpty,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return .null }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard let units = Int64(String(parts[0]) + fraction) ?? (parts[0].isEmpty ? Int64(fraction) : nil)
        else { return .null }
        let d = DecimalValue(units: negative ? -units : units, scale: fraction.count)
        return .decimal(d.rescaled(to: scale))
    }

    /// SQL's substring: `start` counts from 1; positions before the text shorten the length, as in Spark.
    static func substring(_ s: String, start: Int64, length: Int64) -> String {
        let chars = Array(s)
        var from = start > 0 ? start - 1 : (start < 0 ? Int64(chars.count) + start : 0)
        var count = length
        if from < 0 {
            count = start == 0 ? count : count &+ from
            from = 0
        }
        guard count > 0, from < Int64(chars.count) else { return "" }
        let end = min(Int64(chars.count), from &+ count)
        return String(chars[Int(from)..<Int(end)])
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}

/// A `LIKE` pattern: `%` matches any text, `_` one character (one Unicode scalar, as PostgreSQL counts), `\`
/// escapes the next one. Matched over the text's UTF-8 bytes: no per-row array of `Character`s.
struct LikePattern: Sendable {
    enum Piece: Sendable, Equatable {
        case any, one
        case byte(UInt8)
    }

    let pieces: [Piece]

    init(_ pattern: String) {
        var pieces: [Piece] = []
        var escaped = false
        for scalar in pattern.unicodeScalars {
            if escaped {
                pieces.append(contentsOf: UTF8.encode(scalar)!.map(Piece.byte))
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if scalar == "%" {
                if pieces.last != .any { pieces.append(.any) }
            } else if scalar == "_" {
                pieces.append(.one)
            } else {
                pieces.append(contentsOf: UTF8.encode(scalar)!.map(Piece.byte))
            }
        }
        if escaped { pieces.append(.byte(UInt8(ascii: "\\"))) }
        self.pieces = pieces
    }

    func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { matches(bytes: $0) }
    }

    /// Greedy matching with one backtrack point per `%` (linear in practice, never exponential). Positions stay
    /// on scalar boundaries: `_` and a backtrack step move by a whole UTF-8 sequence.
    func matches(bytes text: UnsafeBufferPointer<UInt8>) -> Bool {
        var (t, p) = (0, 0)
        var star: (p: Int, t: Int)?
        while t < text.count {
            if p < pieces.count {
                switch pieces[p] {
                case .any:
                    star = (p, t)
                    p += 1
                    continue
                case .one:
                    t = Self.nextScalar(text, after: t)
                    p += 1
                    continue
                case .byte(let b) where b == text[t]:
                    t += 1
                    p += 1
                    continue
                default: break
                }
            }
            guard let s = star else { return false }
            let next = Self.nextScalar(text, after: s.t)
            star = (s.p, next)
            p = s.p + 1
            t = next
        }
        while p < pieces.count, pieces[p] == .any { p += 1 }
        return p == pieces.count
    }

    /// The index after the UTF-8 sequence starting at `i` (its length from the lead byte).
    @inline(__always)
    private static func nextScalar(_ text: UnsafeBufferPointer<UInt8>, after i: Int) -> Int {
        let lead = text[i]
        let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        return min(i + length, text.count)
    }
}
