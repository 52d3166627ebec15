import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// zstd through `libzstd.so.1`, loaded at run time: the base image has the library but not its header,
/// and a machine without it still runs everything except reading zstd batches.
enum Zstd {
    /// `ZSTD_inBuffer` / `ZSTD_outBuffer`: a pointer, a size and a position, laid out as in C.
    struct Buffer {
        var pointer: UnsafeRawPointer?
        var size: Int
        var position: Int
    }

    typealias Create = @convention(c) () -> OpaquePointer?
    typealias Free = @convention(c) (OpaquePointer?) -> Int
    typealias Init = @convention(c) (OpaquePointer?) -> Int
    typealias Stream =
        @convention(c) (OpaquePointer?, UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> Int
    typealias IsError = @convention(c) (Int) -> UInt32

    struct Library: @unchecked Sendable {
        let create: Create
        let free: Free
        let initialize: Init
        let stream: Stream
        let isError: IsError
    }

    static let library: Result<Library, LogError> = {
        let names = ["libzstd.so.1", "libzstd.so", "libzstd.1.dylib", "libzstd.dylib"]
        guard let handle = names.lazy.compactMap({ dlopen($0, RTLD_NOW) }).first else {
            return .failure(
                .unsupportedCompression(
                    "a record batch is zstd-compressed but libzstd.so.1 is not installed; install it (Debian: apt-get install libzstd1)"
                ))
        }
        func symbol<T>(_ name: String, as: T.Type) -> T? {
            guard let pointer = dlsym(handle, name) else { return nil }
            return unsafeBitCast(pointer, to: T.self)
        }
        guard let create = symbol("ZSTD_createDStream", as: Create.self),
            let free = symbol("ZSTD_freeDStream", as: Free.self),
            let initialize = symbol("ZSTD_initDStream", as: Init.self),
            let stream = symbol("ZSTD_decompressStream", as: Stream.self),
            let isError = symbol("ZSTD_isError", as: IsError.self)
        else {
            return .failure(.unsupportedCompression("libzstd.so.1 lacks the streaming decompression API"))
        }
        return .success(
            Library(create: create, free: free, initialize: initialize, stream: stream, isError: isError))
    }()

    static func decompress(_ bytes: UnsafeRawBufferPointer, maxBytes: Int) throws(LogError) -> [UInt8] {
        let zstd = try library.get()
        guard let context = zstd.create() else {
            throw CompressionCodec.damaged(.zstd, "cannot create a context")
        }
        defer { _ = zstd.free(context) }
        _ = zstd.initialize(context)
        var output = [UInt8](repeating: 0, count: min(max(bytes.count * 4, 4096), maxBytes))
        var produced = 0
        var input = Buffer(pointer: bytes.baseAddress, size: bytes.count, position: 0)
        while true {
            if produced == output.count {
                guard output.count < maxBytes else {
                    throw CompressionCodec.damaged(.zstd, "inflates to more than \(maxBytes) bytes")
                }
                output.append(contentsOf: repeatElement(0, count: min(output.count, maxBytes - output.count)))
            }
            let (rc, written) = output.withUnsafeMutableBytes { raw -> (Int, Int) in
                var out = Buffer(
                    pointer: UnsafeRawPointer(raw.baseAddress), size: raw.count, position: produced)
                let rc = withUnsafeMutablePointer(to: &out) { outPointer in
                    withUnsafeMutablePointer(to: &input) { inPointer in
                        zstd.stream(
                            context, UnsafeMutableRawPointer(outPointer), UnsafeMutableRawPointer(inPointer))
                    }
                }
                return (rc, out.position)
            }
            produced = written
            if zstd.isError(rc) != 0 { throw CompressionCodec.damaged(.zstd, "zstd error \(rc)") }
            if rc == 0 && input.position == input.size { break }
            if input.position == input.size && produced < output.count {
                throw CompressionCodec.damaged(.zstd, "truncated frame")
            }
        }
        output.removeLast(output.count - produced)
        return output
    }
}
