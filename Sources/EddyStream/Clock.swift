import Synchronization

/// Time as the runtime sees it: wall-clock milliseconds for batch times and checkpoint ages, and sleeping for
/// processing-time triggers. Tests inject ``ManualClock`` so every run is deterministic.
public protocol PipelineClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func nowMillis() -> Int64
    func sleep(for duration: Duration) async throws
}

/// The real clock.
public struct SystemClock: PipelineClock {
    public init() {}

    public func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}

/// A clock that moves only when told to. `sleep(for:)` advances it by the duration and returns at once, so a
/// processing-time trigger runs its batches back to back in virtual time.
///
/// ```swift
/// let clock = ManualClock(startMillis: 0)
/// clock.advance(by: .seconds(5))
/// ```
public final class ManualClock: PipelineClock {
    private let millis: Mutex<Int64>

    public init(startMillis: Int64 = 1_700_000_000_000) {
        millis = Mutex(startMillis)
    }

    public func nowMillis() -> Int64 { millis.withLock { $0 } }

    public func advance(by duration: Duration) {
        let step = duration.microseconds / 1000
        millis.withLock { $0 += step }
    }

    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        advance(by: duration)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
