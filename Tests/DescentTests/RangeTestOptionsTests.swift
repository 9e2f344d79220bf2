import Testing
@testable import Descent

/// The range test's spacing, stop factor and smoothing, and the finder's validation-loss sweep,
/// each against an independent computation.
@Suite("Range test: linear spacing, divergence factor, smoothing; validation-loss sweep")
struct RangeTestOptionsTests {
    @Test("linear spacing: αᵢ = α_min + (α_max − α_min)·i/(N − 1), from α_min to α_max; exponential is the default")
    func linear() {
        let test = RangeTest(minimumRate: 0.05, maximumRate: 2, steps: 40, spacing: .linear)
        for i in 0..<40 {
            #expect(close(test.rate(at: i), 0.05 + 1.95 * Double(i) / 39, rel: 1e-15), "step \(i)")
        }
        #expect(test.rate(at: 0) == 0.05 && close(test.rate(at: 39), 2, rel: 1e-15))
        #expect(RangeTest().spacing == .exponential)
        #expect(close(RangeTest(minimumRate: 1e-4, maximumRate: 1, steps: 5).rate(at: 1), 1e-3, rel: 1e-14))
    }

    /// Losses 10, 9, …: the smoothed curve falls, then a jump to `jump`.
    static func run(factor: Double, smoothing: Double, losses: [Double]) -> RangeTest.Result {
        let test = RangeTest(minimumRate: 1e-3, maximumRate: 1, steps: losses.count, smoothing: smoothing,
                             divergenceFactor: factor)
        var theta = [0.0]
        var sgd = SGD(learningRate: 1)
        return test.run(parameters: &theta, optimizer: &sgd) { _, i, g in
            g[0] = 0
            return i == 0 ? losses[0] : losses[i - 1]
        }
    }

    @Test("the sweep stops at the first i > 0 with sᵢ > F·min(s₀…sᵢ), for each F", arguments: [1.5, 4.0, 12.0])
    func divergenceFactor(_ factor: Double) {
        let losses: [Double] = [10, 8, 6, 5, 7, 11, 20, 40, 80, 160, 320, 640]
        let result = Self.run(factor: factor, smoothing: 0, losses: losses)
        // β = 0: sᵢ = Lᵢ, so the stop is where a raw loss first exceeds F × the lowest so far (5).
        let expected = losses.indices.first { $0 > 0 && losses[$0] > factor * losses[...$0].min()! } ?? losses.count - 1
        #expect(result.losses.count == expected + 1, "F = \(factor): \(result.losses)")
        #expect(result.stoppedEarly == (expected < losses.count - 1))
    }

    @Test("smoothing β: sᵢ = aᵢ/(1 − βⁱ⁺¹), aᵢ = β·aᵢ₋₁ + (1 − β)·Lᵢ", arguments: [0.0, 0.3, 0.98])
    func smoothing(_ beta: Double) {
        let losses: [Double] = [3, 2.5, 2.7, 1.9, 2.2, 1.4, 1.6]
        let result = Self.run(factor: 1e6, smoothing: beta, losses: losses)
        var a = 0.0
        for (i, l) in losses.enumerated() {
            a = beta * a + (1 - beta) * l
            #expect(close(result.smoothed[i], a / (1 - Double.pow(beta, Double(i + 1))), rel: 1e-14), "β \(beta), i \(i)")
        }
    }

    @Test("validation sweep: Lᵢ is the val_loss 'train' reports after the same i + 1 updates (batch norm and residual too)",
          arguments: [false, true])
    func validationLoss(_ options: Bool) throws {
        let data = try PreparedData(DataTable.builtIn("moons")!, validationFraction: 0.25, seed: 4)
        let network = data.network(hidden: [8, 8], activation: .tanh, residual: options, batchNorm: options)
        let finder = LearningRateFinder(data: data, network: network, initializer: .xavierUniform, batchSize: 16, seed: 9)
        let sgd = SGD(learningRate: 1e-3, momentum: 0.9)
        // α_i = 10⁻³·100^(i/2) = 10⁻³·10ⁱ: the rates of an exponential schedule with γ = 10, bit for bit.
        let sweep = finder.sweep(sgd, test: RangeTest(minimumRate: 1e-3, maximumRate: 1e-1, steps: 3), recording: .validation)
        let batches = finder.sweep(sgd, test: RangeTest(minimumRate: 1e-3, maximumRate: 1e-1, steps: 3))
        #expect(sweep.losses.count == 3 && sweep.rates == batches.rates)
        for k in 1...3 {
            var last: EvaluationRow?
            _ = data.train(network, initializer: .xavierUniform, optimizer: sgd, schedule: .exponential(ExponentialDecay(gamma: 10)),
                           steps: k, batchSize: 16, evaluateEvery: k, seed: 9, onRow: { last = $0 })
            #expect(sweep.losses[k - 1] == last?.validationLoss, "after \(k) updates: \(sweep.losses[k - 1]) vs \(String(describing: last))")
            #expect(batches.losses[k - 1] != last?.validationLoss)
        }
    }
}
