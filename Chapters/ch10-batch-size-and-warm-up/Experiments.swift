import Descent
import RealModule

/// The chapter's task: `digits` (1,797 images, 64 pixels, 10 classes), 20 % held out by a split
/// seeded by the chapter's seed, chapter 7's network 64 → 32 → 10 (tanh, Xavier-uniform), softmax
/// cross-entropy, SGD; only the batch size, the rate and the schedule change.
struct BatchLab {
    static let hidden = [32]

    let data: PreparedData
    let network: MLP
    let validation: Evaluator

    init(seed: UInt64) {
        data = try! PreparedData(Datasets.digits(), validationFraction: 0.2, seed: seed)
        network = data.network(hidden: Self.hidden, activation: .tanh)
        validation = Evaluator(network: network, data: data.validation!, loss: data.loss)
    }

    /// Training examples (the full batch).
    var examples: Int { data.training.count }

    /// The task at batch size `b` (at most the whole training split).
    func task(batchSize b: Int) -> SupervisedTask {
        SupervisedTask(data: data.training, network: network, loss: data.loss, batchSize: min(b, examples),
                       initializer: .xavierUniform)
    }

    /// What one run ended with.
    struct Outcome {
        /// Validation loss at the end (+∞ when the run diverged or ended non-finite).
        var loss: Double
        /// Validation accuracy at the end (0 when it diverged).
        var accuracy: Double
        /// The training record (mini-batch losses; gradient norms and rates when recorded).
        var run: TrainingResult
        /// Fraction of hidden units with |tanh| > 0.99 on the validation images after the first epoch.
        var saturatedAfterFirstEpoch: Double = .nan
        /// The same fraction after each step asked for (step count → fraction).
        var saturation: [Int: Double] = [:]
    }

    /// Trains at batch size `b` for `epochs` epochs with SGD (momentum `momentum`) at base rate `rate`
    /// under `schedule`, from the weights and batch order drawn by `seed`.
    func train(batchSize b: Int, rate: Double, momentum: Double = 0, schedule: Schedule = .constant, epochs: Int,
               seed: UInt64, recording: TrainingRecording = []) -> Outcome {
        let run = task(batchSize: b).train(SGD(learningRate: rate, momentum: momentum), schedule: schedule,
                                           epochs: epochs, seed: seed, recording: recording)
        return outcome(run)
    }

    func outcome(_ run: TrainingResult) -> Outcome {
        guard run.divergence == nil else { return Outcome(loss: .infinity, accuracy: 0, run: run) }
        let (l, a) = validation.lossAndAccuracy(run.parameters)
        return l.isFinite ? Outcome(loss: l, accuracy: a, run: run) : Outcome(loss: .infinity, accuracy: 0, run: run)
    }

    /// As ``train(batchSize:rate:momentum:schedule:epochs:seed:recording:)``, recording the gradient norm
    /// and rate of every step and the hidden layer's saturation after the first epoch and after each step count
    /// in `saturationSteps`.
    func trainRecorded(batchSize b: Int, rate: Double, schedule: Schedule, epochs: Int, seed: UInt64,
                       saturationSteps: [Int] = []) -> Outcome {
        let t = task(batchSize: b)
        var saturated = Double.nan
        var at: [Int: Double] = [:]
        let run = t.train(SGD(learningRate: rate), schedule: schedule, steps: epochs * t.stepsPerEpoch, seed: seed,
                          recording: [.gradientNorms, .learningRates]) { step, theta in
            if step == t.stepsPerEpoch { saturated = saturation(theta) }
            if saturationSteps.contains(step) { at[step] = saturation(theta) }
        }
        var o = outcome(run)
        o.saturatedAfterFirstEpoch = saturated
        o.saturation = at
        return o
    }

    /// The fraction of hidden activations with |h| > 0.99 (tanh′ < 0.02) on the validation images.
    func saturation(_ theta: [Double]) -> Double {
        let v = data.validation!
        let ws = MLP.Workspace(network: network, batchSize: v.count)
        ws.lossAndGradient(theta, input: v.inputs, target: v.targets, loss: data.loss, updatingStatistics: false)
        let h = ws.activation(layer: 0).elements
        return Double(h.filter { abs($0) > 0.99 }.count) / Double(h.count)
    }
}

/// The rates tried: powers of √2, 2^(k/2).
func gridRate(_ k: Int) -> Double { Double.pow(2, Double(k) / 2) }

