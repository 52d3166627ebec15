import EddyLog
import EddyStream
import Foundation

/// What an incremental checkpoint saves: a pipeline (`groupBy k → sum, count`, update mode) builds a state of
/// `groups` groups from as many records, then `changed` records update that many distinct groups. Printed
/// side by side: bytes written and time of a full snapshot (a new base, `checkpointNow(compact: true)`) and
/// of a delta (`checkpointNow()`, the changed groups only), and the time a new runner takes to restore
/// base + delta (`resume()`), checked to have every group back.
///
/// ```swift
/// print(try await CheckpointBenchmark.run(groups: 1_000_000, changed: 1_000))
/// ```
public enum CheckpointBenchmark {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func run(groups: Int = 1_000_000, changed: Int = 1_000) async throws -> String {
        let directory = NSTemporaryDirectory() + "eddy-bench-checkpoint-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = MemoryLog()
        _ = try log.createTopic("state", config: TopicConfig(partitions: 1))
        func produce(_ keys: some Sequence<Int>) throws {
            var records: [ProducerRecord] = []
            for k in keys {
                records.append(ProducerRecord(value: Array("{\"k\":\"group-\(k)\",\"v\":\(k % 100)}".utf8)))
                if records.count == 10_000 {
                    _ = try log.append(records, to: "state")
                    records.removeAll(keepingCapacity: true)
                }
            }
            if !records.isEmpty { _ = try log.append(records, to: "state") }
        }
        let pipeline = Pipeline("checkpoint-bench")
            .source(topic: "state", schema: [Column("k", .string), Column("v", .int)])
            .groupBy("k").aggregate(.sum("v", as: "total"), .count(as: "n"))
            .output(mode: .update, to: DiscardSink())
            .checkpointInterval(.seconds(24 * 3600))
            .trigger(.once)  // a step reads everything available (a continuous batch stops at 200k)

        let buildStarted = ContinuousClock.now
        try produce(0..<groups)
        let runner = try PipelineRunner(pipeline, log: log, dataDirectory: directory)
        try await runner.step()  // the first batch also writes the first base
        let buildSeconds = seconds(ContinuousClock.now - buildStarted)
        guard runner.status.stateRows == groups else {
            throw Failure(description: "state has \(runner.status.stateRows) groups, expected \(groups)")
        }

        // Spread the changes over the whole key space, as a real update stream would.
        let stride = max(1, groups / max(1, changed))
        let touched = (0..<min(changed, groups)).map { $0 * stride }
        try produce(touched)
        try await runner.step()
        let (fullSeconds, fullBytes) = try await timed(runner, compact: true)
        try produce(touched)
        try await runner.step()
        let (deltaSeconds, deltaBytes) = try await timed(runner, compact: false)
        guard runner.status.checkpointDeltas == 1 else {
            throw Failure(description: "the second checkpoint was not a delta")
        }

        let restored = try PipelineRunner(pipeline, log: log, dataDirectory: directory)
        let restoreStarted = ContinuousClock.now
        try await restored.resume()
        let restoreSeconds = seconds(ContinuousClock.now - restoreStarted)
        guard restored.status.stateRows == groups else {
            throw Failure(description: "restored \(restored.status.stateRows) groups, expected \(groups)")
        }

        func row(_ name: String, _ bytes: Int64, _ seconds: Double) -> String {
            name.padding(toLength: 34, withPad: " ", startingAt: 0)
                + String(format: "%14d bytes %10.1f ms", bytes, seconds * 1000)
        }
        return [
            "Checkpoint of \(groups) groups, \(touched.count) changed (groupBy k → sum, count; update mode)",
            "building the state (\(groups) records, one batch): \(String(format: "%.1f", buildSeconds)) s",
            row("full snapshot (new base)", fullBytes, fullSeconds),
            row("delta (changed groups only)", deltaBytes, deltaSeconds),
            String(
                format: "delta / full: %.4f of the bytes, %.4f of the time",
                Double(deltaBytes) / Double(fullBytes),
                deltaSeconds / fullSeconds),
            String(format: "restore (base + 1 delta, %d groups): %.1f ms", groups, restoreSeconds * 1000),
        ].joined(separator: "\n")
    }

    private static func timed(_ runner: PipelineRunner, compact: Bool) async throws -> (Double, Int64) {
        let started = ContinuousClock.now
        try await runner.checkpointNow(compact: compact)
        return (seconds(ContinuousClock.now - started), runner.status.checkpointBytesLast)
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// Drops every batch: the benchmark measures the state, not a sink.
private struct DiscardSink: Sink {
    func write(_ batch: SinkBatch) async throws {}
}
