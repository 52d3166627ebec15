public import EddyLog

/// Simulated motion-sensor readings in the shape of seed 002's `simulador.py`, one JSON object per line:
///
/// ```json
/// {"timestamp": "2024-08-23T15:22:16.968007Z", "id_sensor": "SM-123AB", "location": "Corredor_A",
///  "customer_id": "Cliente_5678", "movement_detected": true, "duration": 152.34, "traffic_count": 4}
/// ```
///
/// The store has a fixed set of sensors (two to four per area, drawn from the seed), each installed in
/// one area, so a sensor id always reports the same location. Records are keyed by `id_sensor`, keeping
/// each sensor's readings in order within one partition.
///
/// ```swift
/// var simulator = MotionSimulator(seed: 42)
/// let line = simulator.next().value          // same bytes for seed 42 on every run
/// ```
public struct MotionSimulator: Simulator {
    /// The store areas of seed 002 (the pipeline groups by these).
    public static let locations = [
        "Entrada", "Corredor_A", "Corredor_B", "Caixa", "Sessao_de_Roupas", "Sessao_de_Eletronicos",
    ]
    /// Dwell time bounds, in hundredths of a second (1.00 s to 300.00 s).
    public static let durationHundredths = 100...30_000
    public static let trafficCounts = 1...10

    /// One installed sensor.
    public struct Sensor: Sendable, Hashable {
        public var id: String
        public var location: String
    }

    public private(set) var sensors: [Sensor]
    /// Probability that `duration`, and independently `location`, is `null` (the seed job drops such rows).
    public var nullRate: Double
    private var random: SimulationRandom
    private var clock: SimulationClock

    /// - Parameters:
    ///   - seed: fixes the sensors, the readings and (unless `clock` says otherwise) the timestamps.
    ///   - nullRate: probability of a `null` duration or location, each drawn independently.
    ///   - clock: where timestamps come from; by default fixed with a seed, the wall clock without.
    public init(seed: UInt64?, nullRate: Double = 0, clock: SimulationClock? = nil) {
        var random = SimulationRandom(seed: seed)
        var sensors: [Sensor] = []
        var used = Set<String>()
        for location in Self.locations {
            for _ in 0..<random.int(in: 2...4) {
                var id: String
                repeat {
                    id = Self.sensorID(random: &random)
                } while !used.insert(id).inserted
                sensors.append(Sensor(id: id, location: location))
            }
        }
        self.sensors = sensors
        self.nullRate = nullRate
        self.random = random
        self.clock = clock ?? .forRun(seed: seed, rate: nil)
    }

    public mutating func next() -> ProducerRecord {
        let sensor = random.element(of: sensors)
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(200)
        SimulationJSON.key("timestamp", into: &out)
        out.append(UInt8(ascii: "\""))
        SimulationJSON.timestamp(micros: clock.nextMicros(random: &random), into: &out)
        out.append(UInt8(ascii: "\""))
        SimulationJSON.separator(into: &out)
        SimulationJSON.key("id_sensor", into: &out)
        SimulationJSON.string(sensor.id, into: &out)
        SimulationJSON.separator(into: &out)
        SimulationJSON.key("location", into: &out)
        if random.chance(nullRate) {
            SimulationJSON.null(into: &out)
        } else {
            SimulationJSON.string(sensor.location, into: &out)
        }
        SimulationJSON.separator(into: &out)
        SimulationJSON.key("customer_id", into: &out)
        out.append(contentsOf: "\"Cliente_".utf8)
        SimulationJSON.int(random.int(in: 1000...9999), into: &out)
        out.append(UInt8(ascii: "\""))
        SimulationJSON.separator(into: &out)
        SimulationJSON.key("movement_detected", into: &out)
        SimulationJSON.bool(true, into: &out)
        SimulationJSON.separator(into: &out)
        SimulationJSON.key("duration", into: &out)
        if random.chance(nullRate) {
            SimulationJSON.null(into: &out)
        } else {
            SimulationJSON.hundredths(random.int(in: Self.durationHundredths), into: &out)
        }
        SimulationJSON.separator(into: &out)
        SimulationJSON.key("traffic_count", into: &out)
        SimulationJSON.int(random.int(in: Self.trafficCounts), into: &out)
        out.append(UInt8(ascii: "}"))
        return ProducerRecord(key: Array(sensor.id.utf8), value: out)
    }

    /// `SM-` + 3 digits + 2 uppercase letters, like `SM-123AB`.
    private static func sensorID(random: inout SimulationRandom) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let number = random.int(in: 100...999)
        return "SM-\(number)\(random.element(of: letters))\(random.element(of: letters))"
    }
}
