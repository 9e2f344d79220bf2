import RealModule

/// How a dense layer's weights are drawn (biases always start at 0).
///
/// With fan-in n_in and fan-out n_out:
///
/// | case | distribution | variance |
/// |---|---|---|
/// | `normal(standardDeviation: σ)` | N(0, σ²) | σ² |
/// | `uniform(bound: a)` | U(−a, a) | a²/3 |
/// | `standard` | U(±1/√n_in) — the "standard" init of Glorot & Bengio (2010), PyTorch `Linear`'s default | 1/(3n_in) |
/// | `xavierUniform` | U(±√(6/(n_in + n_out))) — Glorot & Bengio, AISTATS 2010 | 2/(n_in + n_out) |
/// | `xavierNormal` | N(0, 2/(n_in + n_out)) | 2/(n_in + n_out) |
/// | `heUniform` | U(±√(6/n_in)) — He et al., ICCV 2015 (arXiv:1502.01852) | 2/n_in |
/// | `heNormal` | N(0, 2/n_in) | 2/n_in |
public enum Initializer: Sendable, Equatable, CustomStringConvertible {
    case normal(standardDeviation: Double)
    case uniform(bound: Double)
    case standard
    case xavierUniform
    case xavierNormal
    case heUniform
    case heNormal

    /// The variance of one weight for a layer with the given fans.
    public func variance(fanIn: Int, fanOut: Int) -> Double {
        let nIn = Double(fanIn), nOut = Double(fanOut)
        switch self {
        case .normal(let s): return s * s
        case .uniform(let a): return a * a / 3
        case .standard: return 1 / (3 * nIn)
        case .xavierUniform, .xavierNormal: return 2 / (nIn + nOut)
        case .heUniform, .heNormal: return 2 / nIn
        }
    }

    /// One weight for a layer with the given fans.
    public func sample(fanIn: Int, fanOut: Int, using rng: inout SeededGenerator) -> Double {
        let v = variance(fanIn: fanIn, fanOut: fanOut)
        switch self {
        case .normal, .xavierNormal, .heNormal:
            return v.squareRoot() * rng.gaussian()
        case .uniform, .standard, .xavierUniform, .heUniform:
            let a = (3 * v).squareRoot()
            return rng.uniform(-a, a)
        }
    }

    public var description: String {
        switch self {
        case .normal(let s): return "N(0, \(s)²)"
        case .uniform(let a): return "U(±\(a))"
        case .standard: return "standard U(±1/√fan_in)"
        case .xavierUniform: return "Xavier uniform"
        case .xavierNormal: return "Xavier normal"
        case .heUniform: return "He uniform"
        case .heNormal: return "He normal"
        }
    }
}
