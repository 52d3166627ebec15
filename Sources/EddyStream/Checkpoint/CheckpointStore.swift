#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A pipeline's checkpoint folder, `<data-dir>/checkpoints/<pipeline>/`. Saving is atomic and durable: write
/// a temporary file, fsync it, rename it over `checkpoint.bin`, fsync the folder. A `kill -9` at any moment
/// leaves either the previous checkpoint or the new one, never a torn file.
///
/// ```swift
/// let store = CheckpointStore(dataDirectory: "./eddy-data", pipeline: "retail")
/// try store.reset()   // what `--reset` does
/// ```
public struct CheckpointStore: Sendable {
    public var directory: String
    var path: String { directory + "/checkpoint.bin" }

    public init(directory: String) {
        self.directory = directory
    }

    public init(dataDirectory: String, pipeline: String) {
        self.directory = dataDirectory + "/checkpoints/" + pipeline
    }

    /// Deletes the checkpoint, so the pipeline starts over. Refused while another process runs the pipeline.
    public func reset() throws(PipelineError) {
        let name = directory.split(separator: "/").last.map(String.init) ?? directory
        let lock = try PipelineLock.acquire(self, pipeline: name)
        defer { lock.release() }
        for name in ["checkpoint.bin", "checkpoint.bin.tmp"] {
            let file = directory + "/" + name
            if unlink(file) != 0 && errno != ENOENT {
                throw .checkpointIO(path: file, operation: "delete", errno: errno)
            }
        }
    }

    /// Whether a checkpoint exists.
    public var exists: Bool { access(path, F_OK) == 0 }

    func load() throws(PipelineError) -> Checkpoint? {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .checkpointIO(path: path, operation: "open", errno: errno)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .checkpointIO(path: path, operation: "read", errno: errno)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        do {
            return try Checkpoint(decoding: bytes)
        } catch {
            throw .checkpointCorrupt(path: path, detail: error.detail)
        }
    }

    func save(_ checkpoint: Checkpoint) throws(PipelineError) {
        try makeDirectories(directory)
        let data = checkpoint.encoded()
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .checkpointIO(path: temporary, operation: "create", errno: errno) }
        var failure: PipelineError?
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var written = 0
            while written < buffer.count {
                let n = write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = .checkpointIO(path: temporary, operation: "write", errno: errno)
                    return
                }
                written += n
            }
        }
        if failure == nil && fsync(fd) != 0 {
            failure = .checkpointIO(path: temporary, operation: "fsync", errno: errno)
        }
        close(fd)
        if let failure { throw failure }
        guard rename(temporary, path) == 0 else {
            throw .checkpointIO(path: path, operation: "rename", errno: errno)
        }
        let dirFD = open(directory, O_RDONLY)
        if dirFD >= 0 {
            defer { close(dirFD) }
            guard fsync(dirFD) == 0 else {
                throw .checkpointIO(path: directory, operation: "fsync", errno: errno)
            }
        }
    }

    func makeDirectories(_ path: String) throws(PipelineError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") where !part.isEmpty {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw .checkpointIO(path: current, operation: "create directory", errno: errno)
            }
        }
    }
}
