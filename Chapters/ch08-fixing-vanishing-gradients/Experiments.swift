import Descent
import Notebook
import RealModule

/// A deep MLP (10 hidden layers × 32) on the digits, with the fixes of chapter 8 as options.
struct DeepDigits {
    static let depth = 10, width = 32, batchSize = 64

    /// One configuration: activation, initialisation and the fixes switched on.
    struct Config {
        let name: String
        let activation: Activation
        let initializer: Initializer
        var residual = false
        var batchNorm = false
        var clipping: GradientClipping? = nil
        var adam = false
    }

    let data: PreparedData

    init(seed: UInt64) {
        // 20 % of the 1,797 images held out (a split seeded by the chapter's seed).
        data = try! PreparedData(DataTable.builtIn("digits")!, validationFraction: 0.2, seed: seed)
    }

    func network(_ c: Config) -> MLP {
        MLP(inputs: data.inputCount, hidden: Array(repeating: Self.width, count: Self.depth), outputs: data.outputCount,
            activation: c.activation, residual: c.residual, batchNorm: c.batchNorm)
    }

    /// Per-parameter RMS of ∂ℓ/∂Wᵢ, √(mean of squares), for every layer: shape-free, so a 64 × 32
    /// first layer and a 32 × 32 middle layer compare directly.
    static func rms(_ gradient: [Double], _ net: MLP) -> [Double] {
        net.layers.map { l in (gradient[l.weightRange].reduce(0) { $0
                + $1 * $1 } / Double(l.weightRange.count)).squareRoot() }
    }

    /// The initial parameters of `c` drawn from `seed`, and the per-layer gradient RMS on the
    /// training rows `rows` (the first 256 unless given; training mode).
    func atInitialisation(_ c: Config, seed: UInt64, rows: [Int] = Array(0..<256)) -> (parameters: [Double],
                                                                                         rms: [Double],
                                                                                         workspace: MLP.Workspace) {
        let net = network(c)
        var rng = SeededGenerator(seed: seed)
        let theta = net.initialParameters(c.initializer, using: &rng)
        var x = Matrix(rows: 0, columns: data.inputCount), y = Matrix(rows: 0, columns: data.outputCount)
        data.training.inputs.gatherRows(rows[...], into: &x)
        data.training.targets.gatherRows(rows[...], into: &y)
        let ws = MLP.Workspace(network: net, batchSize: rows.count)
        ws.lossAndGradient(theta, input: x, target: y, loss: data.loss, updatingStatistics: false)
        return (theta, Self.rms(ws.gradient, net), ws)
    }

    /// The training rows of the first mini-batch `train(c, steps:, seed:)` draws: the same generator,
    /// after the initial parameters, shuffles the training set; the batch is its first 64 rows.
    func firstBatch(_ c: Config, seed: UInt64) -> [Int] {
        var rng = SeededGenerator(seed: seed)
        _ = network(c).initialParameters(c.initializer, using: &rng)
        return Array(rng.permutation(data.training.count).prefix(Self.batchSize))
    }

    /// Trains `c` for `steps` mini-batch steps (SGD α = 0.1, or Adam α = 0.001) and returns the
    /// validation accuracy (evaluation mode), whether it diverged, the per-layer gradient RMS
    /// recorded at every step, and the largest global gradient norm ‖g‖₂ of any step (before clipping).
    func train(_ c: Config, steps: Int, seed: UInt64) -> (accuracy: Double, diverged: Bool, rms: [[Double]],
                                                          largestNorm: Double) {
        let net = network(c)
        var rng = SeededGenerator(seed: seed)
        let theta = net.initialParameters(c.initializer, using: &rng)
        func run(_ opt: some Optimizer) -> TrainingResult {
            Descent.train(net, parameters: theta, on: data.training, loss: data.loss, optimizer: opt, steps: steps,
                          batchSize: Self.batchSize, clipping: c.clipping, recording: [.layerNorms, .gradientNorms],
                          rng: &rng)
        }
        let result = c.adam ? run(Adam(learningRate: 1e-3)) : run(SGD(learningRate: 0.1))
        let sizes = net.layers.map { Double($0.weightRange.count).squareRoot() }
        let rms = result.layerNorms.map { zip($0, sizes).map { $0 / $1 } }
        let largest = result.gradientNorms.max() ?? 0
        guard result.divergence == nil, let validation = data.validation else { return (0, true, rms, largest) }
        let (_, accuracy) = Evaluator(network: net, data: validation, loss: data.loss)
            .lossAndAccuracy(result.parameters, statistics: result.runningStatistics)
        return (accuracy.isFinite ? accuracy : 0, false, rms, largest)
    }
}

/// A normalised histogram (density) of `values` over `bins` equal bins in `range`.
func density(_ values: [Double], range: ClosedRange<Double>, bins: Int) -> (x: [Double], y: [Double]) {
    let w = (range.upperBound - range.lowerBound) / Double(bins)
    var counts = [Double](repeating: 0, count: bins)
    for v in values where range.contains(v) {
        counts[min(bins - 1, Int((v - range.lowerBound) / w))] += 1
    }
    let total = Double(values.count) * w
    return ((0..<bins).map { range.lowerBound + (Double($0) + 0.5) * w }, counts.map { $0 / total })
}
