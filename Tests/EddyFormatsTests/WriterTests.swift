import Foundation
import Testing

@testable import EddyFormats

/// A table with every writable type, nulls in every nullable column, and values that repeat (so the
/// dictionary is used) next to values that do not.
func sampleTable(rows: Int) throws -> ColumnTable {
    var validity = (0..<rows).map { $0 % 7 != 3 }
    validity[0] = true
    let names = ["Entrada", "Corredor_A", "Caixa", "héllo, \"world\"\n"]
    let fields = [
        Field("id", .int64, nullable: false),
        Field("small", .int(bits: 16, signed: true)),
        Field("count", .int32),
        Field("unsigned", .int(bits: 32, signed: false)),
        Field("ratio", .float),
        Field("duration", .double),
        Field("moving", .boolean),
        Field("location", .string),
        Field("blob", .binary),
        Field("price", .decimal(precision: 10, scale: 2)),
        Field("day", .date),
        Field("at", .timestamp(.micros, utc: true)),
        Field("local", .timestamp(.millis, utc: false)),
        Field("fixed", .fixedBinary(3)),
    ]
    let columns = [
        ColumnArray(.int64((0..<rows).map { Int64($0) * 1_000_003 - 5 })),
        ColumnArray(.int32((0..<rows).map { Int32($0 % 300) - 150 }), validity: validity),
        ColumnArray(.int32((0..<rows).map { Int32($0 % 10) }), validity: validity),
        ColumnArray(
            .int32((0..<rows).map { Int32(bitPattern: UInt32.max - UInt32($0)) }), validity: validity),
        ColumnArray(.float((0..<rows).map { Float($0) / 8 }), validity: validity),
        ColumnArray(.double((0..<rows).map { Double($0 % 1000) * 0.37 }), validity: validity),
        ColumnArray(.boolean((0..<rows).map { $0 % 3 == 0 }), validity: validity),
        ColumnArray(ColumnValues.strings((0..<rows).map { names[$0 % names.count] }), validity: validity),
        ColumnArray(ColumnValues.strings((0..<rows).map { "blob-\($0)" }), validity: validity),
        ColumnArray(.int64((0..<rows).map { Int64($0) * 7 - 1000 }), validity: validity),
        ColumnArray(.int32((0..<rows).map { Int32($0 % 20000) - 5000 }), validity: validity),
        ColumnArray(
            .int64((0..<rows).map { 1_700_000_000_000_000 + Int64($0) * 1_234_567 }), validity: validity),
        ColumnArray(.int64((0..<rows).map { 1_700_000_000_000 - Int64($0) * 1000 }), validity: validity),
        ColumnArray(
            .fixed(width: 3, data: (0..<rows * 3).map { UInt8(truncatingIfNeeded: $0) }), validity: validity),
    ]
    return try ColumnTable(fields: fields, columns: columns)
}

func jsonLines(_ table: ColumnTable) -> Data {
    var out: [UInt8] = []
    for row in 0..<table.rowCount {
        table.appendJSONObject(row: row, to: &out)
        out.append(10)
    }
    return Data(out)
}

struct WriterTests {
    @Test(arguments: [CompressionCodec.uncompressed, .snappy, .gzip, .zstd], [true, false])
    func eddyReadsBackWhatItWrites(codec: CompressionCodec, dictionary: Bool) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let table = try sampleTable(rows: 10_000)
        var options = ParquetWriteOptions(codec: codec, dictionary: dictionary, rowGroupRows: 3000)
        options.pageBytes = 8192
        let path = folder.file("t.parquet")
        try ParquetWriter.write(table, to: path, options: options)
        let reader = try ParquetReader(path: path)
        #expect(reader.rowGroupCount == 4)
        #expect(reader.codecs.allSatisfy { $0 == codec })
        let back = try reader.read()
        #expect(back.fields == table.fields)
        #expect(jsonLines(back) == jsonLines(table))
        let stats = try #require(reader.statistics(rowGroup: 0, leaf: 0))
        #expect(stats.min == withUnsafeBytes(of: Int64(-5).littleEndian) { Array($0) })
        #expect(stats.nullCount == 0)
    }

    @Test func everyFooterByteFlippedOrTruncatedIsAnError() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let table = try sampleTable(rows: 50)
        let path = folder.file("small.parquet")
        try ParquetWriter.write(table, to: path, options: ParquetWriteOptions(codec: .snappy))
        let bytes = try #require(FileManager.default.contents(atPath: path)).map { $0 }
        let footerLength = Int(bytes[bytes.count - 8]) | Int(bytes[bytes.count - 7]) << 8
        let footerStart = bytes.count - 8 - footerLength
        var errors = 0
        for i in footerStart..<bytes.count {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var corrupt = bytes
                corrupt[i] ^= mask
                do {
                    _ = try ParquetReader(bytes: corrupt, name: "small.parquet").read()
                } catch {
                    errors += 1
                    #expect(error.description.hasPrefix("small.parquet: "))
                }
            }
        }
        #expect(errors > 0)
        for length in 0..<bytes.count {
            #expect(throws: ParquetError.self) {
                _ = try ParquetReader(bytes: Array(bytes[0..<length]), name: "cut.parquet").read()
            }
        }
        // Every byte of the data pages flipped: an error or other values, never a crash.
        for i in 4..<footerStart {
            var corrupt = bytes
            corrupt[i] ^= 0xFF
            _ = try? ParquetReader(bytes: corrupt).read()
        }
    }

    @Test func wrongMagicNamesTheFile() throws {
        let error = #expect(throws: ParquetError.self) {
            _ = try ParquetReader(bytes: Array("PAR0 not parquet at all PAR1".utf8), name: "x.parquet")
        }
        #expect(error?.kind == .notParquet)
        #expect(error?.description.hasPrefix("x.parquet: not a Parquet file") == true)
    }

    @Test func csvRoundTrip() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let table = try sampleTable(rows: 100)
        try CSVWriter.write(table, to: folder.file("t.csv"))
        let back = try CSVReader.read(path: folder.file("t.csv"))
        #expect(back.rowCount == 100)
        #expect(back.fields.map(\.name) == table.fields.map(\.name))
        for row in 0..<100 {
            for column in table.columns.indices {
                #expect(back.text(row: row, column: column) == table.text(row: row, column: column))
            }
        }
    }
}

/// Files Eddy writes, read by pyarrow, DuckDB and Polars with the same values.
@Suite(.enabled(if: formatsPython != nil, "pyarrow, duckdb and polars are not installed in .build/venv"))
struct EddyWritesInteropTests {
    @Test(arguments: [CompressionCodec.uncompressed, .snappy, .gzip, .zstd], [true, false])
    func othersReadWhatEddyWrites(codec: CompressionCodec, dictionary: Bool) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let table = try sampleTable(rows: 10_000)
        let path = folder.file("eddy.parquet")
        try ParquetWriter.write(
            table, to: path,
            options: ParquetWriteOptions(codec: codec, dictionary: dictionary, rowGroupRows: 4000))
        let expected = jsonLines(table)
        for reader in ["pyarrow", "duckdb", "polars"] {
            let verdict = try runPython(rowChecker, [path, reader], input: expected)
            #expect(verdict.hasPrefix("ok 10000"), "\(reader) \(codec) dictionary \(dictionary): \(verdict)")
        }
    }
}
