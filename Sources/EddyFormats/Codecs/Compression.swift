import CEddyCodecs

/// Compresses and decompresses pages with Parquet's codecs: snappy in Swift, gzip through zlib, zstd,
/// lz4 (raw) and brotli through libraries opened at run time (`libzstd.so.1`, `liblz4.so.1`,
/// `libbrotlidec.so.1`); a missing library is a `.missingLibrary` error naming it.
///
/// ```swift
/// let packed = try Compression.compress(page, codec: .zstd)
/// let page2 = try Compression.decompress(packed, codec: .zstd, size: page.count)
/// ```
public enum Compression {
    public static func compress(_ input: [UInt8], codec: CompressionCodec, level: Int32 = 0)
        throws(ParquetError)
        -> [UInt8]
    {
        switch codec {
        case .uncompressed: return input
        case .snappy: return Snappy.compress(input)
        case .gzip, .zstd, .lz4Raw, .brotli:
            let code = Int32(codec.rawValue)
            let bound = eddy_codec_bound(code, input.count)
            guard bound > 0 else { throw missing(codec) }
            var status: Int32 = 0
            let out = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
                var length = bound
                status = input.withUnsafeBufferPointer { source in
                    eddy_codec_compress(
                        code, source.baseAddress, input.count, buffer.baseAddress, &length, level)
                }
                count = status == 0 ? length : 0
            }
            if status == Int32(EDDY_CODEC_MISSING_LIBRARY) { throw missing(codec) }
            guard status == 0 else { throw ParquetError(.io, "\(codec.name) compression failed (\(status))") }
            return out
        case .lzo, .lz4:
            throw ParquetError(.unsupported, "writing with the \(codec.name) codec is not supported")
        }
    }

    public static func decompress(_ input: UnsafeRawBufferPointer, codec: CompressionCodec, size: Int)
        throws(ParquetError) -> [UInt8]
    {
        switch codec {
        case .uncompressed:
            guard input.count == size else {
                throw .corrupt("page holds \(input.count) bytes, its header says \(size)")
            }
            return Array(input)
        case .snappy: return try Snappy.decompress(input, expectedSize: size)
        case .gzip, .zstd, .lz4Raw, .brotli:
            let code = Int32(codec.rawValue)
            var status: Int32 = 0
            var produced = 0
            let out = [UInt8](unsafeUninitializedCapacity: max(size, 1)) { buffer, count in
                var length = size
                status = eddy_codec_decompress(
                    code, input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count,
                    buffer.baseAddress,
                    &length)
                produced = length
                if status != 0 || length != size {
                    for k in 0..<max(size, 1) { buffer[k] = 0 }
                }
                count = size
            }
            if status == Int32(EDDY_CODEC_MISSING_LIBRARY) { throw missing(codec) }
            guard status == 0 else { throw .corrupt("\(codec.name) data is corrupt (\(status))") }
            guard produced == size else {
                throw .corrupt("\(codec.name) data holds \(produced) bytes, the page header says \(size)")
            }
            return out
        case .lzo, .lz4:
            throw ParquetError(
                .unsupported,
                "the \(codec.name) codec is not supported (LZ4_RAW is; rewrite with another codec)")
        }
    }

    /// Decompresses into `output`, whose size is the page's uncompressed size (the reader's reused page
    /// buffer: no allocation per page).
    static func decompress(
        _ input: UnsafeRawBufferPointer, codec: CompressionCodec,
        into output: UnsafeMutableBufferPointer<UInt8>
    ) throws(ParquetError) {
        let size = output.count
        switch codec {
        case .uncompressed:
            guard input.count == size else {
                throw .corrupt("page holds \(input.count) bytes, its header says \(size)")
            }
            if size > 0 {
                UnsafeMutableRawPointer(output.baseAddress!).copyMemory(
                    from: input.baseAddress!, byteCount: size)
            }
        case .snappy: try Snappy.decompress(input, into: output)
        case .gzip, .zstd, .lz4Raw, .brotli:
            var length = size
            let status = eddy_codec_decompress(
                Int32(codec.rawValue), input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count,
                output.baseAddress, &length)
            if status == Int32(EDDY_CODEC_MISSING_LIBRARY) { throw missing(codec) }
            guard status == 0 else { throw .corrupt("\(codec.name) data is corrupt (\(status))") }
            guard length == size else {
                throw .corrupt("\(codec.name) data holds \(length) bytes, the page header says \(size)")
            }
        case .lzo, .lz4:
            throw ParquetError(
                .unsupported,
                "the \(codec.name) codec is not supported (LZ4_RAW is; rewrite with another codec)")
        }
    }

    static func missing(_ codec: CompressionCodec) -> ParquetError {
        let library = String(cString: eddy_codec_library(Int32(codec.rawValue)))
        return ParquetError(
            .missingLibrary,
            "the \(codec.name) codec needs \(library), which could not be opened; install it "
                + "(Debian: apt-get install libzstd1 liblz4-1 libbrotli1)")
    }
}
