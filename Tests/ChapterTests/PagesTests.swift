import Foundation
import Testing

/// Checks a book page for the ways pages rot: leaked Swift source, TeX that GitHub's `$…$`
/// mangles, links and images that do not resolve, and references to exercises, figures and
/// tables the page does not have.
enum PageLint {
    /// The book's committed pages, or the folder named by `DESCENT_PAGES` (e.g. a run into /tmp).
    static var root: URL {
        if let dir = ProcessInfo.processInfo.environment["DESCENT_PAGES"] { return URL(fileURLWithPath: dir) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("output")
    }

    /// Every README.md under `root`, by path relative to it.
    static func pages(under root: URL) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var out: [String] = []
        while let rel = e.nextObject() as? String {
            if rel.hasSuffix("README.md") && !rel.contains(".staging") { out.append(rel) }
        }
        return out.sorted()
    }

    /// The page without fenced code blocks (solutions show Swift source on purpose).
    static func prose(_ text: String) -> [(line: Int, text: String)] {
        var out: [(Int, String)] = [], fenced = false
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") { fenced.toggle(); continue }
            if !fenced { out.append((i + 1, String(line))) }
        }
        return out
    }

    /// Math spans: `$$…$$` and `$…$` on one line.
    static func mathSpans(_ line: String) -> [String] {
        var spans: [String] = []
        let chars = Array(line)
        var i = 0
        while i < chars.count {
            guard chars[i] == "$", i == 0 || chars[i - 1] != "\\" else { i += 1; continue }
            let display = i + 1 < chars.count && chars[i + 1] == "$"
            let open = display ? 2 : 1
            var j = i + open
            while j < chars.count {
                if chars[j] == "$" && chars[j - 1] != "\\" && (!display || (j + 1 < chars.count && chars[j + 1] == "$")) { break }
                j += 1
            }
            guard j < chars.count else { break }
            spans.append(String(chars[(i + open)..<j]))
            i = j + open
        }
        return spans
    }

    /// Problems of one page, each "line N: what".
    static func problems(in text: String, pageDirectory: URL?) -> [String] {
        var found: [String] = []
        let lines = prose(text)
        for (n, line) in lines {
            if line.contains("\\(") && !mathSpans(line).contains(where: { $0.contains("\\(") }) {
                found.append("line \(n): leaked Swift interpolation \\( in \"\(line.prefix(80))\"")
            }
            if line.hasSuffix("\\") { found.append("line \(n): line ends with a backslash (escaped newline leaked)") }
            for span in mathSpans(line) {
                for bad in ["\\,", "\\;", "\\|", "\\!"] where span.contains(bad) {
                    found.append("line \(n): \(bad) inside $…$ (GitHub strips the backslash); use ```math or other TeX")
                }
            }
            if let dir = pageDirectory {
                for target in links(in: line) where !FileManager.default.fileExists(atPath: dir.appendingPathComponent(target).path) {
                    found.append("line \(n): link or image '\(target)' does not resolve")
                }
            }
        }
        let body = lines.map(\.text).joined(separator: "\n")
        let defined: [String: Int] = [
            "exercise": count(#"\*\*Exercise \d+\.\*\*"#, in: body),
            "figure": count(#"\*Figure \d+\."#, in: body),
            "table": count(#"\*\*Table \d+\.\*\*"#, in: body),
        ]
        for (kind, number, context) in references(in: body) where number < 1 || number > defined[kind]! {
            found.append("refers to \(kind) \(number) (\"\(context)\") but the page has \(defined[kind]!)")
        }
        return found
    }

    /// Relative targets of Markdown links and images, without fragments.
    static func links(in line: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: #"\]\(([^)\s]+)\)|<img[^>]*src="([^"]+)""#)
        let ns = line as NSString
        return regex.matches(in: line, range: NSRange(location: 0, length: ns.length)).compactMap { m in
            let r = m.range(at: 1).location != NSNotFound ? m.range(at: 1) : m.range(at: 2)
            var target = ns.substring(with: r)
            if target.hasPrefix("http:") || target.hasPrefix("https:") || target.hasPrefix("mailto:") || target.hasPrefix("#") {
                return nil
            }
            if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
            return target.isEmpty ? nil : target
        }
    }

    static func count(_ pattern: String, in text: String) -> Int {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.numberOfMatches(in: text, range: NSRange(location: 0, length: (text as NSString).length))
    }

    /// "exercise 2", "Figures 1 and 3", "table 1–2" (not the definitions "**Table 1.**", and not
    /// references into another chapter: "chapter 1's table 2", "table 2 of chapter 1").
    static func references(in text: String) -> [(String, Int, String)] {
        let pattern = #"(?i)(chapter \d+'s |ch\d\d's )?\b(exercise|figure|table)s? (\d+)((?:\s*(?:,|and|–|-|to)\s*\d+)*)(\s+(?:of|in) (?:chapter|ch)\s*\d+)?"#
        let regex = try! NSRegularExpression(pattern: pattern)
        let ns = text as NSString
        var out: [(String, Int, String)] = []
        for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let whole = ns.substring(with: m.range)
            if m.range(at: 1).location != NSNotFound || m.range(at: 5).location != NSNotFound { continue }
            // Definitions and captions: "**Table 1.**", "*Figure 2. …".
            let before = m.range.location > 0 ? ns.substring(with: NSRange(location: m.range.location - 1, length: 1)) : ""
            if before == "*" { continue }
            let kind = ns.substring(with: m.range(at: 2)).lowercased()
            var numbers = [Int(ns.substring(with: m.range(at: 3)))!]
            if m.range(at: 4).location != NSNotFound {
                let tail = ns.substring(with: m.range(at: 4))
                numbers += tail.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            }
            for n in numbers { out.append((kind, n, whole)) }
        }
        return out
    }
}

@Suite("Pages: every committed page reads clean (DESCENT_PAGES=dir to check another folder)")
struct PagesTests {
    @Test("no leaked source, no mangled TeX, every link resolves, every referenced exercise/figure/table exists")
    func pages() throws {
        let root = PageLint.root
        let pages = PageLint.pages(under: root)
        #expect(!pages.isEmpty, "no README.md under \(root.path)")
        for rel in pages {
            let url = root.appendingPathComponent(rel)
            let text = try String(contentsOf: url, encoding: .utf8)
            let problems = PageLint.problems(in: text, pageDirectory: url.deletingLastPathComponent())
            #expect(problems.isEmpty, "\(rel):\n\(problems.joined(separator: "\n"))")
        }
    }

    @Test("the checker finds each kind of rot in a planted page")
    func plantedPage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "x".write(to: dir.appendingPathComponent("there.svg"), atomically: true, encoding: .utf8)
        let clean = """
            # Page
            The rate $\\alpha < 2/L$ and ![fig](there.svg), see [home](there.svg#top) and [web](https://x.org).
            **Table 1.** caption
            *Figure 1. caption*
            **Exercise 1.** question
            As table 1 and figure 1 show; exercise 1 asks; chapter 1's table 4 is elsewhere, as is table 3 of chapter 2.
            ```swift
            print("\\(x)") \\
            ```
            """
        #expect(PageLint.problems(in: clean, pageDirectory: dir) == [])
        let planted: [(String, String)] = [
            ("Two rates diag(\\(Fmt.sig(mu)), 4).", "leaked Swift interpolation"),
            ("a line that continues \\", "ends with a backslash"),
            ("$\\|W\\| x$", "\\| inside"),
            ("$$a \\; b$$", "\\; inside"),
            ("![gone](missing.svg)", "'missing.svg' does not resolve"),
            ("which exercise 2 tries", "exercise 2"),
            ("Figures 1 and 3 show", "figure 3"),
            ("Table 2 lists", "table 2"),
        ]
        for (line, expected) in planted {
            let problems = PageLint.problems(in: clean + "\n" + line + "\n", pageDirectory: dir)
            #expect(problems.count == 1 && problems[0].contains(expected), "\(line) → \(problems)")
        }
    }
}
