import Descent
import RealModule

/// Effective rates under noisy gradients of the quadratic (g = ∇f + N(0, σ²)).
func noisyEffectiveRates<O: Optimizer>(_ optimizer: O, steps: Int, noise: Double, seed: UInt64,
                                       rates: (O) -> [Double]) -> [[Double]] {
    var opt = optimizer
    var rng = SeededGenerator(seed: seed)
    var theta = [-5.0, -2.0], g = [0.0, 0.0]
    var out: [[Double]] = []
    for _ in 0..<steps {
        Quadratic().gradient(theta, into: &g)
        for i in g.indices { g[i] += noise * rng.gaussian() }
        opt.step(&theta, gradient: g)
        out.append(rates(opt))
    }
    return out
}

/// RMSprop's memory: feed |g| = 1 for `switchAt` steps, then |g| = 0.1; return the steps
/// after the switch until v has covered 1 − 1/e of the way to its new level (0.01).
func memorySteps(alpha: Double, switchAt: Int = 20000) -> Int {
    var opt = RMSprop(learningRate: 1e-9, alpha: alpha)
    var theta = [0.0]
    for _ in 0..<switchAt { opt.step(&theta, gradient: [1]) }
    let start = opt.squareAverage[0], target = 0.01
    var k = 0
    while opt.squareAverage[0] - target > (start - target) / M_E {
        opt.step(&theta, gradient: [0.1])
        k += 1
    }
    return k
}

/// |Δθ|/α of the first update for a gradient g.
func firstStepRatio(_ optimizer: some Optimizer, gradient g: Double = 2) -> Double {
    var opt = optimizer
    var theta = [0.0]
    opt.step(&theta, gradient: [g])
    return abs(theta[0]) / opt.learningRate
}

/// Least-squares slope of log y against log x.
func logLogSlope(_ x: [Double], _ y: [Double]) -> Double {
    let lx = x.map { Double.log($0) }, ly = y.map { Double.log($0) }
    let mx = lx.reduce(0, +) / Double(lx.count), my = ly.reduce(0, +) / Double(ly.count)
    return zip(lx, ly).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / lx.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
}

/// About `points` indices in 0..<count, evenly spaced on a log scale.
func logSpaced(_ count: Int, points: Int) -> [Int] {
    var out: [Int] = []
    for k in 0..<points {
        let i = Int((Double.exp(Double.log(Double(count)) * Double(k) / Double(points - 1)) - 1).rounded())
        if i < count && out.last != i { out.append(i) }
    }
    return out
}

let M_E = 2.718281828459045
