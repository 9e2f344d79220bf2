import RealModule

extension Measure {
    /// The boundary between a stable `low` and an unstable `high` found by bisection on a
    /// measured predicate (e.g. "the run ends below its starting loss"): after `iterations`
    /// halvings the bracket is (high − low)/2^iterations wide; returns its midpoint.
    public static func bisectThreshold(low: Double, high: Double, iterations: Int = 40,
                                       isStable: (Double) -> Bool) -> Double {
        var lo = low, hi = high
        precondition(isStable(lo) && !isStable(hi), "the bracket must straddle the threshold")
        for _ in 0..<iterations {
            let mid = (lo + hi) / 2
            if isStable(mid) { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// The per-step rate (d_end/d_start)^(1/(end − start)) of a sequence of distances or errors.
    public static func convergenceRate(_ d: [Double], from start: Int, to end: Int) -> Double {
        precondition(0 <= start && start < end && end < d.count, "need start < end inside the sequence")
        return Double.pow(d[end] / d[start], 1 / Double(end - start))
    }

    /// Runs `optimizer` on `function` with gradients ∇f(θ) + N(0, σ²) per coordinate and returns
    /// the exact loss f(θ) after every step (the noise is drawn from `seed`): the losses of rows
    /// 1…N of ``optimize(_:from:steps:optimizer:schedule:divergence:noise:)``, which runs it (a run
    /// whose loss stops being finite ends there, that loss last).
    public static func noisyGradientLosses(_ optimizer: some Optimizer, on function: any TestFunction,
                                           from start: [Double], steps: Int, noise: Double, seed: UInt64) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(steps)
        _ = optimize(function, from: start, steps: steps, optimizer: optimizer,
                     noise: GradientNoise(sigma: noise, seed: seed)) { if $0.step > 0 { out.append($0.loss) } }
        return out
    }
}
