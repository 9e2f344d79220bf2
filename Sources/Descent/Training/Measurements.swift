import RealModule

/// Small measurements the chapters take of runs, kept here so every chapter measures the same way.
public enum Measure {
    /// The least-squares slope of log y against log x (e.g. −1/2 for y ∝ 1/√x).
    public static func logLogSlope(_ x: [Double], _ y: [Double]) -> Double {
        LeastSquaresLine(x: x.map { Double.log($0) }, y: y.map { Double.log($0) }).slope
    }

    /// The size of an optimizer's first update divided by its rate, |Δθ|/α, for one coordinate
    /// with gradient `g` (α for Adam; 3.16α for the article's uncorrected Adam at β₂ = 0.999).
    public static func firstStepRatio(_ optimizer: some Optimizer, gradient g: Double = 2) -> Double {
        var opt = optimizer
        var theta = [0.0]
        opt.step(&theta, gradient: [g])
        return abs(theta[0]) / opt.learningRate
    }

    /// The trailing moving average over `window` values (shorter at the start).
    public static func movingAverage(_ v: [Double], window: Int) -> [Double] {
        precondition(window >= 1, "window must be ≥ 1")
        var out: [Double] = [], sum = 0.0
        out.reserveCapacity(v.count)
        for (i, x) in v.enumerated() {
            sum += x
            if i >= window { sum -= v[i - window] }
            out.append(sum / Double(min(i + 1, window)))
        }
        return out
    }

    /// Mean and sample standard deviation.
    public static func meanAndStandardDeviation(_ v: [Double]) -> (mean: Double, standardDeviation: Double) {
        let m = v.reduce(0, +) / Double(v.count)
        guard v.count > 1 else { return (m, 0) }
        return (m, (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot())
    }

    /// Runs `optimizer` on `function` with noisy gradients ∇f(θ) + N(0, σ²) per coordinate — a
    /// stand-in for mini-batch noise — and records `observe(optimizer)` after every step.
    public static func noisyGradientRun<O: Optimizer, T>(
        _ optimizer: O, on function: any TestFunction, from start: [Double], steps: Int, noise: Double,
        seed: UInt64, observe: (O) -> T
    ) -> [T] {
        var opt = optimizer
        var rng = SeededGenerator(seed: seed)
        var theta = start
        var g = [Double](repeating: 0, count: start.count)
        var out: [T] = []
        out.reserveCapacity(steps)
        for _ in 0..<steps {
            function.gradient(theta, into: &g)
            for i in g.indices { g[i] += noise * rng.gaussian() }
            opt.step(&theta, gradient: g)
            out.append(observe(opt))
        }
        return out
    }

    /// The best rate of a grid: each rate α is run once (`run(α)`: the run's score, lower is better,
    /// with whatever the caller keeps of it; nil when the run does not count, e.g. it blew up) and the
    /// lowest score wins, the first in grid order on a tie (with an ascending grid, the smallest rate).
    /// A score of +∞ or NaN never wins. Nil when no rate counts.
    public static func bestOnGrid<T>(_ grid: [Double], _ run: (_ rate: Double) -> (score: Double, result: T)?)
        -> (rate: Double, score: Double, result: T)?
    {
        var best: (rate: Double, score: Double, result: T)?
        for rate in grid {
            guard let r = run(rate) else { continue }
            if r.score < (best?.score ?? .infinity) { best = (rate, r.score, r.result) }
        }
        return best
    }
}
