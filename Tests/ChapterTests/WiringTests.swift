import Foundation
import Testing

/// Each chapter run in quick mode, its printed key values pinned: a chapter that feeds the
/// wrong run into a table or a sentence fails here.
@Suite("Chapter wiring: quick runs print the right numbers")
struct WiringTests {
    @Test("ch02: the bisection's divergence threshold is 2/L = 0.5 and the best fixed rate ≈ 2/(μ+L) = 0.476")
    func ch02() throws {
        let run = try runChapter("ch02-fixed-vs-decayed-rates")
        #expect(run.status == 0, "\(run.stderr)")
        let threshold = try #require(number(after: "divergence threshold (bisection, 2000 steps)", in: run.stdout))
        #expect(abs(threshold - 0.5) < 1e-3, "threshold \(threshold)")
        let best = try #require(number(after: "best fixed rate (lowest loss after 100 steps)", in: run.stdout))
        #expect(abs(best / (2 / 4.2) - 1) < 0.02, "best \(best)")
        #expect(run.page.contains("claims checked") || run.page.contains("claim checked"))
    }
}
