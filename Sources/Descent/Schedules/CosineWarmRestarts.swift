import RealModule

/// Cosine annealing with warm restarts — SGDR (Loshchilov & Hutter, "SGDR: Stochastic
/// Gradient Descent with Warm Restarts", ICLR 2017, arXiv:1608.03983), as PyTorch's
/// `CosineAnnealingWarmRestarts`:
///
///     α_t = α_min + (α − α_min) · (1 + cos(π·T_cur/T_i)) / 2
///
/// where the i-th cycle lasts T_i = T₀·multⁱ steps and T_cur counts steps since the last
/// restart. This is the published form of the article's "restart" idea (§3.2.3).
/// Spec: `warm-restarts:T0=…,mult=…,min=…` (mult defaults to 1, min to 0).
public struct CosineWarmRestarts: Sendable, Equatable {
    /// T₀ ≥ 1, the first cycle's length.
    public let firstPeriod: Int
    /// Integer growth factor of the cycle length, ≥ 1 (PyTorch's `T_mult`), default 1.
    public let multiplier: Int
    /// α_min ≥ 0, default 0.
    public let minimum: Double
    public init(firstPeriod: Int, multiplier: Int = 1, minimum: Double = 0) {
        precondition(firstPeriod >= 1, "T0 must be ≥ 1")
        precondition(multiplier >= 1, "mult must be ≥ 1")
        precondition(minimum >= 0, "min must be ≥ 0")
        self.firstPeriod = firstPeriod
        self.multiplier = multiplier
        self.minimum = minimum
    }
    /// (T_cur, T_i) at step t, by integer arithmetic (no logarithms, so no rounding at cycle ends).
    ///
    /// - Complexity: O(1) for mult = 1 (a remainder); for mult ≥ 2 one pass per cycle so far,
    ///   at most log₂(t/T₀) + 1 ≤ 63 passes because the cycles grow geometrically.
    public func position(at t: Int) -> (sinceRestart: Int, cycleLength: Int) {
        precondition(t >= 0, "steps count from 0")
        if multiplier == 1 { return (t % firstPeriod, firstPeriod) }
        var cur = t, length = firstPeriod
        while cur >= length {
            cur -= length
            let (next, overflow) = length.multipliedReportingOverflow(by: multiplier)
            // A cycle longer than Int.max steps never ends: t is inside it.
            if overflow { return (cur, Int.max) }
            length = next
        }
        return (cur, length)
    }
    public func rate(at t: Int, base: Double) -> Double {
        let (cur, length) = position(at: t)
        // As the convex combination y·α + (1 − y)·α_min, y = (1 + cos)/2 ∈ [0, 1]: the rate stays
        // between α_min and α — never ±inf, and exactly α at a restart even when α_min ≫ α.
        let y = (1 + Double.cos(Double.pi * Double(cur) / Double(length))) / 2
        return y * base + (1 - y) * minimum
    }
}
