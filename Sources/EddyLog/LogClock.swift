#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the log reads the time for record timestamps and retention. Tests pass a manual clock.
///
/// ```swift
/// let clock = LogClock { 1_700_000_000_000 }
/// let log = MemoryLog(clock: clock)
/// ```
public struct LogClock: Sendable {
    public var now: @Sendable () -> TimestampMillis

    public init(_ now: @escaping @Sendable () -> TimestampMillis) {
        self.now = now
    }

    /// Wall-clock milliseconds since the Unix epoch.
    public static let system = LogClock {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// Monotonic nanoseconds, for flush intervals (never goes back).
    static func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
