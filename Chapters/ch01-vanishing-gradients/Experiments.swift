import Descent
import Notebook
import RealModule

/// The experiments of chapter 1, as plain functions of a seed: the narrative in main.swift
/// and the tests both call these.
struct VanishingSetup {
    /// 10 hidden layers of 64 units on 2-D inputs, one logit out.
    static let hidden = Array(repeating: 64, count: 10)
    static let activations: [Activation] = [.sigmoid, .tanh, .relu]
    static let initializers: [(name: String, initializer: Initializer)] = [
        ("standard", .standard), ("N(0, 1)", .normal(standardDeviation: 1)),
        ("Xavier", .xavierUniform), ("He", .heUniform),
    ]

    let data: Dataset
    let seed: UInt64

    init(seed: UInt64, points: Int = 256) {
        var rng = SeededGenerator(seed: seed)
        data = Datasets.spirals(count: points, rng: &rng)
        self.seed = seed
    }

    func network(_ activation: Activation) -> MLP {
        MLP(inputs: 2, hidden: Self.hidden, outputs: 1, activation: activation)
    }

    /// Per-weight RMS of each layer's weight gradient, ‖∂L/∂Wᵢ‖ / √(fan_in · fan_out): a
    /// measure that does not depend on the layer's shape (the 2 × 64 first layer has 128
    /// weights, the 64 × 64 ones 4096, so their Frobenius norms differ by √32 from shape alone).
    static func rms(_ norms: [Double]) -> [Double] {
        let layers = MLP(inputs: 2, hidden: hidden, outputs: 1, activation: .tanh).layers
        return zip(norms, layers).map { $0 / Double($1.inputs * $1.outputs).squareRoot() }
    }

    /// Initial parameters for one configuration; the same seed gives every configuration the
    /// same underlying random stream.
    func parameters(_ activation: Activation, _ initializer: Initializer) -> [Double] {
        var rng = SeededGenerator(seed: seed &+ 1)
        return network(activation).initialParameters(initializer, using: &rng)
    }
}

/// ‖∂L/∂Wᵢ‖ for every layer at initialisation, on the full data set: one draw of the weights.
struct InitialNorms {
    let activation: Activation
    let initName: String
    /// Layers 1…11 (10 hidden, then the output layer).
    let norms: [Double]
    /// Median of log₁₀|δᵢ| over units × examples of each hidden layer (0-based), where
    /// δᵢ = ∂L/∂zᵢ is the back-propagated gradient; −∞ when every δ of the layer is 0.
    let medianLogDelta: [Double]
    /// Counts of log₁₀|δᵢ| in the bins of ``logDeltaEdges``, per hidden layer (for the histograms);
    /// values outside the edges are not counted.
    let logDeltaCounts: [[Double]]
    /// Number of nonzero δ per hidden layer (the histograms' denominator).
    let nonzeroDeltas: [Int]

    /// Bin edges of the histograms of log₁₀|δ|: half a decade wide, from 10⁻¹⁸ to 1.
    static let logDeltaEdges = stride(from: -18.0, through: 0.0, by: 0.5).map { $0 }

    init(activation: Activation, initName: String, norms: [Double], deltas: [[Double]]) {
        self.activation = activation
        self.initName = initName
        self.norms = norms
        let edges = Self.logDeltaEdges, width = edges[1] - edges[0]
        var medians: [Double] = [], counts: [[Double]] = [], nonzero: [Int] = []
        for layer in deltas {
            let logs = layer.filter { $0 != 0 }.map { Double.log10(abs($0)) }.sorted()
            medians.append(logs.isEmpty ? -.infinity : logs[logs.count / 2])
            var c = [Double](repeating: 0, count: edges.count - 1)
            for l in logs where l >= edges[0] && l < edges[edges.count - 1] {
                c[min(c.count - 1, Int(((l - edges[0]) / width).rounded(.down)))] += 1
            }
            counts.append(c)
            nonzero.append(logs.count)
        }
        (medianLogDelta, logDeltaCounts, nonzeroDeltas) = (medians, counts, nonzero)
    }

