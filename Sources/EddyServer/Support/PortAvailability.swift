#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whether a TCP port can be bound, checked before anything starts so `eddy serve` and `eddy demo` can say
/// "port 8080 is in use; choose another with --port" instead of failing after the pipelines have started.
///
/// ```swift
/// if !PortAvailability.isFree(host: "127.0.0.1", port: 8080) { … }
/// ```
public enum PortAvailability {
    public static func isFree(host: String, port: Int) -> Bool {
        guard port != 0 else { return true }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &results) == 0, let first = results else {
            return true  // an unresolvable host is reported by the server itself, with its own message
        }
        defer { freeaddrinfo(results) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        var reuse: Int32 = 1
        // The server sets SO_REUSEADDR too: a port in TIME_WAIT from a previous run counts as free.
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        return bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0
    }
}
