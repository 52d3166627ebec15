/// A simulator an app ships: `eddy simulate NAME N` prints or appends its records, and the app's
/// ``DemoFeed``s run it under `eddy demo`.
///
/// ```swift
/// AppSimulator(
///     "motion", summary: "Motion-sensor readings in seed 002's shape", topic: "motion", unit: "readings",
///     settings: [AppSetting("nullRate", help: "share of null fields", defaultValue: "0")]
/// ) { run in MotionSimulator(seed: run.seed, nullRate: try run.double("nullRate", default: 0), clock: run.clock) }
/// ```
public struct AppSimulator: Sendable {
    /// `eddy simulate NAME`.
    public var name: String
    /// One line for `--help`.
    public var summary: String
    /// The records' fields and examples, for `eddy simulate NAME --help` and the docs.
    public var details: String
    /// The topic its records belong on (the demo's, and the usual `--to`).
    public var topic: String
    /// What one record is (`readings`, `orders`).
    public var unit: String
    /// Its own options besides count, seed, rate and where the records go.
    public var settings: [AppSetting]
    private let make: @Sendable (Run) throws -> any Simulator

    /// What one run asks of the simulator.
    public struct Run: Sendable {
        /// Same seed, same bytes (timestamps included); nil for random data stamped with the current time.
        public var seed: UInt64?
        /// Records per second, nil for as fast as possible.
        public var rate: Double?
        /// Its ``AppSimulator/settings`` as given.
        public var settings: [String: String]

        public init(seed: UInt64? = nil, rate: Double? = nil, settings: [String: String] = [:]) {
            self.seed = seed
            self.rate = rate
            self.settings = settings
        }

        /// Reproducible timestamps with a seed, the wall clock without (``SimulationClock/forRun(seed:rate:)``).
        public var clock: SimulationClock { .forRun(seed: seed, rate: rate) }

        /// A numeric setting, or `fallback` when absent.
        public func double(_ name: String, default fallback: Double) throws(SettingError) -> Double {
            guard let text = settings[name] else { return fallback }
            guard let value = Double(text), value.isFinite else {
                throw SettingError("\(name) '\(text)' is not a number")
            }
            return value
        }
    }

    public init<S: Simulator>(
        _ name: String, summary: String, details: String = "", topic: String, unit: String,
        settings: [AppSetting] = [], make: @escaping @Sendable (Run) throws -> S
    ) {
        self.name = name
        self.summary = summary
        self.details = details
        self.topic = topic
        self.unit = unit
        self.settings = settings
        self.make = { run in try make(run) }
    }

    /// A simulator for `run`, its settings checked.
    public func simulator(_ run: Run) throws -> any Simulator {
        try make(run)
    }
}

extension AppRegistry {
    /// Every app's simulators.
    public var simulators: [AppSimulator] { apps.flatMap(\.simulators) }

    /// The simulator called `name`, or an error listing the ones there are.
    public func simulator(named name: String) throws(SettingError) -> AppSimulator {
        guard let simulator = simulators.first(where: { $0.name == name }) else {
            throw SettingError(
                "no simulator named '\(name)' (simulators: \(simulators.map(\.name).joined(separator: ", ")))"
            )
        }
        return simulator
    }
}
