import Foundation
import Testing

/// Chapter 7 in quick mode: the printed numbers come from the runs they name.
@Suite("Chapter 7 wiring")
struct Chapter7WiringTests {
    @Test("one-cycle's peak is momentum's verified rate; the quadratic's optimum is 2/(λmin+λmax); the hit count is the sum of table 2's verified column")
    func wiring() throws {
        let run = try runChapter("ch07-finding-the-learning-rate")
        #expect(run.status == 0, "\(run.stderr)")
        let text = run.stdout.replacingOccurrences(of: "\n", with: " ")
        let verified = try #require(number(after: "verified (momentum): α =", in: text))
        let peak = try #require(number(after: "one-cycle peak α =", in: text))
        #expect(peak == verified, "one-cycle peak \(peak) vs momentum's verified \(verified)")
        let optimum = try #require(number(after: "quadratic: 2/(λmin+λmax) =", in: text))
        #expect(abs(optimum - 2 / 4.2) < 1e-4)
        // Table 2's verified column: the hits on each optimizer's seeds ("1.2 (0.7 – 1.2): 5/5"), against the
        // sentence's count over all of them.
        let lines = run.page.split(separator: "\n").map(String.init)
        let start = try #require(lines.firstIndex { $0.hasPrefix("**Table 2.**") })
        let rows = Array(lines[(start + 1)...].drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }.dropFirst(2))
        #expect(rows.count == 5)
        var marks = 0, seeds = 0
        for row in rows {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let cell = try #require(cells.last)
            let m = try #require(cell.firstMatch(of: /: (\d+)\/(\d+)$/), "verified cell \(cell)")
            marks += Int(m.output.1)!
            seeds = Int(m.output.2)!
        }
        #expect(seeds >= 5, "the seed set has \(seeds) seeds")
        let page = run.page.replacingOccurrences(of: "\n", with: " ")
        let after = try #require(page.range(of: "Hits out of \(5 * seeds) (five optimizers on \(seeds) seeds):"))
        let count = try #require(number(after: "verified", in: String(page[after.upperBound...])))
        #expect(Int(count) == marks, "sentence says \(count), table shows \(marks)")
        #expect(run.page.contains("claims checked"))
    }
}
