import Foundation
import Hummingbird

/// GET / and the page's own files (HTML, CSS, the drawing script), read once from the bundle.
struct PageRoutes {
    static let files: [(route: String, name: String, type: String)] = [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/playground.css", "playground.css", "text/css; charset=utf-8"),
        ("/playground.js", "playground.js", "text/javascript; charset=utf-8"),
    ]

    func add(to router: Router<PlaygroundContext>) throws {
        // Browsers ask for /favicon.ico on their own: there is no icon, and "no content" says so without a 404.
        router.get("favicon.ico") { _, _ in Response(status: .noContent, headers: [.cacheControl: "max-age=86400"]) }
        for file in Self.files {
            // Processed resources are flattened into the bundle (and, unlike a copied folder,
            // rebuilt when they change).
            guard let url = Bundle.module.url(forResource: file.name, withExtension: nil) else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: file.name])
            }
            let data = try Data(contentsOf: url)
            let type = file.type
            router.get(RouterPath(file.route)) { _, _ in
                Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"],
                         body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
        }
    }
}
