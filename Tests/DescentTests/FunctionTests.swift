import Testing
@testable import Descent

/// Central finite difference of f along coordinate i.
func centralDifference(_ f: ([Double]) -> Double, _ p: [Double], _ i: Int, h: Double = 1e-6) -> Double {
    var plus = p, minus = p
    plus[i] += h
    minus[i] -= h
    return (f(plus) - f(minus)) / (2 * h)
}

@Suite("Test functions")
struct FunctionTests {
    @Test("exact gradients equal central finite differences", arguments: ["quadratic", "rosenbrock", "saddle"])
    func gradients(name: String) {
        let f = TestFunctions.named(name)!
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<50 {
            let p = [rng.uniform(-2, 2), rng.uniform(-2, 2)]
            let g = f.gradient(p)
            for i in 0..<2 {
                let fd = centralDifference(f.value, p, i)
                #expect(abs(g[i] - fd) <= 1e-6 * max(1, abs(g[i])), "\(name) ∂\(i) at \(p): \(g[i]) vs \(fd)")
            }
        }
    }

    @Test("known values: minima and the quadratic's spectrum")
    func values() {
        #expect(Quadratic().value([-5, -2]) == 10.5)
        #expect(Rosenbrock().value([1, 1]) == 0)
        #expect(Rosenbrock().gradient([1, 1]) == [0, 0])
        #expect(Saddle().value([1, 2]) == -3)
        #expect(Quadratic().smallestEigenvalue == 0.2 && Quadratic().largestEigenvalue == 4)
        #expect(TestFunctions.named("nope") == nil)
    }

    @Test("Reddi et al.'s online problem: gradients, projection, regret")
    func counterexample() {
        let p = OnlineCounterexample()
        #expect(p.c == 3 && p.criticalBeta2 == 0.1)
        #expect((1...6).map(p.gradient(at:)) == [3, -1, -1, 3, -1, -1])
        #expect(p.project(1.7) == 1 && p.project(-3) == -1 && p.project(0.2) == 0.2)
        // Sitting at the optimum −1 has zero regret; at +1 each block of three costs 2(C − 2)... per block:
        // f = 3 − 1 − 1 = 1 at x = 1 versus −1 at x = −1, so regret 2 per block.
        #expect(p.regret(Array(repeating: -1, count: 30)) == 0)
        #expect(p.regret(Array(repeating: 1, count: 30)) == 20)
        #expect(p.loss(at: 1, 0.5) == 1.5)
    }
}
