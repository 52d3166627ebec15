import Foundation
import HTTPTypes
import Metrics
import NIOCore
import NIOHTTPTypes

/// Answers repeated table-backed GET requests from ``HotResponses`` on the connection's event loop; every
/// other request goes on to the router unchanged. One per connection, after the HTTP codec.
///
/// Responses keep HTTP/1.1's order: a request is answered here only when no earlier request of the
/// connection is still with the router (pipelined requests wait their turn). The response is the one the
/// router gave (status 200, the same JSON body and content type) with a fresh `Date`.
final class HotResponseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let responses: HotResponses
    /// The context of the ``RawResponseWriter`` at the head of the pipeline: answers are written there as
    /// whole serialized responses, past the HTTP encoders.
    private var raw: ChannelHandlerContext?
    private let answered = Counter(label: "eddy_http_responses_total", dimensions: [("class", "2xx")])
    /// Requests handed to the router whose response has not ended yet.
    private var withRouter = 0
    /// True between a request answered here and its end part, which are then dropped.
    private var dropping = false
    private var dateSecond = 0
    private var date = ""

    init(responses: HotResponses) {
        self.responses = responses
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let writer = RawResponseWriter()
        do {
            try context.pipeline.syncOperations.addHandler(writer, position: .first)
            raw = try context.pipeline.syncOperations.context(handler: writer)
        } catch {
            raw = nil  // every request then goes to the router
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch part {
        case .head(let request):
            if withRouter == 0, let raw, let body = hotBody(for: request) {
                dropping = true
                answer(raw, body: body)
                return
            }
            withRouter += 1
        case .body, .end:
            if dropping {
                if case .end = part { dropping = false }
                return
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { withRouter = max(0, withRouter - 1) }
        context.write(data, promise: promise)
    }

    /// The stored body for a plain GET of a known target, else nil.
    private func hotBody(for request: HTTPRequest) -> ByteBuffer? {
        guard request.method == .get, let target = request.path,
            request.headerFields[.contentLength] == nil, request.headerFields[.transferEncoding] == nil,
            request.headerFields[.connection]?.lowercased() != "close"
        else { return nil }
        return responses.body(for: target)
    }

    /// Writes the whole response — the head the router's response has (status, content type and length,
    /// date, server) and the body — as one buffer, in one write.
    private func answer(_ raw: ChannelHandlerContext, body: ByteBuffer) {
        let head =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: "
            + "\(body.readableBytes)\r\nDate: \(currentDate())\r\nServer: eddy\r\n\r\n"
        var buffer = raw.channel.allocator.buffer(capacity: head.utf8.count + body.readableBytes)
        buffer.writeString(head)
        buffer.writeImmutableBuffer(body)
        raw.writeAndFlush(NIOAny(buffer), promise: nil)
        answered.increment()
    }

    /// `Sat, 21 Nov 2026 15:49:38 GMT`, formatted once a second.
    private func currentDate() -> String {
        let now = time(nil)
        if Int(now) != dateSecond {
            dateSecond = Int(now)
            var seconds = now
            var parts = tm()
            gmtime_r(&seconds, &parts)
            var buffer = [CChar](repeating: 0, count: 40)
            let count = strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
            date = String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return date
    }
}

/// The first handler of a connection's pipeline: lets ``HotResponseHandler`` write serialized responses
/// straight to the socket (everything else passes through it untouched).
final class RawResponseWriter: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
}
