import Benchmark
import Descent

/// One full training step — forward, backward, Adam update, float64 — on the two shapes of
/// the performance issue:
///   (a) 10 hidden layers × 64, tanh, batch 128, 2 inputs, 1 output, MSE
///   (b) 4 hidden layers × 256, ReLU, batch 256, 2 inputs, 1 output, MSE
/// and shape (a) again with residual skips, with batch normalisation, and with both, to price
/// the options next to the plain step.
final class StepSetup {
    let network: MLP
    let workspace: MLP.Workspace
    var parameters: [Double]
    let input: Matrix
    let target: Matrix
    var optimizer = Adam(learningRate: 1e-3)

    init(hidden: [Int], activation: Activation, batch: Int, residual: Bool = false, batchNorm: Bool = false) {
        network = MLP(inputs: 2, hidden: hidden, outputs: 1, activation: activation,
                      residual: residual, batchNorm: batchNorm)
        var rng = SeededGenerator(seed: 0)
        parameters = network.initialParameters(activation == .relu ? .heUniform : .xavierUniform, using: &rng)
        input = Matrix(rows: batch, columns: 2, elements: (0..<(2 * batch)).map { _ in rng.gaussian() })
        target = Matrix(rows: batch, columns: 1, elements: (0..<batch).map { _ in rng.gaussian() })
        workspace = MLP.Workspace(network: network, batchSize: batch)
    }

    /// Multiply–adds of one step: forward n·Σ in·out, backward 2× that (∂W and δ), ×2 flops.
    var flopsPerStep: Double {
        let n = Double(input.rows)
        return network.layers.reduce(0.0) { $0 + 3 * 2 * n * Double($1.inputs * $1.outputs) }
    }

    func step() {
        workspace.lossAndGradient(parameters, input: input, target: target, loss: .meanSquaredError)
        optimizer.step(&parameters, gradient: workspace.gradient)
    }
}

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        warmupIterations: 20,
        maxDuration: .seconds(3),
        maxIterations: 2000
    )
    // The framework's own allocations per measured iteration, to subtract from the rows below.
    Benchmark("baseline: empty iteration", configuration: configuration) { (benchmark: Benchmark, setup: StepSetup) in
        for _ in benchmark.scaledIterations { blackHole(setup.parameters.count) }
    } setup: {
        StepSetup(hidden: [4], activation: .tanh, batch: 4)
    }
    for (name, hidden, activation, batch, residual, batchNorm) in [
        ("a: 10x64 tanh, batch 128", Array(repeating: 64, count: 10), Activation.tanh, 128, false, false),
        ("b: 4x256 relu, batch 256", Array(repeating: 256, count: 4), Activation.relu, 256, false, false),
        ("a + residual", Array(repeating: 64, count: 10), Activation.tanh, 128, true, false),
        ("a + batch norm", Array(repeating: 64, count: 10), Activation.tanh, 128, false, true),
        ("a + residual + batch norm", Array(repeating: 64, count: 10), Activation.tanh, 128, true, true),
    ] {
        Benchmark("training step \(name)", configuration: configuration) { (benchmark: Benchmark, setup: StepSetup) in
            for _ in benchmark.scaledIterations { setup.step() }
            blackHole(setup.parameters)
        } setup: {
            let s: StepSetup = StepSetup(hidden: hidden, activation: activation, batch: batch,
                                         residual: residual, batchNorm: batchNorm)
            for _ in 0..<3 { s.step() }  // warm up: optimizer state allocated, caches filled
            return s
        }
    }
}
