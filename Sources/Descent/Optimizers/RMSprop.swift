/// RMSprop (Tieleman & Hinton, "Lecture 6.5 — RMSProp", COURSERA: Neural Networks for
/// Machine Learning, 2012), as PyTorch's `torch.optim.RMSprop`.
///
/// ```
/// g ← g + λθ                                  (weight decay λ)
/// v ← ρv + (1 − ρ)g²                          (ρ = alpha; v starts at 0)
/// m̄ ← ρm̄ + (1 − ρ)g,  d = √(v − m̄²) + ε      if centered
/// d = √v + ε                                  otherwise
/// b ← μb + g/d,  θ ← θ − αb                   if momentum μ > 0
/// θ ← θ − α·g/d                               otherwise
/// ```
///
/// The moving average forgets old gradients with a memory of about 1/(1 − ρ) steps — the
/// fix for AdaGrad's ever-shrinking rate. The article's formula has no average; see
/// ``ArticleRMSprop``. There is no bias correction: with v₀ = 0 the first step is about
/// α/√(1 − ρ) per coordinate, 10α at ρ = 0.99.
///
/// - Parameters:
///   - learningRate: α > 0 (PyTorch's default is 0.01).
///   - alpha: ρ ∈ [0, 1), default 0.99.
///   - eps: ε > 0, default 1e-8.
///   - weightDecay: λ ≥ 0, default 0.
///   - momentum: μ ≥ 0, default 0.
///   - centered: divide by an estimate of the standard deviation instead, default `false`.
public struct RMSprop: Optimizer {
    public var learningRate: Double
    public let alpha: Double
    public let eps: Double
    public let weightDecay: Double
    public let momentum: Double
    public let centered: Bool
    /// v, the moving average of g².
    public private(set) var squareAverage: [Double] = []
    /// m̄, the moving average of g (centered only).
    public private(set) var gradientAverage: [Double] = []
    /// b, the momentum buffer (momentum only).
    public private(set) var momentumBuffer: [Double] = []

    public init(learningRate: Double = 0.01, alpha: Double = 0.99, eps: Double = 1e-8,
                weightDecay: Double = 0, momentum: Double = 0, centered: Bool = false) {
        precondition(alpha >= 0 && alpha < 1, "alpha must be in [0, 1)")
        precondition(eps >= 0 && weightDecay >= 0 && momentum >= 0, "RMSprop hyperparameters must be ≥ 0")
        self.learningRate = learningRate
        self.alpha = alpha
        self.eps = eps
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.centered = centered
    }

    /// α/(√vᵢ + ε) for every coordinate (non-centered form): the rate each one moves with.
    public var effectiveLearningRates: [Double] {
        squareAverage.map { learningRate / ($0.squareRoot() + eps) }
    }

    public mutating func step(_ parameters: inout [Double], gradient: [Double]) {
        checkShapes(parameters, gradient)
        let n = parameters.count
        ensureState(&squareAverage, count: n)
        if centered { ensureState(&gradientAverage, count: n) }
        if momentum > 0 { ensureState(&momentumBuffer, count: n) }
        for i in 0..<n {
            var g = gradient[i]
            if weightDecay != 0 { g += weightDecay * parameters[i] }
            squareAverage[i] = alpha * squareAverage[i] + (1 - alpha) * g * g
            let denominator: Double
            if centered {
                gradientAverage[i] = lerp(gradientAverage[i], g, weight: 1 - alpha)
                denominator = (squareAverage[i] - gradientAverage[i] * gradientAverage[i]).squareRoot() + eps
            } else {
                denominator = squareAverage[i].squareRoot() + eps
            }
            if momentum > 0 {
                momentumBuffer[i] = momentum * momentumBuffer[i] + g / denominator
                parameters[i] -= learningRate * momentumBuffer[i]
            } else {
                parameters[i] -= learningRate * g / denominator
            }
        }
    }
}
