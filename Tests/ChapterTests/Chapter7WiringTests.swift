import Foundation
import Testing

/// Chapter 7 in quick mode: the printed numbers come from the runs they name.
@Suite("Chapter 7 wiring")
struct Chapter7WiringTests {
    @Test("one-cycle's peak is momentum's verified rate; the quadratic's optimum is 2/(λmin+λmax); the hit count is table 2's")
    func wiring() throws {
        let run = try runChapter("ch07-finding-the-learning-rate")
        #expect(run.status == 0, "\(run.stderr)")
        let text = run.stdout.replacingOccurrences(of: "\n", with: " ")
        let verified = try #require(number(after: "verified (momentum): α =", in: text))
        let peak = try #require(number(after: "one-cycle peak α =", in: text))
        #expect(peak == verified, "one-cycle peak \(peak) vs momentum's verified \(verified)")
        let optimum = try #require(number(after: "quadratic: 2/(λmin+λmax) =", in: text))
        #expect(abs(optimum - 2 / 4.2) < 1e-4)
        // Table 2's verified column: the ✓ marks, against the sentence's count.
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let start = try #require(lines.firstIndex { $0.hasPrefix("Table 2.") })
        let rows = lines[(start + 3)...].prefix { !$0.hasPrefix("Hits out of") }
        let marks = rows.filter { $0.hasSuffix("✓") }.count
        #expect(rows.count == 5)
        let count = try #require(number(after: "verified", in: text[text.range(of: "Hits out of five optimizers:")!.upperBound...]
            .description))
        #expect(Int(count) == marks, "sentence says \(count), table shows \(marks)")
        #expect(run.page.contains("claims checked"))
    }
}
