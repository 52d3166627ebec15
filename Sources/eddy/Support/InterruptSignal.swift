import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Ctrl-C (SIGINT) and SIGTERM as a flag that long-running commands poll, so they can stop cleanly:
/// commit consumer offsets, flush output, print a summary. A second signal exits at once (status 130).
///
/// ```swift
/// let interrupt = InterruptSignal.install()
/// while !interrupt.isRaised { … }
/// ```
final class InterruptSignal: Sendable {
    private let raised = Atomic<Int>(0)
    nonisolated(unsafe) private var sources: [any DispatchSourceSignal] = []

    private init() {}

    var isRaised: Bool { raised.load(ordering: .acquiring) > 0 }

    /// How long a graceful stop may take before the process exits anyway. What a stop finishes (a batch, a
    /// checkpoint) is an optimisation, never needed for correctness: a process killed at any moment restarts
    /// from its last checkpoint exactly, so a stop stuck on a full disk or a lost directory must not hang.
    static let stopDeadline: Duration = .seconds(9)

    /// Starts watching SIGINT and SIGTERM; `onRaise` runs once, on the first signal (e.g. to cancel a task).
    /// With `deadline`, a process still running that long after the first signal exits with status 1.
    static func install(deadline: Duration? = nil, onRaise: @escaping @Sendable () -> Void = {})
        -> InterruptSignal
    {
        let interrupt = InterruptSignal()
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)  // the dispatch source sees it instead of the default handler
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let previous = interrupt.raised.wrappingAdd(1, ordering: .acquiringAndReleasing).oldValue
                if previous == 0 {
                    if let deadline {
                        let nanoseconds = deadline.components.seconds * 1_000_000_000
                        DispatchQueue.global().asyncAfter(
                            deadline: .now() + .nanoseconds(Int(nanoseconds))
                        ) {
                            let message =
                                "error: still stopping \(deadline.components.seconds) s after the signal; exiting now (the last checkpoint stands, and a restart resumes from it)\n"
                            _ = message.withCString { write(2, $0, strlen($0)) }
                            _exit(1)
                        }
                    }
                    onRaise()
                } else {
                    _exit(130)
                }
            }
            source.resume()
            interrupt.sources.append(source)
        }
        return interrupt
    }
}
