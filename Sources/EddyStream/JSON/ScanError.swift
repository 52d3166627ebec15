/// Why the scanner stopped; converted to a ``DecodeFailure`` (with its text) only at the top, so the inner
/// loop throws a small value and builds no strings.
struct ScanError: Error {
    enum Problem: UInt8 {
        case truncated, expectedKey, expectedColon, expectedCommaOrBrace, expectedCommaOrBracket
        case unexpectedByte, badLiteral, badNumber, badEscape, controlCharacterInString, tooDeep
        case trailingCharacters, invalidUTF8
    }
    var offset: Int
    var problem: Problem

    var detail: String {
        switch problem {
        case .truncated: "document ends early"
        case .expectedKey: "expected a quoted key"
        case .expectedColon: "expected ':' after a key"
        case .expectedCommaOrBrace: "expected ',' or '}'"
        case .expectedCommaOrBracket: "expected ',' or ']'"
        case .unexpectedByte: "unexpected character where a value should start"
        case .badLiteral: "misspelled true, false or null"
        case .badNumber: "invalid number"
        case .badEscape: "invalid escape sequence in a string"
        case .controlCharacterInString: "unescaped control character in a string"
        case .tooDeep: "nesting deeper than \(JSONParse.maximumDepth) levels"
        case .trailingCharacters: "characters after the top-level object"
        case .invalidUTF8: "invalid UTF-8"
        }
    }
}
