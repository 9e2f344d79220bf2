import CKernels

/// A multi-layer perceptron whose parameters live in **one flat `[Double]`**.
///
/// Layer i computes Aᵢ = φᵢ(Aᵢ₋₁·Wᵢ + bᵢ) with A₀ = X (a batch, one example per row).
/// Wᵢ is stored row-major as nᵢ₋₁ × nᵢ (fan-in × fan-out) followed by bᵢ (nᵢ), layer
/// after layer, so an optimizer sees a single vector and a diagnostic can look at any
/// layer through ``Layer/weightRange`` and ``Layer/biasRange``.
///
/// Back-propagation (in ``Workspace``) with δᵢ = ∂ℓ/∂Zᵢ:
///
///     δ_L = ∂ℓ/∂A_L ⊙ φ′(A_L)
///     ∂ℓ/∂Wᵢ = Aᵢ₋₁ᵀ·δᵢ,   ∂ℓ/∂bᵢ = Σ_rows δᵢ
///     δᵢ₋₁ = (δᵢ·Wᵢᵀ) ⊙ φ′(Aᵢ₋₁)
///
/// Two options per layer, both in the same flat vector:
///
/// - **Residual** (He, Zhang, Ren & Sun, CVPR 2016, arXiv:1512.03385), for a layer whose
///   fan-in equals its fan-out: an identity skip, Aᵢ = Aᵢ₋₁ + φ(Zᵢ). Back-propagation adds
///   the skip's path: ∂ℓ/∂Aᵢ₋₁ = ∂ℓ/∂Aᵢ + (δᵢ·Wᵢᵀ), so a gradient reaches early layers even
///   when every φ′ is small.
/// - **Batch normalisation** (``BatchNorm``): Linear → BatchNorm → activation,
///   Aᵢ = φ(γᵢ ⊙ BN(Zᵢ) + βᵢ), with γᵢ and βᵢ stored right after bᵢ (PyTorch's order for
///   `Sequential(Linear, BatchNorm1d, activation)`); its running averages are model state,
///   ``RunningStatistics``, kept by a ``Workspace``.
///
/// A network without these options runs exactly the code path (and speed) it always had.
public struct MLP: Sendable, Equatable {
    /// One dense layer and where its parameters sit in the flat vector.
    public struct Layer: Sendable, Equatable {
        /// Fan-in.
        public let inputs: Int
        /// Fan-out.
        public let outputs: Int
        /// The activation applied to this layer's pre-activations.
        public let activation: Activation
        /// Indices of Wᵢ (inputs × outputs, row-major) in the parameter vector.
        public let weightRange: Range<Int>
        /// Indices of bᵢ in the parameter vector.
        public let biasRange: Range<Int>
        /// Whether the layer adds an identity skip: Aᵢ = Aᵢ₋₁ + φ(Zᵢ) (needs inputs == outputs).
        public let residual: Bool
        /// Whether the layer batch-normalises its pre-activations before φ.
        public let batchNorm: Bool
        /// Indices of γᵢ (PyTorch's BatchNorm `weight`) in the parameter vector; empty without batch norm.
        public let gammaRange: Range<Int>
        /// Indices of βᵢ (PyTorch's BatchNorm `bias`) in the parameter vector; empty without batch norm.
        public let betaRange: Range<Int>
        /// Indices of this layer's running mean and variance in ``RunningStatistics``; empty without batch norm.
        public let statisticsRange: Range<Int>
    }

    /// The running averages of every batch-normalised layer (model state, not parameters):
    /// layer i's features are ``Layer/statisticsRange`` of `mean` and `variance`.
    public struct RunningStatistics: Sendable, Equatable {
        /// PyTorch's `running_mean`, all layers concatenated.
        public var mean: [Double]
        /// PyTorch's `running_var` (updated with the unbiased batch variance), all layers concatenated.
        public var variance: [Double]
        public init(mean: [Double], variance: [Double]) {
            precondition(mean.count == variance.count, "one mean and one variance per feature")
            self.mean = mean
            self.variance = variance
        }
    }

