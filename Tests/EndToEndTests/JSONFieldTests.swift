import Testing

@testable import eddy

@Suite struct JSONFieldTests {
    func lookup(_ field: String, in text: String) -> JSONField.Lookup {
        Array(text.utf8).withUnsafeBytes { JSONField(field).lookup(in: $0) }
    }

    func found(_ text: String) -> JSONField.Lookup { .found(Array(text.utf8)) }

    @Test func findsTopLevelValues() {
        #expect(lookup("id", in: #"{"id": "SM-123AB", "n": 1}"#) == found("SM-123AB"))
        #expect(lookup("n", in: #"{"id": "x","n":42}"#) == found("42"))
        #expect(lookup("ok", in: #"  { "ok" : true }  "#) == found("true"))
        #expect(lookup("f", in: #"{"f": -1.5e3}"#) == found("-1.5e3"))
        #expect(lookup("o", in: #"{"o": {"a": [1, "}"]}}"#) == found(#"{"a": [1, "}"]}"#))
    }

    @Test func skipsNestedFieldsOfTheSameName() {
        let text = #"{"inner": {"id": "nested", "s": "a \"quoted\" {"}, "list": [{"id": 1}], "id": "top"}"#
        #expect(lookup("id", in: text) == found("top"))
        #expect(lookup("id", in: #"{"inner": {"id": "nested"}}"#) == .absent)
    }

    @Test func unescapesStrings() {
        #expect(lookup("k", in: #"{"k": "a\"b\\c\n\u00e7\ud83d\ude00"}"#) == found("a\"b\\c\nç😀"))
        #expect(lookup("ç", in: #"{"\u00e7": "by escaped name"}"#) == found("by escaped name"))
    }

    @Test func nullAbsentAndNotJSON() {
        #expect(lookup("k", in: #"{"k": null}"#) == .absent)
        #expect(lookup("k", in: #"{}"#) == .absent)
        #expect(lookup("k", in: #"{"other": 1}"#) == .absent)
        #expect(lookup("k", in: "plain text") == .notAnObject)
        #expect(lookup("k", in: #"["k", 1]"#) == .notAnObject)
        #expect(lookup("k", in: #"{"a": "unterminated"#) == .notAnObject)
        #expect(lookup("k", in: "") == .notAnObject)
    }
}
