import Testing

@testable import EddyStream

/// Whole-document failures (→ dead-letter topic) and robustness against arbitrary bytes.
@Suite("JSON document failures")
struct JSONDocumentFailureTests {
    @Test(
        "top level not an object",
        arguments: [
            ("[1, 2]", "array"), ("\"x\"", "string"), ("42", "number"), ("-1", "number"), ("true", "boolean"),
            ("null", "null"), ("", "empty document"), ("  \r\n", "empty document"),
            ("x{}", "unexpected character 'x'"),
            ("\u{1}", "unexpected byte 0x1"),
        ])
    func notAnObject(json: String, found: String) {
        #expect(failure(json) == .notAnObject(found: found))
        #expect(failure(json)?.reason == "not_an_object")
    }

    @Test(
        "malformed documents",
        arguments: [
            "{", "{\"a\"", "{\"a\":", "{\"a\": 1", "{\"a\": 1,", "{\"a\": 1,}", "{a: 1}", "{\"a\" 1}",
            "{\"a\": 1 \"b\": 2}",
            "{\"a\": tru}", "{\"a\": nul}", "{\"a\": 01}", "{\"a\": 1.}", "{\"a\": .5}", "{\"a\": -}",
            "{\"a\": 1e}",
            "{\"a\": +1}", "{\"a\": \"x}", "{\"a\": \"\\x\"}", "{\"a\": \"\\u12G4\"}",
            "{\"a\": \"tab\there\"}",
            "{\"b\": [1, 2}", "{\"b\": [1 2]}", "{\"b\": {\"c\": 1]}", "{\"a\": 1}}", "{\"a\": 1} x",
            "{\"a\": 1}{}",
            "{\"a\": Nan}", "{\"a\": -Inf}", "{\"a\": +Infinit}", "{\"a\": 'x'}", "{\"a\": 1}\u{0}",
        ])
    func malformed(json: String) {
        let result = failure(json)
        guard case .malformedJSON(let offset, let detail) = result else {
            Issue.record("expected malformedJSON for \(json), got \(String(describing: result))")
            return
        }
        #expect(offset >= 0 && offset <= json.utf8.count)
        #expect(!detail.isEmpty)
        #expect(result?.reason == "malformed_json")
    }

    @Test func malformedReportsWhere() {
        #expect(failure(#"{"a": 1 "b": 2}"#) == .malformedJSON(byteOffset: 8, detail: "expected ',' or '}'"))
    }

    @Test func leadingByteOrderMarkIsSkipped() {
        #expect(failure(bytes: [0xEF, 0xBB, 0xBF] + Array(#"{"a": 1}"#.utf8)) == nil)
        #expect(failure(bytes: [0xEF, 0xBB, 0xBF]) == .notAnObject(found: "empty document"))
        #expect(failure(bytes: [0xEF, 0xBB] + Array(#"{"a": 1}"#.utf8)) == .invalidUTF8(byteOffset: 0))
    }

    @Test func whitespaceAroundTheObjectIsFine() {
        #expect(failure(" \t{\"a\": 1}\r") == nil)
        #expect(failure("{\"a\": 1}\r\n") == nil)
        #expect(failure("\n{ \"a\" : 1 , \"b\" : [ ] }  ") == nil)
    }

    @Test(
        "invalid UTF-8 anywhere",
        arguments: [
            ([0xFF], 0), ([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x22, 0x7D], 6),  // {"a":"<C3>"}
            ([0x7B, 0x22, 0xC0, 0xAF, 0x22, 0x3A, 0x31, 0x7D], 2),  // overlong '/' in a key
            ([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D], 6),  // UTF-16 surrogate
            ([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xF4, 0x90, 0x80, 0x80, 0x22, 0x7D], 6),  // above U+10FFFF
            ([0x7B, 0x7D, 0x20, 0x80], 3),  // after the object
            ([0x5B, 0x22, 0xE2, 0x82, 0x22, 0x5D], 2),  // truncated sequence inside a top-level array
        ] as [([UInt8], Int)])
    func invalidUTF8(bytes: [UInt8], offset: Int) {
        #expect(failure(bytes: bytes) == .invalidUTF8(byteOffset: offset))
        #expect(failure(bytes: bytes)?.reason == "invalid_utf8")
    }

    @Test func validMultibyteTextEverywhere() throws {
        let json = #"{"localização": "Sessão de Eletrônicos 中文 😀", "a": 1, "skip": "ção"}"#
        let row = try JSONRowDecoder(schema: [Column("localização", .string), Column("a", .int)]).decode(json)
            .get()
        #expect(row == [.string("Sessão de Eletrônicos 中文 😀"), .int(1)])
    }

