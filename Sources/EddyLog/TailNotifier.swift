import Synchronization

/// Wakes readers waiting for a partition to grow. Appends call ``advance(to:)``; ``wait(beyond:timeout:)``
/// suspends on a continuation (no polling) until the end offset passes the reader's offset or time runs out.
final class TailNotifier: Sendable {
    private struct Waiter {
        var offset: Offset
        var continuation: CheckedContinuation<Bool, Never>
        /// The task that ends the wait at its timeout; cancelled when data comes first, so frequent short
        /// waits with long timeouts do not pile up sleeping tasks.
        var timeout: Task<Void, Never>?
    }

    private struct State {
        var end: Offset
        var waiters: [UInt64: Waiter] = [:]
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>

    init(end: Offset) {
        state = Mutex(State(end: end))
    }

    /// Records a new end offset and resumes every waiter it satisfies.
    func advance(to end: Offset) {
        let ready = state.withLock { s -> [Waiter] in
            guard end > s.end else { return [] }
            s.end = end
            guard !s.waiters.isEmpty else { return [] }
            var ready: [Waiter] = []
            for (id, waiter) in s.waiters where waiter.offset < end {
                ready.append(waiter)
                s.waiters[id] = nil
            }
            return ready
        }
        for waiter in ready {
            waiter.timeout?.cancel()
            waiter.continuation.resume(returning: true)
        }
    }

    /// Sets the end offset even when it goes down (a topic re-created or truncated at recovery).
    func reset(to end: Offset) {
        state.withLock { $0.end = end }
    }

    var end: Offset { state.withLock { $0.end } }

    func wait(beyond offset: Offset, timeout: Duration) async -> Bool {
        let id = state.withLock { s -> UInt64 in
            s.nextID += 1
            return s.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let registered = state.withLock { s -> Bool in
                    if s.end > offset { return false }
                    s.waiters[id] = Waiter(offset: offset, continuation: continuation)
                    return true
                }
                guard registered else {
                    continuation.resume(returning: true)
                    return
                }
                if Task.isCancelled {
                    expire(id)
                    return
                }
                let timer = Task { [weak self] in
                    guard (try? await Task.sleep(for: timeout)) != nil else { return }
                    self?.expire(id)
                }
                let stillWaiting = state.withLock { s -> Bool in
                    guard s.waiters[id] != nil else { return false }
                    s.waiters[id]?.timeout = timer
                    return true
                }
                if !stillWaiting { timer.cancel() }
            }
        } onCancel: {
            expire(id)
        }
    }

    private func expire(_ id: UInt64) {
        let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
        waiter?.timeout?.cancel()
        waiter?.continuation.resume(returning: false)
    }

    /// Waiters currently suspended (for tests and metrics).
    var waiterCount: Int { state.withLock { $0.waiters.count } }
}
