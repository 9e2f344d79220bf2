import Foundation
import Testing
@testable import Descent

/// Residual layers and batch normalisation, checked three ways: central finite differences,
/// closed forms, and PyTorch (Tests/Golden/network/make_network_golden.py; versions beside it).
@Suite("Networks: residual connections and batch normalisation")
struct NetworkOptionsTests {
    enum Option: String, CaseIterable, Sendable { case residual, batchNorm, both }

    /// 3 → 4 → 4 → 4 → 3 with the option on the hidden layers (residual on the 2nd and 3rd).
    static func network(_ option: Option, _ activation: Activation) -> MLP {
        MLP(inputs: 3, hidden: [4, 4, 4], outputs: 3, activation: activation,
            residual: option != .batchNorm, batchNorm: option != .residual)
    }

    /// Parameters away from the defaults (γ ≠ 1, β ≠ 0, non-zero biases) so every term matters.
    static func parameters(_ net: MLP, rng: inout SeededGenerator) -> [Double] {
        var theta = net.initialParameters(.xavierNormal, using: &rng)
        for i in theta.indices { theta[i] += 0.2 * rng.gaussian() }
        return theta
    }

    /// The worst relative error of `gradient` against central differences (h = 1e-5). Some entries
    /// are 0 in exact arithmetic (the bias before a training-mode batch norm; β before another batch
    /// norm through an identity), where a difference is rounding noise (≈ 1e-11): errors are relative
    /// to max(|g| + |fd|, 1e-3 · max |g|).
    static func worstRelativeError(_ f: ([Double]) -> Double, _ theta: [Double], _ gradient: [Double]) -> Double {
        let floor = 1e-3 * (gradient.map(abs).max() ?? 1)
        var worst = 0.0
        for i in theta.indices {
            let fd = centralDifference(f, theta, i, h: 1e-5)
            worst = max(worst, abs(gradient[i] - fd) / max(abs(gradient[i]) + abs(fd), floor))
        }
        return worst
    }

    @Test("training mode: backprop equals central finite differences (< 1e-6)",
          arguments: Option.allCases, Activation.allCases)
    func finiteDifferencesTraining(option: Option, activation: Activation) {
        var rng = SeededGenerator(seed: 31)
        let net = Self.network(option, activation)
        let theta = Self.parameters(net, rng: &rng)
        let x = Matrix(rows: 6, columns: 3, elements: (0..<18).map { _ in rng.gaussian() })
        let t = NetworkTests.targets(for: .softmaxCrossEntropy, rows: 6, columns: 3, rng: &rng)
        let (value, gradient) = net.lossAndGradient(theta, input: x, target: t, loss: .softmaxCrossEntropy)
        // The loss through batch statistics (training mode, running averages untouched).
        let f = { (p: [Double]) in Loss.softmaxCrossEntropy.value(output: net.predict(p, x), target: t) }
        #expect(abs(f(theta) - value) <= 1e-14 * value)
        let worst = Self.worstRelativeError(f, theta, gradient)
        #expect(worst < 1e-6, "\(option) × \(activation): worst relative error \(worst)")
    }

    @Test("evaluation mode: backprop equals central finite differences (< 1e-6)", arguments: Option.allCases)
    func finiteDifferencesEvaluation(option: Option) {
        var rng = SeededGenerator(seed: 32)
        let net = Self.network(option, .tanh)
        let theta = Self.parameters(net, rng: &rng)
        let stats = MLP.RunningStatistics(mean: (0..<net.statisticsCount).map { _ in 0.5 * rng.gaussian() },
                                          variance: (0..<net.statisticsCount).map { _ in rng.uniform(0.3, 2) })
        let x = Matrix(rows: 5, columns: 3, elements: (0..<15).map { _ in rng.gaussian() })
        let t = NetworkTests.targets(for: .meanSquaredError, rows: 5, columns: 3, rng: &rng)
        let (_, gradient) = net.lossAndGradient(theta, input: x, target: t, loss: .meanSquaredError, statistics: stats)
        let f = { (p: [Double]) in
            Loss.meanSquaredError.value(output: net.predict(p, x, statistics: stats), target: t)
        }
        let worst = Self.worstRelativeError(f, theta, gradient)
        #expect(worst < 1e-6, "\(option): worst relative error \(worst)")
    }

