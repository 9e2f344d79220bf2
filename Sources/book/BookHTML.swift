import ArgumentParser
import BookSite
import Foundation

extension BookCommand {
    /// `--html DIR`: the generated book in `book` as a static web site in `directory`
    /// (the same pages the Playground serves under /book/).
    func writeSite(from book: URL, to directory: String) throws {
        let target = URL(fileURLWithPath: directory, isDirectory: true)
        guard target.standardizedFileURL.path != book.standardizedFileURL.path else {
            throw ValidationError("--html needs a folder other than the book's own (\(directory))")
        }
        let site: BookSite
        do { site = try BookSite(source: book) } catch {
            throw ValidationError("cannot read the book in '\(book.path)': \(error.localizedDescription)")
        }
        do { try site.write(to: target) } catch {
            throw ValidationError("cannot write the web site to '\(directory)': \(error.localizedDescription)")
        }
        let math = site.katex == nil ? "formulas as plain TeX (install libjs-katex for KaTeX)" : "KaTeX from \(site.katex!.path)"
        FileHandle.standardError.write(Data("book: web site with \(site.chapters.count) chapter(s) → \(directory)/index.html; \(math)\n".utf8))
    }
}
