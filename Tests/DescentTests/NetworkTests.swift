import Foundation
import Testing
@testable import Descent

@Suite("Networks: back-propagation, initialisers, losses")
struct NetworkTests {
    static func targets(for loss: Loss, rows: Int, columns: Int, rng: inout SeededGenerator) -> Matrix {
        var t = Matrix(rows: rows, columns: columns)
        for i in 0..<rows {
            switch loss {
            case .meanSquaredError: for j in 0..<columns { t[i, j] = rng.gaussian() }
            case .binaryCrossEntropyWithLogits: for j in 0..<columns { t[i, j] = rng.uniform() < 0.5 ? 0 : 1 }
            case .softmaxCrossEntropy: t[i, rng.integer(below: columns)] = 1
            }
        }
        return t
    }

    @Test("backprop equals central finite differences (relative error < 1e-6)",
          arguments: Activation.allCases, Loss.allCases)
    func backprop(activation: Activation, loss: Loss) {
        var rng = SeededGenerator(seed: 21)
        // 3 layers: 3 → 5 → 4 → 3; the hidden activation under test, identity logits.
        let net = MLP(inputs: 3, hidden: [5, 4], outputs: 3, activation: activation)
        var theta = net.initialParameters(.xavierNormal, using: &rng)
        for i in theta.indices { theta[i] += 0.1 * rng.gaussian() }  // non-zero biases too
        let x = Matrix(rows: 6, columns: 3, elements: (0..<18).map { _ in rng.gaussian() })
        let t = Self.targets(for: loss, rows: 6, columns: 3, rng: &rng)
        let (value, gradient) = net.lossAndGradient(theta, input: x, target: t, loss: loss)
        #expect(value.isFinite && value > 0)
        let f = { (p: [Double]) in loss.value(output: net.predict(p, x), target: t) }
        #expect(abs(f(theta) - value) <= 1e-14 * value)
        var worst = 0.0
        for i in theta.indices {
            let fd = centralDifference(f, theta, i, h: 1e-5)
            // ReLU kinks make a finite difference meaningless within h of z = 0; none here at this seed.
            let err = abs(gradient[i] - fd) / max(abs(gradient[i]) + abs(fd), 1e-7)
            worst = max(worst, err)
        }
        #expect(worst < 1e-6, "\(activation) × \(loss): worst relative error \(worst)")
    }

    @Test("each activation's derivative, written through its output, equals a central difference", arguments: Activation.allCases)
    func activationDerivative(_ a: Activation) {
        for z in [-3.0, -0.7, -0.01, 0.02, 0.5, 2.5] {
            let fd = (a.apply(z + 1e-6) - a.apply(z - 1e-6)) / 2e-6
            #expect(abs(a.derivative(output: a.apply(z)) - fd) < 1e-8, "\(a) at \(z)")
        }
    }

    @Test("losses: values by hand")
    func lossValues() {
        let o = Matrix([[0.0, 2.0]]), t = Matrix([[1.0, 0.0]])
        #expect(Loss.meanSquaredError.value(output: o, target: t) == 2.5)
        // BCE with logits: (log 2 + (2 + log(1 + e⁻²)))/2
        let bce = (Foundation.log(2.0) + 2 + Foundation.log(1 + Foundation.exp(-2.0))) / 2
        #expect(close(Loss.binaryCrossEntropyWithLogits.value(output: o, target: t), bce, rel: 1e-15))
        // softmax CE of class 0 with logits (0, 2): log(1 + e²)
        #expect(close(Loss.softmaxCrossEntropy.value(output: o, target: t), Foundation.log(1 + Foundation.exp(2.0)), rel: 1e-15))
        // Large logits stay finite.
        #expect(Loss.binaryCrossEntropyWithLogits.value(output: Matrix([[800.0]]), target: Matrix([[0.0]])) == 800)
    }

