import EddyApps
import EddyFormats
import EddyLog
import Foundation

/// Writing and reading seed 002 motion readings as Parquet: Eddy's writer and reader against pyarrow's
/// `write_table` / single-threaded `read_table` and DuckDB's `COPY … TO`, same data, same codec (ZSTD)
/// and dictionary setting, side by side in one run.
///
/// The readings come from `MotionSimulator` (seed 42) and are turned into columns before any clock
/// starts; Eddy writes them once uncompressed so pyarrow and DuckDB load the identical table into memory
/// before their timed writes. Each timed step runs `repeats` times; the best run counts.
///
/// ```swift
/// print(try ParquetBenchmark.run(records: 5_000_000, python: ".build/venv/bin/python"))
/// ```
public enum ParquetBenchmark {
    public static func run(records: Int, python: String?, repeats: Int = 3, folder: String) throws -> String {
        let table = try motionTable(records)
        var lines = ["Parquet, seed 002 motion readings: \(records) rows, 7 columns, ZSTD, dictionary on"]
        func report(_ name: String, seconds: Double, bytes: Int?) {
            var line = name.padding(toLength: 44, withPad: " ", startingAt: 0)
            line += String(format: "%12.0f rows/s %8.3f s", Double(records) / seconds, seconds)
            if let bytes { line += String(format: " %10.1f MB", Double(bytes) / 1_000_000) }
            lines.append(line)
        }
        let eddyPath = folder + "/eddy-zstd.parquet"
        let options = ParquetWriteOptions(codec: .zstd, dictionary: true)
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = ContinuousClock.now
            try ParquetWriter.write(table, to: eddyPath, options: options)
            best = min(best, seconds(since: start))
        }
        report("Eddy ParquetWriter (write)", seconds: best, bytes: size(eddyPath))

        best = .infinity
        var rows = 0
        for _ in 0..<repeats {
            let start = ContinuousClock.now
            rows = try ParquetReader(path: eddyPath).read().rowCount
            best = min(best, seconds(since: start))
        }
        precondition(rows == records)
        report("Eddy ParquetReader (read Eddy's file)", seconds: best, bytes: nil)

        guard let python else {
            lines.append("(pyarrow and DuckDB skipped: no .build/venv/bin/python with pyarrow and duckdb)")
            return lines.joined(separator: "\n")
        }
        let plainPath = folder + "/input.parquet"
        try ParquetWriter.write(
            table, to: plainPath, options: ParquetWriteOptions(codec: .uncompressed, dictionary: false))
        let script = """
            import sys, time, os
            import pyarrow as pa, pyarrow.parquet as pq, duckdb
            pa.set_cpu_count(1); pa.set_io_thread_count(1)
            src, folder, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
            table = pq.read_table(src)
            def best(f):
                b = float("inf")
                for _ in range(repeats):
                    t = time.perf_counter(); f(); b = min(b, time.perf_counter() - t)
                return b
            out = folder + "/pyarrow-zstd.parquet"
            w = best(lambda: pq.write_table(table, out, compression="zstd", use_dictionary=True))
            print("pyarrow write_table", w, os.path.getsize(out))
            r = best(lambda: pq.read_table(out, use_threads=False))
            print("pyarrow read_table (1 thread)", r, 0)
            r2 = best(lambda: pq.read_table(sys.argv[4], use_threads=False))
            print("pyarrow read_table Eddy's file (1 thread)", r2, 0)
            con = duckdb.connect()
            con.execute(f"create table t as select * from read_parquet('{src}')")
            dout = folder + "/duckdb-zstd.parquet"
            d = best(lambda: con.execute(f"copy t to '{dout}' (format parquet, compression zstd)"))
            print("DuckDB COPY TO (all threads)", d, os.path.getsize(dout))
            con.execute("set threads to 1")
            d1 = best(lambda: con.execute(f"copy t to '{dout}' (format parquet, compression zstd)"))
            print("DuckDB COPY TO (1 thread)", d1, os.path.getsize(dout))
            """
        let output = try runProcess(python, ["-c", script, plainPath, folder, String(repeats), eddyPath])
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count >= 3, let s = Double(parts[parts.count - 2]),
                let b = Int(parts[parts.count - 1])
            else {
                continue
            }
            report(parts.dropLast(2).joined(separator: " "), seconds: s, bytes: b == 0 ? nil : b)
        }
        best = .infinity
        for _ in 0..<repeats {
            let start = ContinuousClock.now
            rows = try ParquetReader(path: folder + "/pyarrow-zstd.parquet").read().rowCount
            best = min(best, seconds(since: start))
        }
        report("Eddy ParquetReader (read pyarrow's file)", seconds: best, bytes: nil)
        return lines.joined(separator: "\n")
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = start.duration(to: .now)
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    static func runProcess(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The simulator's JSON lines as columns (the fixed key order of `MotionSimulator.next()`).
    static func motionTable(_ count: Int) throws -> ColumnTable {
        var simulator = MotionSimulator(seed: 42, nullRate: 0.02)
        var timestamps: [Int64] = []
        var sensors: [String] = []
        var locations: [String] = []
        var locationValid: [Bool] = []
        var customers: [String] = []
        var moving: [Bool] = []
        var durations: [Double] = []
        var durationValid: [Bool] = []
        var traffic: [Int64] = []
        for _ in 0..<count {
            let line = simulator.next().value
            var values: [ArraySlice<UInt8>] = []
            var i = 0
            while i < line.count {  // each value follows `": ` and ends at `,` or `}` outside quotes
                if line[i] == UInt8(ascii: ":") {
                    var start = i + 1
                    while line[start] == UInt8(ascii: " ") { start += 1 }
                    var end = start
                    if line[start] == UInt8(ascii: "\"") {
                        end = start + 1
                        while line[end] != UInt8(ascii: "\"") { end += 1 }
                        values.append(line[start + 1..<end])
                        end += 1
                    } else {
                        while line[end] != UInt8(ascii: ",") && line[end] != UInt8(ascii: "}") { end += 1 }
                        values.append(line[start..<end])
                    }
                    i = end
                } else {
                    i += 1
                }
            }
            func text(_ k: Int) -> String { String(decoding: values[k], as: UTF8.self) }
            timestamps.append(TimeText.parseTimestamp(values[0], unit: .micros) ?? 0)
            sensors.append(text(1))
            locationValid.append(text(2) != "null")
            locations.append(text(2) == "null" ? "" : text(2))
            customers.append(text(3))
            moving.append(text(4) == "true")
            durationValid.append(text(5) != "null")
            durations.append(Double(text(5)) ?? 0)
            traffic.append(Int64(text(6)) ?? 0)
        }
        return try ColumnTable(
            fields: [
                Field("timestamp", .timestamp(.micros, utc: true)), Field("id_sensor", .string),
                Field("location", .string), Field("customer_id", .string),
                Field("movement_detected", .boolean),
                Field("duration", .double), Field("traffic_count", .int64),
            ],
            columns: [
                ColumnArray(.int64(timestamps)), ColumnArray(ColumnValues.strings(sensors)),
                ColumnArray(ColumnValues.strings(locations), validity: locationValid),
                ColumnArray(ColumnValues.strings(customers)), ColumnArray(.boolean(moving)),
                ColumnArray(.double(durations), validity: durationValid), ColumnArray(.int64(traffic)),
            ])
    }
}