/// The best rate of the √2 grid at one batch size, by validation loss after a fixed number of epochs.
struct RateSearch {
    let batchSize: Int
    /// Every rate tried (ascending) and its validation loss.
    var tried: [(rate: Double, loss: Double)]
    var best: (rate: Double, loss: Double) { tried.min { $0.loss < $1.loss }! }
    /// The best rate divided by the batch size.
    var ratio: Double { best.rate / Double(batchSize) }

    /// Tries 2^(k/2) for k in `window`, then extends the window one grid step at a time while the best
    /// rate sits on its edge, so the best is always bracketed by two worse rates (k within −24…12).
    init(batchSize: Int, window: ClosedRange<Int>, loss: (Double) -> Double) {
        self.batchSize = batchSize
        var losses: [Int: Double] = [:]
        for k in window { losses[k] = loss(gridRate(k)) }
        while true {
            let lo = losses.keys.min()!, hi = losses.keys.max()!
            let kBest = losses.min { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }!.key
            if kBest == lo && lo > -24 { losses[lo - 1] = loss(gridRate(lo - 1)) }
            else if kBest == hi && hi < 12 { losses[hi + 1] = loss(gridRate(hi + 1)) }
            else { break }
        }
        tried = losses.keys.sorted().map { (gridRate($0), losses[$0]!) }
    }

    /// The grid index of the best rate.
    var bestIndex: Int { Int((2 * Double.log2(best.rate)).rounded()) }
}

/// McCandlish et al. (2018)'s best rate against the batch size,
///
///     α_opt(B) = α_max / (1 + B_noise / B),
///
/// fitted to measured best rates by least squares in log space: minimise
/// S(B_noise, α_max) = Σᵢ (log αᵢ − log α_max + log(1 + B_noise/Bᵢ))².
/// For a fixed B_noise the minimising log α_max is the mean of log αᵢ + log(1 + B_noise/Bᵢ) (∂S/∂log α_max = 0);
/// B_noise is then found on a log grid of 400 points over [min B/100, max B·100] and refined by golden-section
/// search between the grid neighbours of the best point.
struct NoiseScaleFit {
    /// B_noise: the batch size at which the best rate is half its large-batch limit.
    let noiseScale: Double
    /// α_max: the best rate as B → ∞.
    let maxRate: Double
    /// Root-mean-square residual in natural log (0.35 ≈ one √2 grid step).
    let rmsLogResidual: Double

    /// The fitted best rate at batch size `b`.
    func rate(_ b: Double) -> Double { maxRate / (1 + noiseScale / b) }

    /// The sum of squared log residuals of (`noiseScale`, `maxRate`) on the points.
    static func residual(noiseScale bn: Double, maxRate am: Double, batchSizes: [Double], rates: [Double]) -> Double {
        zip(batchSizes, rates).map { b, a in
            let r = Double.log(a) - Double.log(am) + Double.log(1 + bn / b)
            return r * r
        }.reduce(0, +)
    }

    init(batchSizes: [Double], rates: [Double]) {
        precondition(batchSizes.count == rates.count && batchSizes.count >= 2)
        func bestLogMax(_ bn: Double) -> Double {
            zip(batchSizes, rates).map { b, a in Double.log(a) + Double.log(1 + bn / b) }.reduce(0, +)
                / Double(batchSizes.count)
        }
        func s(_ logBn: Double) -> Double {
            let bn = Double.exp(logBn)
            return Self.residual(noiseScale: bn, maxRate: Double.exp(bestLogMax(bn)), batchSizes: batchSizes,
                                 rates: rates)
        }
        let lo = Double.log(batchSizes.min()! / 100), hi = Double.log(batchSizes.max()! * 100), n = 400
        let grid = (0...n).map { lo + (hi - lo) * Double($0) / Double(n) }
        let k = grid.indices.min { s(grid[$0]) < s(grid[$1]) }!
        var a = grid[max(0, k - 1)], b = grid[min(n, k + 1)]
        let phi = (Double.sqrt(5) - 1) / 2
        for _ in 0..<100 {
            let c = b - phi * (b - a), d = a + phi * (b - a)
            if s(c) < s(d) { b = d } else { a = c }
        }
        let bn = Double.exp((a + b) / 2)
        noiseScale = bn
        maxRate = Double.exp(bestLogMax(bn))
        rmsLogResidual = (Self.residual(noiseScale: bn, maxRate: maxRate, batchSizes: batchSizes, rates: rates)
                          / Double(batchSizes.count)).squareRoot()
    }
}
