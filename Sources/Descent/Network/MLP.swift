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
    }

    /// The layers, input side first.
    public let layers: [Layer]
    /// Length of the flat parameter vector.
    public let parameterCount: Int

    /// A network with the given layer widths (`sizes[0]` inputs … `sizes.last` outputs)
    /// and one activation per layer (`activations.count == sizes.count - 1`).
    public init(sizes: [Int], activations: [Activation]) {
        precondition(sizes.count >= 2, "a network needs at least an input and an output size")
        precondition(activations.count == sizes.count - 1, "one activation per layer")
        precondition(sizes.allSatisfy { $0 > 0 }, "layer sizes must be positive")
        var layers: [Layer] = []
        var offset = 0
        for i in 1..<sizes.count {
            let w = offset..<(offset + sizes[i - 1] * sizes[i])
            let b = w.upperBound..<(w.upperBound + sizes[i])
            layers.append(Layer(inputs: sizes[i - 1], outputs: sizes[i], activation: activations[i - 1],
                                weightRange: w, biasRange: b))
            offset = b.upperBound
        }
        self.layers = layers
        self.parameterCount = offset
    }

    /// A network with `hidden` layers of the given widths, all using `activation`, and an
    /// output layer using `outputActivation` (identity by default: logits or a regression).
    public init(inputs: Int, hidden: [Int], outputs: Int, activation: Activation,
                outputActivation: Activation = .identity) {
        self.init(sizes: [inputs] + hidden + [outputs],
                  activations: Array(repeating: activation, count: hidden.count) + [outputActivation])
    }

    /// Number of inputs.
    public var inputCount: Int { layers[0].inputs }
    /// Number of outputs.
    public var outputCount: Int { layers[layers.count - 1].outputs }

    /// A fresh parameter vector: weights drawn by `initializer` (with each layer's fans),
    /// biases 0.
    public func initialParameters(_ initializer: Initializer, using rng: inout SeededGenerator) -> [Double] {
        var p = [Double](repeating: 0, count: parameterCount)
        for layer in layers {
            for i in layer.weightRange {
                p[i] = initializer.sample(fanIn: layer.inputs, fanOut: layer.outputs, using: &rng)
            }
        }
        return p
    }

    /// The network's output for a batch (allocates; use a ``Workspace`` in loops).
    public func predict(_ parameters: [Double], _ input: Matrix) -> Matrix {
        let ws = Workspace(network: self)
        ws.forward(parameters, input: input)
        return ws.output
    }

    /// The loss and its flat gradient for one batch (allocates; use a ``Workspace`` in loops).
    public func lossAndGradient(_ parameters: [Double], input: Matrix, target: Matrix, loss: Loss)
        -> (loss: Double, gradient: [Double])
    {
        let ws = Workspace(network: self)
        let l = ws.lossAndGradient(parameters, input: input, target: target, loss: loss)
        return (l, ws.gradient)
    }

    /// Buffers for forward and backward passes, reused across steps so a training step
    /// allocates nothing (they grow only when a larger batch arrives), and the per-layer
    /// views the diagnostics chapters read after a pass.
    public final class Workspace {
        /// The network this workspace serves.
        public let network: MLP
        /// ∂ℓ/∂θ for the last backward pass, laid out like the parameters.
        public private(set) var gradient: [Double]
        private var rows = 0
        private var capacity = 0
        private var a: [UnsafeMutablePointer<Double>] = []      // Aᵢ
        private var delta: [UnsafeMutablePointer<Double>] = []  // δᵢ
        private let transposed: UnsafeMutablePointer<Double>      // Wᵢᵀ for δᵢ·Wᵢᵀ

        /// Creates buffers for `network`, sized for batches of up to `batchSize` rows
        /// (larger batches are accepted and grow the buffers once).
        public init(network: MLP, batchSize: Int = 1) {
            self.network = network
            gradient = [Double](repeating: 0, count: network.parameterCount)
            let largestLayer = network.layers.map { $0.inputs * $0.outputs }.max() ?? 1
            transposed = .allocate(capacity: largestLayer)
            transposed.initialize(repeating: 0, count: largestLayer)
            reserve(rows: max(1, batchSize))
        }

        deinit {
            transposed.deallocate()
            for p in a { p.deallocate() }
            for p in delta { p.deallocate() }
        }

        private func reserve(rows n: Int) {
            guard n > capacity else { return }
            for p in a { p.deallocate() }
            for p in delta { p.deallocate() }
            a = network.layers.map { .allocate(capacity: n * $0.outputs) }
            delta = network.layers.map { .allocate(capacity: n * $0.outputs) }
            for (i, layer) in network.layers.enumerated() {
                a[i].initialize(repeating: 0, count: n * layer.outputs)
                delta[i].initialize(repeating: 0, count: n * layer.outputs)
            }
            capacity = n
        }

        /// Aᵢ, the output of layer i, for the last forward pass (a copy).
        public func activation(layer i: Int) -> Matrix {
            let k = network.layers[i].outputs
            return Matrix(rows: rows, columns: k, elements: Array(UnsafeBufferPointer(start: a[i], count: rows * k)))
        }
        /// δᵢ = ∂ℓ/∂Zᵢ, the pre-activation gradient of layer i, for the last backward pass (a copy).
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

        /// Runs the forward pass, filling the activations.
        public func forward(_ parameters: [Double], input: Matrix) {
            precondition(parameters.count == network.parameterCount, "expected \(network.parameterCount) parameters")
            precondition(input.columns == network.inputCount, "input has \(input.columns) columns, network expects \(network.inputCount)")
            let n = input.rows
            reserve(rows: n)
            rows = n
            parameters.withUnsafeBufferPointer { theta in
                input.elements.withUnsafeBufferPointer { x in
                    for (i, layer) in network.layers.enumerated() {
                        let previous = i == 0 ? UnsafePointer(x.baseAddress!) : UnsafePointer(a[i - 1])
                        let z = a[i]
                        Kernels.gemm(m: n, n: layer.outputs, k: layer.inputs, previous,
                                     theta.baseAddress! + layer.weightRange.lowerBound, z)
                        Kernels.addBias(m: n, n: layer.outputs, theta.baseAddress! + layer.biasRange.lowerBound, z)
                        let count = n * layer.outputs
                        switch layer.activation {
                        case .identity: break
                        case .tanh: descent_tanh(count, z, z)
                        case .sigmoid: descent_sigmoid(count, z, z)
                        case .relu: descent_relu(count, z)
                        }
                    }
                }
            }
        }

        /// Forward and backward passes: returns the batch loss and fills ``gradient`` and
        /// the per-layer activations and pre-activation gradients.
        @discardableResult
        public func lossAndGradient(_ parameters: [Double], input: Matrix, target: Matrix, loss: Loss) -> Double {
            let last = network.layers.count - 1
            if loss != .meanSquaredError {
                precondition(network.layers[last].activation == .identity, "\(loss) expects logits: make the last activation identity")
            }
            forward(parameters, input: input)
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
                    let d = delta[i], ai = a[i], act = layer.activation
                    // δᵢ holds ∂ℓ/∂Aᵢ here; multiply by φ′ to get ∂ℓ/∂Zᵢ.
                    let count = n * layer.outputs
                    switch act {
                    case .identity: break
                    case .tanh: descent_activation_backward(0, count, ai, d)
                    case .sigmoid: descent_activation_backward(1, count, ai, d)
                    case .relu: descent_activation_backward(2, count, ai, d)
                    }
                    let previous = i == 0 ? UnsafePointer(x.baseAddress!) : UnsafePointer(a[i - 1])
                    Kernels.gemmTN(m: layer.inputs, n: layer.outputs, k: n, previous, d,
                                   grad.baseAddress! + layer.weightRange.lowerBound)
                    Kernels.columnSums(m: n, n: layer.outputs, d, grad.baseAddress! + layer.biasRange.lowerBound)
                    if i > 0 {
                        Kernels.gemmNT(m: n, n: layer.inputs, k: layer.outputs, d,
                                       theta.baseAddress! + layer.weightRange.lowerBound, delta[i - 1],
                                       scratch: transposed)
                    }
                }
            } } }
            return value
        }
    }
}
