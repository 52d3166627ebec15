import Testing

@testable import EddyStream

/// Spark `from_json` field semantics, one table per column type.
@Suite("JSON field semantics (Spark from_json)")
struct JSONFieldSemanticsTests {
    @Test(
        "int: only integer tokens in range",
        arguments: [
            ("4", Value.int(4)), ("-17", .int(-17)), ("0", .int(0)), ("-0", .int(0)),
            ("9223372036854775807", .int(.max)), ("-9223372036854775808", .int(.min)),
            ("9223372036854775808", .null), ("-9223372036854775809", .null),
            ("123456789012345678901234", .null),
            ("4.5", .null), ("4.0", .null), ("4e0", .null), ("\"4\"", .null), ("true", .null),
            ("null", .null),
            ("[1]", .null), ("{\"x\": 1}", .null),
        ])
    func int(literal: String, expected: Value) {
        #expect(fieldValue(.int, literal) == expected)
    }

    @Test(
        "double: numbers exactly, non-numeric strings only",
        arguments: [
            ("152.34", Value.double(152.34)), ("4", .double(4)), ("-0.5", .double(-0.5)),
            ("1e3", .double(1000)),
            ("1.5E-3", .double(0.0015)), ("2.5e+2", .double(250)), ("0.1", .double(0.1)),
            ("123456789012345678", .double(Double("123456789012345678")!)), ("1e300", .double(1e300)),
            ("3.141592653589793238462643", .double(3.141592653589793)),
            ("1e-320", .double(Double("1e-320")!)),
            ("0.000000000000000000000000001", .double(1e-27)),
            ("17976931348623157e292", .double(.greatestFiniteMagnitude)),
            ("\"Infinity\"", .double(.infinity)), ("\"+INF\"", .double(.infinity)),
            ("\"-Infinity\"", .double(-.infinity)),
            ("\"-INF\"", .double(-.infinity)), ("\"abc\"", .null), ("\"12.5\"", .null), ("\"\"", .null),
            ("true", .null),
            ("null", .null), ("[1.5]", .null),
        ])
    func double(literal: String, expected: Value) {
        #expect(fieldValue(.double, literal) == expected)
    }

    @Test func bareNonFiniteTokensAsSparkReadsThem() throws {
        // Python's json.dumps writes NaN / Infinity / -Infinity; Spark (allowNonNumericNumbers) reads them.
        #expect(fieldValue(.double, "Infinity") == .double(.infinity))
        #expect(fieldValue(.double, "-Infinity") == .double(-.infinity))
        #expect(fieldValue(.double, "+INF") == .double(.infinity))
        #expect(fieldValue(.double, "-INF") == .double(-.infinity))
        guard case .double(let nan) = fieldValue(.double, "NaN") else {
            Issue.record("NaN must decode")
            return
        }
        #expect(nan.isNaN)
        #expect(fieldValue(.string, "-Infinity") == .string("-Infinity"))
        #expect(fieldValue(.int, "NaN") == .null)
        #expect(fieldValue(.decimal(scale: 2), "Infinity") == .null)
        let skipped = try JSONRowDecoder(schema: [Column("b", .int)]).decode(
            #"{"a": NaN, "c": -Infinity, "b": 1}"#
        ).get()
        #expect(skipped == [.int(1)])
    }

    @Test func doubleNaNString() {
        guard case .double(let value) = fieldValue(.double, "\"NaN\"") else {
            Issue.record("NaN string should decode")
            return
        }
        #expect(value.isNaN)
    }