    @Test("flat layout: W, b, γ, β per layer; γ = 1 and β = 0 initially; statistics 0 and 1")
    func layout() {
        let net = MLP(inputs: 2, hidden: [3, 3], outputs: 1, activation: .relu, residual: true, batchNorm: true)
        #expect(net.layers.map(\.residual) == [false, true, false])
        #expect(net.layers.map(\.batchNorm) == [true, true, false])
        #expect(net.layers[0].weightRange == 0..<6 && net.layers[0].biasRange == 6..<9)
        #expect(net.layers[0].gammaRange == 9..<12 && net.layers[0].betaRange == 12..<15)
        #expect(net.layers[1].weightRange == 15..<24 && net.layers[1].gammaRange == 27..<30)
        #expect(net.layers[2].gammaRange.isEmpty && net.layers[2].statisticsRange.isEmpty)
        #expect(net.parameterCount == 15 + 18 + 4 && net.statisticsCount == 6)
        var rng = SeededGenerator(seed: 1)
        let theta = net.initialParameters(.heNormal, using: &rng)
        #expect(net.layers.allSatisfy { l in theta[l.gammaRange].allSatisfy { $0 == 1 } })
        #expect(net.layers.allSatisfy { l in theta[l.betaRange].allSatisfy { $0 == 0 } })
        #expect(net.initialStatistics() == MLP.RunningStatistics(mean: [0, 0, 0, 0, 0, 0], variance: [1, 1, 1, 1, 1, 1]))
        #expect(!MLP(inputs: 2, hidden: [3, 3], outputs: 1, activation: .relu).hasOptions)
    }

    @Test("closed form: training-mode batch norm outputs mean β and variance γ²σ²/(σ² + ε) per feature")
    func normalisedMoments() {
        var rng = SeededGenerator(seed: 5)
        // One batch-normalised identity layer: Y = γ·BN(XW + b) + β.
        let net = MLP(sizes: [3, 4], activations: [.identity], batchNorm: [true])
        let theta = Self.parameters(net, rng: &rng)
        let x = Matrix(rows: 9, columns: 3, elements: (0..<27).map { _ in 2 * rng.gaussian() + 1 })
        let y = net.predict(theta, x)
        let l = net.layers[0]
        let z = ReferenceKernels.addBias(Array(theta[l.biasRange]),
                                         to: ReferenceKernels.multiply(x, Matrix(rows: 3, columns: 4, elements: Array(theta[l.weightRange]))))
        for j in 0..<4 {
            let col = (0..<9).map { y[$0, j] }, zc = (0..<9).map { z[$0, j] }
            let mean = col.reduce(0, +) / 9, zMean = zc.reduce(0, +) / 9
            let variance = col.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 9
            let sigma2 = zc.reduce(0) { $0 + ($1 - zMean) * ($1 - zMean) } / 9
            let gamma = theta[l.gammaRange.lowerBound + j], beta = theta[l.betaRange.lowerBound + j]
            #expect(close(mean, beta, rel: 1e-12, abs: 1e-14))
            #expect(close(variance, gamma * gamma * sigma2 / (sigma2 + BatchNorm.epsilon), rel: 1e-12))
        }
    }

    @Test("closed form: in training mode the bias before a batch norm gets no gradient (Σᵣ ∂ℓ/∂Z = 0)")
    func biasBeforeBatchNormIsInert() {
        var rng = SeededGenerator(seed: 6)
        let net = Self.network(.both, .tanh)
        let theta = Self.parameters(net, rng: &rng)
        let x = Matrix(rows: 7, columns: 3, elements: (0..<21).map { _ in rng.gaussian() })
        let t = NetworkTests.targets(for: .meanSquaredError, rows: 7, columns: 3, rng: &rng)
        let (_, g) = net.lossAndGradient(theta, input: x, target: t, loss: .meanSquaredError)
        let scale = globalNorm(g)
        for layer in net.layers where layer.batchNorm {
            #expect(g[layer.biasRange].allSatisfy { abs($0) < 1e-14 * scale }, "\(Array(g[layer.biasRange]))")
        }
    }

