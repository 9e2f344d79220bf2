import Foundation
import Notebook
import Testing
@testable import BookSite

/// A small generated book in a temporary folder: a contents page and two chapters.
struct FakeBook {
    /// Its chapters, in reading order (what `book` passes from its list).
    static let slugs = ["ch00-a", "ch01-b"]
    let root: URL
    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("booksite-\(UUID().uuidString)")
        let fm = FileManager.default
        for slug in ["ch00-a", "ch01-b"] {
            try fm.createDirectory(at: root.appendingPathComponent(slug), withIntermediateDirectories: true)
        }
        try fm.createDirectory(at: root.appendingPathComponent("ch00-a/sub"), withIntermediateDirectories: true)
        try """
            # The Book

            | # | chapter |
            |---:|:---|
            | 0 | [First](ch00-a/README.md) |
            | 1 | [Second](ch01-b/README.md) |
            """.write(to: root.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        try """
            # Chapter 0 — First

            *[Descent](../README.md)*

            See [the next chapter's section](../ch01-b/README.md#a-part), [this page's](README.md#a-section),
            [the contents](../README.md#chapters) and [elsewhere](https://example.org/x/README.md#y).

            The update is $\\theta_{t+1} = \\theta_t - \\alpha g_t$ and `cost $5 $6` stays code.

            $$L = \\sum_i x_i^2 < 1$$

            ## A section

            | a | b |
            |:---|---:|
            | 1 | 2 |

            ![A figure](fig.svg)
            """.write(to: root.appendingPathComponent("ch00-a/README.md"), atomically: true, encoding: .utf8)
        try "# Chapter 1 — Second\n\nText.\n".write(to: root.appendingPathComponent("ch01-b/README.md"), atomically: true, encoding: .utf8)
        try "<svg xmlns='http://www.w3.org/2000/svg'/>".write(to: root.appendingPathComponent("ch00-a/fig.svg"), atomically: true, encoding: .utf8)
        try "secret".write(to: root.appendingPathComponent("ch00-a/.hidden.svg"), atomically: true, encoding: .utf8)
        try "x".write(to: root.appendingPathComponent("ch00-a/notes.swift"), atomically: true, encoding: .utf8)
        try "outside".write(to: root.appendingPathComponent("outside.svg"), atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(at: root.appendingPathComponent("ch00-a/link.svg"),
                                  withDestinationURL: root.appendingPathComponent("outside.svg"))
    }
}

@Suite struct BookSiteTests {
    @Test func mathIsProtectedFromMarkdownAndCodeIsNot() {
        let m = MathExtraction("a $x_1 * y_2$ b `$c$` and $$\\sum_i a_i$$ and \\$5 and $ 3 $ end")
        #expect(m.formulas.map(\.tex) == ["x_1 * y_2", "\\sum_i a_i"])
        #expect(m.formulas.map(\.display) == [false, true])
        #expect(m.markdown.contains("`$c$`"))
        let html = m.restore(in: "<p>\(m.markdown)</p>")
        #expect(html.contains("<span class=\"math inline\">x_1 * y_2</span>"))
        #expect(html.contains("<span class=\"math display\">\\sum_i a_i</span>"))
    }

