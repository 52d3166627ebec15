import EddyStream
import Foundation
import Testing

@Suite struct JSONWriterTests {
    @Test func escapesAndNestsLikeJSON() throws {
        var json = JSONWriter()
        json.object {
            $0.field("text") { $0.string("quote \" backslash \\ newline \n tab \t bell \u{7} </script> ção") }
            $0.field("list") { json in
                json.array { json in
                    json.int(1); json.null(); json.bool(false)
                }
            }
            $0.field("nan") { $0.double(.nan) }
            $0.field("whole") { $0.double(3) }
            $0.field("fraction") { $0.double(0.25) }
        }
        let parsed = try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String: Any]
        #expect(
            parsed?["text"] as? String == "quote \" backslash \\ newline \n tab \t bell \u{7} </script> ção")
        #expect(!String(decoding: json.bytes, as: UTF8.self).contains("</script>"))
        #expect(parsed?["nan"] is NSNull)
        #expect(parsed?["whole"] as? Double == 3)
        // A whole double keeps its fraction, so readers that infer types see a floating-point value.
        #expect(String(decoding: json.bytes, as: UTF8.self).contains(#""whole":3.0"#))
        #expect(parsed?["fraction"] as? Double == 0.25)
        #expect((parsed?["list"] as? [Any])?.count == 3)
    }

    @Test func writesEngineValues() {
        var json = JSONWriter()
        json.array { json in
            json.value(.decimal(DecimalValue(units: -5, scale: 2)))
            json.value(.timestamp(1_714_557_600_123_456))
            json.value(.object(["b": .int(2), "a": .array([.bool(true)])]))
        }
        #expect(
            String(decoding: json.bytes, as: UTF8.self)
                == #"[-0.05,"2024-05-01T10:00:00.123456Z",{"a":[true],"b":2}]"#)
    }

    @Test func timestampsRoundTripThroughTheWrittenForm() {
        for micros: Int64 in [0, 1_714_557_600_123_456, -1, 951_782_400_000_000, 4_102_444_800_000_000] {
            #expect(Timestamp.parseISO8601(Timestamp.formatISO8601(micros)) == micros)
        }
        #expect(Timestamp.formatISO8601(-1) == "1969-12-31T23:59:59.999999Z")
        #expect(Timestamp.parseISO8601("2024-05-01T12:00:00+02:00") == 1_714_557_600_000_000)
        #expect(Timestamp.parseISO8601("2024-05-01") == 1_714_521_600_000_000)
        #expect(Timestamp.parseISO8601("2024-13-01T00:00:00Z") == nil)
        #expect(Timestamp.parseISO8601("yesterday") == nil)
        #expect(Timestamp.parseISO8601("2024-05-01T10:00:00Zjunk") == nil)
    }
}
