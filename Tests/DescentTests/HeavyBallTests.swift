import Foundation
import Testing
@testable import Descent

/// The closed forms of heavy-ball momentum checked against SGD(momentum:) itself.
@Suite("Heavy-ball momentum: closed forms against runs")
struct HeavyBallTests {
    static let mu = 0.2, L = 4.0  // Quadratic(): 0.1x² + 2y² = ½(0.2x² + 4y²)

    /// ‖θₜ‖ for SGD with momentum on the quadratic from (−5, −2).
    static func distances(alpha: Double, beta: Double, steps: Int) -> [Double] {
        var opt = SGD(learningRate: alpha, momentum: beta)
        var theta = [-5.0, -2.0], g = [0.0, 0.0]
        var d = [globalNorm(theta)]
        for _ in 0..<steps {
            Quadratic().gradient(theta, into: &g)
            opt.step(&theta, gradient: g)
            d.append(globalNorm(theta))
        }
        return d
    }

    @Test("the stability limit found by bisection on runs is 2(1 + β)/L to 1e-3", arguments: [0.0, 0.5, 0.9])
    func stabilityLimit(beta: Double) {
        let measured = Measure.bisectThreshold(low: 0.1, high: 2 * (1 + beta) / Self.L * 1.5, iterations: 30) { a in
            let d = Self.distances(alpha: a, beta: beta, steps: 3000)
            return d.last! < d[0]
        }
        let formula = HeavyBall.stabilityLimit(momentum: beta, largestEigenvalue: Self.L)
        #expect(abs(measured / formula - 1) < 1e-3, "β = \(beta): measured \(measured), formula \(formula)")
    }

    @Test("at (α*, β*) every direction shrinks by (√κ − 1)/(√κ + 1) per step (measured to 2 %)")
    func optimalRate() {
        let (a, b) = HeavyBall.optimalParameters(smallestEigenvalue: Self.mu, largestEigenvalue: Self.L)
        let k = (Self.L / Self.mu).squareRoot()
        let s = 2 + (0.2).squareRoot()  // √L + √μ
        #expect(abs(a - 4 / (s * s)) < 1e-15)
        #expect(abs(b - ((k - 1) / (k + 1)) * ((k - 1) / (k + 1))) < 1e-15)
        let rho = HeavyBall.optimalRate(smallestEigenvalue: Self.mu, largestEigenvalue: Self.L)
        #expect(abs(HeavyBall.rate(learningRate: a, momentum: b, eigenvalues: [Self.mu, 1, Self.L]) - rho) < 1e-7)
        let measured = Measure.convergenceRate(Self.distances(alpha: a, beta: b, steps: 200), from: 100, to: 200)
        #expect(abs(measured / rho - 1) < 0.02, "measured \(measured), theory \(rho)")
    }

    @Test("the rate formula equals the measured rate over a grid of (α, β) (to 0.01)")
    func rateGrid() {
        for beta in stride(from: 0.0, through: 0.9, by: 0.3) {
            for alpha in stride(from: 0.05, to: 0.9 * 2 * (1 + beta) / Self.L, by: 0.1) {
                let theory = HeavyBall.rate(learningRate: alpha, momentum: beta, eigenvalues: [Self.mu, Self.L])
                let d = Self.distances(alpha: alpha, beta: beta, steps: 400)
                let measured = Measure.convergenceRate(d, from: 200, to: 400)
                #expect(abs(measured - theory) < 0.01, "α = \(alpha), β = \(beta): \(measured) vs \(theory)")
            }
        }
        // β = 0 is gradient descent: max |1 − αλ|.
        #expect(HeavyBall.rate(learningRate: 0.3, momentum: 0, eigenvalues: [0.2, 4]) == max(abs(1 - 0.06), abs(1 - 1.2)))
    }

    @Test("the stationary variance under gradient noise matches a long noisy run (to 5 %)", arguments: [0.0, 0.9])
    func stationaryVariance(beta: Double) {
        let alpha = 0.02, sigma = 1.0
        let losses = Measure.noisyGradientLosses(SGD(learningRate: alpha, momentum: beta), on: Quadratic(),
                                                 from: [0, 0], steps: 200_000, noise: sigma, seed: 3)
        let tail = losses[20_000...]
        let measured = tail.reduce(0, +) / Double(tail.count)
        // E f = Σ ½ λᵢ Var θᵢ.
        let expected = [Self.mu, Self.L].reduce(0.0) {
            $0 + 0.5 * $1 * HeavyBall.stationaryVariance(learningRate: alpha, momentum: beta, eigenvalue: $1, noise: sigma)
        }
        #expect(abs(measured / expected - 1) < 0.05, "β = \(beta): measured \(measured), formula \(expected)")
    }

