/// Splits SQL text into ``SQLToken``s: words, quoted names, strings (`''` escapes a quote), numbers,
/// operators; `--` and `/* */` comments are skipped.
///
/// ```swift
/// let tokens = try SQLLexer.tokens(in: "SELECT count(*) FROM motion")
/// ```
enum SQLLexer {
    static func tokens(in text: String) throws(SQLError) -> [SQLToken] {
        let chars = Array(text.unicodeScalars)
        var tokens: [SQLToken] = []
        var i = 0
        var line = 1
        var lineStart = 0
        func position(_ at: Int) -> SourcePosition {
            SourcePosition(line: line, column: at - lineStart + 1, offset: at)
        }
        func advanceNewlines(through end: Int, from start: Int) {
            for k in start..<min(end, chars.count) where chars[k] == "\n" {
                line += 1
                lineStart = k + 1
            }
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" {
                line += 1
                lineStart = i + 1
                i += 1
                continue
            }
            if c.properties.isWhitespace {
                i += 1
                continue
            }
            let start = position(i)
            if c == "-", i + 1 < chars.count, chars[i + 1] == "-" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
                continue
            }
            if c == "/", i + 1 < chars.count, chars[i + 1] == "*" {
                var j = i + 2
                while j + 1 < chars.count, !(chars[j] == "*" && chars[j + 1] == "/") { j += 1 }
                guard j + 1 < chars.count else { throw .syntax("unterminated /* comment", at: start) }
                advanceNewlines(through: j, from: i)
                i = j + 2
                continue
            }
            if c.properties.isAlphabetic || c == "_" {
                var j = i
                while j < chars.count,
                    chars[j].properties.isAlphabetic || chars[j] == "_" || isDigit(chars[j])
                {
                    j += 1
                }
                tokens.append(SQLToken(kind: .word(string(chars[i..<j])), position: start))
                i = j
                continue
            }
            if isDigit(c) || (c == "." && i + 1 < chars.count && isDigit(chars[i + 1])) {
                var j = i
                while j < chars.count, isDigit(chars[j]) { j += 1 }
                if j < chars.count, chars[j] == "." {
                    j += 1
                    while j < chars.count, isDigit(chars[j]) { j += 1 }
                }
                if j < chars.count, chars[j] == "e" || chars[j] == "E" {
                    var k = j + 1
                    if k < chars.count, chars[k] == "+" || chars[k] == "-" { k += 1 }
                    if k < chars.count, isDigit(chars[k]) {
                        j = k
                        while j < chars.count, isDigit(chars[j]) { j += 1 }
                    }
                }
                if j < chars.count, chars[j].properties.isAlphabetic || chars[j] == "_" {
                    throw .syntax("'\(string(chars[i...j]))' is not a number or a name", at: start)
                }
                tokens.append(SQLToken(kind: .number(string(chars[i..<j])), position: start))
                i = j
                continue
            }
            if c == "'" || c == "\"" || c == "`" {
                var j = i + 1
                var value = String.UnicodeScalarView()
                var closed = false
                while j < chars.count {
                    if chars[j] == c {
                        if j + 1 < chars.count, chars[j + 1] == c {
                            value.append(c)
                            j += 2
                            continue
                        }
                        closed = true
                        break
                    }
                    value.append(chars[j])
                    j += 1
                }
                guard closed else {
                    throw .syntax(c == "'" ? "unterminated string" : "unterminated quoted name", at: start)
                }
                advanceNewlines(through: j, from: i)
                let s = String(value)
                tokens.append(SQLToken(kind: c == "'" ? .string(s) : .quotedName(s), position: start))
                i = j + 1
                continue
            }
            let two = i + 1 < chars.count ? string(chars[i...(i + 1)]) : ""
            if ["<>", "!=", "<=", ">=", "||", "::"].contains(two) {
                tokens.append(SQLToken(kind: .symbol(two == "!=" ? "<>" : two), position: start))
                i += 2
                continue
            }
            if "(),.;*+-/%=<>[]".unicodeScalars.contains(c) {
                tokens.append(SQLToken(kind: .symbol(String(c)), position: start))
                i += 1
                continue
            }
            throw .syntax("unexpected character '\(c)'", at: start)
        }
        tokens.append(SQLToken(kind: .end, position: position(chars.count)))
        return tokens
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
