import RealModule

/// An element-wise activation function y = φ(z).
///
/// Each derivative is written in terms of the output y, which is what back-propagation
/// keeps:
///
/// | case | φ(z) | φ′ as a function of y |
/// |---|---|---|
/// | `sigmoid` | 1/(1 + e⁻ᶻ) | y(1 − y) (at most 1/4: the root of vanishing gradients) |
/// | `tanh` | tanh z | 1 − y² |
/// | `relu` | max(0, z) | 1 if y > 0 else 0 (0 at z = 0, as PyTorch) |
/// | `identity` | z | 1 |
public enum Activation: String, CaseIterable, Sendable {
    case sigmoid, tanh, relu, identity

    /// φ(z).
    @inlinable public func apply(_ z: Double) -> Double {
        switch self {
        case .sigmoid: return Self.sigmoid(z, expMinusAbs: Double.exp(-abs(z)))
        case .tanh: return Double.tanh(z)
        case .relu: return z > 0 ? z : 0
        case .identity: return z
        }
    }

    /// σ(z) from e = e^−|z|: 1/(1 + e) for z ≥ 0 and e/(1 + e) below, so the exponential never
    /// overflows. The logistic loss computes e^−|z| for its own term and passes it here.
    @inlinable public static func sigmoid(_ z: Double, expMinusAbs e: Double) -> Double {
        z >= 0 ? 1 / (1 + e) : e / (1 + e)
    }

    /// φ′(z) expressed through y = φ(z).
    @inlinable public func derivative(output y: Double) -> Double {
        switch self {
        case .sigmoid: return y * (1 - y)
        case .tanh: return 1 - y * y
        case .relu: return y > 0 ? 1 : 0
        case .identity: return 1
        }
    }
}
