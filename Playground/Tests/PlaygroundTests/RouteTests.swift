import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PlaygroundApp

/// The server's behaviour: limits, errors that never crash it, the book's boundaries, the page's files.
@Suite struct RouteTests {
    @Test func stepsAreCappedPerRequest() async throws {
        try await testApplication().test(.router) { client in
            let ok = try await get(client, "/api/schedule?lr=0.1&steps=100000&schedule=constant")
            #expect(ok.status == .ok)
            let over = try await get(client, "/api/optimize?function=quadratic&start=1,1&optimizer=sgd&lr=0.1&steps=100001")
            #expect(over.status == .badRequest && over.body.contains("\"parameter\":\"steps\""))
            let huge = try await get(client, "/api/schedule?lr=0.1&schedule=constant&steps=99999999999999999999")
            #expect(huge.status == .badRequest)
        }
    }

    /// A computation that does not finish answers 503. The endpoint blocks until the race has answered, so
    /// nothing depends on how fast the machine is (the old test raced 100,000 Adam steps against 1 ms and
    /// failed on a loaded machine); if the timer never fires, a helper releases it after 60 s and the
    /// test fails on the success it gets.
    @Test func slowRequestsTimeOut() async throws {
        let release = DispatchSemaphore(value: 0)
        let fallback = Task.detached { try? await Task.sleep(for: .seconds(60)); release.signal() }
        let result = await APIRoutes.race({ (_: String) throws(APIError) -> String in
            release.wait()
            return "{}"
        }, "", timeout: .milliseconds(50))
        release.signal()
        fallback.cancel()
        guard case .failure(let error) = result else {
            Issue.record("the blocked endpoint answered instead of the timeout: \(result)")
            return
        }
        #expect(error.status == 503 && error.json.contains("timed out"), "\(error.json)")
    }

    /// HEAD is GET without the body; other methods answer 405 with Allow; /favicon.ico answers 204, not 404.
    @Test func methodsAndFavicon() async throws {
        try await testApplication().test(.router) { client in
            let uri = "/api/optimize?function=quadratic&start=-5,-2&steps=3&optimizer=sgd&lr=0.4"
            let full = try await get(client, uri)
            let head = try await client.execute(uri: uri, method: .head) { r in
                (r.status, r.headers[.contentType], r.headers[.contentLength], r.body.readableBytes)
            }
            #expect(head.0 == .ok && head.1 == full.type && head.3 == 0, "\(head)")
            #expect(head.2 == "\(full.body.utf8.count)", "HEAD's Content-Length \(String(describing: head.2)) vs GET's body \(full.body.utf8.count)")
            let page = try await client.execute(uri: "/book/", method: .head) { ($0.status, $0.body.readableBytes) }
            #expect(page.0 == .ok && page.1 == 0)
            for method in [HTTPRequest.Method.post, .put, .delete, .patch, .options] {
                for path in [uri, "/", "/book/", "/nothing"] {
                    let r = try await client.execute(uri: path, method: method) { r in
                        (r.status, r.headers[.allow], String(buffer: r.body))
                    }
                    #expect(r.0 == .methodNotAllowed && r.1 == "GET, HEAD" && r.2.contains("\"error\""), "\(method) \(path): \(r)")
                }
            }
            let icon = try await get(client, "/favicon.ico")
            #expect(icon.status == .noContent && icon.body.isEmpty)
        }
    }

    /// The book's pages are rendered once, when the server starts: a chapter's Markdown changed afterwards
    /// does not change what is served (the server rendered every request from Markdown: ~160 req/s).
    @Test func bookPagesAreRenderedOnce() async throws {
        let fm = FileManager.default
        let book = fm.temporaryDirectory.appendingPathComponent("playground-book-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: book) }
        try fm.createDirectory(at: book.appendingPathComponent("ch00-tour"), withIntermediateDirectories: true)
        let output = repositoryRoot.appendingPathComponent("output")
        try fm.copyItem(at: output.appendingPathComponent("README.md"), to: book.appendingPathComponent("README.md"))
        let chapter = book.appendingPathComponent("ch00-tour/README.md")
        try fm.copyItem(at: output.appendingPathComponent("ch00-tour/README.md"), to: chapter)
        let app = try buildApplication(PlaygroundConfiguration(book: book))
        try await app.test(.router) { client in
            let first = try await get(client, "/book/ch00-tour/")
            #expect(first.status == .ok && first.body.contains("<h1"))
            try "# Changed after the start\n".write(to: chapter, atomically: true, encoding: .utf8)
            for uri in ["/book/ch00-tour/", "/book/ch00-tour/index.html"] {
                let again = try await get(client, uri)
                #expect(again.status == .ok && again.body == first.body && !again.body.contains("Changed after"), "\(uri)")
            }
        }
    }

    /// A page's "try it in the playground" links point at this server, not at the default address.
    @Test func tryItLinksPointAtThisServer() async throws {
        try await testApplication().test(.router) { client in
            let page = try await get(client, "/book/ch09-momentum/index.html")
            #expect(page.status == .ok)
            let local = page.body.components(separatedBy: "href=\"/?function=quadratic").count - 1
            #expect(local == 3, "ch09 links its three figures to the page: \(local)")
            #expect(!page.body.contains("127.0.0.1:8080"))
        }
    }

    @Test func largeBodiesAreRefused() async throws {
        try await testApplication().test(.router) { client in
            let body = ByteBuffer(repeating: 0x41, count: 64 * 1024)
            let answer = try await get(client, "/api/palette", headers: [.contentLength: "\(body.readableBytes)"], body: body)
            #expect(answer.status == .contentTooLarge)
        }
    }

    /// Odd queries answer 400 or 404 with JSON: never a crash, never a 500.
    @Test(arguments: [
        "/api/optimize", "/api/optimize?", "/api/optimize?&&&", "/api/optimize?=1", "/api/optimize?function",
        "/api/optimize?FUNCTION=quadratic", "/api/optimize?function=quadratic&function=%00", "/api/optimize?%ZZ=1",
        "/api/optimize?function=quadratic&start=1e400,1&steps=5&optimizer=sgd&lr=1", "/api/limits?function=quadratic&momentum=1",
        "/api/contours?function=saddle&condition=2", "/api/find-lr?help=true", "/api/schedule?version=true",
        "/api/optimize?format=csv", "/api/nothing", "/api/palette?x=1",
    ])
    func badQueriesAnswerJSON(uri: String) async throws {
        try await testApplication().test(.router) { client in
            let answer = try await get(client, uri)
            #expect(answer.status == .badRequest || answer.status == .notFound, "\(uri): \(answer.status)")
            let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]
            #expect(object?["error"] is String, "\(uri): \(answer.body)")
        }
    }

