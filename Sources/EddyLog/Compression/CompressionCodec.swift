/// The compression of a record batch: the low three bits of its attributes, as Kafka defines them.
///
/// Batches a Kafka client produced are stored as sent; Eddy's readers inflate them on the way out:
///
/// ```swift
/// let codec = CompressionCodec(attributes: 0x0002)  // .snappy
/// let records = try codec?.decompress(bytes)
/// ```
///
/// gzip uses the system zlib; snappy and lz4 (Kafka uses the LZ4 frame format) are implemented here;
/// zstd loads `libzstd.so.1` at run time, so the package builds and runs where it is absent and only a
/// zstd batch then fails, naming the library.
public enum CompressionCodec: Int16, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    case gzip = 1
    case snappy = 2
    case lz4 = 3
    case zstd = 4

    /// The codec named by a batch's attributes; nil for the unassigned values 5–7.
    public init?(attributes: Int16) {
        self.init(rawValue: attributes & 0x07)
    }

    public var description: String {
        switch self {
        case .none: "none"
        case .gzip: "gzip"
        case .snappy: "snappy"
        case .lz4: "lz4"
        case .zstd: "zstd"
        }
    }

    /// Decompressed batches larger than this are refused (a guard against decompression bombs).
    public static let maxDecompressedBytes = 256 << 20

    /// Inflates the records section of a batch compressed with this codec.
    public func decompress(_ bytes: UnsafeRawBufferPointer) throws(LogError) -> [UInt8] {
        switch self {
        case .none: return Array(bytes)
        case .gzip: return try Gzip.decompress(bytes, maxBytes: Self.maxDecompressedBytes)
        case .snappy: return try Snappy.decompressFramed(bytes, maxBytes: Self.maxDecompressedBytes)
        case .lz4: return try LZ4Frame.decompress(bytes, maxBytes: Self.maxDecompressedBytes)
        case .zstd: return try Zstd.decompress(bytes, maxBytes: Self.maxDecompressedBytes)
        }
    }

    static func damaged(_ codec: CompressionCodec, _ detail: String) -> LogError {
        .unsupportedCompression("\(codec) data in a record batch is damaged: \(detail)")
    }
}