    /// How batch-normalised layers normalise; no effect on a network without batch norm.
    public enum Mode: Sendable, Equatable {
        /// The batch's own mean and biased variance (PyTorch's `model.train()`).
        case training
        /// The running averages (PyTorch's `model.eval()`).
        case evaluation
    }

    /// The layers, input side first.
    public let layers: [Layer]
    /// Length of the flat parameter vector.
    public let parameterCount: Int
    /// Number of batch-normalised features over all layers (length of ``RunningStatistics``).
    public let statisticsCount: Int

    /// A network with the given layer widths (`sizes[0]` inputs … `sizes.last` outputs)
    /// and one activation per layer (`activations.count == sizes.count - 1`); `residual[i]`
    /// and `batchNorm[i]` switch layer i's options (all off when empty).
    public init(sizes: [Int], activations: [Activation], residual: [Bool] = [], batchNorm: [Bool] = []) {
        precondition(sizes.count >= 2, "a network needs at least an input and an output size")
        precondition(activations.count == sizes.count - 1, "one activation per layer")
        precondition(sizes.allSatisfy { $0 > 0 }, "layer sizes must be positive")
        precondition(residual.isEmpty || residual.count == activations.count, "one residual flag per layer")
        precondition(batchNorm.isEmpty || batchNorm.count == activations.count, "one batch-norm flag per layer")
        var layers: [Layer] = []
        var offset = 0, statistics = 0
        for i in 1..<sizes.count {
            let res = residual.isEmpty ? false : residual[i - 1]
            let bn = batchNorm.isEmpty ? false : batchNorm[i - 1]
            precondition(!res || sizes[i - 1] == sizes[i],
                         "a residual layer needs equal widths (layer \(i - 1): \(sizes[i - 1]) → \(sizes[i]))")
            let w = offset..<(offset + sizes[i - 1] * sizes[i])
            let b = w.upperBound..<(w.upperBound + sizes[i])
            let g = b.upperBound..<(b.upperBound + (bn ? sizes[i] : 0))
            let be = g.upperBound..<(g.upperBound + (bn ? sizes[i] : 0))
            let st = statistics..<(statistics + (bn ? sizes[i] : 0))
            layers.append(Layer(inputs: sizes[i - 1], outputs: sizes[i], activation: activations[i - 1],
                                weightRange: w, biasRange: b, residual: res, batchNorm: bn,
                                gammaRange: g, betaRange: be, statisticsRange: st))
            offset = be.upperBound
            statistics = st.upperBound
        }
        self.layers = layers
        self.parameterCount = offset
        self.statisticsCount = statistics
    }

    /// A network with `hidden` layers of the given widths, all using `activation`, and an
    /// output layer using `outputActivation` (identity by default: logits or a regression).
    ///
    /// - Parameters:
    ///   - inputs: the number of input features.
    ///   - hidden: the widths of the hidden layers, input side first.
    ///   - outputs: the number of outputs.
    ///   - activation: φ of every hidden layer.
    ///   - outputActivation: the output layer's activation; default `.identity`.
    ///   - residual: every hidden layer after the first becomes Aᵢ = Aᵢ₋₁ + φ(Zᵢ) (the hidden
    ///     widths must then be equal); default `false`.
    ///   - batchNorm: every hidden layer becomes Linear → BatchNorm → φ; default `false`.
    public init(inputs: Int, hidden: [Int], outputs: Int, activation: Activation,
                outputActivation: Activation = .identity, residual: Bool = false, batchNorm: Bool = false) {
        let count = hidden.count + 1
        self.init(sizes: [inputs] + hidden + [outputs],
                  activations: Array(repeating: activation, count: hidden.count) + [outputActivation],
                  residual: (0..<count).map { residual && $0 >= 1 && $0 < hidden.count },
                  batchNorm: (0..<count).map { batchNorm && $0 < hidden.count })
    }

