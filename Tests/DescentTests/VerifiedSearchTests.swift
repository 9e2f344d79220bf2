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
        #expect(close(r.rate!, 0.1 / 10.0.squareRoot(), rel: 1e-12))
        #expect(r.loss == Self.task(r.rate!, 800).loss)
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
        #expect(VerifiedSearch.edge(rates: [0.001, 0.01, 0.1, 1], smoothed: [2, 1, 0.5, 3], tolerance: 1.1) == 0.1)
        // A flat, noisy curve: its minimum (at 0.01) is noise; the edge is at 1, before the blow-up.
        #expect(VerifiedSearch.edge(rates: [0.001, 0.01, 0.1, 1, 10], smoothed: [0.683, 0.677, 0.70, 0.74, 0.9],
                                    tolerance: 1.1) == 1)
        #expect(VerifiedSearch.edge(rates: [], smoothed: [], tolerance: 1.1) == nil)
    }
}

@Suite("The verified suggestion is robust by construction")
struct VerifiedRobustnessTests {
    /// A sweep of 100 steps from 1e-7 to 10 whose first points are noise (the lowest smoothed
    /// loss, at 1.6e-7, is an artefact of the smoothing's start) and whose real valley is at 1e-2.
    static func noisySweep() -> RangeTest.Result {
        var sweep = RangeTest.Result()
        sweep.rates = (0..<100).map { 1e-7 * Double.pow(10, 8 * Double($0) / 99) }
        sweep.smoothed = sweep.rates.indices.map { i in
            if i < 5 { return 0.05 }                                       // noise: lowest of all
            let d = Double.log10(sweep.rates[i]) + 2                      // valley at 1e-2
            return 1 + 0.2 * d * d
        }
        sweep.losses = sweep.smoothed
        return sweep
    }

    @Test("the trusted range: fastai's trimmed curve (first ⌊N/10⌋, last 5 dropped), never below the sweep's start")
    func trustedRange() throws {
        let sweep = Self.noisySweep()
        let range = try #require(VerifiedSearch.trusted(sweep, iterations: 100, minimumRate: 1e-7))
        #expect(range.lowerBound == sweep.rates[10], "\(range)")
        // The edge of the real valley (within 10 % of 1 at 1e-2: |d| ≤ √0.5), not the noisy first points.
        #expect(range.upperBound > 1e-2 && range.upperBound < 1e-1, "\(range)")
        #expect(range.upperBound <= sweep.rates[94])
        // A start above the first kept point: the floor is the first point at or above it.
        let raised = try #require(VerifiedSearch.trusted(sweep, iterations: 100, minimumRate: 1e-4))
        #expect(raised.lowerBound == sweep.rates.first { $0 >= 1e-4 }!, "\(raised)")
    }

    /// Validation loss falls as the rate falls, all the way down: the search wants to go lower.
    static func wantsLower(_ rate: Double, _ steps: Int) -> (loss: Double, stepsTrained: Int) {
        (1 + Double.log10(rate) / 100, steps)
    }

    @Test("no trial below the range's floor or above its top, even when the loss keeps falling with the rate")
    func neverBelowFloor() {
        let r = VerifiedSearch().run(range: 1e-3...1e-1, budget: 80, untrainedLoss: 2,
                                     screen: Self.wantsLower, train: Self.wantsLower)
        #expect(r.trials.allSatisfy { $0.rate >= 1e-3 && $0.rate <= 1e-1 }, "\(r.trials.map(\.rate))")
        // 1e-1, 3.2e-2, 1e-2, 3.2e-3, 1e-3: five candidates (10^-3.5 and below are dropped).
        #expect(r.trials.filter { $0.phase == 0 }.count == 5)
        // The winner is the floor; its pair is half a decade up, not below.
        #expect(r.rate == 1e-3)
        #expect(r.trials.filter { $0.phase > 0 }.count == 3)
    }

    @Test("no full-budget trial beats the untrained network: no rate, even when a screening run looked best")
    func nothingBetter() {
        // A fluke: the screening scores 1 (a lucky near-zero) at α = 1; trained fully, every rate ends at 3 or more.
        let screen: (Double, Int) -> (loss: Double, stepsTrained: Int) = { rate, steps in (rate == 1 ? 1e-6 : 1, steps) }
        let train: (Double, Int) -> (loss: Double, stepsTrained: Int) = { rate, steps in (3 + rate, steps) }
        let r = VerifiedSearch().run(range: 1e-4...1, budget: 80, untrainedLoss: 2.5, screen: screen, train: train)
        #expect(r.rate == nil && r.loss == nil && !r.beatsUntrained)
        #expect(r.best.phase > 0 && r.best.loss > 2.5)
        #expect(r.untrainedLoss == 2.5)
        // One that beats it is the answer.
        let good = VerifiedSearch().run(range: 1e-4...1, budget: 80, untrainedLoss: 3.5, screen: screen, train: train)
        #expect(good.rate == good.best.rate && good.loss == good.best.loss)
    }

