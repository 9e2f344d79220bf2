import RealModule

/// The learning-rate range test (Smith, "Cyclical Learning Rates for Training Neural
/// Networks", WACV 2017, arXiv:1506.01186), as in fastai's `lr_find` and
/// pytorch-lr-finder.
///
/// 1. Sweep the rate, i = 0…N−1: exponentially (``Spacing/exponential``, fastai's and the
///    default) αᵢ = α_min·(α_max/α_min)^(i/(N−1)), or linearly (``Spacing/linear``, Smith's
///    original test) αᵢ = α_min + (α_max − α_min)·i/(N−1).
/// 2. Take one update with αᵢ and record the loss Lᵢ at the new point.
/// 3. Smooth: a₋₁ = 0, aᵢ = β·aᵢ₋₁ + (1 − β)·Lᵢ, sᵢ = aᵢ/(1 − βⁱ⁺¹) (bias-corrected; β = 0.98
///    by default, β = 0 records the raw losses).
/// 4. Stop early when sᵢ > F·min(s₀…sᵢ) for i > 0 (F = 4 by default, fastai's) or Lᵢ is not finite.
/// 5. Restore the parameters and the optimizer state.
///
/// Suggestions: **steepest** — the rate where dsᵢ/d log αᵢ is most negative (central
/// differences, ignoring the first `trimStart` and last `trimEnd` points, as
/// pytorch-lr-finder's `skip_start=10, skip_end=5`); **minimum ÷ 10** — the rate at the
/// lowest smoothed loss, divided by 10 (fastai's `valley` predecessor, `lr_min`).
public struct RangeTest: Sendable {
    /// How the rates are spaced between α_min and α_max.
    public enum Spacing: String, Sendable, CaseIterable {
        /// αᵢ = α_min·(α_max/α_min)^(i/(N−1)) (fastai, pytorch-lr-finder's default).
        case exponential
        /// αᵢ = α_min + (α_max − α_min)·i/(N−1) (Smith 2017's range test).
        case linear
    }

    public let minimumRate: Double
    public let maximumRate: Double
    public let steps: Int
    public let smoothing: Double
    public let divergenceFactor: Double
    public let trimStart: Int
    public let trimEnd: Int
    public let spacing: Spacing

    /// - Parameters:
    ///   - minimumRate: α_min > 0 (default 1e-7).
    ///   - maximumRate: α_max > α_min (default 10).
    ///   - steps: N ≥ 2 (default 100).
    ///   - smoothing: β ∈ [0, 1) (default 0.98).
    ///   - divergenceFactor: stop when the smoothed loss exceeds this × its best (default 4).
    ///   - trimStart: points ignored at the start when taking the steepest slope (default 10).
    ///   - trimEnd: points ignored at the end when taking the steepest slope (default 5).
    ///   - spacing: exponential (default) or linear rates.
    public init(minimumRate: Double = 1e-7, maximumRate: Double = 10, steps: Int = 100,
                smoothing: Double = 0.98, divergenceFactor: Double = 4,
                trimStart: Int = 10, trimEnd: Int = 5, spacing: Spacing = .exponential) {
        precondition(minimumRate > 0 && maximumRate > minimumRate, "need 0 < min rate < max rate")
        precondition(steps >= 2, "the sweep needs at least 2 steps")
        precondition(smoothing >= 0 && smoothing < 1, "smoothing must be in [0, 1)")
        precondition(divergenceFactor > 1, "divergence factor must be > 1")
        self.minimumRate = minimumRate
        self.maximumRate = maximumRate
        self.steps = steps
        self.smoothing = smoothing
        self.divergenceFactor = divergenceFactor
        self.trimStart = max(0, trimStart)
        self.trimEnd = max(0, trimEnd)
        self.spacing = spacing
    }

    /// The rate of sweep step i: α_min·(α_max/α_min)^(i/(N−1)) or α_min + (α_max − α_min)·i/(N−1).
    public func rate(at i: Int) -> Double {
        switch spacing {
        case .exponential: return minimumRate * Double.pow(maximumRate / minimumRate, Double(i) / Double(steps - 1))
        case .linear: return minimumRate + (maximumRate - minimumRate) * (Double(i) / Double(steps - 1))
        }
    }

    /// The curve and the two suggestions.
    public struct Result: Sendable, Equatable {
        /// αᵢ for the recorded steps.
        public var rates: [Double] = []
        /// Lᵢ, the loss after the update with αᵢ.
        public var losses: [Double] = []
        /// sᵢ, the bias-corrected exponential moving average of the losses.
        public var smoothed: [Double] = []
        /// Whether the sweep stopped before α_max (loss blew up).
        public var stoppedEarly = false
        /// The rate of steepest descent of the smoothed loss (nil if under 3 points).
        public var steepest: Double?
        /// The rate at the lowest smoothed loss, ÷ 10.
        public var minimumOverTen: Double?
    }

    /// Runs the sweep. `objective(θ, i)` returns the loss at θ and writes its gradient
    /// (i counts evaluations from 0, so a mini-batch objective can pick batch i). The
    /// parameters and the optimizer are restored before returning.
    public func run<O: Optimizer>(
        parameters: inout [Double], optimizer: inout O,
        objective: (_ parameters: [Double], _ evaluation: Int, _ gradient: inout [Double]) -> Double
    ) -> Result {
        let savedParameters = parameters, savedOptimizer = optimizer
        defer { parameters = savedParameters; optimizer = savedOptimizer }
        var result = Result()
        var gradient = [Double](repeating: 0, count: parameters.count)
        _ = objective(parameters, 0, &gradient)
        var average = 0.0, best = Double.infinity
        for i in 0..<steps {
            let rate = self.rate(at: i)
            optimizer.learningRate = rate
            optimizer.step(&parameters, gradient: gradient)
            let loss = objective(parameters, i + 1, &gradient)
            guard loss.isFinite else { result.stoppedEarly = true; break }
            average = smoothing * average + (1 - smoothing) * loss
            let s = average / (1 - Double.pow(smoothing, Double(i + 1)))
            result.rates.append(rate)
            result.losses.append(loss)
            result.smoothed.append(s)
            best = min(best, s)
            if i > 0 && s > divergenceFactor * best { result.stoppedEarly = i < steps - 1; break }
        }
        suggest(&result)
        return result
    }

    /// Fills the two suggestions from the recorded curve.
    public func suggest(_ result: inout Result) {
        let n = result.smoothed.count
        guard n > 0 else { return }
        if let iMin = result.smoothed.indices.min(by: { result.smoothed[$0] < result.smoothed[$1] }) {
            result.minimumOverTen = result.rates[iMin] / 10
        }
        // Trim the ends only when enough points remain to take a slope.
        var lo = 0, hi = n
        if n - trimStart - trimEnd >= 3 { lo = trimStart; hi = n - trimEnd }
        guard hi - lo >= 3 else { return }
        let x = result.rates.map { Double.log10($0) }, s = result.smoothed
        var bestSlope = Double.infinity, bestIndex = lo
        for i in lo..<hi {
            // np.gradient on the trimmed segment: one-sided at its ends, central inside.
            let slope: Double
            if i == lo { slope = (s[i + 1] - s[i]) / (x[i + 1] - x[i]) }
            else if i == hi - 1 { slope = (s[i] - s[i - 1]) / (x[i] - x[i - 1]) }
            else { slope = (s[i + 1] - s[i - 1]) / (x[i + 1] - x[i - 1]) }
            if slope < bestSlope { bestSlope = slope; bestIndex = i }
        }
        result.steepest = result.rates[bestIndex]
    }
}
