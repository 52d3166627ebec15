import Synchronization

/// Wakes readers waiting for a partition to grow. Appends call ``advance(to:)``; ``wait(beyond:timeout:)``
/// suspends on a continuation (no polling) until the end offset passes the reader's offset or time runs out.
final class TailNotifier: Sendable {
    private struct Waiter {
        var offset: Offset
        var continuation: CheckedContinuation<Bool, Never>
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
        let ready = state.withLock { s -> [CheckedContinuation<Bool, Never>] in
            guard end > s.end else { return [] }
            s.end = end
            guard !s.waiters.isEmpty else { return [] }
            var ready: [CheckedContinuation<Bool, Never>] = []
            for (id, waiter) in s.waiters where waiter.offset < end {
                ready.append(waiter.continuation)
                s.waiters[id] = nil
            }
            return ready
        }
        for continuation in ready { continuation.resume(returning: true) }
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
                Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    self?.expire(id)
                }
            }
        } onCancel: {
            expire(id)
        }
    }

    private func expire(_ id: UInt64) {
        let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
        waiter?.continuation.resume(returning: false)
    }
}
