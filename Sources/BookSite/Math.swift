import Foundation

/// TeX in the book's Markdown (`$…$` inline, `$$…$$` display), protected from the Markdown parser.
///
/// Markdown would read `\alpha_{min}` as emphasis and eat backslashes, so every formula is swapped
/// for a placeholder before parsing and put back afterwards as an element KaTeX renders
/// (`<span class="math inline">` / `<div class="math display">`, HTML-escaped TeX inside: readable
/// as plain TeX when KaTeX is not installed). Dollars inside code spans and fenced blocks are code.
struct MathExtraction {
    /// The Markdown with each formula replaced by a placeholder.
    private(set) var markdown = ""
    /// The formulas, in order: (TeX, display?).
    private(set) var formulas: [(tex: String, display: Bool)] = []

    static func placeholder(_ i: Int) -> String { "MATHPLACEHOLDER\(i)X" }

    init(_ source: String) {
        let chars = Array(source)
        var i = 0
        var atLineStart = true
        var inFence = false
        func startsWith(_ s: String, at k: Int) -> Bool {
            let t = Array(s)
            return k + t.count <= chars.count && Array(chars[k..<k + t.count]) == t
        }
        while i < chars.count {
            let c = chars[i]
            if atLineStart && startsWith("```", at: i) {
                inFence.toggle()
            }
            if inFence {
                markdown.append(c)
                atLineStart = c == "\n"
                i += 1
                continue
            }
            atLineStart = c == "\n"
            if c == "`" {
                // An inline code span: copy through the matching run of backticks.
                var run = 0
                while i + run < chars.count && chars[i + run] == "`" { run += 1 }
                let fence = String(repeating: "`", count: run)
                var j = i + run
                var closed: Int?
                while j < chars.count && chars[j] != "\n" {
                    if startsWith(fence, at: j) { closed = j; break }
                    j += 1
                }
                let end = closed.map { $0 + run } ?? i + run
                markdown += String(chars[i..<end])
                i = end
                continue
            }
            if c == "\\" && i + 1 < chars.count && chars[i + 1] == "$" {
                markdown += "\\$"
                i += 2
                continue
            }
            if c == "$" {
                if startsWith("$$", at: i), let close = find("$$", in: chars, from: i + 2) {
                    formulas.append((String(chars[i + 2..<close]), true))
                    markdown += Self.placeholder(formulas.count - 1)
                    i = close + 2
                    continue
                }
                if i + 1 < chars.count, chars[i + 1] != " ", chars[i + 1] != "$",
                   let close = findInline(chars, from: i + 1) {
                    formulas.append((String(chars[i + 1..<close]), false))
                    markdown += Self.placeholder(formulas.count - 1)
                    i = close + 1
                    continue
                }
            }
            markdown.append(c)
            i += 1
        }
    }

    private func find(_ s: String, in chars: [Character], from k: Int) -> Int? {
        let t = Array(s)
        var j = k
        while j + t.count <= chars.count {
            if Array(chars[j..<j + t.count]) == t { return j }
            j += 1
        }
        return nil
    }

    /// The closing `$` of an inline formula on the same line, not preceded by a space.
    private func findInline(_ chars: [Character], from k: Int) -> Int? {
        var j = k
        while j < chars.count && chars[j] != "\n" {
            if chars[j] == "$" && chars[j - 1] != " " && chars[j - 1] != "\\" { return j }
            j += 1
        }
        return nil
    }

    /// `html` with every placeholder replaced by its formula's element.
    func restore(in html: String) -> String {
        var out = html
        // Highest index first, so MATHPLACEHOLDER1X never matches inside MATHPLACEHOLDER12X.
        for (i, f) in formulas.enumerated().reversed() {
            let tex = escapeHTML(f.tex)
            let element = f.display
                ? "<span class=\"math display\">\(tex)</span>"
                : "<span class=\"math inline\">\(tex)</span>"
            // A display formula alone in its paragraph becomes a block of its own.
            let alone = "<p>\(Self.placeholder(i))</p>"
            if f.display, out.contains(alone) {
                out = out.replacingOccurrences(of: alone, with: "<div class=\"math display\">\(tex)</div>")
            } else {
                out = out.replacingOccurrences(of: Self.placeholder(i), with: element)
            }
        }
        return out
    }
}

/// `text` with `&`, `<`, `>` and `"` escaped for HTML.
func escapeHTML(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(c)
        }
    }
    return out
}
