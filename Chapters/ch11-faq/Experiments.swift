import Descent
import Notebook
import RealModule

/// A learning-rate strategy of the FAQ's Q3 table: an optimizer made at a base rate, and a schedule
/// for a run of a given length.
struct Strategy: Sendable {
    let name: String
    let pen: String
    let make: @Sendable (Double) -> any Optimizer
    let schedule: @Sendable (Int) -> Schedule

    static let all: [Strategy] = [
        Strategy(name: "fixed rate (SGD)", pen: "SGD", make: { SGD(learningRate: $0) }, schedule: { _ in .constant }),
        Strategy(name: "decayed (cosine)", pen: "cosine", make: { SGD(learningRate: $0) },
                 schedule: { .cosine(CosineAnnealing(period: $0)) }),
        Strategy(name: "warm restarts (SGDR)", pen: "SGDR", make: { SGD(learningRate: $0) },
                 schedule: { .warmRestarts(CosineWarmRestarts(firstPeriod: max(1, ($0 + 6) / 7), multiplier: 2)) }),
        Strategy(name: "AdaGrad", pen: "AdaGrad", make: { AdaGrad(learningRate: $0) }, schedule: { _ in .constant }),
        Strategy(name: "RMSprop", pen: "RMSprop", make: { RMSprop(learningRate: $0) }, schedule: { _ in .constant }),
        Strategy(name: "Adam", pen: "Adam", make: { Adam(learningRate: $0) }, schedule: { _ in .constant }),
        Strategy(name: "AMSGrad", pen: "AMSGrad", make: { Adam(learningRate: $0, amsgrad: true) },
                 schedule: { _ in .constant }),
        Strategy(name: "momentum 0.9", pen: "momentum", make: { SGD(learningRate: $0, momentum: 0.9) },
                 schedule: { _ in .constant }),
        Strategy(name: "one-cycle (SGD)", pen: "one-cycle", make: { SGD(learningRate: $0) },
                 schedule: { .oneCycle(OneCycle(totalSteps: $0)) }),
    ]
}

/// The loss f(θ) after every step of `strategy` at base rate `alpha` on `function`, with gradient
/// noise N(0, σ²) per coordinate drawn from `seed` (σ = 0: exact gradients). Stops early (returning
/// what it has) when the loss is no longer finite.
func lossCurve(_ strategy: Strategy, alpha: Double, on function: any TestFunction, from start: [Double],
               steps: Int, noise: Double = 0, seed: UInt64 = 0) -> [Double] {
    let run = OptimizationSteps(function, from: start, optimizer: strategy.make(alpha), schedule: strategy.schedule(steps),
                                noise: noise > 0 ? GradientNoise(sigma: noise, seed: seed) : nil)
    var out: [Double] = []
    out.reserveCapacity(steps)
    for point in run.dropFirst().prefix(steps) {
        out.append(point.loss)
        if !point.loss.isFinite || point.loss > 1e12 { break }
    }
    return out
}

/// The grid's best rate by a score of the curve (lower is better), over a seed set: each rate is run
/// once per seed and scored by the mean of its runs' scores; a rate at which any run blew up is
/// skipped. Returns the rate, that mean, and the score of each seed's run at that rate (in the
/// order of `seeds`). A problem without randomness passes one seed.
func bestOverGrid(_ strategy: Strategy, grid: [Double], steps: Int, seeds: [UInt64], score: ([Double]) -> Double,
                  run: (Strategy, Double, UInt64) -> [Double]) -> (rate: Double, score: Double, scores: [Double]) {
    let best = Measure.bestOnGrid(grid) { a -> (score: Double, result: [Double])? in
        var scores: [Double] = []
        for seed in seeds {
            let curve = run(strategy, a, seed)
            guard curve.count == steps, let last = curve.last, last.isFinite else { return nil }
            scores.append(score(curve))
        }
        return (scores.reduce(0, +) / Double(scores.count), scores)
    }
    return best.map { ($0.rate, $0.score, $0.result) } ?? (.nan, .infinity, [])
}

/// Chapter 8's measurement at initialisation, for Q1 and Q5: the gradient RMS of each hidden layer's
/// weights (layer 1 next to the input … layer 10), for a 10 × 32 network on 256 training digits
/// (training mode).
func hiddenGradientRMS(_ activation: Activation, _ initializer: Initializer, residual: Bool = false,
                       batchNorm: Bool = false, seed: UInt64) -> [Double] {
    let data = try! PreparedData(Datasets.digits(), validationFraction: 0.2, seed: seed)
    let net = MLP(inputs: data.inputCount, hidden: Array(repeating: 32, count: 10), outputs: data.outputCount,
                  activation: activation, residual: residual, batchNorm: batchNorm)
    var rng = SeededGenerator(seed: seed)
    let theta = net.initialParameters(initializer, using: &rng)
    let rows = Array(0..<256)
    var x = Matrix(rows: 0, columns: data.inputCount), y = Matrix(rows: 0, columns: data.outputCount)
    data.training.inputs.gatherRows(rows[...], into: &x)
    data.training.targets.gatherRows(rows[...], into: &y)
    let ws = MLP.Workspace(network: net, batchSize: 256)
    ws.lossAndGradient(theta, input: x, target: y, loss: data.loss, updatingStatistics: false)
    let rms = net.layers.map { l in
        (ws.gradient[l.weightRange].reduce(0) { $0 + $1 * $1 } / Double(l.weightRange.count)).squareRoot()
    }
    return Array(rms.prefix(10))
}

/// The first hidden layer's gradient RMS divided by the tenth's (see ``hiddenGradientRMS``).
func firstOverTenth(_ activation: Activation, _ initializer: Initializer, residual: Bool = false,
                    batchNorm: Bool = false, seed: UInt64) -> Double {
    let rms = hiddenGradientRMS(activation, initializer, residual: residual, batchNorm: batchNorm, seed: seed)
    return rms[0] / rms[9]
}

/// A factor for prose: "38" below 1000, else "2×10¹²" or "10⁷" (one significant digit and a power of ten).
func factorText(_ x: Double) -> String {
    guard x.isFinite, x >= 1000 else { return Fmt.sig(x, 2) }
    var e = Int(Double.log10(x).rounded(.down))
    var m = (x / Double.pow(10, Double(e))).rounded()
    if m >= 10 { m = 1; e += 1 }
    let sup: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    let power = String(String(e).map { sup[Int(String($0))!] })
    return m == 1 ? "10\(power)" : "\(Int(m))×10\(power)"
}
