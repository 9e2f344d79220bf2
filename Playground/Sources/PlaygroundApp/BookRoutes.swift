import BookSite
import Foundation
import Hummingbird

/// GET /book/… : the generated book as HTML (BookSite resolves every path; anything it does not
/// know, including any path leaving the book folder and any directory, is 404).
struct BookRoutes {
    let site: BookSite?

    func add(to router: Router<PlaygroundContext>) {
        router.get("book") { request, _ in
            // The router matches /book and /book/ alike: only the first needs the slash added.
            request.uri.path == "/book/" ? self.answer("/book/")
                : Response(status: .movedPermanently, headers: [.location: "/book/"])
        }
        router.get("book/**") { request, _ in self.answer(request.uri.path) }
    }

    func answer(_ path: String) -> Response {
        guard let site, path.hasPrefix("/book/") else { return notFound() }
        switch site.resource(at: String(path.dropFirst("/book/".count))) {
        case .page(let html)?:
            return response(html, contentType: "text/html; charset=utf-8")
        case .text(let text, let type)?:
            return response(text, contentType: type)
        case .file(let url, let type)?:
            guard let data = try? Data(contentsOf: url) else { return notFound() }
            return Response(status: .ok, headers: [.contentType: type],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        case .redirect(let target)?:
            return Response(status: .movedPermanently, headers: [.location: "/book/" + target])
        case nil:
            return notFound()
        }
    }
}
