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

    /// Starts watching SIGINT and SIGTERM; `onRaise` runs once, on the first signal (e.g. to cancel a task).
    static func install(onRaise: @escaping @Sendable () -> Void = {}) -> InterruptSignal {
        let interrupt = InterruptSignal()
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)  // the dispatch source sees it instead of the default handler
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let previous = interrupt.raised.wrappingAdd(1, ordering: .acquiringAndReleasing).oldValue
                if previous == 0 {
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
