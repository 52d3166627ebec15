/// One lexical unit of SQL text, with where it starts.
struct SQLToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A bare word: a keyword or a name, told apart by the parser (most keywords can be column names).
        case word(String)
        /// A `"double quoted"` or `` `backquoted` `` name, never a keyword.
        case quotedName(String)
        case string(String)
        /// A number as written (`42`, `3.14`, `1e6`); the parser picks integer, decimal or double.
        case number(String)
        /// Punctuation and operators: `( ) , . ; * + - / % = <> != < <= > >= ||`.
        case symbol(String)
        case end
    }

    var kind: Kind
    var position: SourcePosition

    /// The word in upper case if this is a bare word (for keyword checks).
    var keyword: String? {
        if case .word(let w) = kind { return w.uppercased() }
        return nil
    }

    var text: String {
        switch kind {
        case .word(let w): w
        case .quotedName(let n): "\"\(n)\""
        case .string(let s): "'\(s)'"
        case .number(let n): n
        case .symbol(let s): s
        case .end: "end of input"
        }
    }
}
