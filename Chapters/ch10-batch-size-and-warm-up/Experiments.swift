import Descent
import RealModule

/// The chapter's task: `digits` (1,797 images, 64 pixels, 10 classes), 20 % held out by a split
/// seeded by `seed` (each run of a seed set draws its own), chapter 7's network 64 → 32 → 10 (tanh, Xavier-uniform), softmax
/// cross-entropy, SGD; only the batch size, the rate and the schedule change.
struct BatchLab {
    static let hidden = [32]

    let data: PreparedData
    let network: MLP

    init(seed: UInt64) {
        data = try! PreparedData(Datasets.digits(), validationFraction: 0.2, seed: seed)
        network = data.network(hidden: Self.hidden, activation: .tanh)
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

    /// The validation loss and accuracy of a run. A fresh evaluator each time: runs of a seed set call this
    /// from several threads at once, and an ``Evaluator`` owns one workspace.
    func outcome(_ run: TrainingResult) -> Outcome {
        guard run.divergence == nil else { return Outcome(loss: .infinity, accuracy: 0, run: run) }
        let (l, a) = Evaluator(network: network, data: data.validation!, loss: data.loss).lossAndAccuracy(run.parameters)
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

/// The best rate of the √2 grid at one batch size over a seed set, by validation loss after a fixed number
/// of epochs. Every seed of the set tries the same rates, so each rate has one loss per seed: the set's best
/// rate minimises the mean loss over the set, and each seed's own best rate is kept to show the spread.
struct RateSearch {
    let batchSize: Int
    /// Every rate tried (ascending) and its validation loss on each seed of the set (+∞ where a run diverged).
    var tried: [(rate: Double, losses: [Double])]

    /// The mean validation loss over the set at each rate tried (+∞ when any run diverged).
    var meanLosses: [Double] { tried.map { $0.losses.reduce(0, +) / Double($0.losses.count) } }
    /// The rate with the lowest mean loss over the set (the smaller rate on a tie) and that mean loss.
    var best: (rate: Double, loss: Double) {
        let m = meanLosses
        let i = m.indices.min { m[$0] < m[$1] }!
        return (tried[i].rate, m[i])
    }
    /// Each seed's own best rate (the smaller on a tie), in the order of the set.
    var seedBest: [Double] {
        tried[0].losses.indices.map { s in tried.min { $0.losses[s] < $1.losses[s] }!.rate }
    }
    /// The set's best rate off the grid: the vertex of the least-squares parabola through the set's mean loss
    /// against the grid index k (log α in half-octaves) over the rates within three grid steps of the lowest mean
    /// loss, clamped to those rates. A grid minimum jumps by whole √2 steps with the noise of a flat basin; the
    /// parabola averages seven points. The grid's best when fewer than three finite points or it opens downwards.
    var smoothBest: Double {
        let m = meanLosses
        let k0 = Double.log2(best.rate) * 2
        let points = tried.indices.compactMap { i -> (Double, Double)? in
            let k = Double.log2(tried[i].rate) * 2
            return m[i].isFinite && abs(k - k0) <= 3.01 ? (k, m[i]) : nil
        }
        guard points.count >= 3, let v = parabolaVertex(points) else { return best.rate }
        let lo = points.map(\.0).min()!, hi = points.map(\.0).max()!
        return Double.pow(2, min(max(v, lo), hi) / 2)
    }
    /// The set's best rate (``smoothBest``) divided by the batch size.
    var ratio: Double { smoothBest / Double(batchSize) }

    /// Tries 2^(k/2) for k in `window` on every seed (`losses(ks)` returns, for each grid index of `ks`, the
    /// validation loss of each seed of the set), then extends the window one grid step at a time on the side
    /// where the set's best rate or any seed's best sits on its edge, so every best is bracketed by two worse
    /// rates (k within −24…12).
    init(batchSize: Int, window: ClosedRange<Int>, losses: ([Int]) -> [[Double]]) {
        self.batchSize = batchSize
        var table: [Int: [Double]] = [:]
        func run(_ ks: [Int]) { for (k, l) in zip(ks, losses(ks)) { table[k] = l } }
        run(Array(window))
        while true {
            let lo = table.keys.min()!, hi = table.keys.max()!
            let ks = table.keys.sorted()
            let mean = ks.map { k in table[k]!.reduce(0, +) / Double(table[k]!.count) }
            // The best grid index of each column (seeds, then the mean), the smaller index on a tie.
            func argmin(_ v: [Double]) -> Int { ks[v.indices.min { v[$0] < v[$1] }!] }
            let bests = table[lo]!.indices.map { s in argmin(ks.map { table[$0]![s] }) } + [argmin(mean)]
            var next: [Int] = []
            if bests.contains(lo) && lo > -24 { next.append(lo - 1) }
            if bests.contains(hi) && hi < 12 { next.append(hi + 1) }
            if next.isEmpty { break }
            run(next)
        }
        tried = table.keys.sorted().map { (gridRate($0), table[$0]!) }
    }

    /// The grid index of the set's best rate.
    var bestIndex: Int { Int((2 * Double.log2(best.rate)).rounded()) }
}

/// The x of the vertex of the least-squares parabola y = a + b·x + c·x² through `points`, or nil when c ≤ 0
/// (no minimum) or the normal equations are singular.
func parabolaVertex(_ points: [(Double, Double)]) -> Double? {
    // Centre x for conditioning; solve the 3×3 normal equations by Cramer's rule.
    let xm = points.map(\.0).reduce(0, +) / Double(points.count)
    var s = [Double](repeating: 0, count: 5), t = [Double](repeating: 0, count: 3)
    for (x0, y) in points {
        let x = x0 - xm
        var p = 1.0
        for j in 0..<5 { s[j] += p; if j < 3 { t[j] += p * y }; p *= x }
    }
    func det(_ m: [[Double]]) -> Double {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    }
    let a = [[s[0], s[1], s[2]], [s[1], s[2], s[3]], [s[2], s[3], s[4]]]
    let d = det(a)
    guard abs(d) > 1e-12 else { return nil }
    let db = det([[s[0], t[0], s[2]], [s[1], t[1], s[3]], [s[2], t[2], s[4]]])
    let dc = det([[s[0], s[1], t[0]], [s[1], s[2], t[1]], [s[2], s[3], t[2]]])
    let b = db / d, c = dc / d
    guard c > 0 else { return nil }
    return xm - b / (2 * c)
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
