import EddyLog
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One response as it goes on the wire: the encoded frame, with the stored batch ranges of a Fetch response
/// between its bytes. The ranges are sent from their segment files with `sendfile(2)`
/// (``KafkaResponseWriter``), so served records are never copied through the broker's memory.
struct KafkaResponseFrame: Sendable {
    enum Part: Sendable {
        case bytes(ByteBuffer)
        case stored(StoredFileRange)
    }

    var parts: [Part]

    /// A frame whose every byte is in `buffer`.
    init(_ buffer: ByteBuffer) {
        parts = [.bytes(buffer)]
    }

    /// Splits `encoded` at each placement and puts the stored range it names there.
    init(encoded: ByteBuffer, placements: [ExternalBytesPlacement], stored: [StoredFileRange]) {
        var parts: [Part] = []
        var from = encoded.readerIndex
        for placement in placements {
            if placement.position > from {
                parts.append(.bytes(encoded.getSlice(at: from, length: placement.position - from)!))
            }
            parts.append(.stored(stored[placement.bytes.id]))
            from = placement.position
        }
        if encoded.writerIndex > from {
            parts.append(.bytes(encoded.getSlice(at: from, length: encoded.writerIndex - from)!))
        }
        self.parts = parts
    }

    /// The whole frame in one buffer, the stored ranges read from their files.
    func materialized() throws(LogError) -> ByteBuffer {
        var buffer = ByteBuffer()
        for part in parts {
            switch part {
            case .bytes(let bytes): buffer.writeImmutableBuffer(bytes)
            case .stored(let range): buffer.writeBytes(try range.load())
            }
        }
        return buffer
    }
}

/// Writes ``KafkaResponseFrame``s: bytes as they are, stored ranges as file regions (`sendfile(2)` from a
/// duplicate of the segment's descriptor, closed once the write is done).
final class KafkaResponseWriter: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = KafkaResponseFrame
    typealias OutboundOut = IOData

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let frame = unwrapOutboundIn(data)
        for (index, part) in frame.parts.enumerated() {
            let partPromise = index == frame.parts.count - 1 ? promise : nil
            switch part {
            case .bytes(let bytes):
                context.write(wrapOutboundOut(.byteBuffer(bytes)), promise: partPromise)
            case .stored(let range):
                write(range, context: context, promise: partPromise)
            }
        }
    }

    private func write(
        _ range: StoredFileRange, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?
    ) {
        let descriptor = dup(range.descriptor)
        guard descriptor >= 0 else {
            // Out of descriptors: send the bytes from memory instead.
            do {
                let bytes = try range.load()
                context.write(wrapOutboundOut(.byteBuffer(ByteBuffer(bytes: bytes))), promise: promise)
            } catch {
                promise?.fail(error)
                context.close(promise: nil)
            }
            return
        }
        let handle = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: descriptor)
        let start = Int(range.position)
        let region = FileRegion(fileHandle: handle, readerIndex: start, endIndex: start + range.count)
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenComplete { _ in try? handle.close() }
        if let promise { written.futureResult.cascade(to: promise) }
        context.write(wrapOutboundOut(.fileRegion(region)), promise: written)
    }
}
