/// Schema-directed JSON scanning without allocation: one document into a reusable ``ScannedRecord``.
///
/// Only the fields the ``Schema`` names are decoded, straight into typed slots; every other value is
/// skipped (still checked to be well-formed). Strings are not copied unless they contain escapes.
///
/// ```swift
/// let schema: Schema = [Column("location", .string), Column("duration", .double)]
/// let scanner = JSONScanner(schema: schema)
/// var record = ScannedRecord(schema: schema)
/// if let failure = scanner.scan(bytes, into: &record) {
///     // not UTF-8, not an object, or malformed: dead-letter it with failure.reason
/// } else if let duration = record.double(1) { ... }
/// ```
///
/// ## Semantics (Spark's `from_json`, PERMISSIVE, with partial results, checked against Spark's JacksonParser)
/// A field that is missing, JSON `null`, or of a type the column cannot take is null; the row still flows.
/// Per column type:
/// - `.bool`: only `true`/`false` (a string `"true"` is null).
/// - `.int` (64-bit): only an integer token; `4.5`, `4.0`, `4e0`, `"4"` and out-of-range values are null.
/// - `.double`: any number (exact for ≤ 15 significant digits with a small exponent, otherwise strtod);
///   among strings only `"NaN"`, `"Infinity"`, `"+Infinity"`, `"+INF"`, `"-Infinity"`, `"-INF"` — `"12.5"` is null.
///   The same spellings unquoted (`NaN`, `-Infinity`: Python's `json.dumps` writes them) are numbers, as
///   with Spark's default `allowNonNumericNumbers`; only a double column (or a string one, as text) takes them.
/// - `.decimal(scale:)`: a number or a string holding one (`"1,234.50"`: commas ignored), exact from its
///   digits, rounded HALF_UP to the scale like Spark's `Decimal.set`; not fitting 64-bit units → null.
/// - `.string`: a string (unescaped); any other value becomes its JSON text as written (`4.50` → "4.50",
///   `{"a": 1}` → "{\"a\": 1}"), as Spark's exact string parsing does.
/// - `.timestamp`: a string `yyyy-MM-dd`, optionally `T` or space and `HH:mm[:ss[.f…]]` (1–9 fraction
///   digits, truncated to microseconds), optionally `Z`, `±HH`, `±HH:mm`, `±HHmm`, `UTC`; no zone = UTC —
///   e.g. `"2024-08-23T15:22:16.968007Z"`, `"2024-08-23 15:22:16"` — or an integer = seconds since the
///   epoch (Spark's TimestampType rule). Impossible dates (`2023-02-29`) and anything else are null.
/// - `.object(fields)`: an object, decoded with the same rules (a bad subfield nulls only that subfield).
/// - `.array(T)`: an array; one element of the wrong type makes the whole array null (Spark does not keep
///   partial arrays of scalars), a `null` element stays a null element.
/// - Unknown fields are skipped. A key that appears twice: the later value wins if it fits the column
///   (JSON `null` included); a later wrong-typed value leaves the earlier one (Spark's `row.update` runs
///   only after a successful conversion).
///
/// ## Speed
/// Keys are matched by position first: records of one stream write their keys in the same order, so each
/// key is compared with the one seen at that position last time (two word compares, no scan, no hash);
/// otherwise a per-struct hash table on (length, first byte, last byte) finds it. Strings are searched 8
/// bytes at a time; `-?digits(.digits)?` numbers of up to 15 digits take a one-pass exact path. On the seed
/// 002 readings this is about 1,500 instructions per ~200-byte record for the retail query's three fields
/// (see `JSONBenchmark`). Key prediction state lives in the ``ScannedRecord``, so use one record per thread.
///
/// A whole-document problem returns a ``DecodeFailure``: invalid UTF-8 anywhere, a top-level value that is
/// not an object, or malformed JSON (including nesting deeper than 128 and trailing characters; leading and
/// trailing whitespace, including a Windows line's `\r`, and a leading UTF-8 byte order mark are fine).
public struct JSONScanner: Sendable {
    let compiled: CompiledSchema

    public init(schema: Schema) {
        compiled = CompiledSchema(schema)
    }

    public var schema: Schema { compiled.schema }

    /// A record whose buffers this scanner can fill (sharing the compiled schema).
    public func makeRecord() -> ScannedRecord {
        ScannedRecord(compiled: compiled)
    }

    /// Scans one document into `record` (whose previous contents are discarded). Returns nil on success, or
    /// why the document cannot become a row; after a failure every field of `record` reads as null.
    public func scan(_ bytes: UnsafeRawBufferPointer, into record: inout ScannedRecord) -> DecodeFailure? {
        if record.compiled !== compiled || record.plan != 0 {
            if record.plan == 0 && record.compiled.schema == compiled.schema {
                record = ScannedRecord(view: record.storage, compiled: compiled, plan: 0, base: 0)
            } else {
                record = ScannedRecord(compiled: compiled)
            }
        }
        let buffers = record.storage.buffers
        let topLevel = compiled.plans[0].columnCount
        buffers.pointee.reset(topLevel: topLevel)
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            return .notAnObject(found: "empty document")
        }
        let start = base.assumingMemoryBound(to: UInt8.self)
        var parse = JSONParse(start: start, count: bytes.count, buffers: buffers, schema: compiled)
        // A UTF-8 byte order mark (Windows editors put one at the start of a file) is skipped, as Jackson does.
        if bytes.count >= 3 && start[0] == 0xEF && start[1] == 0xBB && start[2] == 0xBF { parse.p += 3 }
        parse.skipWhitespace()
        guard parse.p < parse.end else { return .notAnObject(found: "empty document") }
        guard parse.p.pointee == UInt8(ascii: "{") else {
            if let offset = UTF8Validation.firstInvalidOffset(start, bytes.count) {
                return .invalidUTF8(byteOffset: offset)
            }
            return .notAnObject(found: Self.describe(parse.p.pointee))
        }
        parse.p += 1
        do throws(ScanError) {
            try parse.parseObject(plan: 0, block: 0)
            parse.skipWhitespace()
            if parse.p < parse.end { throw parse.fail(.trailingCharacters) }
            return nil
        } catch {
            buffers.pointee.reset(topLevel: topLevel)
            if let offset = UTF8Validation.firstInvalidOffset(start, bytes.count) {
                return .invalidUTF8(byteOffset: offset)
            }
            return .malformedJSON(byteOffset: error.offset, detail: error.detail)
        }
    }

    static func describe(_ c: UInt8) -> String {
        switch c {
        case UInt8(ascii: "["): "array"
        case UInt8(ascii: "\""): "string"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): "number"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "boolean"
        case UInt8(ascii: "n"): "null"
        case 0x20...0x7E: "unexpected character '\(Character(Unicode.Scalar(c)))'"
        default: "unexpected byte 0x\(String(c, radix: 16, uppercase: true))"
        }
    }
}
