import EddyApps
import EddyLog
import Foundation

/// How fast `eddy produce` appends a large line file, and `eddy consume` reads it back, measured end to
/// end by running the real binary the way a user does (`eddy produce motion < file`), process start-up
/// included.
///
/// The input is `records` seeded motion readings (about 190 bytes each). Each run gets a fresh data
/// directory and a 3-partition topic; afterwards `eddy topics describe` must report every record, so a
/// run that loses data fails instead of looking fast.
///
/// ```swift
/// let report = try await ProduceBenchmark.run(eddy: "/path/to/eddy", records: 1_000_000)
/// print(report)
/// ```
public enum ProduceBenchmark {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func run(
        eddy: String, records: Int = 1_000_000, runs: Int = 3, flush: String = "interval",
        keyField: String? = nil, workDirectory: String? = nil
    ) async throws -> String {
        let base = workDirectory ?? NSTemporaryDirectory()
        let work = (base as NSString).appendingPathComponent("eddy-bench-produce-\(getpid())")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }

        let input = (work as NSString).appendingPathComponent("motion.jsonl")
        let inputBytes = try writeInput(to: input, records: records)

        var produce: [Timing] = []
        var consume: [Timing] = []
        for run in 0..<runs {
            let dataDir = (work as NSString).appendingPathComponent("data-\(run)")
            _ = try execute(eddy, ["topics", "create", "motion", "--partitions", "3", "--data-dir", dataDir])
            var arguments = ["produce", "motion", "--data-dir", dataDir, "--flush", flush]
            if let keyField { arguments += ["--key-field", keyField] }
            produce.append(try timed { _ = try execute(eddy, arguments, stdin: input) })
            let described = try execute(eddy, ["topics", "describe", "motion", "--data-dir", dataDir])
            guard described.contains("Records: \(records)\t") else {
                throw Failure(
                    description: "run \(run): the topic does not hold \(records) records:\n\(described)")
            }
            // Reading it all back to /dev/null: the consumer half of the console round trip.
            let consumeArguments = [
                "consume", "motion", "--from-beginning", "--max-messages", "\(records)", "--data-dir",
                dataDir,
            ]
            consume.append(try timed { _ = try execute(eddy, consumeArguments, discardOutput: true) })
            try? FileManager.default.removeItem(atPath: dataDir)
        }
        let mib = Double(inputBytes) / 1_048_576
        var report =
            "\(records) lines of motion JSON, \(format(mib, digits: 1)) MiB, 3 partitions, \(runs) runs; "
            + "wall and CPU (user + system) time of the eddy process\n"
        var produceTitle = "eddy produce --flush \(flush)"
        if let keyField { produceTitle += " --key-field \(keyField)" }
        report += summary(produceTitle, produce, records: records, mib: mib)
        report += summary("eddy consume --from-beginning > /dev/null", consume, records: records, mib: mib)
        return report
    }

    /// Wall and CPU seconds of one measured step.
    struct Timing {
        var wall: Double
        var cpu: Double
    }

    static func timed(_ body: () throws -> Void) throws -> Timing {
        let clock = ContinuousClock()
        let cpuBefore = childrenCPUSeconds()
        let start = clock.now
        try body()
        let elapsed = start.duration(to: clock.now)
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return Timing(wall: wall, cpu: childrenCPUSeconds() - cpuBefore)
    }

    static func summary(_ title: String, _ timings: [Timing], records: Int, mib: Double) -> String {
        let wall = timings.map(\.wall).sorted()
        let cpu = timings.map(\.cpu).sorted()
        let best = wall[0]
        return "\(title)\n"
            + "  wall best \(format(best, digits: 3)) s, median \(format(wall[wall.count / 2], digits: 3)) s  "
            + "(best: \(format(Double(records) / best / 1e6, digits: 2))M records/s, "
            + "\(format(mib / best, digits: 0)) MiB/s)\n"
            + "  CPU  best \(format(cpu[0], digits: 3)) s, median \(format(cpu[cpu.count / 2], digits: 3)) s\n"
    }

    /// User plus system CPU time of all finished child processes so far. The difference around one run is
    /// that run's CPU cost, which other processes competing for the cores do not inflate the way they do
    /// wall time.
    static func childrenCPUSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
            getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        #else
            getrusage(RUSAGE_CHILDREN, &usage)
        #endif
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Writes `records` seeded motion readings, one per line; returns the file's size.
    static func writeInput(to path: String, records: Int) throws -> Int {
        var simulator = MotionSimulator(seed: 20_240_823)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(8 << 20)
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw Failure(description: "cannot write \(path)")
        }
        defer { try? handle.close() }
        var total = 0
        for i in 0..<records {
            buffer.append(contentsOf: simulator.next().value)
            buffer.append(0x0A)
            if buffer.count >= 8 << 20 || i == records - 1 {
                try handle.write(contentsOf: buffer)
                total += buffer.count
                buffer.removeAll(keepingCapacity: true)
            }
        }
        return total
    }

    /// Runs `executable` to completion; returns its stdout, or throws with its stderr if it failed.
    static func execute(
        _ executable: String, _ arguments: [String], stdin: String? = nil, discardOutput: Bool = false
    ) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let stdin {
            guard let handle = FileHandle(forReadingAtPath: stdin) else {
                throw Failure(description: "cannot read \(stdin)")
            }
            process.standardInput = handle
        }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = discardOutput ? FileHandle(forWritingAtPath: "/dev/null") : output
        process.standardError = errors
        try process.run()
        let outData = discardOutput ? Data() : output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                description: "\(executable) \(arguments.joined(separator: " ")) exited with status "
                    + "\(process.terminationStatus): \(String(decoding: errData, as: UTF8.self))")
        }
        return String(decoding: outData, as: UTF8.self)
    }

    static func format(_ value: Double, digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}
