/// Gradient clipping, applied to the flat gradient before the optimizer sees it.
///
/// - `globalNorm(m)`: g ← g·min(1, m/(‖g‖₂ + 1e-6)), as PyTorch's `clip_grad_norm_`
///   (Pascanu, Mikolov & Bengio, ICML 2013) — keeps the direction, caps the length.
/// - `value(c)`: gᵢ ← min(c, max(−c, gᵢ)), as `clip_grad_value_` — changes the direction.
public enum GradientClipping: Sendable, Equatable {
    case globalNorm(Double)
    case value(Double)

    /// Clips `gradient` in place and returns its global norm ‖g‖₂ **before** clipping.
    @discardableResult
    public func apply(to gradient: inout [Double]) -> Double {
        let norm = Descent.globalNorm(gradient)
        switch self {
        case .globalNorm(let maxNorm):
            precondition(maxNorm > 0, "the maximum norm must be > 0")
            let coefficient = maxNorm / (norm + 1e-6)
            if coefficient < 1 {
                for i in gradient.indices { gradient[i] *= coefficient }
            }
        case .value(let c):
            precondition(c > 0, "the clip value must be > 0")
            for i in gradient.indices { gradient[i] = min(c, max(-c, gradient[i])) }
        }
        return norm
    }
}

/// ‖v‖₂ = √(Σ vᵢ²).
public func globalNorm(_ v: some Collection<Double>) -> Double {
    var s = 0.0
    for x in v { s += x * x }
    return s.squareRoot()
}

extension MLP {
    /// ‖∂ℓ/∂Wᵢ‖₂ (Frobenius) for every layer i, from a flat gradient — the quantity whose
    /// decay from the last layer to the first is the vanishing-gradient problem.
    public func layerGradientNorms(_ gradient: [Double]) -> [Double] {
        precondition(gradient.count == parameterCount, "gradient must have \(parameterCount) entries")
        return layers.map { globalNorm(gradient[$0.weightRange]) }
    }
}
