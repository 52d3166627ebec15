import Foundation
import ServiceLifecycle

/// Threads of their own for what runs beside the HTTP server — pipelines, simulators, trainers, the Kafka
/// listener — so that their batches do not queue HTTP handlers behind them on Swift's cooperative pool
/// (one thread per core). Requests waited there behind batch steps of several milliseconds; on threads of
/// their own the background work is time-sliced by the kernel against the request handlers instead.
///
/// ```swift
/// try await withTaskExecutorPreference(BackgroundExecutor.shared) { try await runner.run() }
/// ```
public final class BackgroundExecutor: TaskExecutor, @unchecked Sendable {
    /// One thread per core.
    public static let shared = BackgroundExecutor(
        threads: max(ProcessInfo.processInfo.activeProcessorCount, 1), name: "eddy-background")

    private let condition = NSCondition()
    // Guarded by `condition`: jobs to run, a queue of two stacks.
    private var incoming: [UnownedJob] = []
    private var outgoing: [UnownedJob] = []

    init(threads: Int, name: String) {
        for index in 0..<threads {
            let thread = Thread { [self] in work() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        incoming.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while incoming.isEmpty && outgoing.isEmpty { condition.wait() }
            if outgoing.isEmpty {
                outgoing = incoming.reversed()
                incoming.removeAll(keepingCapacity: true)
            }
            let job = outgoing.removeLast()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// A service run on ``BackgroundExecutor``: `EddyServer.serviceGroup` wraps every service but the HTTP
/// server in one.
struct BackgroundService: Service {
    let service: any Service

    func run() async throws {
        try await withTaskExecutorPreference(BackgroundExecutor.shared) { try await service.run() }
    }
}
