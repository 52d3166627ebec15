import CEddySupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open file, closed when the last reference goes away. Readers keep a segment's descriptor alive while
/// they read it, so retention can unlink the file underneath them safely.
final class FileDescriptor: Sendable {
    let fd: Int32
    let path: String

    /// Opens `path` with `flags` (O_CLOEXEC added), creating it with mode 0644 when `O_CREAT` is given.
    init(path: String, flags: Int32) throws(LogError) {
        let fd = open(path, flags | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, operation: "open", errno: errno) }
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    func size() throws(LogError) -> Int64 {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .io(path: path, operation: "stat", errno: errno) }
        return Int64(st.st_size)
    }

    /// Writes all of `bytes` at `offset`, retrying short writes and interrupts.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(LogError) {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + Int64(done)))
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "write", errno: errno)
            }
            done += n
        }
    }

    /// Reads up to `count` bytes at `offset` into `buffer`; returns how many were read (fewer only at the
    /// end of the file).
    func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int64) throws(LogError) -> Int {
        var done = 0
        while done < count {
            let n = pread(fd, buffer + done, count - done, off_t(offset + Int64(done)))
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "read", errno: errno)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Reads `count` bytes at `offset` into a new array (shorter at the end of the file).
    func read(count: Int, at offset: Int64) throws(LogError) -> [UInt8] {
        var failure: LogError? = nil
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(LogError) {
                initialized = try read(into: buffer.baseAddress!, count: count, at: offset)
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Reads up to `count` bytes at `offset` into the start of `array` (which must be large enough).
    func read(into array: inout [UInt8], count: Int, at offset: Int64) throws(LogError) -> Int {
        precondition(count <= array.count)
        var result: Result<Int, LogError> = .success(0)
        array.withUnsafeMutableBytes { raw in
            do throws(LogError) {
                result = .success(try read(into: raw.baseAddress!, count: count, at: offset))
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }

    /// Writes all of `array` at `offset`.
    func write(_ array: [UInt8], at offset: Int64) throws(LogError) {
        var failure: LogError? = nil
        array.withUnsafeBytes { raw in
            do throws(LogError) {
                try write(raw, at: offset)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    func sync() throws(LogError) {
        guard fsync(fd) == 0 else { throw .io(path: path, operation: "fsync", errno: errno) }
    }

    /// Asks the kernel to start writing `count` bytes from `offset` to disk, without waiting. Advisory: a
    /// failure here shows again at the next `fsync`, which is where it is reported.
    func startWriteBack(from offset: Int64, count: Int64) {
        _ = eddy_start_writeback(fd, offset, count)
    }

    func truncate(to size: Int64) throws(LogError) {
        guard ftruncate(fd, off_t(size)) == 0 else {
            throw .io(path: path, operation: "truncate", errno: errno)
        }
    }
}
