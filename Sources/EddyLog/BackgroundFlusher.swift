import Dispatch
import Foundation
import Logging
import Synchronization

/// The ``FileLog``'s background thread: under the `interval` flush policy it hands new appends to the
/// kernel's write-back every ``writeBackTickNanos`` and `fsync`s partitions with unflushed appends (every
/// interval, and at once when a partition asks because its unflushed bytes reached the policy's limit);
/// it checks that the data directory is still there and applies retention periodically. A plain thread, because `fsync` blocks and
/// must not hold up Swift concurrency's few cooperative threads; and because the appender only asks, the
/// disk write overlaps further appends instead of stalling them.
final class BackgroundFlusher: Sendable {
    private let policy: FlushPolicy
    private let retentionInterval: Duration
    private let stopped = Mutex(false)
    private let requested = Mutex(false)
    private let wakeUp = NSCondition()
    /// Signalled once when the thread has left its loop; `stop()` waits for it.
    private let finished = DispatchSemaphore(value: 0)
    /// The thread's id while it runs (a `stop()` from the thread itself, through the log's deinit, must not
    /// wait for itself).
    private let threadID = Mutex<pthread_t?>(nil)
    private let started = Mutex(false)

    /// How often new appends are handed to write-back under the `interval` policy.
    static let writeBackTickNanos: UInt64 = 10_000_000
    /// How often the data directory's identity is checked.
    static let verifyTickNanos: UInt64 = 100_000_000

    /// Wakes the thread for a flush now.
    func requestFlush() {
        wakeUp.lock()
        requested.withLock { $0 = true }
        wakeUp.signal()
        wakeUp.unlock()
    }

    init(policy: FlushPolicy, retentionInterval: Duration) {
        self.policy = policy
        self.retentionInterval = retentionInterval
    }

    func start(log: FileLog) {
        let flushNanos: UInt64?
        if case .interval(let millis, _) = policy {
            flushNanos = UInt64(max(millis, 1)) * 1_000_000
        } else {
            flushNanos = nil
        }
        let retentionNanos = UInt64(max(retentionInterval.components.seconds, 1)) * 1_000_000_000
        let tick = flushNanos == nil ? Self.verifyTickNanos : Self.writeBackTickNanos
        weak let weakLog = log
        let thread = Thread { [self] in
            threadID.withLock { $0 = pthread_self() }
            defer { finished.signal() }
            var lastRetention = LogClock.monotonicNanos()
            var lastVerify: UInt64 = 0
            while !stopped.withLock({ $0 }) {
                wakeUp.lock()
                if !requested.withLock({ $0 }) {
                    _ = wakeUp.wait(until: Date(timeIntervalSinceNow: Double(tick) / 1e9))
                }
                requested.withLock { $0 = false }
                wakeUp.unlock()
                guard let log = weakLog, !stopped.withLock({ $0 }) else { break }
                // A lost directory is reported once (verifyDirectory logs it); flushing into it is pointless.
                if log.directoryProblem != nil { continue }
                let now = LogClock.monotonicNanos()
                if now &- lastVerify >= Self.verifyTickNanos {
                    lastVerify = now
                    if (try? log.verifyStorage()) == nil { continue }
                }
                if let flushNanos {
                    for topic in log.openTopics {
                        for partition in topic.partitions {
                            partition.startWriteBack()
                            do {
                                try partition.flushIfDue(intervalNanos: flushNanos)
                            } catch {
                                log.logger.error(
                                    "background flush of \(partition.topicPartition) failed: \(error)")
                            }
                        }
                    }
                }
                if now &- lastRetention >= retentionNanos {
                    lastRetention = now
                    do {
                        try log.enforceRetention()
                    } catch {
                        log.logger.error("retention failed: \(error)")
                    }
                }
            }
        }
        thread.name = "eddy-log-flusher"
        started.withLock { $0 = true }
        thread.start()
    }

    /// Stops the thread and, unless called from it, waits until it has finished what it was doing, so no
    /// flush or retention pass touches the log's files after `FileLog.close()` returns.
    func stop() {
        let wasStopped = stopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        requestFlush()
        guard !wasStopped, started.withLock({ $0 }) else { return }
        // The thread records its id first thing, so an unset id means the caller is not the thread.
        if let id = threadID.withLock({ $0 }), pthread_equal(id, pthread_self()) != 0 { return }
        finished.wait()
    }
}
