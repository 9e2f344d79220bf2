/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and
/// weight decay, as PyTorch's `torch.optim.SGD`.
///
/// ```
/// g ← g + λθ                                   (weight decay λ)
/// b ← g                       at the first step (momentum μ ≠ 0)
/// b ← μb + (1 − τ)g           afterwards        (dampening τ)
/// g ← g + μb  if Nesterov,  else  g ← b
/// θ ← θ − αg
/// ```
///
/// Plain gradient descent (μ = 0) is Robbins & Monro (1951); momentum is Polyak's heavy
/// ball (1964) in the form of Sutskever, Martens, Dahl & Hinton (ICML 2013), whose paper
/// also gives the Nesterov variant.
///
/// - Parameters:
///   - learningRate: α > 0.
///   - momentum: μ ≥ 0, default 0.
///   - dampening: τ, default 0.
///   - nesterov: default `false`; needs μ > 0 and τ = 0.
///   - weightDecay: λ ≥ 0, default 0.
public struct SGD: Optimizer {
    public var learningRate: Double
    public let momentum: Double
    public let dampening: Double
    public let nesterov: Bool
    public let weightDecay: Double
    /// The momentum buffer b (empty before the first step).
    public private(set) var momentumBuffer: [Double] = []

    public init(learningRate: Double, momentum: Double = 0, dampening: Double = 0,
                nesterov: Bool = false, weightDecay: Double = 0) {
        precondition(momentum >= 0, "momentum must be ≥ 0")
        precondition(weightDecay >= 0, "weight decay must be ≥ 0")
        precondition(!nesterov || (momentum > 0 && dampening == 0), "Nesterov momentum requires a momentum and zero dampening")
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    public mutating func step(_ parameters: inout [Double], gradient: [Double]) {
        checkShapes(parameters, gradient)
        if momentum == 0 && weightDecay == 0 {
            // Plain gradient descent, the common case: the same θ − αg per element, in a loop the
            // compiler vectorises (the general loop's per-element branches keep it scalar).
            let alpha = learningRate
            parameters.withUnsafeMutableBufferPointer { p in
                gradient.withUnsafeBufferPointer { g in
                    for i in 0..<p.count { p[i] -= alpha * g[i] }
                }
            }
            return
        }
        let first = momentumBuffer.isEmpty
        if momentum != 0 { ensureState(&momentumBuffer, count: parameters.count) }
        for i in parameters.indices {
            var g = gradient[i]
            if weightDecay != 0 { g += weightDecay * parameters[i] }
            if momentum != 0 {
                let b = first ? g : momentum * momentumBuffer[i] + (1 - dampening) * g
                momentumBuffer[i] = b
                g = nesterov ? g + momentum * b : b
            }
            parameters[i] -= learningRate * g
        }
    }
}
