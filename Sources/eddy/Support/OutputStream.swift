#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A buffered writer over a file descriptor (stdout or stderr) that avoids one `write(2)` per line.
///
/// ```swift
/// let out = OutputStream.standardOutput
/// out.write("hello\n")
/// try out.flush()
/// ```
final class OutputStream {
    let descriptor: Int32
    private var buffer: [UInt8] = []
    private let capacity: Int

    init(descriptor: Int32, capacity: Int = 1 << 16) {
        self.descriptor = descriptor
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    var isTerminal: Bool { isatty(descriptor) == 1 }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in try write(raw) }
    }

    func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    func write(byte: UInt8) throws {
        if buffer.count + 1 > capacity { try flush() }
        buffer.append(byte)
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        try buffer.withUnsafeBytes { raw in try writeAll(raw) }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw CLIError.output(reason: String(cString: strerror(errno)))
            }
            offset += n
        }
    }
}

/// Writes one line to stderr immediately (diagnostics, summaries, progress).
func printError(_ line: String) {
    var text = line
    if !text.hasSuffix("\n") && !text.hasSuffix("\r") { text += "\n" }
    text.utf8CString.withUnsafeBufferPointer { c in
        _ = systemWrite(2, c.baseAddress!, c.count - 1)
    }
}

/// `write(2)` under another name, so that `OutputStream`'s own `write` methods can call it.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
