import EddyFormats
import Foundation
import Testing

/// The `ARROW:schema` footer key: pyarrow parses the message Eddy writes by hand and reads the file
/// with exactly the Arrow types it describes.
@Suite(.enabled(if: formatsPython != nil, "pyarrow, duckdb and polars are not installed in .build/venv"))
struct ArrowSchemaTests {
    static let fields = [
        Field("i8", .int(bits: 8, signed: true)), Field("u16", .int(bits: 16, signed: false)),
        Field("id", .int32, nullable: false), Field("u64", .int(bits: 64, signed: false)),
        Field("f", .float), Field("d", .double), Field("name", .string), Field("blob", .binary),
        Field("code", .fixedBinary(3)), Field("price", .decimal(precision: 10, scale: 2)),
        Field("wide", .decimal(precision: 30, scale: 4)), Field("day", .date), Field("tm", .time(.millis)),
        Field("tu", .time(.micros)), Field("at", .timestamp(.millis, utc: true)),
        Field("local", .timestamp(.nanos, utc: false)), Field("seen", .timestamp(.micros, utc: true)),
        Field("ok", .boolean),
    ]

    static let expected = """
        pa.schema([("i8", pa.int8()), ("u16", pa.uint16()), pa.field("id", pa.int32(), nullable=False),
          ("u64", pa.uint64()), ("f", pa.float32()), ("d", pa.float64()), ("name", pa.string()),
          ("blob", pa.binary()), ("code", pa.binary(3)), ("price", pa.decimal128(10, 2)),
          ("wide", pa.decimal128(30, 4)), ("day", pa.date32()), ("tm", pa.time32("ms")),
          ("tu", pa.time64("us")), ("at", pa.timestamp("ms", tz="UTC")), ("local", pa.timestamp("ns")),
          ("seen", pa.timestamp("us", tz="UTC")), ("ok", pa.bool_())])
        """

    func table() throws -> ColumnTable {
        func wide(_ n: UInt8) -> [UInt8] { [UInt8](repeating: 0, count: 12) + [0, 0, 0, n] }
        return try ColumnTable(
            fields: Self.fields,
            columns: [
                ColumnArray(.int32([-5, 7])), ColumnArray(.int32([65000, 1])), ColumnArray(.int32([1, 2])),
                ColumnArray(.int64([1, 3])), ColumnArray(.float([1.5, 2])), ColumnArray(.double([2.5, 3])),
                ColumnArray(ColumnValues.strings(["a", "é"]), validity: [true, false]),
                ColumnArray(ColumnValues.strings(["x", ""])),
                ColumnArray(.fixed(width: 3, data: [1, 2, 3, 4, 5, 6])), ColumnArray(.int64([12345, -1])),
                ColumnArray(.fixed(width: 13, data: Array(wide(7).suffix(13) + wide(9).suffix(13)))),
                ColumnArray(.int32([0, 19000])), ColumnArray(.int32([1000, 2])),
                ColumnArray(.int64([1_000_000, 5])), ColumnArray(.int64([1_700_000_000_000, 0])),
                ColumnArray(.int64([1, 2])), ColumnArray(.int64([3, 4])),
                ColumnArray(.boolean([true, false])),
            ])
    }

    @Test func pyarrowParsesTheKeyAndRestoresTheTypes() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("types.parquet")
        try ParquetWriter.write(try table(), to: path)
        #expect(try ParquetReader(path: path).keyValueMetadata[ArrowSchema.footerKey] != nil)
        let script = """
            import sys, base64, pyarrow as pa, pyarrow.parquet as pq
            expected = \(Self.expected)
            key = pq.ParquetFile(sys.argv[1]).metadata.metadata[b"ARROW:schema"]
            stored = pa.ipc.read_schema(pa.py_buffer(base64.b64decode(key)))
            table = pq.read_table(sys.argv[1])
            print("stored", stored.equals(expected), "read", table.schema.equals(expected, check_metadata=False))
            print(table.schema)
            """
        let verdict = try runPython(script, [path])
        #expect(verdict.hasPrefix("stored True read True"), "\(verdict)")
    }

    /// Without the key pyarrow infers from the Parquet types; the key is what makes the difference for
    /// types Parquet cannot say (here checked on the stored message only, as above), and writing can be
    /// turned off.
    @Test func theKeyCanBeLeftOut() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("plain.parquet")
        var options = ParquetWriteOptions()
        options.arrowSchema = false
        try ParquetWriter.write(try table(), to: path, options: options)
        #expect(try ParquetReader(path: path).keyValueMetadata[ArrowSchema.footerKey] == nil)
    }
}
