import Foundation
import Ink

/// The generated book (`output/`) as a web site: each chapter's `README.md` rendered to HTML with
/// its figures, tables and math, a table of contents and previous/next links.
///
/// One renderer for two uses: the Playground serves pages from it under `/book/`, and
/// `book --html DIR` writes the same pages as static files. Site layout (relative links only, so
/// it works under any prefix):
///
///     index.html                 the contents page (output/README.md)
///     <chapter>/index.html       a chapter (output/<chapter>/README.md)
///     <chapter>/<figure>.svg …   the chapter's figures, data and gnuplot scripts
///     style.css                  the stylesheet
///     katex/…                    KaTeX, when the system has it (Debian: libjs-katex)
public struct BookSite: Sendable {
    /// A chapter: its folder name and the title of its first heading.
    public struct Chapter: Sendable, Equatable {
        public let slug: String
        public let title: String
    }

    /// What a request path resolves to.
    public enum Resource: Sendable, Equatable {
        /// A rendered page.
        case page(html: String)
        /// A generated text file (the stylesheet, the math script).
        case text(String, contentType: String)
        /// A file to send as is.
        case file(URL, contentType: String)
        /// The same path with a trailing slash (so relative links resolve).
        case redirect(String)
    }

    /// The generated book folder (with README.md and one folder per chapter).
    public let source: URL
    /// The chapters, in reading order.
    public let chapters: [Chapter]
    /// KaTeX's folder (katex.min.js, katex.min.css, fonts/), or nil: formulas stay plain TeX.
    public let katex: URL?
    /// Where the navigation's "Playground" link points (nil: no link, as in the static site).
    public var playgroundLink: String?

    /// Where Debian's `libjs-katex` installs KaTeX.
    public static let systemKaTeX = URL(fileURLWithPath: "/usr/share/javascript/katex")

    /// File types a chapter folder may serve (figures, their data and scripts); anything else is 404.
    public static let contentTypes: [String: String] = [
        "svg": "image/svg+xml", "png": "image/png", "dat": "text/plain; charset=utf-8",
        "gp": "text/plain; charset=utf-8", "csv": "text/csv; charset=utf-8", "txt": "text/plain; charset=utf-8",
    ]
    /// File types served from KaTeX's folder.
    static let katexContentTypes: [String: String] = [
        "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
        "woff2": "font/woff2", "woff": "font/woff", "ttf": "font/ttf",
    ]

    /// The book in `source`: its contents page and the pages of `chapters` (their slugs, in reading
    /// order: the book's own list, `Book.chapters`), each with the title of its first heading; a
    /// chapter without a page in `source` (not run yet) is left out.
    /// - Parameter katex: KaTeX's folder; by default the system's when it has `katex.min.js`.
    /// - Throws: when `source/README.md` cannot be read.
    public init(source: URL, chapters slugs: [String], katex: URL?? = nil) throws {
        self.source = source.standardizedFileURL
        _ = try String(contentsOf: source.appendingPathComponent("README.md"), encoding: .utf8)
        var chapters: [Chapter] = []
        for slug in slugs where Self.isSafeName(slug) && !chapters.contains(where: { $0.slug == slug }) {
            let page = source.appendingPathComponent(slug).appendingPathComponent("README.md")
            guard let text = try? String(contentsOf: page, encoding: .utf8) else { continue }
            chapters.append(Chapter(slug: slug, title: Self.title(of: text) ?? slug))
        }
        self.chapters = chapters
        let candidate = katex ?? Self.systemKaTeX
        if let candidate, FileManager.default.fileExists(atPath: candidate.appendingPathComponent("katex.min.js").path) {
            self.katex = candidate
        } else {
            self.katex = nil
        }
    }

