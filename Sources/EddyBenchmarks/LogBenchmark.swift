public import EddyLog
import Foundation

/// Throughput of the embedded log itself, in process: appending 200-byte records in batches of 1,000
/// under each flush policy, then reading them back sequentially, touching every record.
///
/// ```swift
/// print(try await LogBenchmark.run())            // `eddy bench log`
/// ```
///
/// Appends go through the topic `append` of ``FileLog`` on a one-partition topic (keyless records, so each call
/// is one batch, one `pwrite`); the read pass walks every record with ``FetchedRecords/forEach(_:)`` and
/// sums the value bytes, so a read that skipped data would show up as a wrong total.
public enum LogBenchmark {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// One measured pass.
    public struct Figure: Sendable {
        public var label: String
        public var records: Int
        public var bytes: Int
        public var seconds: Double
        /// CPU time (user + system, all threads) the pass used: on a busy machine, records per CPU second
        /// shows what the code costs when wall-clock time is stretched by other processes.
        public var cpuSeconds: Double

        public var recordsPerSecond: Double { Double(records) / seconds }
        public var megabytesPerSecond: Double { Double(bytes) / seconds / 1_000_000 }

        public var line: String {
            let r = String(format: "%.2f", recordsPerSecond / 1e6)
            let m = String(format: "%.0f", megabytesPerSecond)
            let s = String(format: "%.3f", seconds)
            let c = String(format: "%.3f", cpuSeconds)
            let perCPU = String(format: "%.2f", Double(records) / max(cpuSeconds, 1e-9) / 1e6)
            return "\(label.padding(toLength: 40, withPad: " ", startingAt: 0)) \(r)M records/s  \(m) MB/s  "
                + "(\(records) records in \(s) s; CPU \(c) s = \(perCPU)M records per CPU second)"
        }
    }

    /// Runs the benchmark and returns a printable report. `records` is the count for the `interval` and `os`
    /// policies; `always` (an `fsync` per batch) uses `alwaysRecords`, as the disk bounds it.
    public static func run(
        records: Int = 2_000_000, alwaysRecords: Int = 200_000, recordBytes: Int = 200,
        batchSize: Int = 1_000,
        workDirectory: String? = nil
    ) async throws -> String {
        let base = workDirectory ?? NSTemporaryDirectory()
        let work = (base as NSString).appendingPathComponent("eddy-bench-log-\(getpid())")
        defer { try? FileManager.default.removeItem(atPath: work) }
        var lines = [
            "eddy bench log: \(recordBytes)-byte values, \(batchSize) records per append, one partition, "
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores; flush=interval is the default "
                + "(fsync every 1 s or 64 MiB, at most 128 MiB unflushed), flush=always fsyncs every append"
        ]
        let runs: [(String, FlushPolicy, Int)] = [
            ("interval", .default, records),
            ("os", .os, records),
            ("always", .always, alwaysRecords),
        ]
        for (name, policy, count) in runs {
            let directory = (work as NSString).appendingPathComponent(
                name.prefix(while: { $0 != " " }).description)
            let (append, read) = try measure(
                directory: directory, policy: policy, records: count, recordBytes: recordBytes,
                batchSize: batchSize)
            var appendFigure = append
            appendFigure.label = "append, flush=\(name)"
            lines.append(appendFigure.line)
            if policy == .default {
                var readFigure = read
                readFigure.label = "sequential read (page cache)"
                lines.append(readFigure.line)
            }
            try? FileManager.default.removeItem(atPath: directory)
        }
        return lines.joined(separator: "\n")
    }

    /// Appends `records` records and reads them back; returns both figures.
    public static func measure(
        directory: String, policy: FlushPolicy, records: Int, recordBytes: Int, batchSize: Int
    ) throws -> (append: Figure, read: Figure) {
        try? FileManager.default.removeItem(atPath: directory)
        let log = try FileLog(directory: directory, flushPolicy: policy)
        defer { log.close() }
        try log.createTopic("bench", config: TopicConfig(partitions: 1))
        let batch = (0..<batchSize).map { i in
            ProducerRecord(value: (0..<recordBytes).map { UInt8(truncatingIfNeeded: $0 &+ i) })
        }
        let clock = ContinuousClock()
        var appended = 0
        let appendCPU = cpuSeconds()
        let appendStart = clock.now
        while appended < records {
            let n = min(batchSize, records - appended)
            try log.append(n == batchSize ? batch : Array(batch[..<n]), to: "bench")
            appended += n
        }
        let appendSeconds = seconds(appendStart.duration(to: clock.now))
        let appendCPUSeconds = cpuSeconds() - appendCPU

        // Finish the appends' disk writes first so the read pass is measured alone (not timed).
        try log.flush()

        let tp = TopicPartition("bench", 0)
        var next: Offset = 0
        var readRecords = 0
        var readBytes = 0
        let readCPU = cpuSeconds()
        let readStart = clock.now
        while true {
            let fetched = try log.read(tp, from: next, maxBytes: 1 << 20)
            if fetched.isEmpty { break }
            fetched.forEach { record in
                readRecords += 1
                readBytes += record.value.count
            }
            next = fetched.nextOffset
        }
        let readSeconds = seconds(readStart.duration(to: clock.now))
        let readCPUSeconds = cpuSeconds() - readCPU
        guard readRecords == records, readBytes == records * recordBytes else {
            throw Failure(
                description: "read back \(readRecords) records (\(readBytes) bytes), expected \(records)")
        }
        return (
            Figure(
                label: "append", records: records, bytes: records * recordBytes, seconds: appendSeconds,
                cpuSeconds: appendCPUSeconds),
            Figure(
                label: "read", records: readRecords, bytes: readBytes, seconds: readSeconds,
                cpuSeconds: readCPUSeconds)
        )
    }

    private static func cpuSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
            + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) * 1e-6
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