    /// Whether any layer uses batch normalisation or a residual skip.
    public var hasOptions: Bool { layers.contains { $0.residual || $0.batchNorm } }

    /// The running averages PyTorch starts from: mean 0, variance 1.
    public func initialStatistics() -> RunningStatistics {
        RunningStatistics(mean: [Double](repeating: 0, count: statisticsCount),
                          variance: [Double](repeating: 1, count: statisticsCount))
    }

    /// Number of inputs.
    public var inputCount: Int { layers[0].inputs }
    /// Number of outputs.
    public var outputCount: Int { layers[layers.count - 1].outputs }

    /// A fresh parameter vector: weights drawn by `initializer` (with each layer's fans),
    /// biases 0, batch-norm γ = 1 and β = 0 (PyTorch's defaults).
    public func initialParameters(_ initializer: Initializer, using rng: inout SeededGenerator) -> [Double] {
        var p = [Double](repeating: 0, count: parameterCount)
        for layer in layers {
            for i in layer.weightRange {
                p[i] = initializer.sample(fanIn: layer.inputs, fanOut: layer.outputs, using: &rng)
            }
            for i in layer.gammaRange { p[i] = 1 }
        }
        return p
    }

    /// The network's output for a batch (allocates; use a ``Workspace`` in loops). Batch-normalised
    /// layers use the batch's statistics when `statistics` is nil (training mode, nothing updated),
    /// the given running averages otherwise (evaluation mode).
    public func predict(_ parameters: [Double], _ input: Matrix, statistics: RunningStatistics? = nil) -> Matrix {
        let ws = Workspace(network: self)
        if let statistics { ws.runningStatistics = statistics }
        ws.forward(parameters, input: input, mode: statistics == nil ? .training : .evaluation,
                   updatingStatistics: false)
        return ws.output
    }

    /// The loss and its flat gradient for one batch (allocates; use a ``Workspace`` in loops);
    /// `statistics` as in ``predict(_:_:statistics:)``.
    public func lossAndGradient(_ parameters: [Double], input: Matrix, target: Matrix, loss: Loss,
                                statistics: RunningStatistics? = nil) -> (loss: Double, gradient: [Double]) {
        let ws = Workspace(network: self)
        if let statistics { ws.runningStatistics = statistics }
        let l = ws.lossAndGradient(parameters, input: input, target: target, loss: loss,
                                   mode: statistics == nil ? .training : .evaluation, updatingStatistics: false)
        return (l, ws.gradient)
    }

    /// Buffers for forward and backward passes, reused across steps so a training step
    /// allocates nothing (they grow only when a larger batch arrives), and the per-layer
    /// views the diagnostics chapters read after a pass. It also keeps the network's
    /// batch-norm running averages (``runningStatistics``), which training-mode passes update.
    public final class Workspace {
        /// The network this workspace serves.
        public let network: MLP
        /// ∂ℓ/∂θ for the last backward pass, laid out like the parameters.
        public private(set) var gradient: [Double]
        /// The batch-norm running averages: read by evaluation-mode passes, updated by
        /// training-mode passes that ask for it. Starts at mean 0, variance 1.
        public var runningStatistics: RunningStatistics {
            get { RunningStatistics(mean: runningMean, variance: runningVariance) }
            set {
                precondition(newValue.mean.count == network.statisticsCount, "expected \(network.statisticsCount) features")
                runningMean = newValue.mean
                runningVariance = newValue.variance
            }
        }
        private var runningMean: [Double]
        private var runningVariance: [Double]
        private var rows = 0
        private var capacity = 0
        private var a: [UnsafeMutablePointer<Double>] = []      // Aᵢ
        private var delta: [UnsafeMutablePointer<Double>] = []  // δᵢ
        private var phi: [UnsafeMutablePointer<Double>?] = []   // φ(Yᵢ) of residual layers
        private var xhat: [UnsafeMutablePointer<Double>?] = []  // Ẑᵢ of batch-norm layers
        private let transposed: UnsafeMutablePointer<Double>      // Wᵢᵀ for δᵢ·Wᵢᵀ
        private let batchMean: UnsafeMutablePointer<Double>       // μ per batch-norm feature
        private let batchVariance: UnsafeMutablePointer<Double>   // biased σ² per feature
        private let inverseStd: UnsafeMutablePointer<Double>      // 1/√(σ² + ε) of the last pass
        private var lastMode = Mode.training