    /// The text of the first `# ` heading.
    static func title(of markdown: String) -> String? {
        for line in markdown.split(separator: "\n") where line.hasPrefix("# ") {
            return String(line.dropFirst(2)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// A single path component made of letters, digits, `.`, `_`, `-`, not starting with a dot.
    static func isSafeName(_ name: some StringProtocol) -> Bool {
        guard let first = name.first, first != ".", name.count <= 200 else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }
    }

    // MARK: Resolving paths

    /// The resource at `path`, relative to the site root (e.g. `""`, `"ch00-tour/"`,
    /// `"ch00-tour/trajectories.svg"`, `"katex/katex.min.js"`), or nil (404).
    ///
    /// Every component must be a safe name (no `..`, no hidden files, no separators); chapter
    /// files must be regular files with a listed extension inside a listed chapter; there are
    /// no directory listings.
    public func resource(at path: String) -> Resource? {
        let components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let trailingSlash = components.last == ""
        let parts = trailingSlash ? Array(components.dropLast()) : components
        if parts.isEmpty || parts == [""] { return .page(html: indexPage()) }
        if parts == ["index.html"] { return .page(html: indexPage()) }
        if parts == ["style.css"] { return .text(Self.stylesheet, contentType: "text/css; charset=utf-8") }
        if parts == ["render-math.js"] { return .text(Self.renderMathScript, contentType: "text/javascript; charset=utf-8") }
        guard parts.allSatisfy({ Self.isSafeName($0) }) else { return nil }
        if parts[0] == "katex" {
            guard let katex, parts.count >= 2 else { return nil }
            let ext = (parts.last! as NSString).pathExtension.lowercased()
            guard let type = Self.katexContentTypes[ext] else { return nil }
            let url = parts.dropFirst().reduce(katex) { $0.appendingPathComponent($1) }
            // KaTeX's own symbolic links (Debian links fonts/ to /usr/share/fonts) are the system's:
            // followed, but no component can climb out (safe names only).
            return regularFile(url, inside: nil).map { .file($0, contentType: type) }
        }
        guard let chapter = chapters.firstIndex(where: { $0.slug == parts[0] }) else { return nil }
        if parts.count == 1 {
            return trailingSlash ? page(chapter).map { .page(html: $0) } : .redirect(parts[0] + "/")
        }
        guard parts.count == 2, !trailingSlash else { return nil }
        if parts[1] == "index.html" { return page(chapter).map { .page(html: $0) } }
        let ext = (parts[1] as NSString).pathExtension.lowercased()
        guard let type = Self.contentTypes[ext] else { return nil }
        let folder = source.appendingPathComponent(parts[0])
        return regularFile(folder.appendingPathComponent(parts[1]), inside: folder).map { .file($0, contentType: type) }
    }

    /// `url` when it is a regular file whose real path (symbolic links resolved) lies inside `folder`.
    func regularFile(_ url: URL, inside folder: URL?) -> URL? {
        let real = url.resolvingSymlinksInPath().path
        if let folder {
            guard real.hasPrefix(folder.resolvingSymlinksInPath().path + "/") else { return nil }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory), !isDirectory.boolValue,
              FileManager.default.isReadableFile(atPath: real) else { return nil }
        return URL(fileURLWithPath: real)
    }

    // MARK: Pages

    /// The contents page.
    public func indexPage() -> String {
        let markdown = (try? String(contentsOf: source.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
        return render(markdown, title: Self.title(of: markdown) ?? "Descent", depth: 0, current: nil)
    }

    /// Chapter `i`'s page, or nil when its Markdown cannot be read.
    public func page(_ i: Int) -> String? {
        let url = source.appendingPathComponent(chapters[i].slug).appendingPathComponent("README.md")
        guard let markdown = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        return render(markdown, title: chapters[i].title, depth: 1, current: i)
    }

    /// Rewrites a link of the generated Markdown to the site's layout: `x/README.md` → `x/index.html`,
    /// `x/README.md#section` → `x/index.html#section`.
    static func siteLink(_ href: String) -> String {
        // The part after `#` (a section of that page) is kept as it is.
        let hash = href.firstIndex(of: "#") ?? href.endIndex
        let (path, fragment) = (href[..<hash], href[hash...])
        // Only the book's own, relative links: a URL elsewhere (`https://…/README.md`) is left alone.
        if path.contains("://") || path.hasPrefix("/") { return href }
        // `index.html`, not the folder: opened from file:// a folder link shows a directory listing.
        if path == "README.md" { return "index.html" + fragment }
        if path.hasSuffix("/README.md") { return String(path.dropLast("README.md".count)) + "index.html" + fragment }
        return href
    }

    /// `<sub>[data](x.dat) · …</sub>` with its Markdown links as HTML: Ink leaves Markdown inside an inline
    /// HTML tag as text (CommonMark, and GitHub, parse it), so every figure's data, script and playground
    /// links showed as "[data](x.dat)". The links get the site's layout (``siteLink(_:)``) and `&` escaped.
    static func linksInsideSub(_ markdown: String) -> String {
        var out = "", rest = Substring(markdown)
        while let open = rest.range(of: "<sub>"), let close = rest[open.upperBound...].range(of: "</sub>") {
            out += rest[..<open.upperBound]
            var inner = rest[open.upperBound..<close.lowerBound], converted = ""
            while let start = inner.range(of: "["), let mid = inner[start.upperBound...].range(of: "]("),
                  let end = inner[mid.upperBound...].firstIndex(of: ")") {
                converted += inner[..<start.lowerBound]
                let text = inner[start.upperBound..<mid.lowerBound], href = siteLink(String(inner[mid.upperBound..<end]))
                converted += "<a href=\"\(href.replacingOccurrences(of: "&", with: "&amp;"))\">\(text)</a>"
                inner = inner[inner.index(after: end)...]
            }
            out += converted + inner + "</sub>"
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// A full HTML page: navigation (contents, previous/next, this page's sections), the body, math.
    func render(_ markdown: String, title: String, depth: Int, current: Int?) -> String {
        let up = String(repeating: "../", count: depth)
        let math = MathExtraction(markdown)
        var parser = MarkdownParser()
        parser.addModifier(Modifier(target: .links) { html, _ in
            Self.rewriteAttribute("href", in: html, with: Self.siteLink)
        })
        parser.addModifier(Modifier(target: .headings) { html, _ in
            // <h2>Text</h2> → <h2 id="text">Text</h2>, so the section list can link to it.
            guard html.hasPrefix("<h2>"), let end = html.range(of: "</h2>") else { return html }
            let text = String(html[html.index(html.startIndex, offsetBy: 4)..<end.lowerBound])
            return "<h2 id=\"\(Self.anchor(text))\">\(text)</h2>"
        })
        parser.addModifier(Modifier(target: .images) { html, _ in
            "<a class=\"figure\" href=\"\(Self.attribute("src", in: html) ?? "")\">\(html)</a>"
        })
        let body = math.restore(in: parser.html(from: Self.linksInsideSub(math.markdown)))
        let sections = Self.sectionLinks(in: body)

        var nav = "<nav class=\"toc\" aria-label=\"Contents\"><p><a href=\"\(up)index.html\">Descent</a></p><ol start=\"0\">"
        for (i, c) in chapters.enumerated() {
            let mark = i == current ? " aria-current=\"page\"" : ""
            nav += "<li><a\(mark) href=\"\(up)\(c.slug)/index.html\">\(escapeHTML(c.title))</a></li>"
        }
        nav += "</ol>"
        if !sections.isEmpty {
            nav += "<p>On this page</p><ul>" + sections.map { "<li><a href=\"#\($0.id)\">\($0.text)</a></li>" }.joined() + "</ul>"
        }
        if let playgroundLink { nav += "<p><a href=\"\(escapeHTML(playgroundLink))\" class=\"playground\">Playground</a></p>" }
        nav += "</nav>"

        var pager = "<nav class=\"pager\" aria-label=\"Previous and next\">"
        if let current {
            if current > 0 {
                let p = chapters[current - 1]
                pager += "<a rel=\"prev\" href=\"../\(p.slug)/index.html\">← \(escapeHTML(p.title))</a>"
            } else {
                pager += "<a rel=\"prev\" href=\"../index.html\">← Contents</a>"
            }
            if current + 1 < chapters.count {
                let n = chapters[current + 1]
                pager += "<a rel=\"next\" href=\"../\(n.slug)/index.html\">\(escapeHTML(n.title)) →</a>"
            }
        } else if let first = chapters.first {
            pager += "<a rel=\"next\" href=\"\(first.slug)/index.html\">\(escapeHTML(first.title)) →</a>"
        }
        pager += "</nav>"

        let katexHead = katex == nil ? "" : """
            <link rel="stylesheet" href="\(up)katex/katex.min.css">
            <script defer src="\(up)katex/katex.min.js"></script>
            <script defer src="\(up)render-math.js"></script>
            """
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escapeHTML(title)) — Descent</title>
            <link rel="stylesheet" href="\(up)style.css">
            \(katexHead)
            </head>
            <body>
            \(nav)
            <main>
            \(body)
            \(pager)
            </main>
            </body>
            </html>

            """
    }

    /// A heading's anchor: lower-case letters and digits, words joined by `-`.
    static func anchor(_ text: String) -> String {
        var out = "", dash = false
        for c in stripTags(text).lowercased() {
            if c.isASCII && (c.isLetter || c.isNumber) {
                if dash && !out.isEmpty { out += "-" }
                out.append(c)
                dash = false
            } else {
                dash = true
            }
        }
        return out.isEmpty ? "section" : out
    }

    static func stripTags(_ html: String) -> String {
        var out = "", inTag = false
        for c in html {
            if c == "<" { inTag = true } else if c == ">" { inTag = false } else if !inTag { out.append(c) }
        }
        return out
    }

    /// The `<h2 id=…>` sections of a rendered body.
    static func sectionLinks(in body: String) -> [(id: String, text: String)] {
        var out: [(String, String)] = []
        var rest = body[...]
        while let r = rest.range(of: "<h2 id=\"") {
            let after = rest[r.upperBound...]
            guard let q = after.firstIndex(of: "\""), let gt = after.firstIndex(of: ">"),
                  let end = after.range(of: "</h2>") else { break }
            out.append((String(after[..<q]), String(after[after.index(after: gt)..<end.lowerBound])))
            rest = after[end.upperBound...]
        }
        return out
    }

    static func attribute(_ name: String, in html: String) -> String? {
        guard let r = html.range(of: "\(name)=\"") else { return nil }
        let after = html[r.upperBound...]
        guard let q = after.firstIndex(of: "\"") else { return nil }
        return String(after[..<q])
    }

    static func rewriteAttribute(_ name: String, in html: String, with transform: (String) -> String) -> String {
        guard let r = html.range(of: "\(name)=\""), let q = html[r.upperBound...].firstIndex(of: "\"") else { return html }
        return html.replacingCharacters(in: r.upperBound..<q, with: transform(String(html[r.upperBound..<q])))
    }

    // MARK: Static files

    /// The stylesheet every page links.
    public static let stylesheet = """
        :root { --ink: #1d2430; --muted: #5b6472; --line: #d9dee7; --accent: #0072b2; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.6 system-ui, sans-serif; color: var(--ink); display: flex; }
        nav.toc { width: 17rem; flex: none; padding: 1rem; border-right: 1px solid var(--line);
                  position: sticky; top: 0; height: 100vh; overflow: auto; font-size: 0.9rem; }
        nav.toc ol, nav.toc ul { padding-left: 1.3rem; }
        nav.toc [aria-current] { font-weight: bold; }
        main { max-width: 52rem; padding: 1rem 2rem 4rem; min-width: 0; }
        a { color: var(--accent); }
        img { max-width: 100%; height: auto; }
        table { border-collapse: collapse; margin: 1rem 0; display: block; overflow-x: auto; }
        th, td { border: 1px solid var(--line); padding: 0.25rem 0.6rem; }
        pre { background: #f5f7fa; padding: 0.8rem; overflow-x: auto; }
        code { font-size: 0.92em; }
        blockquote { border-left: 4px solid var(--line); margin: 1rem 0; padding: 0 1rem; color: var(--muted); }
        .math.display { display: block; text-align: center; margin: 1rem 0; overflow-x: auto; }
        nav.pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 3rem;
                    border-top: 1px solid var(--line); padding-top: 1rem; }
        @media (max-width: 50rem) { body { display: block; } nav.toc { position: static; width: auto; height: auto; } }

        """

    /// Renders every `.math` element with KaTeX (loaded before this script); without KaTeX the
    /// TeX stays readable as text.
    public static let renderMathScript = """
        // Renders the book's formulas: every .math element holds TeX; .display ones are blocks.
        document.addEventListener("DOMContentLoaded", function () {
          if (typeof katex === "undefined") return;
          document.querySelectorAll(".math").forEach(function (el) {
            try {
              katex.render(el.textContent, el, { displayMode: el.classList.contains("display"), throwOnError: false });
            } catch (e) { /* leave the TeX as text */ }
          });
        });

        """

    /// Writes the whole site to `directory` (created if needed): every page, the chapter files
    /// listed in ``contentTypes``, the stylesheet, and KaTeX when available.
    public func write(to directory: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(indexPage().utf8).write(to: directory.appendingPathComponent("index.html"), options: .atomic)
        try Data(Self.stylesheet.utf8).write(to: directory.appendingPathComponent("style.css"), options: .atomic)
        try Data(Self.renderMathScript.utf8).write(to: directory.appendingPathComponent("render-math.js"), options: .atomic)
        for (i, chapter) in chapters.enumerated() {
            let folder = directory.appendingPathComponent(chapter.slug)
            // Not with intermediates: a staging folder removed meanwhile (book --html on a signal) stays removed.
            if !fm.fileExists(atPath: folder.path) { try fm.createDirectory(at: folder, withIntermediateDirectories: false) }
            if let html = page(i) {
                try Data(html.utf8).write(to: folder.appendingPathComponent("index.html"), options: .atomic)
            }
            let sourceFolder = source.appendingPathComponent(chapter.slug)
            for name in try fm.contentsOfDirectory(atPath: sourceFolder.path).sorted()
            where Self.contentTypes[(name as NSString).pathExtension.lowercased()] != nil && Self.isSafeName(name) {
                guard let file = regularFile(sourceFolder.appendingPathComponent(name), inside: sourceFolder) else { continue }
                // Read and written (not copyItem), so that a failure names the file being written.
                try Data(contentsOf: file).write(to: folder.appendingPathComponent(name), options: .atomic)
            }
        }
        if let katex {
            let target = directory.appendingPathComponent("katex")
            try? fm.removeItem(at: target)
            try copyKaTeX(from: katex, to: target)
        }
    }

    /// Copies KaTeX's files (the types in ``katexContentTypes``; symbolic links followed, so the
    /// copy stands alone) from `folder` to `target`.
    func copyKaTeX(from folder: URL, to target: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: target, withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: folder.path).sorted() where Self.isSafeName(name) {
            let item = folder.appendingPathComponent(name).resolvingSymlinksInPath()
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: item.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                try copyKaTeX(from: item, to: target.appendingPathComponent(name))
            } else if Self.katexContentTypes[(name as NSString).pathExtension.lowercased()] != nil {
                try fm.copyItem(at: item, to: target.appendingPathComponent(name))
            }
        }
    }
}
