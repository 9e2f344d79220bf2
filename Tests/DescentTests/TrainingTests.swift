import Foundation
import Testing
@testable import Descent

@Suite("Training utilities")
struct TrainingTests {
    @Test("clipping by global norm keeps the direction and caps the length (as clip_grad_norm_)")
    func clipNorm() {
        var g = [3.0, 4.0]
        let before = GradientClipping.globalNorm(1).apply(to: &g)
        #expect(before == 5)
        #expect(close(globalNorm(g), 5 / (5 + 1e-6), rel: 1e-15))
        #expect(close(g[0] / g[1], 0.75, rel: 1e-15))
        var small = [0.3, 0.4]
        GradientClipping.globalNorm(1).apply(to: &small)
        #expect(small == [0.3, 0.4])
    }

    @Test("clipping by value clamps each coordinate")
    func clipValue() {
        var g = [3.0, -0.5, -7]
        GradientClipping.value(1).apply(to: &g)
        #expect(g == [1, -0.5, -1])
    }

    @Test("divergence: non-finite, or beyond 1e6 × the first loss, is a value")
    func divergenceCriterion() {
        #expect(DivergenceCriterion.standard.isDiverged(.nan, firstLoss: 1))
        #expect(DivergenceCriterion.standard.isDiverged(.infinity, firstLoss: 1))
        #expect(DivergenceCriterion.standard.isDiverged(2e6, firstLoss: 1))
        #expect(!DivergenceCriterion.standard.isDiverged(9e5, firstLoss: 1))
        #expect(!DivergenceCriterion.nonFinite.isDiverged(1e300, firstLoss: 1))
        // A run on the saddle goes to −∞: reported, not a crash.
        let run = optimize(Saddle(), from: [1, 1], steps: 10_000, optimizer: SGD(learningRate: 0.5))
        #expect(run.divergence != nil)
        #expect(!run.points.last!.loss.isFinite)
        #expect(run.points.count == run.divergence!.step + 1)
    }

    @Test("mini-batch training on spirals lowers the loss; a huge rate is reported as divergence")
    func trainSpirals() {
        var rng = SeededGenerator(seed: 1)
        let data = Datasets.spirals(count: 256, rng: &rng)
        let net = MLP(inputs: 2, hidden: [32, 32], outputs: 1, activation: .tanh)
        let theta = net.initialParameters(.xavierUniform, using: &rng)
        var r1 = SeededGenerator(seed: 2)
        let good = train(net, parameters: theta, on: data, loss: .binaryCrossEntropyWithLogits,
                         optimizer: Adam(learningRate: 0.01), steps: 600, batchSize: 64,
                         recording: [.layerNorms, .gradientNorms, .learningRates], rng: &r1)
        #expect(good.divergence == nil)
        #expect(good.losses.count == 600 && good.layerNorms.count == 600 && good.layerNorms[0].count == 3)
        let early = good.losses.prefix(20).reduce(0, +) / 20, late = good.losses.suffix(20).reduce(0, +) / 20
        #expect(early > 0.6 && late < 0.5 * early, "loss \(early) → \(late)")
        #expect(good.learningRates.allSatisfy { $0 == 0.01 })
        // Same seed, same run.
        var r2 = SeededGenerator(seed: 2)
        let again = train(net, parameters: theta, on: data, loss: .binaryCrossEntropyWithLogits,
                          optimizer: Adam(learningRate: 0.01), steps: 600, batchSize: 64, rng: &r2)
        #expect(again.losses == good.losses && again.parameters == good.parameters)

        var r3 = SeededGenerator(seed: 2)
        let bad = train(net, parameters: net.initialParameters(.normal(standardDeviation: 3), using: &rng), on: data,
                        loss: .meanSquaredError, optimizer: SGD(learningRate: 50), steps: 200, batchSize: 64, rng: &r3)
        #expect(bad.divergence != nil)
    }

    @Test("clipping bounds every update of an exploding network")
    func clippedTraining() {
        var rng = SeededGenerator(seed: 4)
        let data = Datasets.teacherRegression(count: 128, rng: &rng)
        let net = MLP(inputs: 2, hidden: [16, 16, 16], outputs: 1, activation: .relu)
        let theta = net.initialParameters(.normal(standardDeviation: 1), using: &rng)
        var r = SeededGenerator(seed: 5)
        let run = train(net, parameters: theta, on: data, loss: .meanSquaredError, optimizer: SGD(learningRate: 0.01),
                        steps: 200, batchSize: 32, clipping: .globalNorm(1), recording: [.gradientNorms], rng: &r)
        #expect(run.divergence == nil)
        #expect(run.gradientNorms.first! > 1)  // there was something to clip
        #expect(run.losses.suffix(10).reduce(0, +) < run.losses.prefix(10).reduce(0, +))
    }
}