    /// Per-weight RMS of the gradient, layers 1…11 (see ``VanishingSetup/rms(_:)``).
    var rms: [Double] { VanishingSetup.rms(norms) }
    var firstHidden: Double { rms[0] }
    var lastHidden: Double { rms[VanishingSetup.hidden.count - 1] }
    /// RMS₁₀ / RMS₁: how much smaller the first layer's per-weight gradient is than the last hidden layer's.
    var lastOverFirst: Double { lastHidden / firstHidden }
    /// max RMSᵢ / min RMSᵢ over the hidden layers.
    var spread: Double { hiddenMax / hiddenMin }
    var largest: Double { rms.max()! }
    /// Largest and smallest per-weight RMS over the hidden layers 1…10 (the output layer excluded).
    var hiddenMax: Double { rms.prefix(VanishingSetup.hidden.count).max()! }
    var hiddenMin: Double { rms.prefix(VanishingSetup.hidden.count).min()! }
    /// Per-weight RMS of the output layer's gradient (layer 11).
    var output: Double { rms[VanishingSetup.hidden.count] }
    /// How many decades the median |δ| falls per layer from layer 10 down to layer 1.
    var decadesPerLayer: Double {
        let last = VanishingSetup.hidden.count - 1
        return (medianLogDelta[last] - medianLogDelta[0]) / Double(last)
    }
}

/// One configuration (activation × initialisation) measured on every draw of a seed set.
struct InitialSet {
    let activation: Activation
    let initName: String
    /// One measurement per seed of the set, in the set's order (draw 0 is the chapter's own seed).
    let draws: [InitialNorms]
    func overDraws(_ value: (InitialNorms) -> Double) -> Spread { Spread(draws.map(value)) }
    /// The histograms of log₁₀|δ| pooled over the draws, as fractions of all nonzero δ of the layer.
    func pooledHistogram(layer: Int) -> [Double] {
        let total = Double(Swift.max(1, draws.map { $0.nonzeroDeltas[layer] }.reduce(0, +)))
        return draws.map { $0.logDeltaCounts[layer] }.reduce(into: [Double](
            repeating: 0, count: InitialNorms.logDeltaEdges.count - 1)) { sum, c in
            for k in sum.indices { sum[k] += c[k] }
        }.map { $0 / total }
    }
}

extension VanishingSetup {
    func initialNorms(_ activation: Activation, _ initName: String, _ initializer: Initializer) -> InitialNorms {
        let net = network(activation)
        let ws = MLP.Workspace(network: net, batchSize: data.count)
        ws.lossAndGradient(parameters(activation, initializer), input: data.inputs, target: data.targets,
                           loss: .binaryCrossEntropyWithLogits)
        let deltas = (0..<Self.hidden.count).map { ws.preActivationGradient(layer: $0).elements }
        return InitialNorms(activation: activation, initName: initName, norms: net.layerGradientNorms(ws.gradient),
                            deltas: deltas)
    }

    /// The 12 configurations, activation-major (sigmoid's four initialisations first).
    func allInitialNorms() -> [InitialNorms] {
        Self.activations.flatMap { a in Self.initializers.map { initialNorms(a, $0.name, $0.initializer) } }
    }

    /// The 12 configurations measured on every seed of a seed set, grouped by configuration: draw k is the
    /// whole setup of `seeds[k]` (its own spirals, its own weights). `map(n, work)` runs `work(0..<n)` and
    /// returns the results in order (the chapter passes `Notebook.parallelMap`, the draws being independent).
    static func initialSets(seeds: [UInt64],
                            map: (Int, (Int) -> [InitialNorms]) -> [[InitialNorms]] = { n, work in
                                (0..<n).map(work)
                            }) -> [InitialSet] {
        let draws = map(seeds.count) { k in VanishingSetup(seed: seeds[k]).allInitialNorms() }
        return draws[0].indices.map { c in
            InitialSet(activation: draws[0][c].activation, initName: draws[0][c].initName, draws: draws.map { $0[c] })
        }
    }

    /// Mini-batch SGD for `steps` steps, recording losses and per-layer norms.
    func train(_ activation: Activation, _ initializer: Initializer, learningRate: Double, steps: Int,
               clipping: GradientClipping? = nil) -> TrainingResult {
        var rng = SeededGenerator(seed: seed &+ 2)
        return Descent.train(network(activation), parameters: parameters(activation, initializer), on: data,
                             loss: .binaryCrossEntropyWithLogits, optimizer: SGD(learningRate: learningRate),
                             steps: steps, batchSize: 64, clipping: clipping, divergence: .standard,
                             recording: [.layerNorms, .gradientNorms], rng: &rng)
    }
}
