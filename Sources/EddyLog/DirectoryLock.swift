#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive, advisory `flock` on a lock file, held for as long as this object lives. The file holds the
/// holder's pid so a refused process can say who has it. The kernel drops the lock when the process dies,
/// so a crash never leaves a stale lock behind.
final class DirectoryLock: Sendable {
    let path: String
    private let file: FileDescriptor

    private init(path: String, file: FileDescriptor) {
        self.path = path
        self.file = file
    }

    /// Takes the lock or throws ``LogError/locked(path:holder:)`` naming the process that has it.
    ///
    /// A lock this process has just released can still be held for a moment by a child it is spawning on
    /// another thread: between `fork` and `exec` the child shares the lock's open file (close-on-exec closes
    /// it only at the `exec`). So when the file names this very process, the attempt is repeated for up to
    /// 200 ms before giving up.
    static func acquire(_ path: String) throws(LogError) -> DirectoryLock {
        let file = try FileDescriptor(path: path, flags: O_RDWR | O_CREAT)
        var ownRetries = 0
        while flock(file.fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            if errno == EWOULDBLOCK {
                let content = (try? file.read(count: 64, at: 0)) ?? []
                var holder = String(decoding: content, as: UTF8.self)
                while holder.last == "\n" { holder.removeLast() }
                if holder == "pid \(getpid())" && ownRetries < 200 {
                    ownRetries += 1
                    usleep(1000)
                    continue
                }
                throw .locked(path: path, holder: holder.isEmpty ? "unknown process" : holder)
            }
            throw .io(path: path, operation: "lock", errno: errno)
        }
        let text = Array("pid \(getpid())\n".utf8)
        try file.truncate(to: 0)
        try file.write(text, at: 0)
        return DirectoryLock(path: path, file: file)
    }
}
