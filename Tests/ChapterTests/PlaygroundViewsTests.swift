import Foundation
import Notebook
import Testing

/// Every "try it in the playground" view names a figure the book has, and its link sits under that
/// figure's caption (a renamed figure or chapter would leave a view that no page shows).
@Suite struct PlaygroundViewsTests {
    @Test func everyViewIsLinkedUnderItsFigure() throws {
        var linked = 0
        for (key, query) in PlaygroundViews.queries.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "/").map(String.init)
            try #require(parts.count == 2, "\(key)")
            let folder = PageLint.root.appendingPathComponent(parts[0])
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(parts[1] + ".gp").path),
                    "\(key): no such figure")
            let page = try String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8)
            let link = "[gnuplot script](\(parts[1]).gp) · [try it in the playground](\(PlaygroundViews.base)?\(query))"
            #expect(page.components(separatedBy: link).count == 2, "\(key): the link is not under its figure once")
            #expect(PlaygroundViews.url(slug: parts[0], figure: parts[1]) == PlaygroundViews.base + "?" + query)
            linked += 1
        }
        let pages = PageLint.pages(under: PageLint.root)
        let total = try pages.map { try String(contentsOf: PageLint.root.appendingPathComponent($0), encoding: .utf8)
            .components(separatedBy: "[try it in the playground](").count - 1 }.reduce(0, +)
        #expect(total == linked && linked == PlaygroundViews.queries.count, "\(total) links on the pages, \(linked) views")
        #expect(PlaygroundViews.url(slug: "ch01-vanishing-gradients", figure: "norms-at-init") == nil)
    }
}