    @Test func nestingDepthIsLimited() {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        let result = failure(#"{"skipped": \#(deep)}"#)
        #expect(
            result
                == .malformedJSON(
                    byteOffset: 12 + JSONParse.maximumDepth - 1, detail: "nesting deeper than 128 levels"))
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(failure(#"{"skipped": \#(fine)}"#) == nil)
        let objects = String(repeating: #"{"a":"#, count: 300) + "1" + String(repeating: "}", count: 300)
        if case .malformedJSON = failure(objects) {} else { Issue.record("deep objects must fail cleanly") }
    }

    static let sampleDocuments = [
        #"{"timestamp": "2024-08-23T15:22:16.968007Z", "id_sensor": "SM-123AB", "location": "Corredor_A", "customer_id": "Cliente_5678", "movement_detected": true, "duration": 152.34, "traffic_count": 4}"#,
        #"{"order_id": "6f1c2b1e-1d1a-4c55-9f53-0a8c1d2e3f40", "client_document": "12345678901", "products": [{"product_name": "Caf\u00e9", "quantity": 2, "price": 19.9}, {"product_name": "Livro", "quantity": 1, "price": "35.50"}], "total_value": 75.3, "sale_datetime": "2024-09-01 10:00:00", "extra": {"deep": [null, true, false, -1.5e-3, "\ud83d\ude00"]}}"#,
    ]

    static let schemas: [Schema] = [
        [
            Column("timestamp", .timestamp), Column("location", .string), Column("duration", .double),
            Column("traffic_count", .int), Column("movement_detected", .bool),
        ],
        [
            Column("order_id", .string),
            Column(
                "products",
                .array(
                    .object([
                        Column("product_name", .string), Column("quantity", .int),
                        Column("price", .decimal(scale: 2)),
                    ]))),
            Column("total_value", .decimal(scale: 2)), Column("sale_datetime", .timestamp),
            Column("extra", .object([Column("deep", .array(.string))])),
        ],
    ]

    @Test func everyPrefixFailsCleanlyOrDecodes() {
        for document in Self.sampleDocuments {
            let bytes = Array(document.utf8)
            for schema in Self.schemas {
                // One reused record, warmed by the full document before each prefix, so the scanner's key
                // prediction is live while it meets the cut.
                let scanner = JSONScanner(schema: schema)
                var record = scanner.makeRecord()
                let (full, expected) = bytes.withUnsafeBytes {
                    (scanner.scan($0, into: &record), record.row())
                }
                #expect(full == nil, "the full document must decode")
                for length in 0..<bytes.count {
                    let prefix = Array(bytes[..<length])
                    // A proper prefix of an object is never a complete document.
                    if withExactBuffer(prefix, { scanner.scan($0, into: &record) }) == nil {
                        Issue.record("prefix of length \(length) decoded")
                    }
                    let again = bytes.withUnsafeBytes {
                        _ = scanner.scan($0, into: &record); return record.row()
                    }
                    #expect(again == expected)
                }
                // And a fresh decoder (cold prediction) agrees.
                let decoder = JSONRowDecoder(schema: schema)
                for length in stride(from: 0, to: bytes.count, by: 7) {
                    if case .success = decoder.decode(Array(bytes[..<length])) {
                        Issue.record("prefix of length \(length) decoded")
                    }
                }
            }
        }
    }

    @Test func randomMutationsNeverCrash() {
        var generator = SplitMix64(state: 0x5EED)
        var outcomes = [0, 0]
        let interesting: [UInt8] =
            Array("{}[]\":,\\ -.0123456789eEtrufalsn".utf8) + [0x00, 0x80, 0xC3, 0xE2, 0xF0, 0xFF]
        let scanners = Self.schemas.map { JSONScanner(schema: $0) }
        let records = scanners.map { $0.makeRecord() }
        for round in 0..<6_000 {
            let document = Self.sampleDocuments[round % 2]
            var bytes = Array(document.utf8)
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let i = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: bytes[i] = interesting.randomElement(using: &generator)!
                case 1: bytes[i] = UInt8.random(in: 0...255, using: &generator)
                case 2: bytes.remove(at: i)
                default: bytes.insert(interesting.randomElement(using: &generator)!, at: i)
                }
                if bytes.isEmpty { break }
            }
            // Half the rounds on warm records (key prediction live), half on fresh ones.
            let scanner = scanners[round % 2]
            var record = round % 4 < 2 ? records[round % 2] : scanner.makeRecord()
            _ = Array(document.utf8).withUnsafeBytes { scanner.scan($0, into: &record) }
            // Materialise while the input lives: string slots point into it.
            let (result, row) = withExactBuffer(bytes) { input in
                let failure = scanner.scan(input, into: &record)
                return (failure, failure == nil ? record.row() : nil)
            }
            outcomes[result == nil ? 0 : 1] += 1
            // Differential check: a cold decoder (no key prediction, fresh buffers) must agree exactly.
            let cold = JSONRowDecoder(schema: Self.schemas[round % 2]).decode(bytes)
            if let result {
                #expect(cold == .failure(result), "round \(round)")
            } else if let row {
                #expect(cold == .success(row), "round \(round)")
            }
            if result != nil {
                #expect((0..<record.fieldCount).allSatisfy { record.isNull($0) })
            }
        }
        // Both outcomes occur: the mutations are neither all harmless nor all fatal.
        #expect(outcomes[0] > 100 && outcomes[1] > 100)
    }
}
