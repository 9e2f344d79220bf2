import Hummingbird
import NIOCore
import NIOHTTPTypes

/// A request the HTTP parser rejects (a 100 KB request line, oversized headers, control bytes, a bad
/// Content-Length, …) never reaches the router: Hummingbird answers it with a bare `400`, `Connection:
/// close` and an empty body. This outbound handler gives that one answer the JSON body every other
/// error of the server has, so a client always learns what went wrong. It recognises the answer by its
/// shape (400, `Content-Length: 0`, `Connection: close`), which no route produces.
final class ParseErrorBody: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    static let body = #"{"error":"malformed HTTP request: its request line, a header or its Content-Length could not be parsed, or the request line or headers are larger than this server accepts"}"#

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .head(var head) = unwrapOutboundIn(data), head.status == .badRequest,
              head.headerFields[.contentLength] == "0", head.headerFields[.connection] == "close" else {
            context.write(data, promise: promise)
            return
        }
        let body = ByteBuffer(string: Self.body)
        head.headerFields[.contentLength] = "\(body.readableBytes)"
        head.headerFields[.contentType] = "application/json; charset=utf-8"
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: promise)
    }
}
