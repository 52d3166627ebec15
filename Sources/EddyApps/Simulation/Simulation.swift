public import EddyLog

/// A source of simulated records: each call makes the next one, as JSON bytes with an optional key.
///
/// Conforming types (``MotionSimulator``, ``SalesSimulator``) are values: copying one forks the sequence.
///
/// ```swift
/// var simulator = MotionSimulator(seed: 7)
/// let written = try await simulator.run(count: 10_000, rate: 500, into: log, topic: "motion")
/// ```
public protocol Simulator: Sendable {
    /// The next record. Its value is one JSON object on one line, without the newline.
    mutating func next() -> ProducerRecord
}

extension Simulator {
    /// Makes `count` records (nil: until the task is cancelled), at most `rate` per second when given
    /// (nil: as fast as possible), and hands them to `emit` in batches of at most `batchSize`.
    /// Returns how many records were emitted; cancellation ends the run early without an error.
    ///
    /// Pacing follows a fixed schedule (record i is due at i / rate seconds from the start), so a slow
    /// `emit` is caught up in larger batches instead of drifting. The run wakes at most once per `tick`
    /// (10 ms by default) and emits everything due by then: at 400 records/s that is 100 appends of about
    /// four records a second instead of 400 single-record appends, each of which wakes every reader.
    @discardableResult
    public mutating func run(
        count: Int?, rate: Double?, batchSize: Int = 1000, tick: Duration = .milliseconds(10),
        emit: ([ProducerRecord]) async throws -> Void
    ) async throws -> Int {
        let clock = ContinuousClock()
        let start = clock.now
        let pace = rate.flatMap { $0 > 0 ? $0 : nil }
        var emitted = 0
        var lastWake = start
        var batch: [ProducerRecord] = []
        batch.reserveCapacity(batchSize)
        while count.map({ emitted < $0 }) ?? true {
            if Task.isCancelled { break }
            var allowed = batchSize
            if let pace {
                let elapsed = start.duration(to: clock.now)
                let seconds =
                    Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                let due = Int((seconds * pace).rounded(.down)) + 1
                if due <= emitted {
                    let nextDue = start.advanced(by: .seconds(Double(emitted) / pace))
                    let wake = max(nextDue, lastWake.advanced(by: tick))
                    do { try await Task.sleep(until: wake, clock: clock) } catch { break }
                    lastWake = clock.now
                    continue
                }
                allowed = min(allowed, due - emitted)
            }
            if let count { allowed = min(allowed, count - emitted) }
            batch.removeAll(keepingCapacity: true)
            for _ in 0..<allowed { batch.append(next()) }
            try await emit(batch)
            emitted += allowed
        }
        return emitted
    }

    /// Runs the simulator straight into `topic` of `log` (see ``run(count:rate:batchSize:emit:)``); each
    /// batch is one append, partitioned by key. Returns how many records were appended.
    @discardableResult
    public mutating func run(count: Int?, rate: Double?, into log: any Log, topic: String) async throws -> Int
    {
        try await run(count: count, rate: rate) { batch in
            try log.append(batch, to: topic)
        }
    }
}
