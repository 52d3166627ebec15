import EddyFormats
import Testing

@testable import EddyApps

/// Seed 004's pieces without I/O: JSON answers to columns, and the normalisation rules.
@Suite struct FilesNormalizationTests {
    @Test func jsonKeepsKeyOrderIntegersAndPointers() throws {
        let node = try JSONNode(
            parsing: Array(
                #"{"b": 1, "a": [1.5, "x\u00e9", null, true], "c": {"d/e": 9007199254740993}}"#.utf8))
        guard case .object(let members) = node else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["b", "a", "c"])
        #expect(node.at(pointer: "/a/1") == .string("xé"))
        #expect(node.at(pointer: "/c/d~1e") == .int(9_007_199_254_740_993))
        #expect(node.at(pointer: "/a/9") == nil)
        #expect(throws: JSONNodeError.self) { try JSONNode(parsing: Array("<html>".utf8)) }
        #expect(throws: JSONNodeError.self) { try JSONNode(parsing: Array(#"{"a": 1} x"#.utf8)) }
    }

    @Test func snakeCase() {
        #expect(SnakeCase.convert("userName") == "user_name")
        #expect(SnakeCase.convert("HTTPStatus") == "http_status")
        #expect(SnakeCase.convert("First Name") == "first_name")
        #expect(SnakeCase.convert("already_snake") == "already_snake")
        #expect(SnakeCase.convert("zip-code2") == "zip_code2")
    }

    @Test func recordsBecomeTypedColumnsInFirstSeenOrder() throws {
        let records = try JSONNode(
            parsing: Array(#"[{"id": 1, "v": 2}, {"v": 2.5, "flag": true, "tags": ["a"]}]"#.utf8))
        guard case .array(let items) = records else { Issue.record("not an array"); return }
        let table = try RecordColumns.table(items)
        #expect(table.fields.map(\.name) == ["id", "v", "flag", "tags"])
        #expect(table.fields.map(\.type) == [.int64, .double, .boolean, .string])
        #expect(table.columns[0].isNull(1))
        #expect(table.text(row: 1, column: 3).map { String(decoding: $0, as: UTF8.self) } == #"["a"]"#)
    }

    @Test func normalisationFlattensRenamesTrimsTypesAndDeduplicates() throws {
        let raw = try ColumnTable(
            fields: [
                Field("userId", .int64), Field("Name", .string), Field("seenAt", .string),
                Field("amount", .double),
                Field("home", .string), Field("code", .string),
            ],
            columns: [
                ColumnArray(.int64([7, 8, 7])),
                ColumnArray(ColumnValues.strings(["  Ana ", "Bia", "dup"])),
                ColumnArray(
                    ColumnValues.strings(["2024-05-01T10:00:00Z", "2024-05-01T10:00:00.5Z", ""]),
                    validity: [true, true, false]),
                ColumnArray(.double([1, 40000, 3])),
                ColumnArray(
                    ColumnValues.strings([
                        #"{"cityName": "Rio", "geo": {"lat": 1.5}}"#, "", #"{"cityName": "X"}"#,
                    ]), validity: [true, false, true]),
                ColumnArray(ColumnValues.strings(["007", "12", "x"])),
            ])
        let clean = try FileNormalization(key: "user_id").apply(raw)
        #expect(
            clean.fields.map(\.name) == [
                "user_id", "name", "seen_at", "amount", "home_city_name", "home_geo_lat", "code",
            ])
        #expect(clean.rowCount == 2)
        #expect(clean.fields[0].type == .int(bits: 8, signed: true))
        #expect(clean.fields[2].type == .timestamp(.micros, utc: true))
        #expect(clean.fields[3].type == .int(bits: 32, signed: true))
        #expect(clean.fields[5].type == .double)
        #expect(clean.fields[6].type == .string)  // "007" keeps its zeros: text stays text
        #expect(clean.text(row: 0, column: 1).map { String(decoding: $0, as: UTF8.self) } == "Ana")
        #expect(
            clean.text(row: 1, column: 2).map { String(decoding: $0, as: UTF8.self) }
                == "2024-05-01T10:00:00.500000Z")
        #expect(clean.text(row: 1, column: 4) == nil)
        #expect(throws: NormalizationError.self) { try FileNormalization(key: "nope").apply(raw) }
    }

    @Test func rawFileNamesCarryTheFetchTime() throws {
        let micros: Int64 = 1_764_396_900_123_456
        let name = APIPoller.fileName(micros: micros, index: 2)
        #expect(name == "20251129T061500123Z-2.parquet")
        #expect(APIPoller.micros(fromFileName: name) == micros / 1000 * 1000)
    }

    @Test func settings() throws {
        #expect(try FilesSettings.duration("30s") == .seconds(30))
        #expect(try FilesSettings.duration("250ms") == .milliseconds(250))
        #expect(throws: SettingError.self) { try FilesSettings.duration("soon") }
        #expect(try FilesSettings.headers("Authorization: Bearer x").map(\.value) == ["Bearer x"])
        #expect(throws: SettingError.self) { try FilesSettings.pointer("data") }
    }
}
