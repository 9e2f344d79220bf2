import Descent
import Figures
import Notebook
import RealModule

// MARK: Bias correction over time

/// The article's uncorrected Adam (``ArticleAdam``) fed the same gradient `g` at every step:
/// the size of update t divided by α, for t = 1 … `steps`. The update rule is the library's;
/// this only drives it and measures |Δθ|.
func uncorrectedStepRatios(beta1: Double = 0.9, beta2: Double, steps: Int, gradient g: Double = 2) -> [Double] {
    let alpha = 0.001
    var opt = ArticleAdam(learningRate: alpha, beta1: beta1, beta2: beta2)
    var theta = [0.0]
    return (0..<steps).map { _ in
        let before = theta[0]
        opt.step(&theta, gradient: [g])
        return abs(theta[0] - before) / alpha
    }
}

/// The same ratio in closed form: with a constant gradient m_t = (1 − β₁ᵗ)g and
/// v_t = (1 − β₂ᵗ)g², so the uncorrected step is α(1 − β₁ᵗ)/√(1 − β₂ᵗ) (ε neglected).
func uncorrectedStepClosedForm(t: Int, beta1: Double = 0.9, beta2: Double) -> Double {
    (1 - Double.pow(beta1, Double(t))) / (1 - Double.pow(beta2, Double(t))).squareRoot()
}

// MARK: Bias correction in training

/// The sentence naming every β₂ at which the corrected Adam trains more rates below 0.2 (in the
/// median run of a seed set) than the uncorrected one (`counts[i] = [with, without]`), and the ones
/// where it does not; `holds` checks
/// the sentence against the counts it was built from.
func widerRangeSentence(counts: [[Int]], betas: [String]) -> (sentence: String, holds: Bool) {
    let wider = counts.indices.filter { counts[$0][0] > counts[$0][1] }
    let others = counts.indices.filter { !wider.contains($0) }
    func list(_ idx: [Int]) -> String {
        idx.map { "β₂ = \(betas[$0]) (\(counts[$0][0]) rate\(counts[$0][0] == 1 ? "" : "s") with, \(counts[$0][1]) without)" }
            .joined(separator: idx.count == 2 ? " and " : ", ")
    }
    guard !wider.isEmpty else {
        return ("On this grid and budget the correction never puts more rates below 0.2 on the median line.",
                counts.allSatisfy { $0[0] <= $0[1] })
    }
    return ("On this grid and budget the correction widens the range of rates where the median over the runs is below 0.2 at "
                + list(wider) + (others.isEmpty ? "." : "; not at " + list(others) + "."),
            wider.allSatisfy { counts[$0][0] > counts[$0][1] } && others.allSatisfy { counts[$0][0] <= counts[$0][1] })
}

// MARK: What Adam is not: a gradient spike

/// Bias-corrected ``Adam`` (defaults, α = `alpha`) driven by a noisy 1-D gradient stream
/// g_t = 1 + 0.5·N(0, 1), multiplied by `spike` at step `spikeAt`; returns |Δθ|/α per step.
func spikeRun(steps: Int, spikeAt: Int, spike: Double, seed: UInt64, alpha: Double = 0.01) -> [Double] {
    var rng = SeededGenerator(seed: seed)
    var opt = Adam(learningRate: alpha)
    var theta = [0.0]
    return (1...steps).map { t in
        var g = 1 + 0.5 * rng.gaussian()
        if t == spikeAt { g *= spike }
        let before = theta[0]
        opt.step(&theta, gradient: [g])
        return abs(theta[0] - before) / alpha
    }
}

/// What table 6 reads off one spike run (`ratios[t − 1]` is step t's |Δθ|/α): the median step of the
/// 1000 steps before the spike, the spike's step, the largest step, the 50 steps from the spike added
/// up (its trace in m decays by β₁/√β₂ ≈ 0.9 a step), and the median step of steps spike + 101 … spike + 1100.
func spikeSummary(_ ratios: [Double], spikeAt: Int)
    -> (before: Double, spikeStep: Double, largest: Double, sweep: Double, stalled: Double) {
    (median(Array(ratios[(spikeAt - 1000)..<(spikeAt - 1)])), ratios[spikeAt - 1], ratios.max()!,
     ratios[(spikeAt - 1)..<(spikeAt + 49)].reduce(0, +), median(Array(ratios[(spikeAt + 100)..<(spikeAt + 1100)])))
}

