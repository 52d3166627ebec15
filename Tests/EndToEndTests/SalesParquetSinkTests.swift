import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The venv's Python when duckdb is installed there (scripts/test installs it), else nil.
let venvPythonWithDuckDB: String? = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let path = root.appendingPathComponent(".build/venv/bin/python").path
    guard FileManager.default.isExecutableFile(atPath: path) else { return nil }
    let check = Process()
    check.executableURL = URL(fileURLWithPath: path)
    check.arguments = ["-c", "import duckdb"]
    check.standardError = FileHandle(forWritingAtPath: "/dev/null")
    guard (try? check.run()) != nil else { return nil }
    check.waitUntilExit()
    return check.terminationStatus == 0 ? path : nil
}()

/// Runs a Python script with the venv's interpreter and returns its stdout.
func runPython(_ python: String, _ script: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["-c", script]
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "python failed: \(errorText)")
    return String(decoding: data, as: UTF8.self)
}

extension SalesExactlyOnceTests {
    /// The sales totals as a Parquet changelog folder (`--sink parquet:DIR`), killed over and over: DuckDB's
    /// `read_parquet('DIR/*.parquet')` must read every visible file, find each product's latest totals equal to
    /// the exact sums, and no changelog row twice (a product's order count grows with every row it gets).
    @Test(.enabled(if: venvPythonWithDuckDB != nil, "needs duckdb in .build/venv (scripts/test installs it)"))
    func parquetFolderIsExactAfterRepeatedSigkill() throws {
        let python = try #require(venvPythonWithDuckDB)
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let folder = eddy.workDirectory + "/sales-parquet"
        let glob = folder + "/*.parquet"
        try runKillLoop(
            eddy: eddy, sink: "parquet:" + folder, kills: 12,
            committed: {
                // No half-written file is ever visible: every *.parquet ends with the footer's magic.
                for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
                where name.hasSuffix(".parquet") {
                    let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
                    #expect(data.count >= 12 && data.suffix(4) == Data("PAR1".utf8), "\(name) is incomplete")
                }
                let entries =
                    ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/_eddy_log")) ?? [])
                    .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
                guard let last = entries.last else { return 0 }
                let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/_eddy_log/" + last))
                let entry = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                let offsets = try #require(entry["offsets"] as? [[String: Any]])
                return offsets.reduce(Int64(0)) { $0 + (($1["next"] as? NSNumber)?.int64Value ?? 0) }
            }
        ) {
            let output = try runPython(
                python,
                """
                import duckdb
                rel = "read_parquet('\(glob)')"
                dup = duckdb.sql(f"select count(*) from (select product_name, orders from {rel} group by 1, 2 having count(*) > 1)").fetchall()[0][0]
                print(f"duplicates|{dup}")
                for name, total, units, orders in duckdb.sql(f"select product_name, max(total_sales)::varchar, max(units), max(orders) from {rel} group by 1").fetchall():
                    print(f"{name}|{total}|{units}|{orders}")
                """)
            var totals: [String: [Int64]] = [:]
            for line in output.split(separator: "\n") {
                let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                if fields[0] == "duplicates" {
                    #expect(fields[1] == "0", "changelog rows written twice: \(fields[1])")
                    continue
                }
                totals[fields[0]] = [try Self.centavos(fields[1]), Int64(fields[2])!, Int64(fields[3])!]
            }
            return totals
        }
    }
}
