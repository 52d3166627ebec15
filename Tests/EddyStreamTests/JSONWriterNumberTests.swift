import Testing

@testable import EddyStream

/// Integers written digit by digit and strings copied whole when they need no escaping give exactly the
/// text Swift's own conversions and the escaping rules give.
@Suite struct JSONWriterNumberTests {
    @Test(arguments: [0, 7, -1, 10, -10, 1_234_567_890, Int64.max, Int64.min, Int64.min + 1])
    func integersMatchTheirDescription(_ value: Int64) {
        var json = JSONWriter()
        json.int(value)
        #expect(String(decoding: json.bytes, as: UTF8.self) == String(value))
    }

    @Test func integersBeyondInt64KeepTheirDigits() {
        var json = JSONWriter()
        json.array { json in
            json.int(UInt64.max)
            json.int(UInt8(200))
        }
        #expect(String(decoding: json.bytes, as: UTF8.self) == "[18446744073709551615,200]")
    }

    @Test(arguments: [
        ("plain", #""plain""#), ("a\"b", #""a\"b""#), ("back\\slash", #""back\\slash""#),
        ("line\nbreak", #""line\nbreak""#), ("</script>", #""<\/script>""#), ("a/b", #""a/b""#),
        ("tab\t\u{1}", #""tab\t\u0001""#), ("ünïcödé", #""ünïcödé""#),
    ])
    func stringsAreEscapedExactlyWhereNeeded(_ text: String, _ expected: String) {
        #expect(JSONWriter.quoted(text) == expected)
    }
}