    @Test func doubleMatchesSwiftParsingOnManyTwoDecimalValues() {
        // Every value the seed simulator writes (2 decimals) must round-trip exactly through the fast path.
        var generator = SplitMix64(state: 7)
        for _ in 0..<20_000 {
            let cents = Int.random(in: 0...100_000_000, using: &generator)
            let text = "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)"
            #expect(fieldValue(.double, text) == .double(Double(text)!), "\(text)")
        }
        // Up to 17 digits with the point anywhere: the short path (≤ 15 digits) and the general one agree
        // with Swift's correctly rounded parser.
        for _ in 0..<20_000 {
            let digits = String(UInt64.random(in: 0...99_999_999_999_999_999, using: &generator))
            let point = Int.random(in: 0...digits.count, using: &generator)
            var text =
                point == digits.count ? digits : String(digits.prefix(point)) + "." + digits.dropFirst(point)
            if text.hasPrefix(".") { text = "0" + text }
            if Bool.random(using: &generator) { text = "-" + text }
            #expect(fieldValue(.double, text) == .double(Double(text)!), "\(text)")
        }
        for _ in 0..<2_000 {
            let value = Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF)
            let text = "\(value)"
            #expect(fieldValue(.double, text) == .double(value), "\(text)")
        }
    }

    @Test(
        "decimal: exact digits, HALF_UP, strings with numbers",
        arguments: [
            ("12.34", 2, Value.decimal(DecimalValue(units: 1234, scale: 2))),
            ("12", 2, .decimal(DecimalValue(units: 1200, scale: 2))),
            ("12.345", 2, .decimal(DecimalValue(units: 1235, scale: 2))),
            ("12.344", 2, .decimal(DecimalValue(units: 1234, scale: 2))),
            ("-12.345", 2, .decimal(DecimalValue(units: -1235, scale: 2))),
            ("0.005", 2, .decimal(DecimalValue(units: 1, scale: 2))),
            ("0.0049", 2, .decimal(DecimalValue(units: 0, scale: 2))),
            ("1.2345e2", 2, .decimal(DecimalValue(units: 12345, scale: 2))),
            ("12345e-4", 2, .decimal(DecimalValue(units: 123, scale: 2))),
            ("1e2", 0, .decimal(DecimalValue(units: 100, scale: 0))),
            ("99.5", 0, .decimal(DecimalValue(units: 100, scale: 0))),
            ("\"12.34\"", 2, .decimal(DecimalValue(units: 1234, scale: 2))),
            ("\"1,234.5\"", 2, .decimal(DecimalValue(units: 123450, scale: 2))),
            ("\"+.5\"", 1, .decimal(DecimalValue(units: 5, scale: 1))),
            ("\"abc\"", 2, .null), ("\"\"", 2, .null), ("true", 2, .null), ("[1]", 2, .null),
            ("92233720368547758.08", 2, .null), ("1e30", 2, .null),
            ("92233720368547758.07", 2, .decimal(DecimalValue(units: .max, scale: 2))),
            ("0.123456789012345678901234567890", 4, .decimal(DecimalValue(units: 1235, scale: 4))),
            ("-0.5", 0, .decimal(DecimalValue(units: -1, scale: 0))),
            ("-0.4", 0, .decimal(DecimalValue(units: 0, scale: 0))),
            ("123456789012.345", 2, .decimal(DecimalValue(units: 12_345_678_901_235, scale: 2))),
            ("1234567890123456.5", 0, .decimal(DecimalValue(units: 1_234_567_890_123_457, scale: 0))),
            ("5e-1", 0, .decimal(DecimalValue(units: 1, scale: 0))),
            ("-7", 3, .decimal(DecimalValue(units: -7000, scale: 3))),
        ])
    func decimal(literal: String, scale: Int, expected: Value) {
        let value = fieldValue(.decimal(scale: scale), literal)
        #expect(value == expected)
        if case .decimal(let d) = value { #expect(d.scale == scale) }
    }

    @Test(
        "bool: only true and false",
        arguments: [
            ("true", Value.bool(true)), ("false", .bool(false)), ("\"true\"", .null), ("1", .null),
            ("null", .null),
        ])
    func bool(literal: String, expected: Value) {
        #expect(fieldValue(.bool, literal) == expected)
    }

    @Test(
        "string: unescaped; other values become their JSON text",
        arguments: [
            (#""Caixa""#, Value.string("Caixa")), (#""""#, .string("")),
            (#""a\"b\\c\/d""#, .string("a\"b\\c/d")), (#""\b\f\n\r\t""#, .string("\u{8}\u{C}\n\r\t")),
            (#""\u00e9\u4e2d""#, .string("é中")), (#""\ud83d\ude00!""#, .string("😀!")),
            (#""\ud83d x""#, .string("\u{FFFD} x")), (#""\ude00""#, .string("\u{FFFD}")),
            (#""Sessão de Eletrônicos""#, .string("Sessão de Eletrônicos")),
            ("4.50", .string("4.50")), ("-1e5", .string("-1e5")), ("true", .string("true")),
            ("false", .string("false")), (#"{"a": [1, "x"]}"#, .string(#"{"a": [1, "x"]}"#)),
            ("[ ]", .string("[ ]")), ("null", .null),
        ])
    func string(literal: String, expected: Value) {
        #expect(fieldValue(.string, literal) == expected)
    }

    @Test(
        "timestamp: ISO strings and epoch seconds",
        arguments: [
            (
                #""2024-08-23T15:22:16.968007Z""#,
                Value.timestamp(micros(2024, 8, 23, 15, 22, 16, micro: 968_007))
            ),
            (#""2024-08-23T15:22:16Z""#, .timestamp(micros(2024, 8, 23, 15, 22, 16))),
            (#""2024-08-23 15:22:16""#, .timestamp(micros(2024, 8, 23, 15, 22, 16))),
            (#""2024-08-23T15:22:16.9""#, .timestamp(micros(2024, 8, 23, 15, 22, 16, micro: 900_000))),
            (
                #""2024-08-23T15:22:16.123456789Z""#,
                .timestamp(micros(2024, 8, 23, 15, 22, 16, micro: 123_456))
            ),
            (#""2024-08-23T15:22:16+02:00""#, .timestamp(micros(2024, 8, 23, 13, 22, 16))),
            (#""2024-08-23T15:22:16-0330""#, .timestamp(micros(2024, 8, 23, 18, 52, 16))),
            (#""2024-08-23T15:22:16+05""#, .timestamp(micros(2024, 8, 23, 10, 22, 16))),
            (#""2024-08-23T15:22""#, .timestamp(micros(2024, 8, 23, 15, 22))),
            (#""2024-08-23""#, .timestamp(micros(2024, 8, 23))),
            (#""2024-8-3T5:02:06Z""#, .timestamp(micros(2024, 8, 3, 5, 2, 6))),
            (#""2024-08-23T15:22:16 UTC""#, .timestamp(micros(2024, 8, 23, 15, 22, 16))),
            (#""1970-01-01T00:00:00Z""#, .timestamp(0)),
            (#""1969-12-31T23:59:59.999999Z""#, .timestamp(-1)),
            (#""2000-02-29T00:00:00Z""#, .timestamp(951_782_400_000_000)),
            ("1724426536", .timestamp(1_724_426_536_000_000)), ("-1", .timestamp(-1_000_000)),
            ("1724426536.5", .null), ("99999999999999", .null),
            (#""2023-02-29T00:00:00Z""#, .null), (#""2024-13-01""#, .null),
            (#""2024-08-23T24:00:00Z""#, .null),
            (#""2024-08-23T15:22:16.Z""#, .null), (#""2024-08-23T15:22:16.1234567890Z""#, .null),
            (#""2024-08-23T15:22:16Zjunk""#, .null), (#""yesterday""#, .null), (#""""#, .null),
            ("true", .null),
        ])
    func timestamp(literal: String, expected: Value) {
        #expect(fieldValue(.timestamp, literal) == expected)
    }

    @Test func daysSinceEpochAgreesWithKnownDates() {
        #expect(JSONTimestamp.daysSinceEpoch(year: 1970, month: 1, day: 1) == 0)
        #expect(JSONTimestamp.daysSinceEpoch(year: 2000, month: 3, day: 1) == 11_017)
        #expect(JSONTimestamp.daysSinceEpoch(year: 1969, month: 12, day: 31) == -1)
        #expect(JSONTimestamp.daysSinceEpoch(year: 1600, month: 1, day: 1) == -135_140)
        // Consecutive days over four centuries are consecutive numbers.
        var expected = JSONTimestamp.daysSinceEpoch(year: 1900, month: 1, day: 1)
        for year in 1900...2300 {
            for month in 1...12 {
                for day in 1...JSONTimestamp.daysInMonth(year: year, month: month) {
                    #expect(JSONTimestamp.daysSinceEpoch(year: year, month: month, day: day) == expected)
                    expected += 1
                }
            }
        }
    }

    @Test func missingUnknownAndDuplicateFields() throws {
        let schema: Schema = [Column("a", .int), Column("b", .string), Column("c", .double)]
        let decoder = JSONRowDecoder(schema: schema)
        #expect(
            try decoder.decode(#"{"zzz": [1, {"q": null}], "b": "x"}"#).get() == [.null, .string("x"), .null])
        #expect(try decoder.decode("{}").get() == [.null, .null, .null])
        // Last occurrence wins when it fits the column (null included) ...
        #expect(try decoder.decode(#"{"a": 1, "a": 2}"#).get()[0] == .int(2))
        #expect(try decoder.decode(#"{"a": 1, "a": null}"#).get()[0] == .null)
        // ... a later wrong-typed one leaves the earlier value, as Spark's row.update does.
        #expect(try decoder.decode(#"{"a": 1, "a": "x"}"#).get()[0] == .int(1))
        // Keys are compared after unescaping; a prefix or a longer name is another key.
        #expect(try decoder.decode(#"{"\u0061": 5, "aa": 6, "": 7}"#).get()[0] == .int(5))
        #expect(try decoder.decode(#"{"A": 5}"#).get()[0] == .null)
    }

    @Test func wrongTypesNullOnlyTheirField() {
        let schema: Schema = [
            Column("duration", .double), Column("traffic_count", .int), Column("location", .string),
            Column("movement_detected", .bool),
        ]
        let row = try? JSONRowDecoder(schema: schema).decode(
            #"{"duration": "abc", "traffic_count": 4.5, "location": 12, "movement_detected": "yes"}"#
        ).get()
        #expect(row == [.null, .null, .string("12"), .null])
    }

    @Test func nestedObjectsAndArrays() throws {
        let schema: Schema = [
            Column("o", .object([Column("x", .int), Column("y", .string)])),
            Column("ints", .array(.int)),
            Column("grid", .array(.array(.int))),
            Column("objs", .array(.object([Column("k", .int)]))),
        ]
        let decoder = JSONRowDecoder(schema: schema)
        let row = try decoder.decode(
            #"{"o": {"y": "s", "x": "bad", "z": 1}, "ints": [1, null, 3], "grid": [[1], [], [2, 3]],"#
                + #" "objs": [{"k": 1}, null, {"k": "bad", "other": 2}, {}]}"#
        ).get()
        #expect(row[0] == .object(["x": .null, "y": .string("s")]))
        #expect(row[1] == .array([.int(1), .null, .int(3)]))
        #expect(row[2] == .array([.array([.int(1)]), .array([]), .array([.int(2), .int(3)])]))
        #expect(
            row[3] == .array([.object(["k": .int(1)]), .null, .object(["k": .null]), .object(["k": .null])]))

        // A wrong-typed element nulls the whole array; a non-array nulls the field.
        let bad = try decoder.decode(
            #"{"o": [1], "ints": [1, "2"], "grid": [[1], 2], "objs": [{"k": 1}, 5]}"#
        ).get()
        #expect(bad == [.null, .null, .null, .null])
    }

    @Test func elementsReadInPlaceAgreeWithElementViews() {
        let schema: Schema = [
            Column(
                "items",
                .array(
                    .object([Column("name", .string), Column("n", .int), Column("p", .decimal(scale: 2))]))),
            Column("tags", .array(.string)),
        ]
        let scanner = JSONScanner(schema: schema)
        var record = scanner.makeRecord()
        let documents = [
            #"{"items": [{"name": "a\"b", "n": 2, "p": 1.5}, null, {"n": "x", "p": 3}], "tags": ["t", "u\nv"]}"#,
            #"{"items": [], "tags": null}"#,
            #"{"items": [{"name": "z", "n": -1, "p": "2.25"}]}"#,
        ]
        for document in documents + documents {  // reused buffers must not leak between scans
            Array(document.utf8).withUnsafeBytes { bytes in
                #expect(scanner.scan(bytes, into: &record) == nil)
                for field in 0..<2 {
                    guard let elements = record.elements(field) else {
                        #expect(record.count(field) == nil)
                        continue
                    }
                    #expect(elements.count == record.count(field))
                    for i in 0..<elements.count {
                        let inPlace = elements[i]
                        let view = record.element(field, i)
                        #expect(inPlace.isNullElement == view.isNullElement)
                        #expect(inPlace.fieldCount == view.fieldCount)
                        for f in 0..<view.fieldCount {
                            #expect(inPlace.isNull(f) == view.isNull(f))
                            #expect(inPlace.int(f) == view.int(f))
                            #expect(inPlace.decimal(f) == view.decimal(f))
                            #expect(
                                inPlace.withStringBytes(f) { String(decoding: $0, as: UTF8.self) }
                                    == view.string(f))
                        }
                    }
                }
            }
        }
        Array(documents[0].utf8).withUnsafeBytes { bytes in
            _ = scanner.scan(bytes, into: &record)
            let items = record.elements(0)!
            #expect(items[0].withStringBytes(0) { String(decoding: $0, as: UTF8.self) } == "a\"b")
            #expect(items[1].isNullElement && items[1].int(1) == nil)
            #expect(items[2].int(1) == nil && items[2].decimal(2) == DecimalValue(units: 300, scale: 2))
            #expect(
                record.elements(1)![1].withStringBytes(0) { String(decoding: $0, as: UTF8.self) } == "u\nv")
        }
    }

    @Test func scannerViewsReadNestedValuesWithoutMaterialising() {
        let schema: Schema = [
            Column("tags", .array(.string)), Column("meta", .object([Column("n", .int)])),
        ]
        let scanner = JSONScanner(schema: schema)
        var record = ScannedRecord(schema: schema)
        let json = Array(#"{"tags": ["a", "b\n"], "meta": {"n": 3}}"#.utf8)
        json.withUnsafeBytes { bytes in
            #expect(scanner.scan(bytes, into: &record) == nil)
            #expect(record.count(0) == 2)
            #expect(record.element(0, 1).string(0) == "b\n")
            #expect(record.element(0, 0).withStringBytes(0) { Array($0) } == [UInt8(ascii: "a")])
            #expect(record.object(1)?.int(0) == 3)
            #expect(record.count(1) == nil)
            #expect(record.fieldNames == ["tags", "meta"])
        }
    }

    @Test func keyOrderAndLookalikeKeysAcrossReusedRecords() {
        // The scanner predicts each key from the previous record's key at the same position; documents
        // whose keys move, or differ from the prediction in one byte, must still land in the right field.
        let schema: Schema = [
            Column("a", .int), Column("traffic_count", .int), Column("a_rather_long_key_name", .int),
            Column("k1234567", .int),
        ]
        let scanner = JSONScanner(schema: schema)
        var record = scanner.makeRecord()
        let documents: [(String, [Int64?])] = [
            (#"{"a": 1, "traffic_count": 2, "a_rather_long_key_name": 3, "k1234567": 4}"#, [1, 2, 3, 4]),
            (#"{"traffic_count": 5, "a": 6, "k1234567": 7, "a_rather_long_key_name": 8}"#, [6, 5, 8, 7]),
            (
                #"{"b": 1, "traffic_counT": 2, "a_rather_long_key_namf": 3, "k1234568": 4}"#,
                [nil, nil, nil, nil]
            ),
            (
                #"{"a": 9, "traffic_count": 10, "a_rather_long_key_name": 11, "k1234567": 12}"#,
                [9, 10, 11, 12]
            ),
            (#"{"a": 13, "tr\u0061ffic_count": 14, "x": {"a": 99}, "k1234567": 15}"#, [13, 14, nil, 15]),
        ]
        for round in 0..<3 {
            for (json, expected) in documents {
                Array(json.utf8).withUnsafeBytes { bytes in
                    #expect(scanner.scan(bytes, into: &record) == nil)
                    #expect((0..<4).map { record.int($0) } == expected, "round \(round): \(json)")
                }
            }
        }
    }
}
