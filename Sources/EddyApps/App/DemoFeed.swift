public import EddyLog
public import ServiceLifecycle

/// A simulated feed `eddy demo` runs for an app: one of its simulators appending to the simulator's topic at
/// a steady rate, a share of its records deliberately broken so the dead-letter queue has something to show.
///
/// ```swift
/// DemoFeed(motionSimulator, defaultRate: 1000, settings: ["nullRate": "0.01"])
/// ```
public struct DemoFeed: Sendable {
    public var simulator: AppSimulator
    /// Records per second unless `eddy demo --rate TOPIC=R` says otherwise.
    public var defaultRate: Double
    /// The simulator's settings for the demo.
    public var settings: [String: String]

    public init(_ simulator: AppSimulator, defaultRate: Double, settings: [String: String] = [:]) {
        self.simulator = simulator
        self.defaultRate = defaultRate
        self.settings = settings
    }

    public var topic: String { simulator.topic }
    /// What one record is, for the demo's banner (`readings`, `orders`).
    public var unit: String { simulator.unit }

    /// The service appending `rate` records a second, stamped with the wall clock, to the topic of `log`.
    public func service(rate: Double, badRate: Double, log: any Log) throws -> any Service {
        let simulator = try simulator.simulator(AppSimulator.Run(seed: nil, rate: rate, settings: settings))
        return Self.service(simulator, rate: rate, badRate: badRate, log: log, topic: topic)
    }

    private static func service<S: Simulator>(
        _ simulator: S, rate: Double, badRate: Double, log: any Log, topic: String
    ) -> any Service {
        SimulatorService(simulator: simulator, rate: rate, badRate: badRate, log: log, topic: topic)
    }
}
