import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The seed 002 totals of one area, computed by the tests themselves from the input lines, independently of
/// the engine: durations in exact integer cents (the simulator writes two decimals), so any summation order
/// must round to the same cents.
struct AreaTotals: Equatable {
    var durationCents = 0
    var traffic = 0
    var readings = 0

    var totalDuration: Double { Double(durationCents) / 100 }
    var averageDuration: Double { totalDuration / Double(readings) }

    /// Per location, over the lines that Spark's `from_json` + the seed's filter keep: a JSON object whose
    /// `location` is a string and whose `duration` is a number. `traffic_count` adds only when it is an integer.
    static func of(_ lines: [String]) -> [String: AreaTotals] {
        var areas: [String: AreaTotals] = [:]
        for line in lines {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let location = object["location"] as? String,
                let duration = (object["duration"] as? NSNumber).flatMap(numberValue)
            else { continue }
            areas[location, default: AreaTotals()].durationCents += Int((duration * 100).rounded())
            areas[location, default: AreaTotals()].readings += 1
            if let traffic = object["traffic_count"] as? NSNumber,
                let count = Int(exactly: traffic.doubleValue),
                !isBoolean(traffic)
            {
                areas[location, default: AreaTotals()].traffic += count
            }
        }
        return areas
    }

    private static func numberValue(_ number: NSNumber) -> Double? {
        isBoolean(number) ? nil : number.doubleValue
    }

    private static func isBoolean(_ number: NSNumber) -> Bool {
        // JSONSerialization makes `true`/`false` NSNumbers of Objective-C type `c`; JSON numbers never are.
        String(cString: number.objCType) == "c"
    }
}

/// One row of `eddy run retail --format json` output.
struct RetailJSONRow {
    var object: [String: Any]

    var batch: Int { (object["batch"] as? NSNumber)?.intValue ?? -1 }
    func string(_ name: String) -> String? { object[name] as? String }
    func double(_ name: String) -> Double? { (object[name] as? NSNumber)?.doubleValue }
    func int(_ name: String) -> Int? {
        guard let number = object[name] as? NSNumber, let exact = Int(exactly: number.doubleValue) else {
            return nil
        }
        return exact
    }

    /// Parses every stdout line; a line that is not a JSON object is a test failure (stdout must stay data).
    static func parse(_ stdout: String, sourceLocation: SourceLocation = #_sourceLocation) -> [RetailJSONRow]
    {
        stdout.split(separator: "\n", omittingEmptySubsequences: true).compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            else {
                Issue.record("stdout line is not a JSON object: \(line)", sourceLocation: sourceLocation)
                return nil
            }
            return RetailJSONRow(object: object)
        }
    }

    /// The rows of the highest batch id printed, by location.
    static func lastBatchByLocation(_ rows: [RetailJSONRow]) -> [String: RetailJSONRow] {
        guard let last = rows.map(\.batch).max() else { return [:] }
        var byLocation: [String: RetailJSONRow] = [:]
        for row in rows where row.batch == last {
            if let location = row.string("location") { byLocation[location] = row }
        }
        return byLocation
    }
}

/// Checks an areas table printed by the binary against totals computed from the input: the set of locations,
/// total_traffic exactly, total_duration to the exact cent and within `relative`, avg_duration within `relative`.
func expectAreas(
    _ printed: [String: RetailJSONRow], equal expected: [String: AreaTotals], relative: Double,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(Set(printed.keys) == Set(expected.keys), sourceLocation: sourceLocation)
    for (location, totals) in expected {
        guard let row = printed[location] else { continue }
        #expect(row.int("total_traffic") == totals.traffic, "\(location)", sourceLocation: sourceLocation)
        guard let duration = row.double("total_duration"), let average = row.double("avg_duration") else {
            Issue.record(
                "\(location): missing duration columns in \(row.object)", sourceLocation: sourceLocation)
            continue
        }
        #expect(
            Int((duration * 100).rounded()) == totals.durationCents,
            "\(location): total_duration \(duration) is not \(totals.totalDuration) to the cent",
            sourceLocation: sourceLocation)
        #expect(
            abs(duration - totals.totalDuration) <= relative * abs(totals.totalDuration),
            "\(location): total_duration \(duration) vs \(totals.totalDuration)",
            sourceLocation: sourceLocation)
        #expect(
            abs(average - totals.averageDuration) <= relative * abs(totals.averageDuration),
            "\(location): avg_duration \(average) vs \(totals.averageDuration)",
            sourceLocation: sourceLocation)
    }
}

/// A long-running `eddy` child whose stdout goes to a file the test polls, so it can be killed at any moment
/// without a pipe filling up or blocking.
final class RunningEddy {
    let process = Process()
    let outPath: String
    let errPath: String

    /// Runs `eddy ARGUMENTS --data-dir …`, or `executable ARGUMENTS --data-dir …` (a wrapper such as `env`).
    init(_ eddy: EddyBinary, _ arguments: [String], executable: String = EddyBinary.path) throws {
        let name = UUID().uuidString
        outPath = "\(eddy.workDirectory)/\(name).out"
        errPath = "\(eddy.workDirectory)/\(name).err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments + ["--data-dir", eddy.dataDir]
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
    }

    var stdout: String {
        (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    }

    var stderr: String {
        (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    }

    /// Starts `eddy demo` on free ports (HTTP and Kafka), waits for its banner and returns it with the
    /// dashboard's address (`http://127.0.0.1:PORT/`).
    static func demo(_ eddy: EddyBinary, sourceLocation: SourceLocation = #_sourceLocation) throws -> (
        RunningEddy, address: String
    ) {
        let demo = try RunningEddy(eddy, ["demo", "--port", "0", "--kafka-port", "0"])
        #expect(
            demo.waitFor(seconds: 120) { $0.contains("dashboard at http://") }, "\(demo.stderr)",
            sourceLocation: sourceLocation)
        let line = try #require(
            demo.stdout.split(separator: "\n").first { $0.contains("dashboard at http://") },
            sourceLocation: sourceLocation)
        let address = try #require(
            line.split(separator: " ").first { $0.hasPrefix("http://") }, sourceLocation: sourceLocation)
        return (demo, String(address))
    }

    /// Polls stdout until `condition` holds or `seconds` pass; returns whether it held.
    @discardableResult
    func waitFor(seconds: Double, _ condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(stdout) { return true }
            if !process.isRunning { return condition(stdout) }
            usleep(20_000)
        }
        return condition(stdout)
    }

    func kill(_ signal: Int32) {
        if process.isRunning { _ = Glibc.kill(process.processIdentifier, signal) }
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning {
            _ = Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// SplitMix64: a small deterministic generator, so a failing crash schedule can be replayed exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