@Suite("Learning-rate range test")
struct RangeTestTests {
    static func quadraticObjective(_ theta: [Double], _ i: Int, _ g: inout [Double]) -> Double {
        Quadratic().gradient(theta, into: &g)
        return Quadratic().value(theta)
    }

    @Test("on the quadratic from (−5, −2) with SGD, 100 steps 1e-6…10: both suggestions are stable; min/10 within 3× of 2/(λmin+λmax)")
    func quadratic() {
        let test = RangeTest(minimumRate: 1e-6, maximumRate: 10, steps: 100)
        var theta = [-5.0, -2.0]
        var sgd = SGD(learningRate: 1)
        let result = test.run(parameters: &theta, optimizer: &sgd, objective: Self.quadraticObjective)
        let best = 2 / (0.2 + 4.0)
        let steepest = result.steepest!, minOver10 = result.minimumOverTen!
        #expect(steepest > 0 && steepest < 0.5, "steepest \(steepest)")
        #expect(minOver10 > 0 && minOver10 < 0.5, "min/10 \(minOver10)")
        #expect(minOver10 > best / 3 && minOver10 < best * 3, "min/10 \(minOver10) vs \(best)")
        #expect(result.stoppedEarly)  // the loss blows up past 2/L = 0.5
        #expect(theta == [-5, -2])     // parameters restored
    }

    @Test("sweep rates, smoothing with bias correction, and restored optimizer state")
    func mechanics() {
        let test = RangeTest(minimumRate: 1e-3, maximumRate: 1e-1, steps: 3, smoothing: 0.5)
        #expect(close(test.rate(at: 0), 1e-3, rel: 1e-15) && close(test.rate(at: 1), 1e-2, rel: 1e-14) && close(test.rate(at: 2), 0.1, rel: 1e-14))
        var theta = [2.0]
        var adam = Adam(learningRate: 1)
        adam.step(&theta, gradient: [1])  // some state to restore
        let snapshot = adam, start = theta
        var losses: [Double] = []
        let result = test.run(parameters: &theta, optimizer: &adam) { p, _, g in
            g[0] = 2 * p[0]
            let l = p[0] * p[0]
            losses.append(l)
            return l
        }
        #expect(theta == start)
        #expect(adam.stepCount == snapshot.stepCount && adam.secondMoment == snapshot.secondMoment)
        // s₀ = L₀ (bias correction), s₁ = (0.5·0.5·L₀ + 0.5·L₁)/(1 − 0.25)
        let l = Array(losses.dropFirst())
        #expect(close(result.smoothed[0], l[0], rel: 1e-15))
        #expect(close(result.smoothed[1], (0.25 * l[0] + 0.5 * l[1]) / 0.75, rel: 1e-15))
    }
}

/// `suggest` and the stop rule on hand-built curves, with the exact answers.
@Suite("Range test on hand-built curves")
struct RangeTestCurveTests {
    /// 13 rates half a decade apart, 1e-3 … 1e3; steepest search on indices 2..<10.
    static let test = RangeTest(minimumRate: 1e-3, maximumRate: 1e3, steps: 13, trimStart: 2, trimEnd: 3)
    /// Smoothed loss: steepest inside the window at i = 6 (central slope (6 − 9)/1 = −3), but steeper
    /// still at the untrimmed start (i = 0: −18) and end (i = 10: −5.6); lowest at i = 12.
    static let smoothed = [10, 1, 9.9, 9.8, 9.6, 9.0, 7.0, 6.0, 5.8, 5.7, 5.6, 0.1, 0.0]

    static func curve(raw: [Double]) -> RangeTest.Result {
        var r = RangeTest.Result()
        r.rates = (0..<13).map { test.rate(at: $0) }
        r.losses = raw
        r.smoothed = smoothed
        return r
    }

    @Test("steepest: the most negative slope of the smoothed curve after trimming both ends (i = 6)")
    func steepest() {
        var r = Self.curve(raw: Self.smoothed)
        Self.test.suggest(&r)
        #expect(r.steepest == Self.test.rate(at: 6), "got \(r.steepest.map { "\($0)" } ?? "nil"), rates \(r.rates)")
    }