        /// Creates buffers for `network`, sized for batches of up to `batchSize` rows
        /// (larger batches are accepted and grow the buffers once).
        public init(network: MLP, batchSize: Int = 1) {
            self.network = network
            gradient = [Double](repeating: 0, count: network.parameterCount)
            runningMean = network.initialStatistics().mean
            runningVariance = network.initialStatistics().variance
            let largestLayer = network.layers.map { $0.inputs * $0.outputs }.max() ?? 1
            transposed = .allocate(capacity: largestLayer)
            transposed.initialize(repeating: 0, count: largestLayer)
            let features = max(1, network.statisticsCount)
            batchMean = .allocate(capacity: features)
            batchVariance = .allocate(capacity: features)
            inverseStd = .allocate(capacity: features)
            for p in [batchMean, batchVariance, inverseStd] { p.initialize(repeating: 0, count: features) }
            reserve(rows: max(1, batchSize))
        }

        deinit {
            transposed.deallocate()
            batchMean.deallocate()
            batchVariance.deallocate()
            inverseStd.deallocate()
            freeBuffers()
        }

        private func freeBuffers() {
            for p in a { p.deallocate() }
            for p in delta { p.deallocate() }
            for p in phi { p?.deallocate() }
            for p in xhat { p?.deallocate() }
        }

        private func reserve(rows n: Int) {
            guard n > capacity else { return }
            freeBuffers()
            func buffer(_ k: Int) -> UnsafeMutablePointer<Double> {
                let p = UnsafeMutablePointer<Double>.allocate(capacity: n * k)
                p.initialize(repeating: 0, count: n * k)
                return p
            }
            a = network.layers.map { buffer($0.outputs) }
            delta = network.layers.map { buffer($0.outputs) }
            phi = network.layers.map { $0.residual ? buffer($0.outputs) : nil }
            xhat = network.layers.map { $0.batchNorm ? buffer($0.outputs) : nil }
            capacity = n
        }

        /// Aᵢ, the output of layer i, for the last forward pass (a copy).
        public func activation(layer i: Int) -> Matrix {
            let k = network.layers[i].outputs
            return Matrix(rows: rows, columns: k, elements: Array(UnsafeBufferPointer(start: a[i], count: rows * k)))
        }
        /// δᵢ = ∂ℓ/∂Zᵢ, the gradient of layer i's linear output Zᵢ = Aᵢ₋₁Wᵢ + bᵢ (before batch norm),
        /// for the last backward pass (a copy).
        public func preActivationGradient(layer i: Int) -> Matrix {
            let k = network.layers[i].outputs
            return Matrix(rows: rows, columns: k, elements: Array(UnsafeBufferPointer(start: delta[i], count: rows * k)))
        }
        /// The network's output for the last forward pass (a copy).
        public var output: Matrix { activation(layer: network.layers.count - 1) }
        /// ∂ℓ/∂Wᵢ of the last backward pass (inputs × outputs, row-major).
        public func weightGradient(layer i: Int) -> ArraySlice<Double> { gradient[network.layers[i].weightRange] }
        /// ∂ℓ/∂bᵢ of the last backward pass.
        public func biasGradient(layer i: Int) -> ArraySlice<Double> { gradient[network.layers[i].biasRange] }

