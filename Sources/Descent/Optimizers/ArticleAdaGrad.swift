/// AdaGrad **as the article writes it** (§3.2.4): ε inside the square root.
///
/// ```
/// G ← G + g²
/// θ ← θ − α · g / √(G + ε)
/// ```
///
/// Duchi, Hazan & Singer (JMLR 2011) and PyTorch put ε outside: see ``AdaGrad``. The
/// first step is α·g/√(g² + ε) here and α·g/(|g| + ε) there: both ≈ α·sign(g) while
/// g² ≫ ε, and they part only when |g| is near √ε (1e-5 at ε = 1e-10) or below.
///
/// - Parameters:
///   - learningRate: α > 0.
///   - eps: ε > 0, default 1e-10 (PyTorch AdaGrad's default, for a like-for-like comparison).
public struct ArticleAdaGrad: Optimizer {
    public var learningRate: Double
    public let eps: Double
    /// G, the running sum of squared gradients.
    public private(set) var sumOfSquares: [Double] = []

    public init(learningRate: Double = 0.01, eps: Double = 1e-10) {
        precondition(eps >= 0, "eps must be ≥ 0")
        self.learningRate = learningRate
        self.eps = eps
    }

    /// α/√(Gᵢ + ε) for every coordinate.
    public var effectiveLearningRates: [Double] {
        sumOfSquares.map { learningRate / ($0 + eps).squareRoot() }
    }

    public mutating func step(_ parameters: inout [Double], gradient: [Double]) {
        checkShapes(parameters, gradient)
        ensureState(&sumOfSquares, count: parameters.count)
        for i in parameters.indices {
            let g = gradient[i]
            sumOfSquares[i] += g * g
            parameters[i] -= learningRate * (g / (sumOfSquares[i] + eps).squareRoot())
        }
    }
}