    @Test("min/10: the rate at the lowest smoothed loss (i = 12) ÷ 10, not at the lowest raw loss (i = 4)")
    func minimumOverTen() {
        var raw = Self.smoothed
        raw[4] = -1  // a noisy raw loss far below the smoothed minimum
        var r = Self.curve(raw: raw)
        Self.test.suggest(&r)
        #expect(r.minimumOverTen == Self.test.rate(at: 12) / 10)
    }

    @Test("the sweep stops when the smoothed loss exceeds 4 × its best, not the raw loss")
    func stopRule() {
        // β = 0.5. Raw losses 1, 1, 5, 1, 1, 30, …: the raw 5 at i = 2 is > 4 × 1, but the smoothed
        // loss there is 2.875/0.875 ≈ 3.29; at i = 5 it is 15.734375/0.984375 ≈ 16.0 > 4: stop there.
        let scripted = [1.0, 1, 5, 1, 1, 30, 1, 1, 1, 1]
        let test = RangeTest(minimumRate: 1e-3, maximumRate: 1, steps: 10, smoothing: 0.5)
        var theta = [0.0]
        var sgd = SGD(learningRate: 1)
        let r = test.run(parameters: &theta, optimizer: &sgd) { _, i, g in
            g[0] = 0
            return i == 0 ? 1 : scripted[i - 1]
        }
        #expect(r.losses == Array(scripted.prefix(6)))
        #expect(r.stoppedEarly)
        #expect(close(r.smoothed[2], 2.875 / 0.875, rel: 1e-15) && close(r.smoothed[5], 15.734375 / 0.984375, rel: 1e-15))
        #expect(r.rates == (0..<6).map { test.rate(at: $0) })
    }
}

@Suite("Data sets")
struct DataTests {
    @Test("spirals and moons: balanced, seeded, inside a sensible box")
    func shapes() {
        var a = SeededGenerator(seed: 8), b = SeededGenerator(seed: 8)
        let s = Datasets.spirals(count: 512, rng: &a)
        #expect(s == Datasets.spirals(count: 512, rng: &b))
        #expect(s.count == 512 && s.inputs.columns == 2)
        #expect(s.targets.elements.reduce(0, +) == 256)
        #expect(s.inputs.elements.allSatisfy { abs($0) < 1.5 })
        let m = Datasets.moons(count: 200, rng: &a)
        #expect(m.targets.elements.reduce(0, +) == 100)
        let t = Datasets.teacherRegression(count: 100, inputs: 3, rng: &a)
        #expect(t.inputs.columns == 3 && t.targets.columns == 1 && t.count == 100)
    }

    @Test("the linear recipe from a SeededGenerator has slope ≈ 3 and intercept ≈ 2")
    func recipe() {
        var rng = SeededGenerator(seed: 1)
        let d = Datasets.linearRecipe(count: 10_000, rng: &rng)
        let x = d.inputs.elements, y = d.targets.elements
        let mx = x.reduce(0, +) / 1e4, my = y.reduce(0, +) / 1e4
        let slope = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        #expect(abs(slope - 3) < 0.02 && abs(my - slope * mx - 2) < 0.02)
    }
}

@Suite("Measurements")
struct MeasureTests {
    @Test("log–log slope of a power law, moving average, mean and spread, first-step ratio")
    func measures() {
        let x = (1...100).map(Double.init)
        #expect(close(Measure.logLogSlope(x, x.map { 3 / $0.squareRoot() }), -0.5, rel: 1e-12))
        #expect(Measure.movingAverage([1, 2, 3, 4], window: 2) == [1, 1.5, 2.5, 3.5])
        let s = Measure.meanAndStandardDeviation([1, 2, 3, 4])
        #expect(s.mean == 2.5 && close(s.standardDeviation, (5.0 / 3).squareRoot(), rel: 1e-15))
        #expect(close(Measure.firstStepRatio(SGD(learningRate: 0.1), gradient: 2), 2, rel: 1e-15))
    }

    @Test("noisy runs: the same seed gives the same moments, another seed or no noise gives others")
    func noisyRuns() {
        func run(seed: UInt64, noise: Double) -> [[Double]] {
            Measure.noisyGradientRun(Adam(learningRate: 0.1), on: Quadratic(), from: [1, 1], steps: 5, noise: noise,
                                     seed: seed) { $0.firstMoment }
        }
        let a = run(seed: 3, noise: 1)
        #expect(a.count == 5 && a.allSatisfy { $0.count == 2 })
        #expect(a == run(seed: 3, noise: 1))
        #expect(a != run(seed: 4, noise: 1))
        // Without noise, m₁ = (1 − β₁)·∇f(1, 1) = 0.1·(0.2, 4) exactly as Adam's first step.
        let clean = run(seed: 3, noise: 0)
        #expect(close(clean[0][0], 0.1 * 0.2, rel: 1e-15) && close(clean[0][1], 0.1 * 4, rel: 1e-15))
        #expect(a[0] != clean[0])
    }
}