    @Test("closed form: residual layers with W = 0, b = 0 and tanh are the identity, and ∂ℓ/∂Wᵢ = Aᵢ₋₁ᵀ·∂ℓ/∂A")
    func zeroResidualIsIdentity() {
        var rng = SeededGenerator(seed: 7)
        // 3 → 3 (residual) → 3 (residual), identity output layer after them is absent: the
        // last residual layer's output is the network output, MSE against t.
        let net = MLP(sizes: [3, 3, 3], activations: [.tanh, .tanh], residual: [true, true])
        let theta = [Double](repeating: 0, count: net.parameterCount)
        let x = Matrix(rows: 4, columns: 3, elements: (0..<12).map { _ in rng.gaussian() })
        let t = Matrix(rows: 4, columns: 3, elements: (0..<12).map { _ in rng.gaussian() })
        #expect(net.predict(theta, x) == x)
        let (value, g) = net.lossAndGradient(theta, input: x, target: t, loss: .meanSquaredError)
        #expect(close(value, Loss.meanSquaredError.value(output: x, target: t), rel: 1e-15))
        // ∂ℓ/∂A = 2(X − T)/(nk) for both layers (the skip carries it unchanged), tanh′(0) = 1.
        var dA = x
        for i in dA.elements.indices { dA.elements[i] = 2 * (x.elements[i] - t.elements[i]) / 12 }
        let expected = ReferenceKernels.multiplyTransposedA(x, dA).elements
        for layer in net.layers {
            #expect(zip(g[layer.weightRange], expected).allSatisfy { close($0, $1, rel: 1e-13) })
            #expect(zip(g[layer.biasRange], ReferenceKernels.columnSums(dA)).allSatisfy { close($0, $1, rel: 1e-13) })
        }
    }

    @Test("closed form: one training pass moves the running averages to 0.9·old + 0.1·(μ, σ²·n/(n − 1))")
    func runningAverages() {
        var rng = SeededGenerator(seed: 8)
        let net = MLP(sizes: [2, 3], activations: [.relu], batchNorm: [true])
        let theta = Self.parameters(net, rng: &rng)
        let x = Matrix(rows: 5, columns: 2, elements: (0..<10).map { _ in rng.gaussian() })
        let ws = MLP.Workspace(network: net)
        ws.runningStatistics = MLP.RunningStatistics(mean: [1, 2, 3], variance: [4, 5, 6])
        ws.forward(theta, input: x)
        let l = net.layers[0]
        let z = ReferenceKernels.addBias(Array(theta[l.biasRange]),
                                         to: ReferenceKernels.multiply(x, Matrix(rows: 2, columns: 3, elements: Array(theta[l.weightRange]))))
        for j in 0..<3 {
            let c = (0..<5).map { z[$0, j] }
            let mu = c.reduce(0, +) / 5
            let unbiased = c.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / 4
            #expect(close(ws.runningStatistics.mean[j], 0.9 * Double(j + 1) + 0.1 * mu, rel: 1e-14))
            #expect(close(ws.runningStatistics.variance[j], 0.9 * Double(j + 4) + 0.1 * unbiased, rel: 1e-14))
        }
        // Not updating leaves them alone; evaluation mode never updates.
        let before = ws.runningStatistics
        ws.forward(theta, input: x, updatingStatistics: false)
        ws.forward(theta, input: x, mode: .evaluation)
        #expect(ws.runningStatistics == before)
    }

    @Test("closed form: evaluation with running averages equal to the batch's (biased) statistics reproduces training mode")
    func evaluationMatchesTrainingOnItsOwnStatistics() {
        var rng = SeededGenerator(seed: 9)
        let net = MLP(sizes: [3, 4, 2], activations: [.sigmoid, .identity], batchNorm: [true, false])
        let theta = Self.parameters(net, rng: &rng)
        let x = Matrix(rows: 6, columns: 3, elements: (0..<18).map { _ in rng.gaussian() })
        let l = net.layers[0]
        let z = ReferenceKernels.addBias(Array(theta[l.biasRange]),
                                         to: ReferenceKernels.multiply(x, Matrix(rows: 3, columns: 4, elements: Array(theta[l.weightRange]))))
        var mean: [Double] = [], variance: [Double] = []
        for j in 0..<4 {
            let c = (0..<6).map { z[$0, j] }
            let mu = c.reduce(0, +) / 6
            mean.append(mu)
            variance.append(c.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / 6)
        }
        let train = net.predict(theta, x)
        let eval = net.predict(theta, x, statistics: MLP.RunningStatistics(mean: mean, variance: variance))
        #expect(zip(train.elements, eval.elements).allSatisfy { close($0, $1, rel: 1e-12) })
    }

    // MARK: PyTorch

    static func torchCases() -> [GoldenNetwork] {
        let url = goldenDirectory.appendingPathComponent("network/network.json")
        guard let data = try? Data(contentsOf: url) else { return [] }
        return (try? JSONDecoder().decode(GoldenNetwork.File.self, from: data).cases) ?? []
    }

