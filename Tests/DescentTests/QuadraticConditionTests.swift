import Testing
@testable import Descent

/// The parameterised quadratic a·x² + b·y² (L = 4, κ = b/a) and its analytic stability limits.
@Suite struct QuadraticConditionTests {
    @Test func defaultIsTheBooksQuadratic() {
        let q = Quadratic(), k20 = Quadratic(condition: 20)
        #expect(q.a == 0.1 && q.b == 2 && k20.a == 0.1 && k20.b == 2)
        #expect(q.condition == 20 && q.largestEigenvalue == 4 && q.smallestEigenvalue == 0.2)
    }

    @Test(arguments: [1.0, 5, 100])
    func gradientMatchesFiniteDifferences(condition: Double) {
        let f = Quadratic(condition: condition)
        #expect(f.smallestEigenvalue * condition == f.largestEigenvalue)
        let p = [-1.3, 0.7], h = 1e-6
        let g = f.gradient(p)
        for i in 0..<2 {
            var plus = p, minus = p
            plus[i] += h; minus[i] -= h
            #expect(abs((f.value(plus) - f.value(minus)) / (2 * h) - g[i]) < 1e-6)
        }
    }

    /// Closed forms: 2/L, 2(1+β)/L and 2(1+β)/((1+2β)L) for L = 4.
    @Test func limitsAreTheClosedForms() {
        let q = Quadratic(condition: 7)
        #expect(q.largestStableRate() == 0.5)
        #expect(abs(q.largestStableRate(momentum: 0.9) - 0.95) < 1e-15)
        #expect(abs(q.largestStableRate(momentum: 0.9, nesterov: true) - 2 * 1.9 / (2.8 * 4)) < 1e-15)
    }

    /// Just below each limit the run converges; just above it blows up (1% either side, 3000 steps).
    @Test(arguments: [(0.0, false), (0.5, false), (0.9, false), (0.5, true), (0.9, true)])
    func limitSeparatesConvergenceFromDivergence(momentum: Double, nesterov: Bool) {
        let f = Quadratic(condition: 10)
        let limit = f.largestStableRate(momentum: momentum, nesterov: nesterov)
        func finalLoss(_ rate: Double) -> Double {
            let run = optimize(f, from: [-5, -2], steps: 3000,
                               optimizer: SGD(learningRate: rate, momentum: momentum, nesterov: nesterov))
            return run.points.last!.loss
        }
        #expect(finalLoss(0.99 * limit) < 1e-6)
        #expect(!(finalLoss(1.01 * limit) < 1e6))
    }
}