    @Test func chapterPageHasFiguresTablesMathContentsAndPager() throws {
        let book = try FakeBook()
        let site = try BookSite(source: book.root, chapters: FakeBook.slugs, katex: .some(nil))
        #expect(site.chapters.map(\.slug) == ["ch00-a", "ch01-b"])
        #expect(site.chapters.map(\.title) == ["Chapter 0 — First", "Chapter 1 — Second"])
        guard case .page(let html)? = site.resource(at: "ch00-a/") else { Issue.record("no page"); return }
        #expect(html.contains("<img src=\"fig.svg\" alt=\"A figure\"/>") || html.contains("<img src=\"fig.svg\""))
        #expect(html.contains("<table>"))
        #expect(html.contains("<span class=\"math inline\">\\theta_{t+1} = \\theta_t - \\alpha g_t</span>"))
        #expect(html.contains("<div class=\"math display\">L = \\sum_i x_i^2 &lt; 1</div>"))
        #expect(html.contains("<code>cost $5 $6</code>"))
        #expect(html.contains("href=\"../index.html\">← Contents"))
        #expect(html.contains("rel=\"next\" href=\"../ch01-b/index.html\""))
        #expect(html.contains("<h2 id=\"a-section\">A section</h2>") && html.contains("href=\"#a-section\""))
        #expect(html.contains("href=\"../index.html\">Descent</a>"))  // ../README.md → ../index.html (file:// too)
        // Links to a section of another page keep their #fragment; links elsewhere are not touched.
        #expect(html.contains("href=\"../ch01-b/index.html#a-part\"") && html.contains("href=\"index.html#a-section\""))
        #expect(html.contains("href=\"../index.html#chapters\"") && html.contains("href=\"https://example.org/x/README.md#y\""))
        #expect(!html.contains("README.md#a-part") && !html.contains("href=\"../\""))
        #expect(!html.contains("katex"))  // no KaTeX given: plain TeX
        guard case .page(let last)? = site.resource(at: "ch01-b/index.html") else { Issue.record("no page"); return }
        #expect(last.contains("rel=\"prev\" href=\"../ch00-a/index.html\"") && !last.contains("rel=\"next\""))
        guard case .page(let index)? = site.resource(at: "") else { Issue.record("no index"); return }
        #expect(index.contains("href=\"ch00-a/index.html\">First</a>") && index.contains("href=\"ch01-b/index.html\">Second</a>"))
    }