    /// optimize(noise:) is the noisy run the chapters measure: its losses are those of a plain loop
    /// written here (gradient, σ·N(0, 1) per coordinate from the seed's stream, step) bit for bit, and
    /// each coordinate's variance over a long run is the AR(2) closed form
    /// (1 + β)ασ²/((1 − β)λ(2(1 + β) − αλ)).
    @Test("optimize(noise:): the same draws as a plain noisy loop, each coordinate's variance the closed form",
          arguments: [(0.1, 0.0), (0.05, 0.5)])
    func optimizeWithNoise(alpha: Double, beta: Double) {
        let sigma = 0.8, steps = 200_000
        let run = optimize(Quadratic(), from: [-5, -2], steps: steps, optimizer: SGD(learningRate: alpha, momentum: beta),
                           noise: GradientNoise(sigma: sigma, seed: 11))
        #expect(run.points.count == steps + 1)
        var opt = SGD(learningRate: alpha, momentum: beta), rng = SeededGenerator(seed: 11)
        var theta = [-5.0, -2.0], g = [0.0, 0.0], reference: [Double] = []
        for _ in 0..<1000 {
            Quadratic().gradient(theta, into: &g)
            for i in g.indices { g[i] += sigma * rng.gaussian() }
            opt.step(&theta, gradient: g)
            reference.append(Quadratic().value(theta))
        }
        let sameDraws = run.points[1...1000].map(\.loss) == reference
        #expect(sameDraws, "the losses differ from a plain noisy loop's for the same seed")
        #expect(Measure.noisyGradientLosses(SGD(learningRate: alpha, momentum: beta), on: Quadratic(), from: [-5, -2],
                                            steps: 1000, noise: sigma, seed: 11) == reference)
        for (i, lambda) in [Self.mu, Self.L].enumerated() {
            let tail = run.points[(steps / 2)...].map { $0.point[i] * $0.point[i] }
            let measured = tail.reduce(0, +) / Double(tail.count)
            let expected = HeavyBall.stationaryVariance(learningRate: alpha, momentum: beta, eigenvalue: lambda, noise: sigma)
            #expect(abs(measured / expected - 1) < 0.08, "λ = \(lambda): measured \(measured), formula \(expected)")
        }
        let exact = optimize(Quadratic(), from: [-5, -2], steps: 50, optimizer: SGD(learningRate: alpha, momentum: beta))
        let zero = optimize(Quadratic(), from: [-5, -2], steps: 50, optimizer: SGD(learningRate: alpha, momentum: beta),
                            noise: GradientNoise(sigma: 0, seed: 3))
        #expect(exact.points.map(\.point) == zero.points.map(\.point))
    }

    /// measuredRate is chapter 9's and the playground's measurement. On κ = 5 a cell near the optimum
    /// shrinks to 1e-163 in 600 steps, whose square underflows: an unscaled norm measured 0 there.
    @Test("measuredRate: the closed form's rate where it is below 0.97, also when the distance falls below 1e-160")
    func measuredRateAgreesWithTheClosedForm() {
        let q = Quadratic(condition: 5)
        for (alpha, beta) in [(0.40623984375, 0.16163265306122448), (0.3, 0.0), (0.5, 0.5), (0.1, 0.9), (0.6, 0.3)] {
            let theory = HeavyBall.rate(learningRate: alpha, momentum: beta,
                                        eigenvalues: [q.smallestEigenvalue, q.largestEigenvalue])
            let measured = HeavyBall.measuredRate(on: q, from: [-5, -2], learningRate: alpha, momentum: beta, steps: 600)
            #expect(theory >= 0.97 || abs(measured - theory) < 0.02, "(\(alpha), \(beta)): \(measured) vs \(theory)")
        }
        #expect(HeavyBall.measuredRate(on: q, from: [-5, -2], learningRate: 1.2, momentum: 0, steps: 600) == 1)
        let d = HeavyBall.distances(on: q, from: [-5, -2], learningRate: 0.3, momentum: 0.5, steps: 50)
        #expect(d.count == 51 && abs(d[0] - (29.0).squareRoot()) < 1e-15)
    }
}

