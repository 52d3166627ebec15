public import NIOCore

/// Splits the byte stream into request frames: a big-endian int32 size, then that many bytes. A negative
/// size or one above the configured maximum is an error (the connection is closed) before any of the
/// frame is buffered. A frame too short for a request header fails in the header's decoding instead:
/// the SASL tokens that follow a v0 SaslHandshake travel as bare frames and may be that short.
public struct KafkaFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    /// The smallest request: api key, version, correlation id and a null client id.
    public static let minimumFrameBytes = 10

    public let maxFrameBytes: Int

    public init(maxFrameBytes: Int) {
        self.maxFrameBytes = maxFrameBytes
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws
        -> DecodingState
    {
        guard let size = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else {
            return .needMoreData
        }
        guard size >= 0 else { throw KafkaFrameError.tooSmall(Int(size)) }
        guard Int(size) <= maxFrameBytes else {
            throw KafkaFrameError.tooLarge(Int(size), max: maxFrameBytes)
        }
        guard buffer.readableBytes >= 4 + Int(size) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        context.fireChannelRead(Self.wrapInboundOut(buffer.readSlice(length: Int(size))!))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool)
        throws -> DecodingState
    {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0 { throw KafkaFrameError.truncated(buffer.readableBytes) }
        return .needMoreData
    }
}

/// Why a connection's byte stream is not a sequence of request frames.
public enum KafkaFrameError: Error, Equatable, CustomStringConvertible {
    case tooSmall(Int)
    case tooLarge(Int, max: Int)
    case truncated(Int)

    public var description: String {
        switch self {
        case .tooSmall(let size): "request size \(size) is negative"
        case .tooLarge(let size, let max):
            "request size \(size) is over the maximum of \(max) bytes (raise it with --kafka-max-request-bytes)"
        case .truncated(let bytes): "connection closed in the middle of a request (\(bytes) bytes left over)"
        }
    }
}