    /// Issue 19: a mutation audit dropped the escaping of the title in the pager's links and no
    /// test noticed. Titles come from the pages' first heading: every place a title or a link is
    /// written into the HTML escapes it.
    @Test("chapter titles with <script>, & and \" are escaped in the contents, the pager and <title>")
    func titlesAreEscaped() throws {
        let book = try FakeBook()
        let evil = "Chapter 1 — <script>alert(\"x\")</script> & \"Q\""
        try "# \(evil)\n\nText.\n".write(to: book.root.appendingPathComponent("ch01-b/README.md"), atomically: true, encoding: .utf8)
        var site = try BookSite(source: book.root, chapters: FakeBook.slugs, katex: .some(nil))
        site.playgroundLink = "/play?a=1&b=\"2\""
        #expect(site.chapters[1].title == evil)
        let escaped = "Chapter 1 — &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Q&quot;"
        guard case .page(let first)? = site.resource(at: "ch00-a/"),
              case .page(let second)? = site.resource(at: "ch01-b/"),
              case .page(let index)? = site.resource(at: "") else { Issue.record("no page"); return }
        // (The second page's own body is its Markdown, inline HTML allowed: only its frame is checked.)
        for html in [first, index] {
            #expect(!html.contains("<script>alert"), "an unescaped title")
            #expect(!html.contains("& \"Q\""))
        }
        for html in [first, second, index] {
            #expect(html.contains("href=\"/play?a=1&amp;b=&quot;2&quot;\""))
            #expect(html.contains("\(escaped)</a></li>"), "the contents list")
        }
        // The next link from chapter 0 (the pager), the contents list, and the second page's <title>.
        #expect(first.contains("rel=\"next\" href=\"../ch01-b/index.html\">\(escaped) →</a>"), "\(first)")
        #expect(first.contains("href=\"../ch01-b/index.html\">\(escaped)</a></li>"))
        #expect(second.contains("<title>\(escaped) — Descent</title>"))
        // And from the other side: the previous link of a third chapter after it.
        try FileManager.default.createDirectory(at: book.root.appendingPathComponent("ch02-c"), withIntermediateDirectories: true)
        try "# Chapter 2\n".write(to: book.root.appendingPathComponent("ch02-c/README.md"), atomically: true, encoding: .utf8)
        try (String(contentsOf: book.root.appendingPathComponent("README.md"), encoding: .utf8) + "\n| 2 | [Third](ch02-c/README.md) |\n")
            .write(to: book.root.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        let three = try BookSite(source: book.root, chapters: FakeBook.slugs + ["ch02-c"], katex: .some(nil))
        guard case .page(let third)? = three.resource(at: "ch02-c/") else { Issue.record("no page"); return }
        #expect(third.contains("rel=\"prev\" href=\"../ch01-b/index.html\">← \(escaped)</a>"), "\(third)")
        #expect(!third.contains("<script>alert"))
    }

    @Test(arguments: [
        "../../etc/passwd", "ch00-a/../../outside.svg", "ch00-a/../outside.svg", "..", "ch00-a/..",
        "outside.svg", "ch00-a/.hidden.svg", "ch00-a/notes.swift", "ch00-a/sub/", "ch00-a/sub",
        "ch00-a/link.svg", "ch02-missing/", "ch00-a/missing.svg", "ch00-a//fig.svg", "/etc/passwd",
        "ch00-a/fig.svg/", "katex/../../etc/passwd", "ch00-a/README.md",
    ])
    func nothingOutsideTheBookAndNoListings(path: String) throws {
        let site = try BookSite(source: FakeBook().root, chapters: FakeBook.slugs, katex: .some(nil))
        #expect(site.resource(at: path) == nil, "\(path) should be 404")
    }

    @Test func filesAndRedirects() throws {
        let book = try FakeBook()
        let site = try BookSite(source: book.root, chapters: FakeBook.slugs, katex: .some(nil))
        guard case .file(let url, let type)? = site.resource(at: "ch00-a/fig.svg") else { Issue.record("no file"); return }
        #expect(url.lastPathComponent == "fig.svg" && type == "image/svg+xml")
        #expect(site.resource(at: "ch00-a") == .redirect("ch00-a/"))
    }

    @Test func staticSiteHasEveryPageAndFigure() throws {
        let book = try FakeBook()
        let out = book.root.appendingPathComponent("site")
        try BookSite(source: book.root, chapters: FakeBook.slugs, katex: .some(nil)).write(to: out)
        let fm = FileManager.default
        for f in ["index.html", "style.css", "ch00-a/index.html", "ch00-a/fig.svg", "ch01-b/index.html"] {
            #expect(fm.fileExists(atPath: out.appendingPathComponent(f).path), "\(f)")
        }
        for f in ["ch00-a/.hidden.svg", "ch00-a/notes.swift", "ch00-a/link.svg", "ch00-a/README.md", "katex"] {
            #expect(!fm.fileExists(atPath: out.appendingPathComponent(f).path), "\(f)")
        }
    }

    /// With KaTeX installed (Debian's libjs-katex), pages load it and the static site carries a copy.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/share/javascript/katex/katex.min.js")))
    func katexWhenInstalled() throws {
        let book = try FakeBook()
        let site = try BookSite(source: book.root, chapters: FakeBook.slugs)
        guard case .page(let html)? = site.resource(at: "ch00-a/") else { Issue.record("no page"); return }
        #expect(html.contains("../katex/katex.min.js") && html.contains("../render-math.js"))
        guard case .file(_, let type)? = site.resource(at: "katex/katex.min.js") else { Issue.record("no katex"); return }
        #expect(type.hasPrefix("text/javascript"))
        let out = book.root.appendingPathComponent("site")
        try site.write(to: out)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("katex/katex.min.css").path))
        let fonts = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("katex/fonts").path)
        #expect(!fonts.isEmpty)
    }

    /// The committed book: every chapter in the contents renders with its figures.
    @Test func theCommittedBookRenders() throws {
        let output = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("output")
        let site = try BookSite(source: output, chapters: Book.chapters.map(\.slug), katex: .some(nil))
        // Every chapter of the book's list has its page in the committed book, in the list's order.
        #expect(site.chapters.map(\.slug) == Book.chapters.map(\.slug))
        for (i, chapter) in site.chapters.enumerated() {
            let html = try #require(site.page(i))
            #expect(html.contains("<img src=\""), "\(chapter.slug) has no figure")
            #expect(!html.contains("MATHPLACEHOLDER"), "\(chapter.slug)")
            // Each figure's data and script links are links, not "[data](x.dat)" as text (Ink leaves
            // Markdown inside <sub> alone).
            #expect(!html.contains("[data]("), "\(chapter.slug) shows a figure's links as Markdown text")
            let figures = html.components(separatedBy: "<img src=\"").count - 1
            let dataLinks = html.components(separatedBy: ".dat\">data</a>").count - 1
            #expect(dataLinks == figures, "\(chapter.slug): \(figures) figures, \(dataLinks) data links")
        }
        #expect(BookSite.linksInsideSub("a [x](y.md) <sub>[data](p.dat) · [go](../c/README.md#s) · [q](http://h/?a=1&b=2)</sub> [z](w)")
                == "a [x](y.md) <sub><a href=\"p.dat\">data</a> · <a href=\"../c/index.html#s\">go</a> · "
                   + "<a href=\"http://h/?a=1&amp;b=2\">q</a></sub> [z](w)")
    }

    /// The committed book: every link from one page of the site to another (or to a figure, its data or
    /// script) resolves, and a `#section` names an id on the target page. (The contents page and the FAQ
    /// linked `../chNN/README.md#section`, which the site left as it was: three 404s on the FAQ page.)
    @Test func everyLinkBetweenTheCommittedBooksPagesResolves() throws {
        let output = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("output")
        let site = try BookSite(source: output, chapters: Book.chapters.map(\.slug), katex: .some(nil))
        var pages: [String: String] = [:]
        guard case .page(let index)? = site.resource(at: "index.html") else { Issue.record("no contents"); return }
        pages["index.html"] = index
        for c in site.chapters {
            guard case .page(let html)? = site.resource(at: "\(c.slug)/index.html") else {
                Issue.record("\(c.slug): no page"); continue
            }
            pages["\(c.slug)/index.html"] = html
        }
        var checked = 0, fragments = 0
        for (path, html) in pages.sorted(by: { $0.key < $1.key }) {
            for href in Self.hrefs(html) where !href.contains("://") && !href.hasPrefix("mailto:") {
                let hash = href.firstIndex(of: "#") ?? href.endIndex
                let target = String(href[..<hash]), fragment = String(href[hash...].dropFirst())
                // Resolve against the page's folder, as a browser would.
                var parts = path.split(separator: "/").dropLast().map(String.init)
                for part in (target.isEmpty ? path.split(separator: "/").last.map(String.init) ?? "" : target)
                    .split(separator: "/", omittingEmptySubsequences: false).map(String.init) {
                    if part == ".." { _ = parts.popLast() } else if part != "." { parts.append(part) }
                }
                let resolved = parts.joined(separator: "/")
                checked += 1
                if let page = pages[resolved] ?? (target.isEmpty ? html : nil) {
                    if !fragment.isEmpty {
                        fragments += 1
                        #expect(page.contains("id=\"\(fragment)\""), "\(path): \(href) names no section of \(resolved)")
                    }
                } else {
                    #expect(site.resource(at: resolved) != nil, "\(path): \(href) → \(resolved) is a 404")
                    #expect(!resolved.hasSuffix("README.md"), "\(path): \(href) points at Markdown, not the page")
                }
            }
        }
        #expect(checked > 100 && fragments > 10, "\(checked) links, \(fragments) with a #section")
    }

    /// The values of the `href` attributes in `html`, in order.
    static func hrefs(_ html: String) -> [String] {
        var out: [String] = []
        var rest = html[...]
        while let r = rest.range(of: "href=\"") {
            let tail = rest[r.upperBound...]
            guard let end = tail.firstIndex(of: "\"") else { break }
            out.append(String(tail[..<end]).replacingOccurrences(of: "&amp;", with: "&"))
            rest = tail[end...]
        }
        return out
    }
}
