import Foundation
import Testing

@testable import EddyFormats

/// Renders every row of a Parquet file as Eddy's JSON lines.
func eddyRows(_ path: String) throws -> Data {
    let reader = try ParquetReader(path: path)
    let table = try reader.read()
    var out: [UInt8] = []
    for row in 0..<table.rowCount {
        table.appendJSONObject(row: row, to: &out)
        out.append(10)
    }
    return Data(out)
}

/// Files pyarrow writes (each codec, page v1/v2, dictionary on/off, DELTA encodings, nested lists of
/// structs) read by Eddy with the values pyarrow reads.
@Suite(.enabled(if: formatsPython != nil, "pyarrow, duckdb and polars are not installed in .build/venv"))
struct PyarrowReadTests {
    static let writer = #"""
        import sys, datetime, decimal
        import pyarrow as pa, pyarrow.parquet as pq
        folder = sys.argv[1]
        t = pa.table({
         "i": pa.array([1, None, 3, -4] * 1000, pa.int64()),
         "i8": pa.array([1, 2, None, -4] * 1000, pa.int8()),
         "u32": pa.array([1, 2**32-1, None, 0] * 1000, pa.uint32()),
         "f": pa.array([1.5, None, 0.1, -2.0] * 1000, pa.float32()),
         "d": pa.array([1.5, 2.25, None, 1e-9] * 1000, pa.float64()),
         "b": pa.array([True, False, None, True] * 1000),
         "s": pa.array(["a", None, "héllo \"q\"\n", ""] * 1000),
         "bin": pa.array([b"\x00\x01", None, b"", b"xyz"] * 1000),
         "fx": pa.array([b"ab", b"cd", None, b"ef"] * 1000, pa.binary(2)),
         "dec": pa.array([decimal.Decimal("1.50"), None, decimal.Decimal("-123.45"), decimal.Decimal("0.01")] * 1000, pa.decimal128(10, 2)),
         "dec38": pa.array([decimal.Decimal("12345678901234567890.123456"), None, decimal.Decimal("-1.000001"), decimal.Decimal("0")] * 1000, pa.decimal128(38, 6)),
         "dt": pa.array([datetime.date(2024,1,31), None, datetime.date(1969,12,31), datetime.date(2000,2,29)] * 1000),
         "ts": pa.array([1700000000123456, None, 0, -1] * 1000, pa.timestamp("us", tz="UTC")),
         "tsms": pa.array([1700000000123, None, 0, -1] * 1000, pa.timestamp("ms")),
         "tsns": pa.array([1700000000123456789, None, 0, -1] * 1000, pa.timestamp("ns", tz="UTC")),
         "seq": pa.array(range(4000), pa.int64()),
         "l": pa.array([[1,2], None, [], [None, 5]] * 1000, pa.list_(pa.int32())),
         "st": pa.array([{"x": 1, "y": "a"}, None, {"x": None, "y": "b"}, {"x": 4, "y": None}] * 1000, pa.struct([("x", pa.int64()), ("y", pa.string())])),
         "ls": pa.array([[{"x":1,"y":"a"}], [], None, [{"x":None,"y":"b"}, None]] * 1000, pa.list_(pa.struct([("x", pa.int64()), ("y", pa.string())]))),
         "ll": pa.array([[[1], [2, 3]], [None, []], None, [[4]]] * 1000, pa.list_(pa.list_(pa.int16()))),
        })
        for codec in ["none", "snappy", "gzip", "zstd", "brotli", "lz4"]:
            pq.write_table(t, f"{folder}/{codec}.parquet", compression=codec, row_group_size=1500)
        pq.write_table(t, f"{folder}/v2.parquet", data_page_version="2.0", compression="zstd")
        pq.write_table(t, f"{folder}/v2-plain.parquet", data_page_version="2.0", use_dictionary=False, compression="snappy")
        pq.write_table(t, f"{folder}/nodict.parquet", use_dictionary=False, compression="gzip", data_page_size=1000)
        pq.write_table(t, f"{folder}/delta.parquet", use_dictionary=False,
            column_encoding={"i":"DELTA_BINARY_PACKED","seq":"DELTA_BINARY_PACKED","s":"DELTA_BYTE_ARRAY","bin":"DELTA_LENGTH_BYTE_ARRAY","d":"BYTE_STREAM_SPLIT","f":"BYTE_STREAM_SPLIT"})
        pq.write_table(t, f"{folder}/int96.parquet", use_deprecated_int96_timestamps=True)
        import duckdb
        duckdb.sql(f"copy (select * from read_parquet('{folder}/none.parquet')) to '{folder}/duckdb.parquet' (format parquet)")
        import polars
        polars.read_parquet(f"{folder}/none.parquet").write_parquet(f"{folder}/polars.parquet")
        """#

    static let files = [
        "none", "snappy", "gzip", "zstd", "brotli", "lz4", "v2", "v2-plain", "nodict", "delta", "int96",
        "duckdb",
        "polars",
    ]

    @Test func eddyReadsWhatPyarrowDuckDBAndPolarsWrite() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try runPython(Self.writer, [folder.path])
        for name in Self.files {
            let path = folder.file(name + ".parquet")
            let rows = try eddyRows(path)
            let verdict = try runPython(rowChecker, [path, "pyarrow"], input: rows)
            #expect(verdict.hasPrefix("ok 4000"), "\(name): \(verdict)")
        }
    }
}
