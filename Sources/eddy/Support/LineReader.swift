#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Splits a file descriptor's bytes into lines, reading in large chunks and handing each line to the
/// caller as a borrowed buffer: no `String`, no per-line allocation.
///
/// A line ends at `\n`; a `\r` before it is dropped (files written on Windows). A last line without a
/// newline is still a line. A line longer than `maxLineBytes` is not buffered whole: the reader reports
/// its length (counted to its end) through `tooLong` and skips it.
///
/// ```swift
/// var reader = LineReader(descriptor: 0)
/// try reader.forEachLine(maxLineBytes: 1 << 20) { line in count += 1 } tooLong: { number, size in … }
/// ```
struct LineReader {
    let descriptor: Int32
    let chunkBytes: Int

    init(descriptor: Int32, chunkBytes: Int = 4 << 20) {
        self.descriptor = descriptor
        self.chunkBytes = chunkBytes
    }

    enum Control {
        case proceed
        case stop
    }

    /// Calls `body` with each line (1-based line number and bytes without the terminator). Returning `.stop`
    /// ends the reading. `tooLong(lineNumber, size)` is called for an over-long line instead of `body`.
    ///
    /// `idle` runs whenever the next read would block (input typed at a terminal, a slow pipe): the place to
    /// send what is buffered, so records do not wait for a full batch while the writer is quiet.
    func forEachLine(
        maxLineBytes: Int,
        _ body: (Int, UnsafeRawBufferPointer) throws -> Control,
        tooLong: (Int, Int) throws -> Control,
        idle: () throws -> Void = {}
    ) throws {
        // Room for one chunk plus a carried-over partial line of at most maxLineBytes.
        let capacity = chunkBytes + maxLineBytes + 1
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { storage.deallocate() }
        var filled = 0  // bytes in storage[0..<filled]
        var lineNumber = 0
        var skippingLength: Int? = nil  // bytes of an over-long line seen so far
        var atEnd = false

        while !atEnd {
            var pending = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&pending, 1, 0) == 0 { try idle() }
            let n = read(descriptor, storage.baseAddress! + filled, min(chunkBytes, capacity - filled))
            if n < 0 {
                if errno == EINTR { continue }
                throw CLIError.input(reason: String(cString: strerror(errno)), written: 0)
            }
            if n == 0 { atEnd = true }
            let end = filled + n
            var start = 0
            var position = filled
            while position < end {
                // memchr is vectorised: much faster than a byte loop on long lines.
                guard let hit = memchr(storage.baseAddress! + position, 0x0A, end - position) else { break }
                let newline = storage.baseAddress!.distance(to: hit)
                if let skipped = skippingLength {
                    skippingLength = nil
                    if try tooLong(lineNumber, skipped + newline - start) == .stop { return }
                } else {
                    lineNumber += 1
                    var lineEnd = newline
                    if lineEnd > start && storage[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                    let length = lineEnd - start
                    let control: Control
                    if length > maxLineBytes {
                        control = try tooLong(lineNumber, length)
                    } else {
                        control = try body(
                            lineNumber, UnsafeRawBufferPointer(rebasing: storage[start..<lineEnd]))
                    }
                    if control == .stop { return }
                }
                start = newline + 1
                position = start
            }
            // Keep the unfinished line for the next read, unless it is already too long to keep.
            let rest = end - start
            if atEnd {
                if let skipped = skippingLength {
                    _ = try tooLong(lineNumber, skipped + rest)
                } else if rest > 0 {
                    lineNumber += 1
                    var lineEnd = end
                    if storage[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                    if lineEnd - start > maxLineBytes {
                        _ = try tooLong(lineNumber, lineEnd - start)
                    } else {
                        _ = try body(lineNumber, UnsafeRawBufferPointer(rebasing: storage[start..<lineEnd]))
                    }
                }
                return
            }
            if skippingLength != nil {
                skippingLength! += rest
                filled = 0
            } else if rest > maxLineBytes + 1 {  // +1: a trailing \r may still be dropped
                lineNumber += 1
                skippingLength = rest
                filled = 0
            } else {
                if start > 0 && rest > 0 {
                    memmove(storage.baseAddress!, storage.baseAddress! + start, rest)
                }
                filled = rest
            }
        }
    }
}
