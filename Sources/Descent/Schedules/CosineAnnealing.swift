import RealModule

/// Cosine annealing, as PyTorch's `CosineAnnealingLR` (Loshchilov & Hutter, ICLR 2017):
///
///     α_t = α_min + (α − α_min) · (1 + cos(πt/T)) / 2      for every t
///
/// It reaches α_min at t = T and, like PyTorch's, rises again after T (period 2T).
/// Spec: `cosine:T=…,min=…` (min defaults to 0).
public struct CosineAnnealing: Sendable, Equatable {
    /// T ≥ 1, the half period.
    public let period: Int
    /// α_min ≥ 0, default 0.
    public let minimum: Double
    public init(period: Int, minimum: Double = 0) {
        precondition(period >= 1, "T must be ≥ 1")
        precondition(minimum >= 0, "min must be ≥ 0")
        self.period = period
        self.minimum = minimum
    }
    public func rate(at t: Int, base: Double) -> Double {
        // As the convex combination y·α + (1 − y)·α_min, y = (1 + cos)/2 ∈ [0, 1]: the rate stays
        // between α_min and α — never ±inf, and exactly α at a restart even when α_min ≫ α.
        let y = (1 + Double.cos(Double.pi * Double(t) / Double(period))) / 2
        return y * base + (1 - y) * minimum
    }
}
