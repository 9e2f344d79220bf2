import RealModule

/// Polynomial decay, as PyTorch's `PolynomialLR` and Keras' `PolynomialDecay`:
///
///     α_t = α · (1 − min(t, T)/T)^p
///
/// This is the formula the article (§3.2.2) calls "exponential decay"; it reaches 0 at
/// t = T and stays there. p = 1 is linear decay. Spec: `polynomial:T=…,power=…`.
public struct PolynomialDecay: Sendable, Equatable {
    /// T ≥ 1, the step at which the rate reaches 0.
    public let totalSteps: Int
    /// p > 0, default 1.
    public let power: Double
    public init(totalSteps: Int, power: Double = 1) {
        precondition(totalSteps >= 1, "T must be ≥ 1")
        precondition(power > 0, "power must be > 0")
        self.totalSteps = totalSteps
        self.power = power
    }
    public func rate(at t: Int, base: Double) -> Double {
        base * Double.pow(1 - Double(min(t, totalSteps)) / Double(totalSteps), power)
    }
}
