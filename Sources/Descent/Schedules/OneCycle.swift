import RealModule

/// The one-cycle policy (Smith and Topin, "Super-Convergence", 2018, arXiv:1708.07120), as
/// PyTorch's `OneCycleLR` with cosine annealing, two phases and no momentum cycling
/// (`cycle_momentum=False`; PyTorch's default would also cycle SGD's momentum):
///
///     α₀ = α/div,  α_min = α₀/final
///     phase 1, t ≤ p·T − 1:      cos-anneal from α₀ up to α   over t ∈ [0, p·T − 1]
///     phase 2, t ≤ T − 1:        cos-anneal from α down to α_min over t ∈ [p·T − 1, T − 1]
///     anneal(a, b, s) = b + (a − b)(1 + cos πs)/2
///
/// α is the peak rate (PyTorch's `max_lr`). Past t = T − 1 the second phase's cosine simply
/// continues, as PyTorch computes it for t = T (it refuses t > T). Spec: `one-cycle:T=…[,pct=0.3][,div=25][,final=1e4]`.
public struct OneCycle: Sendable, Equatable {
    /// T ≥ 2, the total number of steps.
    public let totalSteps: Int
    /// p ∈ (0, 1), the fraction of steps spent increasing the rate; default 0.3.
    public let warmupFraction: Double
    /// div > 0: the first rate is α/div; default 25.
    public let divFactor: Double
    /// final > 0: the last rate is α/(div·final); default 1e4.
    public let finalDivFactor: Double

    public init(totalSteps: Int, warmupFraction: Double = 0.3, divFactor: Double = 25, finalDivFactor: Double = 1e4) {
        precondition(totalSteps >= 2, "T must be ≥ 2")
        precondition(warmupFraction > 0 && warmupFraction < 1, "pct must be in (0, 1)")
        precondition(divFactor > 0 && finalDivFactor > 0, "div and final must be > 0")
        precondition(warmupFraction * Double(totalSteps) - 1 > 0, "pct·T must exceed 1")
        self.totalSteps = totalSteps
        self.warmupFraction = warmupFraction
        self.divFactor = divFactor
        self.finalDivFactor = finalDivFactor
    }

    public func rate(at t: Int, base: Double) -> Double {
        let initial = base / divFactor, minimum = initial / finalDivFactor
        let step = Double(t)
        let peakStep = warmupFraction * Double(totalSteps) - 1, last = Double(totalSteps - 1)
        func anneal(_ a: Double, _ b: Double, _ s: Double) -> Double { b + (a - b) / 2 * (Double.cos(Double.pi * s) + 1) }
        if step <= peakStep { return anneal(initial, base, step / peakStep) }
        return anneal(base, minimum, (step - peakStep) / (last - peakStep))
    }
}