        /// Runs the forward pass, filling the activations. In `.training` mode batch-normalised
        /// layers use the batch's statistics and, when `updatingStatistics`, move
        /// ``runningStatistics`` towards them (as one PyTorch forward in `model.train()`); in
        /// `.evaluation` mode they use ``runningStatistics``.
        public func forward(_ parameters: [Double], input: Matrix, mode: Mode = .training,
                            updatingStatistics: Bool = true) {
            precondition(parameters.count == network.parameterCount, "expected \(network.parameterCount) parameters")
            precondition(input.columns == network.inputCount, "input has \(input.columns) columns, network expects \(network.inputCount)")
            let n = input.rows
            reserve(rows: n)
            rows = n
            lastMode = mode
            parameters.withUnsafeBufferPointer { theta in
                input.elements.withUnsafeBufferPointer { x in
                    for (i, layer) in network.layers.enumerated() {
                        let previous = i == 0 ? UnsafePointer(x.baseAddress!) : UnsafePointer(a[i - 1])
                        let w = theta.baseAddress! + layer.weightRange.lowerBound
                        let b = theta.baseAddress! + layer.biasRange.lowerBound
                        guard layer.residual || layer.batchNorm else {
                            // The plain layer: Aᵢ = φ(Aᵢ₋₁Wᵢ + bᵢ) in place.
                            let z = a[i]
                            Kernels.gemm(m: n, n: layer.outputs, k: layer.inputs, previous, w, z)
                            Kernels.addBias(m: n, n: layer.outputs, b, z)
                            Self.activate(layer.activation, n * layer.outputs, z)
                            continue
                        }
                        let k = layer.outputs
                        // φ(Yᵢ) goes to its own buffer when a skip is added afterwards.
                        let y = phi[i] ?? a[i]
                        if let zhat = xhat[i] {
                            Kernels.gemm(m: n, n: k, k: layer.inputs, previous, w, zhat)
                            Kernels.addBias(m: n, n: k, b, zhat)
                            let s = layer.statisticsRange.lowerBound
                            if mode == .training {
                                BatchNorm.normalizeTraining(rows: n, columns: k, zhat, mean: batchMean + s,
                                                            variance: batchVariance + s, inverseStd: inverseStd + s)
                                if updatingStatistics {
                                    runningMean.withUnsafeMutableBufferPointer { rm in
                                        runningVariance.withUnsafeMutableBufferPointer { rv in
                                            BatchNorm.updateRunning(columns: k, rows: n, mean: batchMean + s,
                                                                    variance: batchVariance + s,
                                                                    runningMean: rm.baseAddress! + s,
                                                                    runningVariance: rv.baseAddress! + s)
                                        }
                                    }
                                }
                            } else {
                                runningMean.withUnsafeBufferPointer { rm in
                                    runningVariance.withUnsafeBufferPointer { rv in
                                        BatchNorm.normalizeEvaluation(rows: n, columns: k, zhat,
                                                                      runningMean: rm.baseAddress! + s,
                                                                      runningVariance: rv.baseAddress! + s,
                                                                      inverseStd: inverseStd + s)
                                    }
                                }
                            }
                            BatchNorm.scaleAndShift(rows: n, columns: k, zhat,
                                                    gamma: theta.baseAddress! + layer.gammaRange.lowerBound,
                                                    beta: theta.baseAddress! + layer.betaRange.lowerBound, into: y)
                        } else {
                            Kernels.gemm(m: n, n: k, k: layer.inputs, previous, w, y)
                            Kernels.addBias(m: n, n: k, b, y)
                        }
                        Self.activate(layer.activation, n * k, y)
                        if layer.residual {
                            // Aᵢ = Aᵢ₋₁ + φ(Yᵢ).
                            let out = a[i]
                            for e in 0..<(n * k) { out[e] = previous[e] + y[e] }
                        }
                    }
                }
            }
        }

