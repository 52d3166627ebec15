import Foundation
import Testing

/// The venv's Python when pyarrow, duckdb and polars are installed there (scripts/test installs them).
let formatsPython: String? = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let path = root.appendingPathComponent(".build/venv/bin/python").path
    guard FileManager.default.isExecutableFile(atPath: path) else { return nil }
    let check = Process()
    check.executableURL = URL(fileURLWithPath: path)
    check.arguments = ["-c", "import pyarrow, duckdb, polars"]
    check.standardError = FileHandle.nullDevice
    guard (try? check.run()) != nil else { return nil }
    check.waitUntilExit()
    return check.terminationStatus == 0 ? path : nil
}()

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Runs a Python script with the venv's interpreter; returns stdout, failing the test on a non-zero exit.
@discardableResult
func runPython(_ script: String, _ arguments: [String] = [], input: Data? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: formatsPython!)
    process.arguments = ["-c", script] + arguments
    let out = Pipe()
    let errPath = FileManager.default.temporaryDirectory.appendingPathComponent(
        "eddy-py-\(UUID().uuidString)"
    ).path
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: errPath) }
    process.standardOutput = out
    process.standardError = FileHandle(forWritingAtPath: errPath)
    let inPipe = Pipe()
    process.standardInput = inPipe
    try process.run()
    if let input { inPipe.fileHandleForWriting.write(input) }
    try inPipe.fileHandleForWriting.close()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let stderr = FileManager.default.contents(atPath: errPath) ?? Data()
    let text = String(decoding: stdout, as: UTF8.self)
    #expect(process.terminationStatus == 0, "python failed: \(String(decoding: stderr, as: UTF8.self))")
    return text
}

/// A temporary directory removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent(
                "eddy-formats-\(UUID().uuidString.prefix(8))"
            ).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Compares Eddy's JSON rendering of a file's rows (stdin, one object per line) with what pyarrow,
/// DuckDB or Polars read from the file: `python -c checker PATH READER`. Prints `ok ROWS` or the first
/// difference. Types are compared by meaning: timestamps as ISO text with the unit's digits, decimals
/// as exact decimals, float32 after rounding to float32, binary as base64.
let rowChecker = #"""
    import sys, json, base64, decimal, struct
    import pyarrow as pa, pyarrow.parquet as pq
    path, reader = sys.argv[1], sys.argv[2]
    if reader == "pyarrow":
        table = pq.read_table(path)
    elif reader == "duckdb":
        import duckdb
        table = duckdb.sql(f"select * from read_parquet('{path}')").arrow()
        if not isinstance(table, pa.Table): table = table.read_all()
    elif reader == "polars":
        import polars
        table = polars.read_parquet(path).to_arrow()
    if len(sys.argv) > 3:  # compare every STRIDE-th row only (large real files)
        table = table.take(list(range(0, table.num_rows, int(sys.argv[3]))))
    digits = {"s": 0, "ms": 3, "us": 6, "ns": 9}
    def civil(days):
        import datetime
        return (datetime.date(1970, 1, 1) + datetime.timedelta(days=days)).isoformat()
    def conv(s):
        t = s.type
        if not s.is_valid: return None
        if pa.types.is_timestamp(t):
            v = s.cast(pa.int64()).as_py()
            return ("ts", v * 10 ** (9 - digits[t.unit]), bool(t.tz))
        if pa.types.is_date32(t): return s.as_py().isoformat()
        if pa.types.is_decimal(t): return ("dec", s.as_py())
        if pa.types.is_float32(t): return ("f32", s.as_py())
        if pa.types.is_floating(t):
            v = s.as_py()
            return None if v != v or v in (float("inf"), float("-inf")) else v
        if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
            return base64.b64encode(s.as_py()).decode()
        if pa.types.is_list(t) or pa.types.is_large_list(t):
            return [conv(x) for x in s.values]
        if pa.types.is_struct(t):
            return {t.field(i).name: conv(s[t.field(i).name]) for i in range(t.num_fields)}
        if pa.types.is_dictionary(t): return conv(s.value)
        return s.as_py()
    def same(a, b):
        if isinstance(a, tuple):
            if b is None: return False
            if a[0] == "dec": return decimal.Decimal(str(b)) == a[1]
            if a[0] == "ts":
                if not isinstance(b, str): return False
                z = b.endswith("Z")
                day, _, clock = b.rstrip("Z").partition("T")
                main, _, frac = clock.partition(".")
                import datetime
                days = datetime.date.fromisoformat(day).toordinal() - 719163
                h, m, sec = (int(x) for x in main.split(":"))
                nanos = ((days * 86400 + h * 3600 + m * 60 + sec) * 10**9) + int(frac.ljust(9, "0") or 0)
                return nanos == a[1] and z == a[2]
            f32 = lambda x: struct.unpack("f", struct.pack("f", x))[0]
            return f32(float(b)) == f32(a[1]) or (a[1] != a[1])
        if isinstance(a, list):
            return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
        if isinstance(a, dict):
            return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
        if isinstance(a, float) and not isinstance(b, bool) and isinstance(b, (int, float, decimal.Decimal)):
            return float(b) == a
        if type(a) != type(b) and not (isinstance(a, int) and isinstance(b, int)): return False
        return a == b
    lines = [l for l in sys.stdin.read().split("\n") if l]
    if len(lines) != table.num_rows:
        print(f"rows differ: eddy {len(lines)}, {reader} {table.num_rows}"); sys.exit(0)
    names = table.column_names
    columns = {name: [conv(x) for x in table.column(name)] for name in names}
    for i, line in enumerate(lines):
        mine = json.loads(line, parse_float=decimal.Decimal)
        if list(mine.keys()) != names:
            print(f"columns differ: eddy {list(mine.keys())}, {reader} {names}"); sys.exit(0)
        for name in names:
            theirs = columns[name][i]
            ours = mine[name]
            if isinstance(ours, decimal.Decimal) and not (isinstance(theirs, tuple) and theirs[0] == "dec"):
                ours = float(ours)
            if not same(theirs, ours):
                print(f"row {i} column {name}: eddy {ours!r}, {reader} {theirs!r}"); sys.exit(0)
    print(f"ok {len(lines)}")
    """#