/// Bias-corrected ``Adam`` fed a gradient that grows by `growth` each step (g_t = growthᵗ):
/// the last update's size / α. A growth of β₂/β₁ makes Cauchy–Schwarz tight, which is the
/// worst case for |m̂|/√v̂.
func growingGradientLastStep(growth: Double, steps: Int) -> Double {
    var opt = Adam(learningRate: 1e-3)
    var theta = [0.0], g = 1.0, last = 0.0
    for _ in 0..<steps {
        g *= growth
        let before = theta[0]
        opt.step(&theta, gradient: [g])
        last = abs(theta[0] - before) / 1e-3
    }
    return last
}

// MARK: The race

/// One entrant of the Rosenbrock race.
struct Racer {
    let name: String
    /// Its pen in the book's palette (``Palette/optimizers``).
    let pen: String
    let make: @Sendable (Double) -> any Optimizer
}

let racers: [Racer] = [
    Racer(name: "SGD", pen: "SGD") { SGD(learningRate: $0) },
    Racer(name: "momentum 0.9", pen: "momentum") { SGD(learningRate: $0, momentum: 0.9) },
    Racer(name: "Nesterov 0.9", pen: "Nesterov") { SGD(learningRate: $0, momentum: 0.9, nesterov: true) },
    Racer(name: "AdaGrad", pen: "AdaGrad") { AdaGrad(learningRate: $0) },
    Racer(name: "RMSprop", pen: "RMSprop") { RMSprop(learningRate: $0) },
    Racer(name: "Adam", pen: "Adam") { Adam(learningRate: $0) },
    Racer(name: "AMSGrad", pen: "AMSGrad") { Adam(learningRate: $0, amsgrad: true) },
]

/// Steps until f < `target` from `start`, stopping early; nil if not reached within `steps`
/// or if the run diverges (f non-finite or above 10⁶ × the first loss, the book's criterion).
func stepsToTarget(_ racer: Racer, rate: Double, from start: [Double], steps: Int, target: Double) -> Int? {
    OptimizationSteps(Rosenbrock(), from: start, optimizer: racer.make(rate), divergence: .standard)
        .prefix(steps + 1).first { $0.loss < target }?.step
}

/// One racer in one run of the seed set: the rate it was given and its steps from each start.
struct RaceResult {
    let racer: Racer
    /// The chosen rate and its position in the grid.
    let rate: Double
    let gridIndex: Int
    /// Steps to the target from each start (the first is (−1.5, 2)), nil where not reached.
    let startSteps: [Int?]

    var missed: Int { startSteps.filter { $0 == nil }.count }
    /// The slowest start's steps (nil if any start missed).
    var worst: Int? { missed == 0 ? startSteps.map { $0! }.max() : nil }
}

/// The race's jittered starts of one run of the set: `count` copies of (−1.5, 2) moved by
/// N(0, 0.05²) per coordinate, drawn from `seed`.
func raceStarts(jittered count: Int, seed: UInt64) -> [[Double]] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { _ in [-1.5 + 0.05 * rng.gaussian(), 2 + 0.05 * rng.gaussian()] }
}

/// The start every run of the set shares.
let raceStart = [-1.5, 2.0]

/// How a rate ranks (lower is better): fewer missed starts, then fewer steps from the slowest start
/// reached, then the median start, then the grid position.
func raceKey(_ s: [Int?], index: Int) -> (Int, Int, Double, Int) {
    let reached = s.compactMap { $0 }
    return (s.count - reached.count, reached.max() ?? Int.max,
            reached.isEmpty ? .infinity : median(reached.map(Double.init)), index)
}

