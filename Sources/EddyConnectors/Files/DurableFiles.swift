#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few file-system steps a commit protocol needs, each made durable: a file's bytes and a folder's entries
/// reach the disk before the call returns, so a kill -9 or power loss leaves either the old or the new state.
///
/// ```swift
/// try DurableFiles.writeAtomically(Array("{}".utf8), to: "out/_offsets.json")
/// try DurableFiles.rename("out/.a.parquet.tmp", to: "out/a.parquet")
/// try DurableFiles.sync("out", directory: true)
/// ```
public enum DurableFiles {
    public static func systemError() -> String { String(cString: strerror(errno)) }

    public static func makeDirectory(_ path: String) throws(FileSinkError) {
        var start = path.startIndex
        // Create each missing parent in turn (mkdir -p).
        while start < path.endIndex {
            let next = path[path.index(after: start)...].firstIndex(of: "/") ?? path.endIndex
            let prefix = String(path[..<next])
            if !prefix.isEmpty, mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw .io(operation: "create the folder", path: prefix, reason: systemError())
            }
            start = next
        }
    }

    /// fsync of an existing file or folder.
    public static func sync(_ path: String, directory: Bool = false) throws(FileSinkError) {
        let fd = open(path, directory ? O_RDONLY | O_DIRECTORY : O_RDONLY)
        guard fd >= 0 else { throw .io(operation: "open", path: path, reason: systemError()) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .io(operation: "fsync", path: path, reason: systemError()) }
    }

    /// Writes `bytes` to `path` through `path`'s folder's `.name.tmp`: write, fsync, rename, fsync the folder.
    /// A reader sees the old file or the whole new one.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(FileSinkError) {
        let (folder, name) = split(path)
        let temporary = folder + "/." + name + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .io(operation: "create", path: temporary, reason: systemError()) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = systemError()
                close(fd)
                throw .io(operation: "write", path: temporary, reason: reason)
            }
            done += n
        }
        guard fsync(fd) == 0 else {
            let reason = systemError()
            close(fd)
            throw .io(operation: "fsync", path: temporary, reason: reason)
        }
        close(fd)
        try rename(temporary, to: path)
        try sync(folder, directory: true)
    }

    public static func rename(_ from: String, to: String) throws(FileSinkError) {
        guard Glibc.rename(from, to) == 0 else {
            throw .io(operation: "rename to \(to)", path: from, reason: systemError())
        }
    }

    public static func remove(_ path: String) throws(FileSinkError) {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw .io(operation: "delete", path: path, reason: systemError())
        }
    }

    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    public static func size(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    /// Names in a folder (no `.` or `..`), empty when it does not exist.
    public static func list(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public static func read(_ path: String) throws(FileSinkError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .io(operation: "open", path: path, reason: systemError()) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "read", path: path, reason: systemError())
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[..<n])
        }
        return bytes
    }

    public static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        return (
            slash == path.startIndex ? "/" : String(path[..<slash]), String(path[path.index(after: slash)...])
        )
    }
}
