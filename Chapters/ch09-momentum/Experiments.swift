import Descent
import RealModule

/// Momentum on the quadratic 0.1x² + 2y² (μ = 0.2, L = 4): the runs behind chapter 9.
enum MomentumLab {
    static let f = Quadratic()
    static let mu = Quadratic().smallestEigenvalue, L = Quadratic().largestEigenvalue
    static let start = [-5.0, -2.0]

    /// ‖θₜ‖ (the distance to the minimum) for t = 0…steps, SGD with momentum β (Nesterov when asked).
    static func distances(alpha: Double, beta: Double, nesterov: Bool = false, steps: Int) -> [Double] {
        HeavyBall.distances(on: f, from: start, learningRate: alpha, momentum: beta, nesterov: nesterov, steps: steps)
    }

    /// Whether a run ends closer to the minimum than it started.
    static func converges(alpha: Double, beta: Double, nesterov: Bool = false, steps: Int) -> Bool {
        let d = distances(alpha: alpha, beta: beta, nesterov: nesterov, steps: steps)
        return d.count == steps + 1 && d.last! < d[0]
    }

    /// The largest converging α for momentum β, by bisection on runs.
    static func measuredLimit(beta: Double, nesterov: Bool = false, steps: Int) -> Double {
        Measure.bisectThreshold(low: 0.01, high: 2.5 * (1 + beta) / L, iterations: 40) {
            converges(alpha: $0, beta: beta, nesterov: nesterov, steps: steps)
        }
    }

    /// The per-step rate measured over the second half of `steps` (1 when the run does not converge).
    static func measuredRate(alpha: Double, beta: Double, steps: Int) -> Double {
        HeavyBall.measuredRate(on: f, from: start, learningRate: alpha, momentum: beta, steps: steps)
    }

    /// The lowest final loss over a grid of rates (runs that blow up are skipped).
    static func bestRun(_ grid: [Double], on function: any TestFunction, from start: [Double], steps: Int,
                        _ make: (Double) -> any Optimizer) -> (rate: Double, run: Trajectory) {
        func run(_ a: Double) -> Trajectory { optimize(function, from: start, steps: steps, optimizer: make(a), divergence: .standard) }
        let best = Measure.bestOnGrid(grid) { a in
            let t = run(a)
            return t.divergence == nil && t.points.last!.loss.isFinite ? (t.points.last!.loss, t) : nil
        }
        return best.map { ($0.rate, $0.result) } ?? (grid[0], run(grid[0]))
    }
}
