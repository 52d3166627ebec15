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

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch part {
        case .head(let request):
            if withRouter == 0, let body = hotBody(for: request) {
                dropping = true
                answer(context: context, body: body)
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

    private func answer(context: ChannelHandlerContext, body: ByteBuffer) {
        var head = HTTPResponse(status: .ok)
        head.headerFields[.contentType] = "application/json; charset=utf-8"
        head.headerFields[.contentLength] = String(body.readableBytes)
        head.headerFields[.date] = currentDate()
        head.headerFields[.server] = "eddy"
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
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
