import CEddySupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// gzip through the system zlib (`-lz`; its header and library are in the base image).
enum Gzip {
    static func decompress(_ bytes: UnsafeRawBufferPointer, maxBytes: Int) throws(LogError) -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>? = nil
        var count = 0
        let rc = eddy_gunzip(bytes.baseAddress, bytes.count, maxBytes, &out, &count)
        guard rc == 0, let out else {
            if rc == -100 { throw CompressionCodec.damaged(.gzip, "inflates to more than \(maxBytes) bytes") }
            throw CompressionCodec.damaged(.gzip, "zlib error \(rc)")
        }
        defer { free(out) }
        return Array(UnsafeBufferPointer(start: out, count: count))
    }

    /// gzip-compresses `bytes` (tests and tools produce compressed batches with it).
    static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>? = nil
        var count = 0
        let rc = bytes.withUnsafeBytes { eddy_gzip($0.baseAddress, $0.count, &out, &count) }
        guard rc == 0, let out else { return [] }
        defer { free(out) }
        return Array(UnsafeBufferPointer(start: out, count: count))
    }
}
