/// Where simulated event timestamps come from.
///
/// `wall` stamps each record with the current time (what a live sensor does); `simulated` starts at a
/// fixed instant and advances by random steps, so a seeded run produces the same bytes every time.
/// Both are strictly increasing.
///
/// ```swift
/// var clock = SimulationClock.simulated(startMicros: SimulationClock.seedEpochMicros, meanStepMicros: 100_000)
/// let first = clock.nextMicros(random: &random)
/// ```
public struct SimulationClock: Sendable {
    enum Mode: Sendable {
        case wall
        case simulated(meanStepMicros: Int64)
    }

    /// 2024-08-23T15:22:16.968007Z, the reading shown in seed 002: the start of every seeded run.
    public static let seedEpochMicros: Int64 = 1_724_426_536_968_007

    let mode: Mode
    private var lastMicros: Int64
    private var started = false

    /// Timestamps read from the system clock when each record is made.
    public static var wall: SimulationClock { SimulationClock(mode: .wall, lastMicros: .min) }

    /// Timestamps starting exactly at `startMicros`, each following step uniform in `1 ... 2 × meanStepMicros` microseconds.
    public static func simulated(startMicros: Int64, meanStepMicros: Int64) -> SimulationClock {
        SimulationClock(mode: .simulated(meanStepMicros: max(1, meanStepMicros)), lastMicros: startMicros)
    }

    /// The clock the CLI uses: fixed and reproducible with a seed, the wall clock without. `rate` (records
    /// per second) sets the simulated spacing; without it readings are 100 ms apart on average.
    public static func forRun(seed: UInt64?, rate: Double?) -> SimulationClock {
        guard seed != nil else { return .wall }
        let step = rate.map { $0 > 0 ? Int64(1_000_000 / $0) : 100_000 } ?? 100_000
        return .simulated(startMicros: seedEpochMicros, meanStepMicros: step)
    }

    private init(mode: Mode, lastMicros: Int64) {
        self.mode = mode
        self.lastMicros = lastMicros
    }

    /// The next timestamp in microseconds since the Unix epoch.
    public mutating func nextMicros(random: inout SimulationRandom) -> Int64 {
        switch mode {
        case .wall:
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            let micros = Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
            lastMicros = max(micros, lastMicros &+ 1)
        case .simulated(let mean):
            if started {
                lastMicros += Int64(random.int(in: 1...Int(2 * mean)))
            }
            started = true
        }
        return lastMicros
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
