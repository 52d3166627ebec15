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
    static func acquire(_ path: String) throws(LogError) -> DirectoryLock {
        let file = try FileDescriptor(path: path, flags: O_RDWR | O_CREAT)
        while flock(file.fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            if errno == EWOULDBLOCK {
                let content = (try? file.read(count: 64, at: 0)) ?? []
                var holder = String(decoding: content, as: UTF8.self)
                while holder.last == "\n" { holder.removeLast() }
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