    @Test("the golden file holds every case") func goldenPresent() {
        #expect(Self.torchCases().map(\.name) == ["residual-tanh-mse", "batchnorm-relu-ce", "both-sigmoid-bce",
                                                  "both-tanh-mse-batch2"])
    }

    @Test("forward, loss, gradients and running averages equal PyTorch's (train and eval)",
          arguments: torchCases())
    func torch(_ g: GoldenNetwork) throws {
        let theta = g.flatten(g.layers)
        // Training mode.
        let ws = MLP.Workspace(network: g.net)
        let value = ws.lossAndGradient(theta, input: g.inputMatrix, target: g.targetMatrix, loss: g.lossKind)
        #expect(close(value, g.train.loss, rel: 1e-12), "\(g): loss \(value)")
        expectClose(ws.output.elements, Matrix(g.train.output).elements, 1e-12, "\(g) train output")
        expectClose(ws.gradient, g.flatten(g.train.gradients), 1e-10, "\(g) train gradient")
        let after = g.statistics(g.train.running_after)
        expectClose(ws.runningStatistics.mean, after.mean, 1e-12, "\(g) running mean")
        expectClose(ws.runningStatistics.variance, after.variance, 1e-12, "\(g) running var")
        // Evaluation mode.
        ws.runningStatistics = g.statistics(g.eval.statistics)
        let evalValue = ws.lossAndGradient(theta, input: g.inputMatrix, target: g.targetMatrix, loss: g.lossKind,
                                           mode: .evaluation)
        #expect(close(evalValue, g.eval.loss, rel: 1e-12), "\(g): eval loss \(evalValue)")
        expectClose(ws.output.elements, Matrix(g.eval.output).elements, 1e-12, "\(g) eval output")
        expectClose(ws.gradient, g.flatten(g.eval.gradients), 1e-10, "\(g) eval gradient")
    }

    @Test("20 full-batch SGD steps (momentum 0.9) match PyTorch's losses (1e-10) and final state (1e-9)",
          arguments: torchCases())
    func torchTraining(_ g: GoldenNetwork) throws {
        var rng = SeededGenerator(seed: 0)
        let data = Dataset(inputs: g.inputMatrix, targets: g.targetMatrix)
        let run = train(g.net, parameters: g.flatten(g.layers), on: data, loss: g.lossKind,
                        optimizer: SGD(learningRate: g.sgd.lr, momentum: g.sgd.momentum),
                        steps: g.sgd.steps, batchSize: data.count, divergence: .nonFinite, rng: &rng)
        expectClose(run.losses, g.sgd.losses, 1e-10, "\(g) losses")
        expectClose(run.parameters, g.flatten(g.sgd.final), 1e-9, "\(g) final parameters")
        let stats = g.statistics(g.sgd.final)
        expectClose(run.runningStatistics?.mean ?? [], stats.mean, 1e-9, "\(g) final running mean")
        expectClose(run.runningStatistics?.variance ?? [], stats.variance, 1e-9, "\(g) final running var")
    }
}

func expectClose(_ a: [Double], _ b: [Double], _ tol: Double, _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count, "\(what): \(a.count) vs \(b.count) values", sourceLocation: sourceLocation)
    var worst = 0.0
    for (x, y) in zip(a, b) where x != y { worst = max(worst, abs(x - y) / max(abs(x), abs(y), 1e-300)) }
    // A value that is 0 in exact arithmetic (a bias before batch norm) is compared absolutely.
    let scale = b.map(abs).max() ?? 1
    let ok = zip(a, b).allSatisfy { close($0, $1, rel: tol, abs: 1e-13 * scale) }
    #expect(ok, "\(what): worst relative difference \(worst)", sourceLocation: sourceLocation)
}

/// A golden case of Tests/Golden/network/network.json (PyTorch's names and layouts).
struct GoldenNetwork: Decodable, Sendable, CustomStringConvertible {
    struct File: Decodable { let cases: [GoldenNetwork] }
    /// One layer's tensors; weight is PyTorch's out × in.
    struct Layer: Decodable, Sendable {
        let weight: [[Double]]
        let bias: [Double]
        let bn_weight: [Double]?
        let bn_bias: [Double]?
        let running_mean: [Double]?
        let running_var: [Double]?
    }
    struct Statistics: Decodable, Sendable {
        let running_mean: [Double]?
        let running_var: [Double]?
    }
    struct Pass: Decodable, Sendable {
        let output: [[Double]]
        let loss: Double
        let gradients: [Layer]
        let running_after: [Statistics]?
        let statistics: [Statistics]?
    }
    struct Run: Decodable, Sendable {
        let lr: Double
        let momentum: Double
        let steps: Int
        let losses: [Double]
        let final: [Layer]
    }
    let name: String
    let sizes: [Int]
    let activations: [String]
    let residual: [Bool]
    let batch_norm: [Bool]
    let loss: String
    let input: [[Double]]
    let target: [[Double]]
    let layers: [Layer]
    let train: Pass
    let eval: Pass
    let sgd: Run

