public import EddyLog
public import ServiceLifecycle

/// Appends simulated records at a steady rate until graceful shutdown; a share of them deliberately broken
/// (truncated JSON), so the dead-letter queue has something to show.
///
/// ```swift
/// let feed = SimulatorService(simulator: MotionSimulator(seed: nil, clock: .wall), rate: 1000, badRate: 0.001,
///                             log: log, topic: "motion")
/// ```
public struct SimulatorService<S: Simulator>: Service {
    let simulator: S
    let rate: Double
    let badRate: Double
    let log: any Log
    let topic: String

    public init(simulator: S, rate: Double, badRate: Double, log: any Log, topic: String) {
        self.simulator = simulator
        self.rate = rate
        self.badRate = badRate
        self.log = log
        self.topic = topic
    }

    public func run() async throws {
        let (log, topic, badRate, rate) = (self.log, self.topic, self.badRate, self.rate)
        _ = try await cancelWhenGracefulShutdown { [simulator] in
            var simulator = simulator
            var owed = 0.0
            return try await simulator.run(count: nil, rate: rate, batchSize: 500) { batch in
                var records = batch
                owed += Double(batch.count) * badRate
                while owed >= 1, let sample = batch.randomElement() {
                    owed -= 1
                    records.append(
                        ProducerRecord(
                            key: sample.key, value: Array(sample.value.prefix(sample.value.count / 2))))
                }
                try log.append(records, to: topic)
            }
        }
    }
}
