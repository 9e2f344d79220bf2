import CKernels
import RealModule

/// Adam (Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015,
/// arXiv:1412.6980) and AMSGrad (Reddi, Kale & Kumar, "On the Convergence of Adam and
/// Beyond", ICLR 2018), as PyTorch's `torch.optim.Adam`.
///
/// ```
/// t ← t + 1
/// g ← g + λθ                                   (weight decay λ, L2 form)
/// m ← β₁m + (1 − β₁)g
/// v ← β₂v + (1 − β₂)g²
/// v_max ← max(v_max, v)                        (AMSGrad only; v is used otherwise)
/// θ ← θ − α/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// ```
///
/// The last line is the bias-corrected m̂/(√v̂ + ε). With the correction the first
/// step moves every coordinate by α (when |g| ≫ ε); without it (``ArticleAdam``) by
/// (1 − β₁)/√(1 − β₂)·α ≈ 3.16α at the defaults.
///
/// AMSGrad convention: PyTorch keeps the maximum of the **uncorrected** v and divides
/// that maximum by the current √(1 − β₂ᵗ) — the maximum is taken before bias correction.
///
/// - Parameters:
///   - learningRate: α > 0 (PyTorch's default is 0.001).
///   - beta1: β₁ ∈ [0, 1), default 0.9.
///   - beta2: β₂ ∈ [0, 1), default 0.999.
///   - eps: ε ≥ 0, default 1e-8.
///   - weightDecay: λ ≥ 0, default 0.
///   - amsgrad: default `false`.
public struct Adam: Optimizer {
    public var learningRate: Double
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    public let weightDecay: Double
    public let amsgrad: Bool
    /// Number of steps taken, t.
    public private(set) var stepCount = 0
    /// m, the moving average of g.
    public private(set) var firstMoment: [Double] = []
    /// v, the moving average of g².
    public private(set) var secondMoment: [Double] = []
    /// v_max, the running maximum of v (AMSGrad only).
    public private(set) var maxSecondMoment: [Double] = []

    public init(learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999,
                eps: Double = 1e-8, weightDecay: Double = 0, amsgrad: Bool = false) {
        precondition(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1)")
        precondition(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1)")
        precondition(eps >= 0 && weightDecay >= 0, "eps and weight decay must be ≥ 0")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
    }

    public mutating func step(_ parameters: inout [Double], gradient: [Double]) {
        checkShapes(parameters, gradient)
        let n = parameters.count
        ensureState(&firstMoment, count: n)
        ensureState(&secondMoment, count: n)
        if amsgrad { ensureState(&maxSecondMoment, count: n) }
        stepCount += 1
        let t = Double(stepCount)
        let biasCorrection1 = 1 - Double.pow(beta1, t)
        let biasCorrection2Root = (1 - Double.pow(beta2, t)).squareRoot()
        let stepSize = learningRate / biasCorrection1
        let (b1, b2, wd, e, ams) = (beta1, beta2, weightDecay, eps, amsgrad)
        // The common case runs in a vectorised kernel that performs exactly the operations below.
        if wd == 0 && !ams {
            let done = parameters.withUnsafeMutableBufferPointer { p in
                gradient.withUnsafeBufferPointer { gr in
                    firstMoment.withUnsafeMutableBufferPointer { m in
                        secondMoment.withUnsafeMutableBufferPointer { v in
                            descent_adam_update(n, p.baseAddress!, gr.baseAddress!, m.baseAddress!, v.baseAddress!,
                                                1 - b1, b2, stepSize, biasCorrection2Root, e)
                        }
                    }
                }
            }
            if done != 0 { return }
        }
        // Raw pointers let the loop vectorise; the arithmetic per element is unchanged.
        parameters.withUnsafeMutableBufferPointer { p in
        gradient.withUnsafeBufferPointer { gr in
        firstMoment.withUnsafeMutableBufferPointer { m in
        secondMoment.withUnsafeMutableBufferPointer { v in
        maxSecondMoment.withUnsafeMutableBufferPointer { vmax in
            for i in 0..<n {
                var g = gr[i]
                if wd != 0 { g += wd * p[i] }
                m[i] = lerp(m[i], g, weight: 1 - b1)
                v[i] = b2 * v[i] + (1 - b2) * g * g
                var vi = v[i]
                if ams {
                    vmax[i] = max(vmax[i], vi)
                    vi = vmax[i]
                }
                let denominator = vi.squareRoot() / biasCorrection2Root + e
                p[i] -= stepSize * m[i] / denominator
            }
        } } } } }
    }
}
