import BookSite
import Notebook
import Foundation
import Hummingbird

/// GET /book/… : the generated book as HTML (BookSite resolves every path; anything it does not
/// know, including any path leaving the book folder and any directory, is 404).
struct BookRoutes {
    let site: BookSite?
    /// Every page rendered once, when the server starts (rendering Markdown on every request held the
    /// book to about 160 requests/s): the contents at "" and "index.html", each chapter at "<slug>/" and
    /// "<slug>/index.html". A book regenerated while the server runs is served after a restart.
    let pages: [String: String]

    init(site: BookSite?) {
        self.site = site
        var pages: [String: String] = [:]
        if let site {
            let index = Self.local(site.indexPage())
            (pages[""], pages["index.html"]) = (index, index)
            for (i, chapter) in site.chapters.enumerated() {
                guard let html = site.page(i).map(Self.local) else { continue }
                (pages[chapter.slug + "/"], pages[chapter.slug + "/index.html"]) = (html, html)
            }
        }
        self.pages = pages
    }

    /// A page's "try it in the playground" links point at the default address (the static site and
    /// the Markdown pages need one); served here, they point at this server, whatever its port.
    static func local(_ html: String) -> String {
        html.replacingOccurrences(of: "href=\"\(PlaygroundViews.base)?", with: "href=\"/?")
    }

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
        let relative = String(path.dropFirst("/book/".count))
        if let html = pages[relative] { return response(html, contentType: "text/html; charset=utf-8") }
        switch site.resource(at: relative) {
        case .page(let html)?:
            return response(Self.local(html), contentType: "text/html; charset=utf-8")
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