    var description: String { name }
    var net: MLP {
        MLP(sizes: sizes, activations: activations.map { Activation(rawValue: $0)! }, residual: residual,
            batchNorm: batch_norm)
    }
    var inputMatrix: Matrix { Matrix(input) }
    var targetMatrix: Matrix { Matrix(target) }
    var lossKind: Loss { Loss(rawValue: loss)! }

    /// The flat vector in Descent's layout (W transposed to in × out, then b, γ, β).
    func flatten(_ layers: [Layer]) -> [Double] {
        let net = self.net
        var theta = [Double](repeating: .nan, count: net.parameterCount)
        for (layer, d) in zip(net.layers, layers) {
            for i in 0..<layer.inputs { for o in 0..<layer.outputs {
                theta[layer.weightRange.lowerBound + i * layer.outputs + o] = d.weight[o][i]
            } }
            for (k, v) in d.bias.enumerated() { theta[layer.biasRange.lowerBound + k] = v }
            if layer.batchNorm {
                for (k, v) in d.bn_weight!.enumerated() { theta[layer.gammaRange.lowerBound + k] = v }
                for (k, v) in d.bn_bias!.enumerated() { theta[layer.betaRange.lowerBound + k] = v }
            }
        }
        precondition(!theta.contains { $0.isNaN }, "every parameter read")
        return theta
    }

    func statistics(_ layers: [Layer]) -> MLP.RunningStatistics {
        statistics(layers.map { Statistics(running_mean: $0.running_mean, running_var: $0.running_var) })
    }

    func statistics(_ layers: [Statistics]?) -> MLP.RunningStatistics {
        var mean: [Double] = [], variance: [Double] = []
        for (layer, d) in zip(net.layers, layers ?? []) where layer.batchNorm {
            mean += d.running_mean!
            variance += d.running_var!
        }
        return MLP.RunningStatistics(mean: mean, variance: variance)
    }
}

@Suite("Evaluated training with batch norm")
struct EvaluatedBatchNormTests {
    @Test("val_loss is the evaluation-mode loss with the run's running averages, not the batch statistics")
    func validationUsesRunningAverages() throws {
        var rng = SeededGenerator(seed: 4)
        let net = MLP(inputs: 3, hidden: [6, 6], outputs: 2, activation: .tanh, batchNorm: true)
        func data(_ n: Int) -> Dataset {
            let x = Matrix(rows: n, columns: 3, elements: (0..<(3 * n)).map { _ in rng.gaussian() + 0.5 })
            var t = Matrix(rows: n, columns: 2)
            for i in 0..<n { t[i, rng.integer(below: 2)] = 1 }
            return Dataset(inputs: x, targets: t)
        }
        let training = data(40), validation = data(12)
        let theta = net.initialParameters(.xavierUniform, using: &rng)
        var rows: [EvaluationRow] = []
        var batches = SeededGenerator(seed: 5)
        let run = trainEvaluating(net, parameters: theta, training: training, validation: validation,
                                  loss: .softmaxCrossEntropy, optimizer: SGD(learningRate: 0.1), steps: 30, batchSize: 8,
                                  evaluateEvery: 30, accuracy: true, rng: &batches) { rows.append($0) }
        let stats = try #require(run.runningStatistics)
        #expect(stats != net.initialStatistics())
        let evaluator = Evaluator(network: net, data: validation, loss: .softmaxCrossEntropy)
        let eval = evaluator.loss(run.parameters, statistics: stats)
        let batch = evaluator.loss(run.parameters)
        #expect(rows.last!.validationLoss == eval)
        #expect(abs(eval - batch) > 1e-6 * eval, "eval \(eval) and batch-statistics \(batch) should differ")
        // train_loss at the last row: training mode over the whole training split, averages untouched.
        #expect(rows.last!.trainingLoss == Evaluator(network: net, data: training, loss: .softmaxCrossEntropy).loss(run.parameters))
    }
}
