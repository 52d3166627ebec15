/// Decodes one JSON document into a ``Row`` (values in schema order) with Spark's `from_json` semantics:
/// the convenient, allocating path (see ``JSONScanner`` for the rules and for the allocation-free path).
///
/// ```swift
/// let decoder = JSONRowDecoder(schema: [Column("location", .string), Column("duration", .double)])
/// switch decoder.decode(Array(#"{"location": "Caixa", "duration": "abc"}"#.utf8)) {
/// case .success(let row): print(row)          // [.string("Caixa"), .null]
/// case .failure(let failure): print(failure.reason)
/// }
/// ```
public struct JSONRowDecoder: Sendable {
    public let scanner: JSONScanner
    private let cache = ScanStorageCache()

    public init(schema: Schema) {
        scanner = JSONScanner(schema: schema)
    }

    public var schema: Schema { scanner.schema }

    public func decode(_ bytes: UnsafeRawBufferPointer) -> Result<Row, DecodeFailure> {
        // Reuse the decoder's spare scan buffers when no other thread is using them.
        var record =
            cache.take().map { ScannedRecord(view: $0, compiled: scanner.compiled, plan: 0, base: 0) }
            ?? scanner.makeRecord()
        defer { cache.put(record.storage) }
        if let failure = scanner.scan(bytes, into: &record) { return .failure(failure) }
        return .success(record.row())
    }

    public func decode(_ bytes: [UInt8]) -> Result<Row, DecodeFailure> {
        bytes.withUnsafeBytes { decode($0) }
    }

    public func decode(_ text: String) -> Result<Row, DecodeFailure> {
        decode(Array(text.utf8))
    }
}