        private static func activate(_ activation: Activation, _ count: Int, _ z: UnsafeMutablePointer<Double>) {
            switch activation {
            case .identity: break
            case .tanh: descent_tanh(count, z, z)
            case .sigmoid: descent_sigmoid(count, z, z)
            case .relu: descent_relu(count, z)
            }
        }

        /// Forward and backward passes: returns the batch loss and fills ``gradient`` and
        /// the per-layer activations and pre-activation gradients. `mode` and
        /// `updatingStatistics` as in ``forward(_:input:mode:updatingStatistics:)``; the
        /// backward pass differentiates the same mode (in training mode through the batch statistics).
        @discardableResult
        public func lossAndGradient(_ parameters: [Double], input: Matrix, target: Matrix, loss: Loss,
                                    mode: Mode = .training, updatingStatistics: Bool = true) -> Double {
            let last = network.layers.count - 1
            if loss != .meanSquaredError {
                precondition(network.layers[last].activation == .identity, "\(loss) expects logits: make the last activation identity")
            }
            forward(parameters, input: input, mode: mode, updatingStatistics: updatingStatistics)
            let n = input.rows
            let outputs = network.layers[last].outputs
            precondition(target.rows == n && target.columns == outputs, "target must be \(n)×\(outputs)")
            let value = target.elements.withUnsafeBufferPointer { t in
                loss.valueAndGradient(rows: n, columns: outputs, output: a[last], target: t.baseAddress!, gradient: delta[last])
            }
            parameters.withUnsafeBufferPointer { theta in
            input.elements.withUnsafeBufferPointer { x in
            gradient.withUnsafeMutableBufferPointer { grad in
                for i in stride(from: last, through: 0, by: -1) {
                    let layer = network.layers[i]
                    let d = delta[i]
                    let count = n * layer.outputs
                    // δᵢ holds ∂ℓ/∂Aᵢ here. A skip passes it unchanged to ∂ℓ/∂Aᵢ₋₁ (added to below).
                    if layer.residual && i > 0 { delta[i - 1].update(from: d, count: count) }
                    // Multiply by φ′ (written through φ's output) to get ∂ℓ/∂Yᵢ.
                    let y = UnsafePointer(phi[i] ?? a[i])
                    switch layer.activation {
                    case .identity: break
                    case .tanh: descent_activation_backward(0, count, y, d)
                    case .sigmoid: descent_activation_backward(1, count, y, d)
                    case .relu: descent_activation_backward(2, count, y, d)
                    }
                    if let zhat = xhat[i] {
                        // Through γ·BN(·) + β to ∂ℓ/∂Zᵢ, writing ∂ℓ/∂γᵢ and ∂ℓ/∂βᵢ.
                        BatchNorm.backward(rows: n, columns: layer.outputs, training: lastMode == .training, d,
                                           xhat: zhat, gamma: theta.baseAddress! + layer.gammaRange.lowerBound,
                                           inverseStd: inverseStd + layer.statisticsRange.lowerBound,
                                           gammaGradient: grad.baseAddress! + layer.gammaRange.lowerBound,
                                           betaGradient: grad.baseAddress! + layer.betaRange.lowerBound)
                    }
                    let previous = i == 0 ? UnsafePointer(x.baseAddress!) : UnsafePointer(a[i - 1])
                    Kernels.gemmTN(m: layer.inputs, n: layer.outputs, k: n, previous, d,
                                   grad.baseAddress! + layer.weightRange.lowerBound)
                    Kernels.columnSums(m: n, n: layer.outputs, d, grad.baseAddress! + layer.biasRange.lowerBound)
                    if i > 0 {
                        Kernels.gemmNT(m: n, n: layer.inputs, k: layer.outputs, d,
                                       theta.baseAddress! + layer.weightRange.lowerBound, delta[i - 1],
                                       scratch: transposed, accumulate: layer.residual)
                    }
                }
            } } }
            return value
        }
    }
}
