import RealModule

/// AdaGrad (Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online Learning and
/// Stochastic Optimization", JMLR 12, 2011), as PyTorch's `torch.optim.Adagrad`.
///
/// ```
/// t ← t + 1
/// g ← g + λθ                          (weight decay λ)
/// α_t = α / (1 + (t − 1)·η)           (lr decay η)
/// G ← G + g²                          (G starts at the initial accumulator)
/// θ ← θ − α_t · g / (√G + ε)
/// ```
///
/// ε sits **outside** the square root; the article writes α/√(G + ε) — see
/// ``ArticleAdaGrad``. Each coordinate's effective rate α/(√G + ε) can only shrink.
///
/// - Parameters:
///   - learningRate: α > 0 (PyTorch's default is 0.01).
///   - learningRateDecay: η ≥ 0, default 0.
///   - weightDecay: λ ≥ 0, default 0.
///   - initialAccumulatorValue: G₀ ≥ 0, default 0.
///   - eps: ε > 0, default 1e-10.
public struct AdaGrad: Optimizer {
    public var learningRate: Double
    public let learningRateDecay: Double
    public let weightDecay: Double
    public let initialAccumulatorValue: Double
    public let eps: Double
    /// Number of steps taken.
    public private(set) var stepCount = 0
    /// G, the running sum of squared gradients (empty before the first step).
    public private(set) var sumOfSquares: [Double] = []

    public init(learningRate: Double = 0.01, learningRateDecay: Double = 0, weightDecay: Double = 0,
                initialAccumulatorValue: Double = 0, eps: Double = 1e-10) {
        precondition(learningRateDecay >= 0 && weightDecay >= 0 && initialAccumulatorValue >= 0 && eps >= 0,
                     "AdaGrad hyperparameters must be ≥ 0")
        self.learningRate = learningRate
        self.learningRateDecay = learningRateDecay
        self.weightDecay = weightDecay
        self.initialAccumulatorValue = initialAccumulatorValue
        self.eps = eps
    }

    /// α/(√Gᵢ + ε) for every coordinate: the rate each one actually moves with.
    public var effectiveLearningRates: [Double] {
        sumOfSquares.map { learningRate / ($0.squareRoot() + eps) }
    }

    public mutating func step(_ parameters: inout [Double], gradient: [Double]) {
        checkShapes(parameters, gradient)
        ensureState(&sumOfSquares, count: parameters.count, value: initialAccumulatorValue)
        stepCount += 1
        let clr = learningRate / (1 + Double(stepCount - 1) * learningRateDecay)
        for i in parameters.indices {
            var g = gradient[i]
            if weightDecay != 0 { g += weightDecay * parameters[i] }
            sumOfSquares[i] += g * g
            parameters[i] -= clr * g / (sumOfSquares[i].squareRoot() + eps)
        }
    }
}
