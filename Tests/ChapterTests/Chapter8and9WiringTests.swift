import Foundation
import Testing

/// Chapters 8 and 9 in quick mode: the printed key values come from the right runs.
@Suite("Chapter wiring: ch08 and ch09")
struct Chapter8and9WiringTests {
    @Test("ch09: bisection matches 2(1+β)/L, (α*, β*) = (0.6679, 0.4026) and the measured rate ≈ 0.6345")
    func ch09() throws {
        let run = try runChapter("ch09-momentum")
        #expect(run.status == 0, "\(run.stderr)")
        let worst = try #require(number(after: "stability limit, worst relative difference:", in: run.stdout))
        #expect(worst < 1e-3)
        let alpha = try #require(number(after: "alpha* =", in: run.stdout))
        let beta = try #require(number(after: "beta* =", in: run.stdout))
        #expect(abs(alpha - 4 / ((2 + 0.2.squareRoot()) * (2 + 0.2.squareRoot()))) < 1e-5)
        let rho = (20.0.squareRoot() - 1) / (20.0.squareRoot() + 1)
        #expect(abs(beta - rho * rho) < 1e-5)
        let measured = try #require(number(after: ", measured rate", in: run.stdout))
        #expect(abs(measured / rho - 1) < 0.02, "measured \(measured) vs \(rho)")
        #expect(run.page.contains("claims checked"))
    }

    @Test("ch08: sigmoid with the default init vanishes (layer 1 ÷ layer 10 < 1e-3), batch norm does not (> 0.1)")
    func ch08() throws {
        let run = try runChapter("ch08-fixing-vanishing-gradients")
        #expect(run.status == 0, "\(run.stderr)")
        let base = try #require(number(after: "init ratios: base", in: run.stdout))
        let bn = try #require(number(after: ", bn", in: run.stdout))
        #expect(base < 1e-3 && bn > 0.1, "base \(base), bn \(bn)")
        #expect(run.page.contains("claims checked"))
    }
}