    @Test("initialisers' sample variance is within 5 % of the formula on 10⁵ draws",
          arguments: [Initializer.normal(standardDeviation: 0.3), .uniform(bound: 0.5), .standard,
                      .xavierUniform, .xavierNormal, .heUniform, .heNormal])
    func initialiserVariance(_ initializer: Initializer) {
        var rng = SeededGenerator(seed: 99)
        let fanIn = 64, fanOut = 32
        let draws = (0..<100_000).map { _ in initializer.sample(fanIn: fanIn, fanOut: fanOut, using: &rng) }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws.count - 1)
        let formula: Double
        switch initializer {
        case .normal(let s): formula = s * s
        case .uniform(let a): formula = a * a / 3
        case .standard: formula = 1.0 / (3 * 64)
        case .xavierUniform, .xavierNormal: formula = 2.0 / (64 + 32)
        case .heUniform, .heNormal: formula = 2.0 / 64
        }
        #expect(abs(variance / formula - 1) < 0.05, "\(initializer): \(variance) vs \(formula)")
        #expect(initializer.variance(fanIn: fanIn, fanOut: fanOut) == formula)
    }

    @Test("softmax cross-entropy subtracts the largest logit: logits [1000, 0] give a finite loss and gradient")
    func softmaxLargeLogits() {
        let o = Matrix([[1000.0, 0.0]])
        var g = Matrix(rows: 0, columns: 0)
        // Class 1: −log softmax = log(1 + e¹⁰⁰⁰) = 1000 to double precision; softmax = (1, e⁻¹⁰⁰⁰) = (1, 0).
        #expect(Loss.softmaxCrossEntropy.valueAndGradient(output: o, target: Matrix([[0.0, 1.0]]), gradient: &g) == 1000)
        #expect(g.elements == [1, -1])
        #expect(Loss.softmaxCrossEntropy.valueAndGradient(output: o, target: Matrix([[1.0, 0.0]]), gradient: &g) == 0)
        #expect(g.elements == [0, 0])
    }

    /// Each layer's weights are drawn with that layer's fan-in and fan-out: on non-square layers
    /// (300 → 40 → 120) a swap changes the variance 7.5× and 3×.
    @Test("the MLP draws each layer with its own fan-in and fan-out (sample variance within 8 %)",
          arguments: [Initializer.heNormal, .heUniform, .standard, .xavierNormal])
    func perLayerVariance(_ initializer: Initializer) {
        var rng = SeededGenerator(seed: 5)
        let net = MLP(inputs: 300, hidden: [40, 120], outputs: 1, activation: .relu)
        let theta = net.initialParameters(initializer, using: &rng)
        for layer in net.layers.prefix(2) {
            let w = Array(theta[layer.weightRange])
            let mean = w.reduce(0, +) / Double(w.count)
            let variance = w.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(w.count - 1)
            let formula = initializer.variance(fanIn: layer.inputs, fanOut: layer.outputs)
            #expect(abs(variance / formula - 1) < 0.08, "\(initializer) \(layer.inputs)→\(layer.outputs): \(variance) vs \(formula)")
        }
        #expect(initializer.variance(fanIn: 300, fanOut: 40) != initializer.variance(fanIn: 40, fanOut: 300)
                || initializer == .xavierNormal)
    }

    /// Layers 16 and 17 wide on a batch of 9: the forward product (9 × 16, 9 × 17), the weight
    /// gradient (16 × 17) and δ·Wᵀ (9 × 16) all reach the register-blocked kernels (8 × 16 with
    /// AVX-512, 4 × 8 with AVX2) and their edges.
    @Test("backprop on layers ≥ 16 wide equals central finite differences", arguments: Activation.allCases)
    func wideBackprop(activation: Activation) {
        var rng = SeededGenerator(seed: 33)
        let net = MLP(inputs: 3, hidden: [16, 17], outputs: 2, activation: activation)
        var theta = net.initialParameters(.xavierNormal, using: &rng)
        for i in theta.indices { theta[i] += 0.1 * rng.gaussian() }
        let x = Matrix(rows: 9, columns: 3, elements: (0..<27).map { _ in rng.gaussian() })
        let t = Self.targets(for: .meanSquaredError, rows: 9, columns: 2, rng: &rng)
        let (value, gradient) = net.lossAndGradient(theta, input: x, target: t, loss: .meanSquaredError)
        let f = { (p: [Double]) in Loss.meanSquaredError.value(output: net.predict(p, x), target: t) }
        #expect(abs(f(theta) - value) <= 1e-14 * value)
        var worst = 0.0
        for i in theta.indices {
            let fd = centralDifference(f, theta, i, h: 1e-5)
            worst = max(worst, abs(gradient[i] - fd) / max(abs(gradient[i]) + abs(fd), 1e-7))
        }
        #expect(worst < 1e-6, "\(activation): worst relative error \(worst) (kernels: \(Kernels.instructionSet))")
    }

    @Test("the flat layout and the per-layer views agree")
    func views() {
        var rng = SeededGenerator(seed: 2)
        let net = MLP(inputs: 2, hidden: [4, 3], outputs: 1, activation: .tanh)
        #expect(net.parameterCount == 2 * 4 + 4 + 4 * 3 + 3 + 3 * 1 + 1)
        #expect(net.layers.map(\.weightRange) == [0..<8, 12..<24, 27..<30])
        let theta = net.initialParameters(.heNormal, using: &rng)
        #expect(net.layers.allSatisfy { l in theta[l.biasRange].allSatisfy { $0 == 0 } })
        let x = Matrix(rows: 5, columns: 2, elements: (0..<10).map { _ in rng.gaussian() })
        let t = Matrix(rows: 5, columns: 1, elements: (0..<5).map { _ in rng.gaussian() })
        let ws = MLP.Workspace(network: net, batchSize: 2)  // grows to 5
        ws.lossAndGradient(theta, input: x, target: t, loss: .meanSquaredError)
        // ∂ℓ/∂W₀ = Xᵀ·δ₀ and ∂ℓ/∂b₀ = Σ δ₀.
        let d0 = ws.preActivationGradient(layer: 0)
        let expectedW0 = ReferenceKernels.multiplyTransposedA(x, d0)
        #expect(zip(ws.weightGradient(layer: 0), expectedW0.elements).allSatisfy { close($0, $1, rel: 1e-12) })
        #expect(zip(ws.biasGradient(layer: 0), ReferenceKernels.columnSums(d0)).allSatisfy { close($0, $1, rel: 1e-12) })
        // The output is the last activation and equals predict().
        #expect(ws.output == net.predict(theta, x))
        #expect(ws.activation(layer: 0).elements.allSatisfy { abs($0) < 1 })  // tanh
        #expect(net.layerGradientNorms(ws.gradient).count == 3)
    }
}
