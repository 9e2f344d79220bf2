import RealModule

/// Exponential decay, as PyTorch's `ExponentialLR`:
///
///     α_t = α · γᵗ
///
/// Spec: `exponential:gamma=…`.
public struct ExponentialDecay: Sendable, Equatable {
    /// γ > 0 (γ < 1 decays).
    public let gamma: Double
    public init(gamma: Double) {
        precondition(gamma > 0, "gamma must be > 0")
        self.gamma = gamma
    }
    public func rate(at t: Int, base: Double) -> Double { base * Double.pow(gamma, Double(t)) }
}