    @Test(arguments: [
        "/book/../../etc/passwd", "/book/..%2F..%2Fetc/passwd", "/book/%2e%2e/%2e%2e/etc/passwd", "/book/ch00-tour/../../Package.swift",
        "/book/ch00-tour/README.md", "/book/ch00-tour/.hidden", "/book/ch00-tour/nothing.svg", "/book/nothing/",
        "/book/katex/", "/book/katex/../../../etc/passwd", "/etc/passwd", "/Package.swift", "/book/ch00-tour/x/",
    ])
    func nothingLeavesTheBook(uri: String) async throws {
        try await testApplication().test(.router) { client in
            let answer = try await get(client, uri)
            #expect(answer.status == .notFound, "\(uri): \(answer.status)")
            #expect(!answer.body.contains("root:"))
        }
    }

    @Test func theBookIsServedAsHTML() async throws {
        try await testApplication().test(.router) { client in
            let index = try await get(client, "/book/")
            #expect(index.status == .ok && index.type == "text/html; charset=utf-8")
            #expect(index.body.contains("href=\"ch00-tour/index.html\""))
            let chapter = try await get(client, "/book/ch00-tour/")
            #expect(chapter.status == .ok && chapter.body.contains("<img src=\"trajectories.svg\""))
            #expect(chapter.body.contains("class=\"math display\"") && chapter.body.contains("rel=\"next\""))
            let figure = try await get(client, "/book/ch00-tour/trajectories.svg")
            #expect(figure.status == .ok && figure.type == "image/svg+xml" && figure.body.contains("<svg"))
            let redirect = try await client.execute(uri: "/book/ch00-tour", method: .get) { $0 }
            #expect(redirect.status == .movedPermanently && redirect.headers[.location] == "/book/ch00-tour/")
        }
    }

    /// The page is self-contained: its own files only (no CDN), and they are all served.
    @Test func thePageUsesOnlyItsOwnFiles() async throws {
        try await testApplication().test(.router) { client in
            for (route, _, type) in PageRoutes.files {
                let answer = try await get(client, route)
                #expect(answer.status == .ok && answer.type == type, "\(route)")
                #expect(!answer.body.contains("http://") && !answer.body.contains("https://") && !answer.body.contains("//cdn"),
                        "\(route) refers to another site")
            }
            let page = try await get(client, "/")
            for asset in ["/playground.js", "/playground.css"] { #expect(page.body.contains("\"\(asset)\"")) }
        }
    }

    /// The analytic limits come from Descent's Quadratic (2/L, 2(1+β)/L) and follow κ only through L.
    @Test func limitsAndContours() async throws {
        try await testApplication().test(.router) { client in
            let q = try await get(client, "/api/limits?function=quadratic&condition=50&momentum=0.9")
            let o = try #require(try JSONSerialization.jsonObject(with: Data(q.body.utf8)) as? [String: Double])
            #expect(o["L"] == 4 && o["sgd"] == 0.5 && abs(o["momentum"]! - 0.95) < 1e-15)
            let r = try await get(client, "/api/limits?function=rosenbrock")
            #expect(r.status == .ok && r.body.contains("\"sgd\":null"))
            // Every contour segment's ends lie on its level (to the grid's interpolation error).
            let c = try await get(client, "/api/contours?function=quadratic&condition=4")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(c.body.utf8)) as? [String: Any])
            let levels = try #require(object["levels"] as? [[String: Any]])
            #expect(levels.count >= 8)
            for level in levels {
                let value = try #require(level["value"] as? Double)
                let segments = try #require(level["segments"] as? [[Double]])
                #expect(!segments.isEmpty)
                for s in segments {
                    for (x, y) in [(s[0], s[1]), (s[2], s[3])] {
                        let f = 0.5 * x * x + 2 * y * y
                        #expect(abs(f - value) <= 0.02 * max(value, 0.5), "\(x),\(y): \(f) vs \(value)")
                    }
                }
            }
        }
    }
}
