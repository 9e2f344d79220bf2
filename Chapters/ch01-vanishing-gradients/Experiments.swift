import Descent
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

/// ‖∂L/∂Wᵢ‖ for every layer at initialisation, on the full data set.
struct InitialNorms {
    let activation: Activation
    let initName: String
    /// Layers 1…11 (10 hidden, then the output layer).
    let norms: [Double]
    /// Back-propagated gradients δᵢ = ∂L/∂zᵢ of every hidden layer (for the histograms).
    let deltas: [[Double]]

    /// Per-weight RMS of the gradient, layers 1…11 (see ``VanishingSetup/rms(_:)``).
    var rms: [Double] { VanishingSetup.rms(norms) }
    var firstHidden: Double { rms[0] }
    var lastHidden: Double { rms[VanishingSetup.hidden.count - 1] }
    /// RMS₁₀ / RMS₁: how much smaller the first layer's per-weight gradient is than the last hidden layer's.
    var lastOverFirst: Double { lastHidden / firstHidden }
    /// max RMSᵢ / min RMSᵢ over the hidden layers.
    var spread: Double {
        let h = rms.prefix(VanishingSetup.hidden.count)
        return h.max()! / h.min()!
    }
    var largest: Double { rms.max()! }
    /// Largest and smallest per-weight RMS over the hidden layers 1…10 (the output layer excluded).
    var hiddenMax: Double { rms.prefix(VanishingSetup.hidden.count).max()! }
    var hiddenMin: Double { rms.prefix(VanishingSetup.hidden.count).min()! }
    /// Per-weight RMS of the output layer's gradient (layer 11).
    var output: Double { rms[VanishingSetup.hidden.count] }
    /// Median of log₁₀|δ| over units × examples of hidden layer `layer` (0-based).
    func medianLogDelta(_ layer: Int) -> Double {
        let l = deltas[layer].filter { $0 != 0 }.map { Double.log10(abs($0)) }.sorted()
        return l.isEmpty ? -.infinity : l[l.count / 2]
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

    func allInitialNorms() -> [InitialNorms] {
        Self.activations.flatMap { a in Self.initializers.map { initialNorms(a, $0.name, $0.initializer) } }
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
