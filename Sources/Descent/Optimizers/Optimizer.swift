/// An optimizer updates one flat parameter vector in place from its gradient.
///
/// Every type here follows PyTorch's documented algorithm (`torch.optim`, single-tensor
/// implementation) and its defaults, so trajectories can be compared with the framework
/// most readers know; the tests check them against committed PyTorch runs at 1e-12.
/// Optimizers are values: copy one to snapshot its state (the range test does).
public protocol Optimizer: Sendable {
    /// The step size α used by the next ``step(_:gradient:)``; a schedule sets it.
    var learningRate: Double { get set }
    /// One update θ ← θ − (rule) from the gradient g = ∇L(θ).
    mutating func step(_ parameters: inout [Double], gradient: [Double])
}

@inline(__always)
func checkShapes(_ parameters: [Double], _ gradient: [Double]) {
    precondition(parameters.count == gradient.count,
                 "parameters (\(parameters.count)) and gradient (\(gradient.count)) differ in length")
}

@inline(__always)
func ensureState(_ state: inout [Double], count: Int, value: Double = 0) {
    if state.count != count { state = [Double](repeating: value, count: count) }
}

/// a + w·(b − a), evaluated as PyTorch's `lerp` does (from the nearer end), so moving
/// averages round exactly like `torch.optim`'s.
@inline(__always)
func lerp(_ a: Double, _ b: Double, weight w: Double) -> Double {
    w < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w)
}
