import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The exclusive right to run one pipeline on one data directory: an `flock` on
/// `<data-dir>/checkpoints/<pipeline>/pipeline.lock`, whose content names the holder's pid. Two processes
/// running the same pipeline would both write its checkpoint and dead-letter topic; the second is refused
/// with ``PipelineError/pipelineRunning(pipeline:holder:lockPath:)``. The kernel drops the lock when the
/// process dies (even by `kill -9`), so a crash leaves no stale lock.
///
/// Within one process the lock is shared (counted): tests restart a pipeline in-process while the old runner
/// object is still alive, and `flock` would otherwise refuse the process itself.
///
/// ```swift
/// let lock = try PipelineLock.acquire(CheckpointStore(dataDirectory: "./eddy-data", pipeline: "retail"),
///                                     pipeline: "retail")
/// defer { lock.release() }
/// ```
public final class PipelineLock: Sendable {
    public let path: String
    private let released = Atomic<Bool>(false)

    private static let held = Mutex<[String: (fd: Int32, holders: Int)]>([:])

    private init(path: String) {
        self.path = path
    }

    /// Takes the lock of `store`'s folder (creating it) or throws naming the process that has it.
    public static func acquire(_ store: CheckpointStore, pipeline: String) throws(PipelineError)
        -> PipelineLock
    {
        try store.makeDirectories(store.directory)
        let path = store.directory + "/pipeline.lock"
        let failure: PipelineError? = held.withLock { table in
            if var entry = table[path] {
                entry.holders += 1
                table[path] = entry
                return nil
            }
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { return .checkpointIO(path: path, operation: "open", errno: errno) }
            while flock(fd, LOCK_EX | LOCK_NB) != 0 {
                if errno == EINTR { continue }
                let code = errno
                defer { close(fd) }
                guard code == EWOULDBLOCK else {
                    return .checkpointIO(path: path, operation: "lock", errno: code)
                }
                var buffer = [UInt8](repeating: 0, count: 64)
                let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
                var holder = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
                while holder.last == "\n" { holder.removeLast() }
                return .pipelineRunning(
                    pipeline: pipeline, holder: holder.isEmpty ? "unknown process" : holder, lockPath: path)
            }
            let text = Array("pid \(getpid())\n".utf8)
            _ = ftruncate(fd, 0)
            let written = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
            if written != text.count {
                let code = errno
                close(fd)
                return .checkpointIO(path: path, operation: "write", errno: code)
            }
            table[path] = (fd, 1)
            return nil
        }
        if let failure { throw failure }
        return PipelineLock(path: path)
    }

    /// Gives the lock up (the last holder in this process closes the file, which drops the `flock`).
    /// Idempotent; also done when the object goes away.
    public func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Self.held.withLock { table in
            guard var entry = table[path] else { return }
            entry.holders -= 1
            if entry.holders > 0 {
                table[path] = entry
            } else {
                table[path] = nil
                close(entry.fd)
            }
        }
    }

    deinit { release() }
}
