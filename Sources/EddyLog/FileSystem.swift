import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Makes temporary file names unique among the threads of this process (the pid covers other processes).
private let temporaryCounter = Atomic<Int>(0)

/// Directory operations the log needs, on plain POSIX calls.
enum FileSystem {
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Which file a path names: its device and inode. A directory removed and made again, or moved away and
    /// replaced, has another identity (the kernel may reuse an inode number, so callers compare more than one
    /// path where that matters).
    struct Identity: Equatable, Sendable {
        var device: UInt64
        var inode: UInt64
    }

    static func identity(of path: String) -> Identity? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    /// Creates `path` and missing parents. Succeeds if it exists.
    static func makeDirectories(_ path: String) throws(LogError) {
        if isDirectory(path) { return }
        let parent = parentDirectory(of: path)
        if parent != path && !parent.isEmpty { try makeDirectories(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw .io(path: path, operation: "create directory", errno: errno)
        }
    }

    static func parentDirectory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }

    /// Makes a directory's entries (creations, renames, deletions) durable.
    static func syncDirectory(_ path: String) throws(LogError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, operation: "open directory", errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .io(path: path, operation: "fsync directory", errno: errno) }
    }

    /// Names in a directory (no `.` and `..`); empty when it does not exist.
    static func list(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func remove(_ path: String) throws(LogError) {
        if unlink(path) != 0 && errno != ENOENT { throw .io(path: path, operation: "delete", errno: errno) }
    }

    /// Deletes a directory tree.
    static func removeTree(_ path: String) throws(LogError) {
        for name in list(path) {
            let child = path + "/" + name
            if isDirectory(child) {
                try removeTree(child)
            } else {
                try remove(child)
            }
        }
        if rmdir(path) != 0 && errno != ENOENT {
            throw .io(path: path, operation: "delete directory", errno: errno)
        }
    }

    static func rename(_ from: String, to: String) throws(LogError) {
        guard posixRename(from, to) == 0 else {
            throw .io(path: from, operation: "rename to \(to)", errno: errno)
        }
    }

    /// Writes a file atomically and durably: a temporary file beside it, `fsync`, `rename` over the target,
    /// `fsync` of the directory. A crash leaves either the old or the new content, never a mix.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(LogError) {
        let temp = path + ".tmp-\(getpid())-\(temporaryCounter.wrappingAdd(1, ordering: .relaxed).oldValue)"
        let file = try FileDescriptor(path: temp, flags: O_WRONLY | O_CREAT | O_TRUNC)
        try file.write(bytes, at: 0)
        try file.sync()
        try rename(temp, to: path)
        try syncDirectory(parentDirectory(of: path))
    }

    /// The whole content of a small file, or nil if it does not exist.
    static func readFile(_ path: String) throws(LogError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .io(path: path, operation: "open", errno: errno)
        }
        close(fd)
        let file = try FileDescriptor(path: path, flags: O_RDONLY)
        return try file.read(count: Int(try file.size()), at: 0)
    }
}

#if canImport(Glibc)
    private let posixRename = Glibc.rename
#elseif canImport(Darwin)
    private let posixRename = Darwin.rename
#endif
