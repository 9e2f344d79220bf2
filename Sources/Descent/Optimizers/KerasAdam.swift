import RealModule

/// Adam in the "ε̂" form that TensorFlow/Keras implements (Kingma and Ba, ICLR 2015, the note
/// after Algorithm 1: the last three lines can be replaced by a rescaled rate and ε̂).
///
/// ```
/// t ← t + 1
/// m ← m + (1 − β₁)(g − m)
/// v ← v + (1 − β₂)(g² − v)
/// α_t = α·√(1 − β₂ᵗ)/(1 − β₁ᵗ)
/// θ ← θ − α_t · m/(√v + ε̂)
/// ```
///
/// The same as ``Adam`` except that ε̂ is added to the *uncorrected* √v: it equals Adam with
/// ε = ε̂/√(1 − β₂ᵗ), which shrinks towards ε̂ as t grows. Keras' default ε̂ is 1e-7 (PyTorch's
/// ε is 1e-8): the article's Keras listing (§4) runs this optimizer.
///
/// - Parameters:
///   - learningRate: α > 0 (Keras' default is 0.001).
///   - beta1: β₁ ∈ [0, 1), default 0.9.
///   - beta2: β₂ ∈ [0, 1), default 0.999.
///   - epsilonHat: ε̂ ≥ 0, default 1e-7.
public struct KerasAdam: Optimizer {
    public var learningRate: Double
    public let beta1: Double
    public let beta2: Double
    public let epsilonHat: Double
    /// Number of steps taken, t.
    public private(set) var stepCount = 0
    /// m, the moving average of g.
    public private(set) var firstMoment: [Double] = []
    /// v, the moving average of g².
    public private(set) var secondMoment: [Double] = []

    public init(learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilonHat: Double = 1e-7) {
        precondition(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1)")
        precondition(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1)")
        precondition(epsilonHat >= 0, "epsilon must be ≥ 0")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilonHat = epsilonHat
    }

    public mutating func step(_ parameters: inout [Double], gradient: [Double]) {
        checkShapes(parameters, gradient)
        ensureState(&firstMoment, count: parameters.count)
        ensureState(&secondMoment, count: parameters.count)
        stepCount += 1
        let t = Double(stepCount)
        let rate = learningRate * (1 - Double.pow(beta2, t)).squareRoot() / (1 - Double.pow(beta1, t))
        for i in parameters.indices {
            let g = gradient[i]
            firstMoment[i] += (g - firstMoment[i]) * (1 - beta1)
            secondMoment[i] += (g * g - secondMoment[i]) * (1 - beta2)
            parameters[i] -= firstMoment[i] * rate / (secondMoment[i].squareRoot() + epsilonHat)
        }
    }
}
