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
            var logs = layer.filter { $0 != 0 }.map { Double.log10(abs($0)) }
            var c = [Double](repeating: 0, count: edges.count - 1)
            for l in logs where l >= edges[0] && l < edges[edges.count - 1] {
                c[min(c.count - 1, Int(((l - edges[0]) / width).rounded(.down)))] += 1
            }
            // The upper median, `logs.sorted()[logs.count / 2]`, found by selection: the histogram above does
            // not need the order, and sorting 16,384 values per layer was 8 % of the chapter's time.
            medians.append(logs.isEmpty ? -.infinity : Self.select(&logs, rank: logs.count / 2))
            counts.append(c)
            nonzero.append(logs.count)
        }
        (medianLogDelta, logDeltaCounts, nonzeroDeltas) = (medians, counts, nonzero)
    }

    /// The value at index `rank` of `values.sorted()`, by quickselect (Hoare partition around the median of
    /// three): expected O(n) instead of the sort's O(n log n). `values` is reordered. For values without NaN
    /// the result is exactly the sorted array's element (the rank-th smallest is one number, however found).
    static func select(_ values: inout [Double], rank: Int) -> Double {
        precondition(values.indices.contains(rank), "rank \(rank) outside 0..<\(values.count)")
        return values.withUnsafeMutableBufferPointer { v -> Double in
            var (lo, hi) = (0, v.count - 1)
            while lo < hi {
                let mid = lo + (hi - lo) / 2
                // Median of three as the pivot value.
                if v[mid] < v[lo] { v.swapAt(mid, lo) }
                if v[hi] < v[lo] { v.swapAt(hi, lo) }
                if v[hi] < v[mid] { v.swapAt(hi, mid) }
                let pivot = v[mid]
                var (i, j) = (lo, hi)
                while i <= j {
                    while v[i] < pivot { i += 1 }
                    while pivot < v[j] { j -= 1 }
                    if i <= j { v.swapAt(i, j); i += 1; j -= 1 }
                }
                // Now v[lo...j] ≤ pivot ≤ v[i...hi], and every element strictly between j and i equals pivot.
                if rank <= j { hi = j } else if rank >= i { lo = i } else { return v[rank] }
            }
            return v[rank]
        }
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
               clipping: GradientClipping? = nil,
               recording: TrainingRecording = [.layerNorms, .gradientNorms]) -> TrainingResult {
        var rng = SeededGenerator(seed: seed &+ 2)
        return Descent.train(network(activation), parameters: parameters(activation, initializer), on: data,
                             loss: .binaryCrossEntropyWithLogits, optimizer: SGD(learningRate: learningRate),
                             steps: steps, batchSize: 64, clipping: clipping, divergence: .standard,
                             recording: recording, rng: &rng)
    }
}

/// One configuration (activation × initialisation) trained on every draw of a seed set.
struct TrainingSet {
    let activation: Activation
    let initName: String
    /// One run per seed of the set, in the set's order (draw 0 is the chapter's own seed).
    let draws: [TrainingResult]
    var name: String { "\(activation.rawValue) + \(initName)" }

    /// The mean loss of a run's last 50 steps; NaN for a run that diverged.
    static func tail(_ r: TrainingResult) -> Double {
        r.divergence == nil ? r.losses.suffix(50).reduce(0, +) / Double(min(50, r.losses.count)) : .nan
    }
    /// log 2, the loss of a network that predicts ½ for every point: it has learnt nothing.
    static let log2 = 0.6931
    /// Last-50-step mean within 0.05 of log 2 (above or below): the run has not learnt.
    static func atLog2(_ r: TrainingResult) -> Bool { abs(tail(r) - log2) < 0.05 }
    /// Last-50-step mean below 0.5: the run has learnt something.
    static func learnt(_ r: TrainingResult) -> Bool { tail(r) < 0.5 }

    var tails: [Double] { draws.map(Self.tail) }
    /// The tails of the runs that did not diverge (empty when all did).
    var finiteTails: [Double] { tails.filter(\.isFinite) }
    func count(_ test: (TrainingResult) -> Bool) -> Int { draws.filter(test).count }
    var diverged: Int { count { $0.divergence != nil } }
}

extension VanishingSetup {
    /// The 12 configurations trained on every seed of a seed set, grouped by configuration (activation-major):
    /// draw k is the whole setup of `seeds[k]` (its spirals, its weights, its mini-batch order). `recording`
    /// says what each run records besides its losses (per draw and configuration); `map` as in
    /// ``initialSets(seeds:map:)``.
    static func trainingSets(seeds: [UInt64], learningRate: Double, steps: Int,
                             recording: (Int, Activation, String) -> TrainingRecording = { _, _, _ in [] },
                             map: (Int, (Int) -> TrainingResult) -> [TrainingResult] = { n, work in
                                 (0..<n).map(work)
                             }) -> [TrainingSet] {
        let setups = seeds.map { VanishingSetup(seed: $0) }
        let configs = activations.flatMap { a in initializers.map { (a, $0.name, $0.initializer) } }
        // Job j: configuration j % 12 of draw j / 12.
        let records = (0..<(seeds.count * configs.count)).map { j in
            recording(j / configs.count, configs[j % configs.count].0, configs[j % configs.count].1)
        }
        let results = map(seeds.count * configs.count) { j in
            let (k, (a, _, i)) = (j / configs.count, configs[j % configs.count])
            return setups[k].train(a, i, learningRate: learningRate, steps: steps, recording: records[j])
        }
        return configs.indices.map { c in
            TrainingSet(activation: configs[c].0, initName: configs[c].1,
                        draws: seeds.indices.map { results[$0 * configs.count + c] })
        }
    }
}