    /// A regression table whose last 40 % of rows (by index) can be rewritten; `validationRows`
    /// is read off a prepared copy.
    static func table(poisonRows: Set<Int> = []) throws -> DataTable {
        var rows = "x1,x2,y\n"
        var rng = SeededGenerator(seed: 9)
        for i in 0..<200 {
            let a = Double(rng.next() % 1000) / 100, b = Double(rng.next() % 1000) / 100
            let y = poisonRows.contains(i) ? 1000 - a : a * 2 - b
            rows += "\(a),\(b),\(y)\n"
        }
        return try DataTable(csv: rows, source: "t.csv")
    }

    static func finder(_ table: DataTable) throws -> LearningRateFinder {
        let data = try PreparedData(table, task: .regression, validationFraction: 0.25, seed: 5)
        return LearningRateFinder(data: data, network: data.network(hidden: [4], activation: .tanh),
                                  initializer: .xavierUniform, batchSize: 16, seed: 5)
    }

    @Test("screening starts from --init-params' batch-norm statistics: before any update its loss is the hold-out's loss in eval mode with them")
    func screeningUsesInitialStatistics() throws {
        let data = try PreparedData(Self.table(), task: .regression, validationFraction: 0.25, seed: 5)
        let net = data.network(hidden: [4, 4], activation: .tanh, batchNorm: true)
        var rng = SeededGenerator(seed: 11)
        let theta = net.initialParameters(.xavierUniform, using: &rng)
        let stats = MLP.RunningStatistics(mean: (0..<net.statisticsCount).map { _ in 0.5 * rng.gaussian() },
                                          variance: (0..<net.statisticsCount).map { _ in rng.uniform(0.3, 2) })
        let finder = LearningRateFinder(data: data, network: net, initializer: .xavierUniform, initialParameters: theta,
                                        initialStatistics: stats, batchSize: 16, seed: 5)
        let split = try #require(finder.screeningSplits().first)
        var x = Matrix(rows: 0, columns: data.training.inputs.columns), y = Matrix(rows: 0, columns: data.training.targets.columns)
        data.training.inputs.gatherRows(split.holdOut, into: &x)
        data.training.targets.gatherRows(split.holdOut, into: &y)
        let expected = Loss.meanSquaredError.value(output: net.predict(theta, x, statistics: stats), target: y)
        let screened = finder.screen(Adam(learningRate: 0.01), rate: 0.01, steps: 0, split: split).loss
        #expect(abs(screened - expected) <= 1e-12 * expected, "screening \(screened), eval mode with the file's statistics \(expected)")
    }

    @Test("screening trains and scores on inner splits of the training rows only: changing the validation rows changes the trials, not the screening")
    func innerSplit() throws {
        let clean = try Self.finder(Self.table())
        let n = clean.data.training.count
        let splits = clean.screeningSplits()
        let v = Int((0.2 * Double(n)).rounded(.up))
        #expect(splits.count == max(1, min(5, (100 + v - 1) / v)))
        for s in splits {
            #expect(s.holdOut.count == v && s.training.count == n - v)
            #expect(Set(s.training).isDisjoint(with: s.holdOut) && Set(s.training + s.holdOut) == Set(0..<n))
        }
        #expect(Set(splits.map(\.holdOut)).count == splits.count, "every draw holds out different rows")
        // The same data with the validation rows' targets rewritten.
        let poisoned = try Self.finder(Self.table(poisonRows: Set(clean.data.validationRows)))
        #expect(poisoned.data.training == clean.data.training)
        let adam = Adam(learningRate: 0.01)
        for s in splits {
            #expect(poisoned.screen(adam, rate: 0.01, steps: 20, split: s).loss == clean.screen(adam, rate: 0.01, steps: 20, split: s).loss)
        }
        #expect(poisoned.trial(adam, rate: 0.01, steps: 20).loss != clean.trial(adam, rate: 0.01, steps: 20).loss)
        // Through the whole search: identical screening trials, different full-budget ones.
        var sweep = RangeTest.Result()
        sweep.rates = (0..<100).map { 1e-4 * Double.pow(10, 4 * Double($0) / 99) }
        sweep.smoothed = sweep.rates.map { 1 + abs(Double.log10($0) + 2) }
        sweep.losses = sweep.smoothed
        let test = RangeTest(minimumRate: 1e-4, maximumRate: 1, steps: 100)
        let a = clean.verified(adam, sweep: sweep, test: test, budget: 40)
        let b = poisoned.verified(adam, sweep: sweep, test: test, budget: 40)
        #expect(a.trials.filter { $0.phase == 0 } == b.trials.filter { $0.phase == 0 })
        #expect(a.trials.filter { $0.phase > 0 }.map(\.loss) != b.trials.filter { $0.phase > 0 }.map(\.loss))
        #expect(a.screening == VerifiedSearch.Screening(rows: v, draws: splits.count))
        #expect(a.untrainedLoss == clean.initialLoss(adam))
    }
}
