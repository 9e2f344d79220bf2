/// A differentiable function of a point θ ∈ ℝⁿ (the book's 2-D test functions have n = 2),
/// with its exact gradient.
public protocol TestFunction: Sendable {
    /// A short lower-case name, as typed on `lab`'s command line.
    var name: String { get }
    /// f(θ).
    func value(_ point: [Double]) -> Double
    /// ∇f(θ), written into `gradient` (same count as `point`).
    func gradient(_ point: [Double], into gradient: inout [Double])
}

extension TestFunction {
    /// ∇f(θ) as a new array.
    public func gradient(_ point: [Double]) -> [Double] {
        var g = [Double](repeating: 0, count: point.count)
        gradient(point, into: &g)
        return g
    }
}

/// The 2-D test functions of the book, by name.
public enum TestFunctions {
    /// Every function `lab` accepts.
    public static let all: [any TestFunction] = [Quadratic(), Rosenbrock(), Saddle()]

    /// The function called `name`, or `nil`.
    public static func named(_ name: String) -> (any TestFunction)? {
        all.first { $0.name == name }
    }
}

/// The ill-conditioned quadratic f(x, y) = a·x² + b·y², by default 0.1x² + 2y² (d2l's running example).
///
/// ∇f = (2a·x, 2b·y); the Hessian is diag(2a, 2b), so λmin = 2a, λmax = L = 2b and the condition
/// number is κ = b/a. ``init(condition:)`` keeps L = 4 (b = 2) and sets a = 2/κ, so κ = 20 is the
/// default function. Gradient descent with rate α multiplies x by (1 − 2aα) and y by (1 − 2bα) each
/// step: it converges iff α < 2/L (0.5 for the default), and the fastest fixed rate is
/// 2/(λmin + λmax) ≈ 0.476. See ``largestStableRate(momentum:nesterov:)`` for the limits with momentum.
public struct Quadratic: TestFunction {
    public let name = "quadratic"
    /// Coefficient of x² (0.1 by default).
    public let a: Double
    /// Coefficient of y² (2).
    public let b: Double
    /// The default 0.1x² + 2y² (condition number 20).
    public init() { self.init(condition: 20) }
    /// a·x² + b·y² with b = 2 (so L = 4) and a = b/κ: κ = 1 is round, κ = 20 the default.
    /// - Precondition: `condition` is finite and ≥ 1.
    public init(condition: Double) {
        precondition(condition.isFinite && condition >= 1, "condition number must be finite and ≥ 1")
        b = 2
        a = b / condition
    }
    /// Smallest Hessian eigenvalue, 2a (0.2 by default).
    public var smallestEigenvalue: Double { 2 * a }
    /// Largest Hessian eigenvalue (the Lipschitz constant L of ∇f), 2b = 4.
    public var largestEigenvalue: Double { 2 * b }
    /// The condition number κ = λmax/λmin = b/a.
    public var condition: Double { b / a }
    /// The largest rate at which SGD (heavy-ball momentum β, optionally Nesterov) converges on this
    /// quadratic; any larger rate diverges along the steepest direction (eigenvalue L).
    ///
    /// Per eigenvalue λ, heavy ball v ← βv + g, θ ← θ − αv has characteristic polynomial
    /// z² − (1 + β − αλ)z + β, whose roots lie inside the unit circle iff αλ < 2(1 + β):
    /// the limit is **2(1 + β)/L** (β = 0: plain gradient descent, **2/L**). PyTorch's Nesterov
    /// step θ ← θ − α(g + βv) gives z² − (1 + β − αλ(1 + β))z + β(1 − αλ), stable iff
    /// αλ < 2(1 + β)/(1 + 2β): the limit is **2(1 + β)/((1 + 2β)L)**.
    public func largestStableRate(momentum beta: Double = 0, nesterov: Bool = false) -> Double {
        let L = largestEigenvalue
        return nesterov ? 2 * (1 + beta) / ((1 + 2 * beta) * L) : 2 * (1 + beta) / L
    }
    public func value(_ p: [Double]) -> Double { a * p[0] * p[0] + b * p[1] * p[1] }
    public func gradient(_ p: [Double], into g: inout [Double]) {
        g[0] = 2 * a * p[0]
        g[1] = 2 * b * p[1]
    }
}

/// Rosenbrock's banana f(x, y) = (1 − x)² + 100(y − x²)², minimum 0 at (1, 1).
///
/// ∇f = (−2(1 − x) − 400x(y − x²), 200(y − x²)).
public struct Rosenbrock: TestFunction {
    public let name = "rosenbrock"
    public init() {}
    public func value(_ p: [Double]) -> Double {
        let (x, y) = (p[0], p[1])
        return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)
    }
    public func gradient(_ p: [Double], into g: inout [Double]) {
        let (x, y) = (p[0], p[1])
        let r = y - x * x
        g[0] = -2 * (1 - x) - 400 * x * r
        g[1] = 200 * r
    }
}

/// The saddle f(x, y) = x² − y²: a stationary point at the origin that is not a minimum.
///
/// ∇f = (2x, −2y). Unbounded below along y, so every optimizer eventually diverges.
public struct Saddle: TestFunction {
    public let name = "saddle"
    public init() {}
    public func value(_ p: [Double]) -> Double { p[0] * p[0] - p[1] * p[1] }
    public func gradient(_ p: [Double], into g: inout [Double]) {
        g[0] = 2 * p[0]
        g[1] = -2 * p[1]
    }
}