/// One racer in one run: the rate of `grid` that reaches f < `target` from (−1.5, 2) and from every
/// start of `jittered` in the fewest worst-case steps (a rate that wins from one start only is not
/// chosen); among rates that miss some start, fewer misses first (``raceKey(_:index:)``).
/// `first[a]` are the steps from (−1.5, 2) at rate a, shared by every run of the set. The rates are
/// tried fastest-from-(−1.5, 2) first; once a rate reaches every start within W steps, later rates
/// run at most W steps from each start (one that needs more cannot win), so the choice is the one a
/// full run of every rate from every start makes, at a fraction of the cost.
func race(_ r: Racer, grid: [Double], first: [Int?], jittered: [[Double]], steps: Int, target: Double)
    -> RaceResult {
    let order = grid.indices.sorted { (first[$0] ?? Int.max, $0) < (first[$1] ?? Int.max, $1) }
    var best: (index: Int, steps: [Int?])?
    for a in order {
        var budget = steps
        if let b = best, b.steps.allSatisfy({ $0 != nil }) {
            budget = b.steps.map { $0! }.max()!
            // Slower than the best from (−1.5, 2) alone, or missing it: it cannot win.
            guard let f = first[a], f <= budget else { continue }
        }
        var s: [Int?] = [first[a]]
        for start in jittered {
            let k = stepsToTarget(r, rate: grid[a], from: start, steps: budget, target: target)
            // Over budget (or missed) after a full-coverage rate was found: this rate loses.
            if k == nil && budget < steps { s = []; break }
            s.append(k)
        }
        if s.isEmpty { continue }
        if best == nil || raceKey(s, index: a) < raceKey(best!.steps, index: best!.index) { best = (a, s) }
    }
    return RaceResult(racer: r, rate: grid[best!.index], gridIndex: best!.index, startSteps: best!.steps)
}

// MARK: Reddi et al.

/// Reddi et al.'s counterexample run with rate α/√t from x₁ = 0.
func counterexample(amsgrad: Bool, steps: Int, alpha: Double = 0.5)
    -> (recorded: [(step: Int, x: Double, averageRegret: Double)], averageRegret: Double, final: Double) {
    let problem = OnlineCounterexample(c: 3)
    let record = logSpacedIndices(steps, points: 300).map { $0 + 1 }
    let opt = Adam(learningRate: alpha, beta1: 0, beta2: problem.criticalBeta2, amsgrad: amsgrad)
    let r = problem.run(optimizer: opt, steps: steps, start: 0, learningRate: { alpha / Double($0).squareRoot() },
                        record: record)
    return (r.recorded, r.averageRegret, r.recorded.last!.x)
}

// MARK: Bias correction on the spirals, over a seed set

/// Final full-batch losses of Adam with (`[0]`) and without (`[1]`, the article's) bias correction
/// on the spirals task of each seed: `result[seed][β₂][corrected or not][rate]`, NaN where a run
/// diverged. Seed `s` draws the data from `s` and the initial weights and batches from `s + 7`.
/// The runs are independent; `map` spreads them over the cores (``Notebook/parallelMap(_:_:)``).
func biasCorrectionLosses(seeds: [UInt64], betas: [Double], grid: [Double], steps: Int,
                          map: (Int, (Int) -> [Double]) -> [[Double]]) -> [[[[Double]]]] {
    let tasks = seeds.map { SupervisedTask.spirals(seed: $0) }
    let jobs = seeds.indices.flatMap { s in betas.indices.flatMap { b in [true, false].map { (s, b, $0) } } }
    let curves = map(jobs.count) { j in
        let (s, b, corrected) = jobs[j]
        return grid.map { a in
            corrected
                ? tasks[s].finalLoss(Adam(learningRate: a, beta2: betas[b]), steps: steps, seed: seeds[s] &+ 7)
                : tasks[s].finalLoss(ArticleAdam(learningRate: a, beta2: betas[b]), steps: steps, seed: seeds[s] &+ 7)
        }
    }
    return seeds.indices.map { s in
        betas.indices.map { b in [0, 1].map { k in curves[(s * betas.count + b) * 2 + k] } }
    }
}
