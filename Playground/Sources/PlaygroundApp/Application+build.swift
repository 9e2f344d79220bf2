import BookSite
import Foundation
import Hummingbird
import Notebook
import Logging

/// What the server needs to know: where to listen, where the generated book is, and its limits.
public struct PlaygroundConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The generated book (`output/` of the repository); nil or missing: /book/ answers 404.
    public var book: URL?
    /// A request that takes longer than this answers 503 (the computation is capped by the step limit).
    public var requestTimeout: Duration
    /// Requests announcing a larger body answer 413 (the API is GET only).
    public var maximumBodySize: Int
    /// A connection idle this long is closed.
    public var idleTimeout: Duration

    public init(host: String = "127.0.0.1", port: Int = 8080, book: URL? = nil,
                requestTimeout: Duration = .seconds(10), maximumBodySize: Int = 16 * 1024,
                idleTimeout: Duration = .seconds(30)) {
        self.host = host
        self.port = port
        self.book = book
        self.requestTimeout = requestTimeout
        self.maximumBodySize = maximumBodySize
        self.idleTimeout = idleTimeout
    }
}

/// The request context: Hummingbird's basic one with a small upload limit.
public struct PlaygroundContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public init(source: ApplicationRequestContextSource) { coreContext = .init(source: source) }
    public var maxUploadSize: Int { 16 * 1024 }
}

/// The playground application: the page, the API and the book, ready to run (or to test through
/// `app.test(.router)` without a socket).
public func buildApplication(_ configuration: PlaygroundConfiguration) throws -> some ApplicationProtocol {
    var logger = Logger(label: "playground")
    logger.logLevel = .warning
    let router = try buildRouter(configuration)
    let seconds = configuration.idleTimeout.components.seconds
    return Application(
        router: router,
        server: .http1(configuration: .init(additionalChannelHandlers: [ParseErrorBody()], idleTimeout: .seconds(seconds))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "descent-playground"),
        onServerRunning: { channel in
            // The actual port (with --port 0 the system picks one); scripts wait for this line.
            let port = channel.localAddress?.port ?? configuration.port
            let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
            let line = "Descent playground: http://\(host):\(port)/  (the book: http://\(host):\(port)/book/)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        },
        logger: logger
    )
}

/// The routes, grouped by concern: the page and its assets, the API, the book.
func buildRouter(_ configuration: PlaygroundConfiguration) throws -> Router<PlaygroundContext> {
    // HEAD on every GET route: Hummingbird's own (same status and headers as GET, no body).
    let router = Router(context: PlaygroundContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: MethodMiddleware())
    router.add(middleware: NotFoundMiddleware())
    router.add(middleware: BodyLimitMiddleware(maximum: configuration.maximumBodySize))
    router.add(middleware: SecurityHeadersMiddleware())
    try PageRoutes().add(to: router)
    APIRoutes(timeout: configuration.requestTimeout).add(to: router.group("api"))
    let site = configuration.book.flatMap { try? BookSite(source: $0, chapters: Book.chapters.map(\.slug)) }
    BookRoutes(site: site.map { var s = $0; s.playgroundLink = "/"; return s }).add(to: router)
    return router
}

/// A response with `body` as its content.
func response(_ body: String, status: HTTPResponse.Status = .ok, contentType: String) -> Response {
    Response(status: status, headers: [.contentType: contentType, .cacheControl: "no-store"],
             body: .init(byteBuffer: ByteBuffer(string: body)))
}

func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
    response(body, status: status, contentType: "application/json; charset=utf-8")
}

func notFound() -> Response {
    json(APIError(status: 404, "not found", parameter: nil).json, status: .notFound)
}

/// Refuses requests announcing a body larger than `maximum` bytes (413) before any route reads it.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maximum: Int
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maximum {
            return json(APIError(status: 413, "request body larger than \(maximum) bytes", parameter: nil).json,
                        status: .contentTooLarge)
        }
        return try await next(request, context)
    }
}

/// The page uses only its own files: forbid everything else (no CDN, no inline framing).
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var r = try await next(request, context)
        r.headers[.xContentTypeOptions] = "nosniff"
        r.headers[.init("X-Frame-Options")!] = "DENY"
        return r
    }
}

/// Every route is GET (and HEAD, see ``buildRouter(_:)``). Any other method answers 405 with `Allow: GET,
/// HEAD` and a JSON error, on any path: the server has nothing to change. (Hummingbird resolves the route
/// before a middleware runs; a request no route takes reaches this one through the router's not-found
/// responder, which every middleware wraps.)
struct MethodMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method != .get && request.method != .head else { return try await next(request, context) }
        var r = json(APIError(status: 405, "method \(request.method.rawValue) not allowed: this server answers GET and HEAD",
                              parameter: nil).json, status: .methodNotAllowed)
        r.headers[.allow] = "GET, HEAD"
        return r
    }
}

/// Unknown routes answer 404 with a JSON error, like every other refusal.
struct NotFoundMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return notFound()
        }
    }
}
