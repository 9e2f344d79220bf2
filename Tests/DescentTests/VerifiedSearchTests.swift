import Testing
@testable import Descent
import RealModule

@Suite("The verified suggestion")
struct VerifiedSearchTests {
    /// A task whose best rate falls with the budget s: α*(s) = 10/s, validation loss
    /// (log₁₀ α − log₁₀ α*)² + 1, divergence (after 5 steps) above α = 1.
    static func task(_ rate: Double, _ steps: Int) -> (loss: Double, stepsTrained: Int) {
        if rate > 1 { return (.nan, min(5, steps)) }
        let d = Double.log10(rate) - Double.log10(10 / Double(steps))
        return (d * d + 1, steps)
    }

    @Test("screens 7 rates at B/8, trains the screen's winner and the next lower rate for B, refines between them")
    func schedule() {
        let r = VerifiedSearch().run(top: 3.1622776601683795, budget: 800, train: Self.task)
        // Screen at 100 steps: α*(100) = 0.1 wins; full budget: 0.1, 0.0316 and their mean 0.0562.
        #expect(r.trials.count == 10)
        #expect(r.trials.prefix(7).allSatisfy { $0.steps == 100 && $0.phase == 0 })
        #expect(r.trials.suffix(3).allSatisfy { $0.steps == 800 })
        #expect(close(r.trials[7].rate, 0.1, rel: 1e-12))
        #expect(close(r.trials[8].rate, 0.1 / 10.0.squareRoot(), rel: 1e-12))
        #expect(close(r.trials[9].rate, 0.1 / Double.pow(10, 0.25), rel: 1e-12))
        // α*(800) = 0.0125: the lower full-budget rate, 0.0316, is the closest tried.
        #expect(close(r.rate, 0.1 / 10.0.squareRoot(), rel: 1e-12))
        #expect(r.loss == Self.task(r.rate, 800).loss)
    }

    @Test("the refinement is the geometric mean of the two full-budget rates even where their product over- or underflows",
          arguments: [1e300, 1.7e308, 1e-160, 1e-300])
    func refinementAtExtremeRates(top: Double) {
        // The loss is lowest at the top rate, so the screen's winner is `top` and the lower rate top/√10.
        let r = VerifiedSearch().run(top: top, budget: 8) { rate, steps in (-Double.log10(rate), steps) }
        let refine = r.trials[9]
        #expect(refine.phase == 2 && refine.rate.isNormal, "refinement trained at rate \(refine.rate)")
        #expect(close(refine.rate, top / Double.pow(10, 0.25), rel: 1e-12), "\(refine.rate)")
    }

    @Test("cost: the steps actually trained (a diverged screen run stops early), in trainings and sweeps")
    func cost() {
        let r = VerifiedSearch().run(top: 10, budget: 800, train: Self.task)
        // Candidates 10, 3.16 diverge after 5 steps; the other five screen for 100 steps.
        #expect(r.trials[0].loss == .infinity && r.trials[1].loss == .infinity)
        #expect(r.stepsTrained == 2 * 5 + 5 * 100 + 3 * 800)
        #expect(close(r.trainings, Double(2910) / 800, rel: 1e-15))
        #expect(close(r.cost(sweepSteps: 100), 29.1, rel: 1e-15))
    }

    @Test("the top candidate is the last rate whose smoothed loss is within 10 % of the lowest")
    func top() {
        var sweep = RangeTest.Result()
        sweep.rates = [0.001, 0.01, 0.1, 1]
        sweep.smoothed = [2, 1, 0.5, 3]
        #expect(VerifiedSearch.topRate(of: sweep, fallback: 7) == 0.1)
        // A flat, noisy curve: its minimum (at 0.01) is noise; the edge is at 1, before the blow-up.
        sweep.rates = [0.001, 0.01, 0.1, 1, 10]
        sweep.smoothed = [0.683, 0.677, 0.70, 0.74, 0.9]
        #expect(VerifiedSearch.topRate(of: sweep, fallback: 7) == 1)
        #expect(VerifiedSearch.topRate(of: RangeTest.Result(), fallback: 7) == 7)
    }
}
