import EddyLog
import ServiceLifecycle

/// A simulated feed `eddy demo` runs for an app: a simulator appending to a topic at a steady rate, a
/// share of its records deliberately broken so the dead-letter queue has something to show.
///
/// ```swift
/// DemoFeed(topic: "motion", unit: "readings", defaultRate: 1000) { MotionSimulator(seed: nil, clock: .wall) }
/// ```
public struct DemoFeed: Sendable {
    public var topic: String
    /// What one record is, for the demo's banner (`readings`, `orders`).
    public var unit: String
    /// Records per second unless `eddy demo --rate TOPIC=R` says otherwise.
    public var defaultRate: Double
    private let makeService: @Sendable (_ rate: Double, _ badRate: Double, _ log: any Log) -> any Service

    public init<S: Simulator>(
        topic: String, unit: String, defaultRate: Double, simulator: @escaping @Sendable () -> S
    ) {
        self.topic = topic
        self.unit = unit
        self.defaultRate = defaultRate
        self.makeService = { rate, badRate, log in
            SimulatorService(simulator: simulator(), rate: rate, badRate: badRate, log: log, topic: topic)
        }
    }

    /// The service appending `rate` records a second to the topic of `log`.
    public func service(rate: Double, badRate: Double, log: any Log) -> any Service {
        makeService(rate, badRate, log)
    }
}
