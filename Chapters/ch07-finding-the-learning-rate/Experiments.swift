import Descent
import RealModule

/// The optimizers of the chapter, by their palette names, as functions of the rate.
let contenders: [(name: String, make: @Sendable (Double) -> any Optimizer)] = [
    ("SGD", { SGD(learningRate: $0) }),
    ("momentum", { SGD(learningRate: $0, momentum: 0.9) }),
    ("AdaGrad", { AdaGrad(learningRate: $0) }),
    ("RMSprop", { RMSprop(learningRate: $0) }),
    ("Adam", { Adam(learningRate: $0) }),
]

/// The rules, in the order the page lists them.
let ruleNames = ["valley", "steep", "minimum", "slide", "verified"]

/// The chapter's task: `digits` (1,797 images, 64 pixels, 10 classes), 20 % held out by a split
/// seeded like `lab train --seed`, an MLP 64 → 32 → 10 (tanh, Xavier-uniform), batches of 32.
struct DigitsTask {
    static let hidden = [32]
    static let batchSize = 32

    let seed: UInt64
    let data: PreparedData
    let network: MLP

    init(seed: UInt64) {
        self.seed = seed
        data = try! PreparedData(Datasets.digits(), validationFraction: 0.2, seed: seed)
        network = data.network(hidden: Self.hidden, activation: .tanh)
    }

    var finder: LearningRateFinder {
        LearningRateFinder(data: data, network: network, initializer: .xavierUniform, batchSize: Self.batchSize,
                           seed: seed)
    }

    /// Validation loss after `steps` updates at `rate` (+∞ if the run diverged) — `lab train`'s last row,
    /// bit for bit (the same initial weights, batches and updates, ``LearningRateFinder/trial(_:rate:steps:)``),
    /// without the rows `lab train` also reports (the training split's loss at the start and the end,
    /// the validation loss and accuracy at the start): a quarter of a run's time, the grid's 525 runs.
    func validationLoss(_ optimizer: any Optimizer, rate: Double, steps: Int) -> Double {
        var opt = optimizer
        opt.learningRate = rate
        var rng = SeededGenerator(seed: seed)
        let start = network.initialParameters(.xavierUniform, using: &rng)
        let run = Descent.train(network, parameters: start, on: data.training, loss: data.loss, optimizer: opt,
                                steps: steps, batchSize: Self.batchSize, divergence: .nonFinite, rng: &rng)
        guard run.divergence == nil else { return .infinity }
        let l = Evaluator(network: network, data: data.validation!, loss: data.loss).loss(run.parameters)
        return l.isFinite ? l : .infinity
    }

    /// Validation loss every `every` steps of a run with a schedule, and after the last (the run stops
    /// at a divergence) — the validation column of `lab train --eval-every`, nothing else evaluated.
    func curve(_ optimizer: any Optimizer, schedule: Schedule, steps: Int, every: Int) -> [(step: Int, loss: Double)] {
        var rows: [(Int, Double)] = []
        var rng = SeededGenerator(seed: seed)
        let start = network.initialParameters(.xavierUniform, using: &rng)
        let validation = Evaluator(network: network, data: data.validation!, loss: data.loss)
        _ = Descent.train(network, parameters: start, on: data.training, loss: data.loss, optimizer: optimizer,
                          schedule: schedule, steps: steps, batchSize: Self.batchSize, divergence: .nonFinite,
                          rng: &rng, observer: { t, theta in
                              if t % every == 0 || t == steps { rows.append((t, validation.loss(theta))) }
                          })
        return rows
    }
}

/// What the range test and the five rules say for one optimizer, and what the grid says.
struct RuleReport {
    let optimizer: String
    let sweep: RangeTest.Result
    /// Rule name → the fastai rule's pick (nil: too few points).
    let picks: [String: RateSuggestion]
    let verified: VerifiedSearch.Result
    /// The verified rule's answer: its rate, or — when no trial beat the untrained network — the
    /// fastai rule it names instead (``VerifiedSearch/fallback(_:)``), as `lab find-lr` does.
    let verifiedRate: Double
    /// Rule name → its rate.
    var rates: [String: Double] {
        picks.mapValues(\.rate).merging(["verified": verifiedRate]) { a, _ in a }
    }
}

/// The range test and all five rules for `optimizer` on the task of `seed`.
func rules(_ name: String, _ make: (Double) -> any Optimizer, task: DigitsTask, test: RangeTest,
           budget: Int) -> RuleReport {
    let finder = task.finder
    let sweep = finder.sweep(make(test.minimumRate), test: test)
    let curve = FastaiCurve(sweep, iterations: test.steps)
    var picks: [String: RateSuggestion] = [:]
    picks["valley"] = curve.valley()
    picks["steep"] = curve.steep()
    picks["minimum"] = curve.minimum()
    picks["slide"] = curve.slide()
    let verified = finder.verified(make(test.minimumRate), sweep: sweep, test: test, budget: budget)
    let rate = verified.rate ?? VerifiedSearch.fallback(curve)?.suggestion.rate ?? verified.best.rate
    return RuleReport(optimizer: name, sweep: sweep, picks: picks, verified: verified, verifiedRate: rate)
}

/// One optimizer's grid on one seed: the validation loss after B steps at each rate of the grid, and
/// what the page reads from it.
struct SeedGrid {
    let losses: [Double]
    /// The untrained network's validation loss on this seed's split.
    let start: Double
    /// The best rate's index; the hit threshold, 90 % of the best rate's improvement over the untrained network.
    let best: Int, threshold: Double
    /// The rates that hit; the first rate above the best whose run ends worse than no training (nil: none).
    let hits: [Int], edge: Int?

    init(losses: [Double], start: Double) {
        self.losses = losses
        self.start = start
        let finite = losses.indices.filter { losses[$0].isFinite }
        let b = finite.min { losses[$0] < losses[$1] } ?? 0
        let t = losses[b] + 0.1 * (start - losses[b])
        (best, threshold) = (b, t)
        hits = finite.filter { losses[$0] <= t }
        edge = losses.indices.first { $0 > b && !(losses[$0] <= start) }
    }

    /// Whether a run ending at validation loss `loss` hits on this seed.
    func hit(_ loss: Double) -> Bool { loss.isFinite && loss <= threshold }
}

/// Range test on the quadratic from (−5, −2) with plain SGD.
func quadraticSweep(steps: Int, smoothing: Double, minimum: Double = 1e-6, maximum: Double = 10) -> RangeTest.Result {
    let test = RangeTest(minimumRate: minimum, maximumRate: maximum, steps: steps, smoothing: smoothing)
    var theta = [-5.0, -2.0]
    var sgd = SGD(learningRate: minimum)
    return test.run(parameters: &theta, optimizer: &sgd) { p, _, g in
        Quadratic().gradient(p, into: &g)
        return Quadratic().value(p)
    }
}

/// f after `steps` steps of gradient descent on the quadratic from (−5, −2) at `rate`.
func quadraticLoss(rate: Double, steps: Int) -> (loss: Double, stepsTrained: Int) {
    let run = optimize(Quadratic(), from: [-5, -2], steps: steps, optimizer: SGD(learningRate: rate))
    let l = run.points.last!.loss
    return (run.divergence == nil && l.isFinite ? l : .infinity, run.points.count - 1)
}