@Suite("SupervisedTask")
struct SupervisedTaskTests {
    @Test("same seed, same run; the range test restores nothing it should not and suggests a finite rate")
    func task() {
        let task = SupervisedTask.teacherStudent(seed: 1)
        #expect(task.data.count == 512 && task.loss == .meanSquaredError)
        let a = task.train(SGD(learningRate: 0.1), steps: 50, seed: 7)
        let b = task.train(SGD(learningRate: 0.1), steps: 50, seed: 7)
        #expect(a.losses == b.losses && a.parameters == b.parameters)
        #expect(task.finalLoss(of: a) == task.fullLoss(a.parameters))
        #expect(task.finalLoss(SGD(learningRate: 1e6), steps: 50, seed: 7).isNaN)  // diverged → NaN
        #expect(SupervisedTask.spirals(seed: 1).loss == .binaryCrossEntropyWithLogits)
    }

    /// Epochs count passes over the data: ⌈n/B⌉ updates each, the short last batch included.
    @Test("an epoch is ⌈n/B⌉ updates; training by epochs is training by that many steps")
    func epochs() {
        let base = SupervisedTask.teacherStudent(seed: 1)
        func task(rows: Int, batch: Int) -> SupervisedTask {
            let idx = Array(0..<rows)
            var x = Matrix(rows: 0, columns: base.data.inputs.columns), y = Matrix(rows: 0, columns: 1)
            base.data.inputs.gatherRows(idx[...], into: &x)
            base.data.targets.gatherRows(idx[...], into: &y)
            return SupervisedTask(data: Dataset(inputs: x, targets: y), network: base.network, loss: base.loss,
                                  batchSize: batch, initializer: base.initializer)
        }
        #expect(task(rows: 10, batch: 3).stepsPerEpoch == 4)  // 3 + 3 + 3 + 1
        #expect(task(rows: 10, batch: 5).stepsPerEpoch == 2)
        #expect(task(rows: 10, batch: 10).stepsPerEpoch == 1)
        #expect(task(rows: 10, batch: 1).stepsPerEpoch == 10)
        #expect(base.stepsPerEpoch == 8)  // 512 / 64
        let t = task(rows: 10, batch: 3)
        let a = t.train(SGD(learningRate: 0.1), epochs: 2, seed: 5)
        let b = t.train(SGD(learningRate: 0.1), steps: 8, seed: 5)
        #expect(a.losses.count == 8 && a.losses == b.losses && a.parameters == b.parameters)
        #expect(t.train(SGD(learningRate: 0.1), epochs: 0, seed: 5).losses.isEmpty)
    }

    /// The sweep must carry its parameters from one update to the next (restoring them only at
    /// the end): its losses are those of training with the same rates, batches and weights.
    @Test("the range test's curve is a training run with exponentially growing rates; repeated, it is the same")
    func rangeTestIsATrainingRun() throws {
        let task = SupervisedTask.teacherStudent(seed: 1)
        let test = RangeTest(minimumRate: 1e-4, maximumRate: 1, steps: 40, trimStart: 2, trimEnd: 2)
        let r = task.rangeTest(SGD(learningRate: 1e-4), test: test, seed: 7)
        #expect(r == task.rangeTest(SGD(learningRate: 1e-4), test: test, seed: 7))
        try #require(r.losses.count >= 30)
        // rate(at: i) = 1e-4·10^(4i/39): training with exponential:gamma=10^(4/39) from 1e-4.
        let gamma = Foundation.pow(1e4, 1.0 / 39)
        let run = task.train(SGD(learningRate: 1e-4), schedule: .exponential(ExponentialDecay(gamma: gamma)),
                             steps: r.losses.count + 1, seed: 7)
        // Loss i of the sweep is measured after update i, on batch i + 1: training's loss i + 1.
        for (i, loss) in r.losses.enumerated() {
            #expect(close(loss, run.losses[i + 1], rel: 1e-9), "step \(i): sweep \(loss) vs training \(run.losses[i + 1])")
        }
        #expect(r.losses.min()! < 0.5 * r.losses.first!)  // the sweep did train
    }
}
