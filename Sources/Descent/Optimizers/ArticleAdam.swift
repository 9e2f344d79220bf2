/// Adam **as the article writes it** (§3.2.6): moving averages without bias correction.
///
/// ```
/// m ← β₁m + (1 − β₁)g
/// v ← β₂v + (1 − β₂)g²
/// θ ← θ − α · m / (√v + ε)
/// ```
///
/// With m₀ = v₀ = 0 the first step is (1 − β₁)/√(1 − β₂)·α ≈ 3.16α at β₁ = 0.9,
/// β₂ = 0.999 — the reason Kingma & Ba (ICLR 2015, §3) divide by 1 − β₁ᵗ and 1 − β₂ᵗ.
/// See ``Adam``.
///
/// - Parameters:
///   - learningRate: α > 0.
///   - beta1: β₁ ∈ [0, 1), default 0.9.
///   - beta2: β₂ ∈ [0, 1), default 0.999.
///   - eps: ε ≥ 0, default 1e-8.
public struct ArticleAdam: Optimizer {
    public var learningRate: Double
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    /// m, the moving average of g.
    public private(set) var firstMoment: [Double] = []
    /// v, the moving average of g².
    public private(set) var secondMoment: [Double] = []

    public init(learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8) {
        precondition(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1)")
        precondition(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1)")
        precondition(eps >= 0, "eps must be ≥ 0")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
    }

    public mutating func step(_ parameters: inout [Double], gradient: [Double]) {
        checkShapes(parameters, gradient)
        ensureState(&firstMoment, count: parameters.count)
        ensureState(&secondMoment, count: parameters.count)
        for i in parameters.indices {
            let g = gradient[i]
            firstMoment[i] = beta1 * firstMoment[i] + (1 - beta1) * g
            secondMoment[i] = beta2 * secondMoment[i] + (1 - beta2) * g * g
            parameters[i] -= learningRate * firstMoment[i] / (secondMoment[i].squareRoot() + eps)
        }
    }
}
