/// RMSprop **as the article writes it** (§3.2.5): no moving average.
///
/// ```
/// G ← G + g²                       (the accumulated squared gradient, as AdaGrad)
/// θ ← θ − α · g / √(decay·G + ε)
/// ```
///
/// Because G is a plain sum, the rate still decays like 1/√t — this is AdaGrad with the
/// rate rescaled by 1/√decay, not RMSprop. Tieleman & Hinton's RMSprop (see ``RMSprop``)
/// replaces the sum with v ← ρv + (1 − ρ)g².
///
/// - Parameters:
///   - learningRate: α > 0.
///   - decay: the factor in front of G, in (0, 1], default 0.99.
///   - eps: ε > 0 inside the root, default 1e-8.
public struct ArticleRMSprop: Optimizer {
    public var learningRate: Double
    public let decay: Double
    public let eps: Double
    /// G, the running sum of squared gradients.
    public private(set) var sumOfSquares: [Double] = []

    public init(learningRate: Double = 0.01, decay: Double = 0.99, eps: Double = 1e-8) {
        precondition(decay > 0 && decay <= 1, "decay must be in (0, 1]")
        precondition(eps >= 0, "eps must be ≥ 0")
        self.learningRate = learningRate
        self.decay = decay
        self.eps = eps
    }

    /// α/√(decay·Gᵢ + ε) for every coordinate.
    public var effectiveLearningRates: [Double] {
        sumOfSquares.map { learningRate / (decay * $0 + eps).squareRoot() }
    }

    public mutating func step(_ parameters: inout [Double], gradient: [Double]) {
        checkShapes(parameters, gradient)
        ensureState(&sumOfSquares, count: parameters.count)
        for i in parameters.indices {
            let g = gradient[i]
            sumOfSquares[i] += g * g
            parameters[i] -= learningRate * (g / (decay * sumOfSquares[i] + eps).squareRoot())
        }
    }
}
