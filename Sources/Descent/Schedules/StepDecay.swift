import RealModule

/// Step decay, as PyTorch's `StepLR`:
///
///     α_t = α · γ^⌊t/size⌋
///
/// Spec: `step:size=…,gamma=…` (gamma defaults to 0.1).
public struct StepDecay: Sendable, Equatable {
    /// Steps between drops, ≥ 1.
    public let size: Int
    /// γ > 0, default 0.1.
    public let gamma: Double
    public init(size: Int, gamma: Double = 0.1) {
        precondition(size >= 1, "size must be ≥ 1")
        precondition(gamma > 0, "gamma must be > 0")
        self.size = size
        self.gamma = gamma
    }
    public func rate(at t: Int, base: Double) -> Double { base * Double.pow(gamma, Double(t / size)) }
}
