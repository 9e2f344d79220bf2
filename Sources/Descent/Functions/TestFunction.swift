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

/// The ill-conditioned quadratic f(x, y) = 0.1x² + 2y² (d2l's running example).
///
/// ∇f = (0.2x, 4y); the Hessian is diag(0.2, 4), so λmin = 0.2, λmax = L = 4.
/// Gradient descent with rate α multiplies x by (1 − 0.2α) and y by (1 − 4α) each step:
/// it converges iff α < 2/L = 0.5, and the fastest fixed rate is 2/(λmin + λmax) ≈ 0.476.
public struct Quadratic: TestFunction {
    public let name = "quadratic"
    /// Coefficient of x² (0.1).
    public let a = 0.1
    /// Coefficient of y² (2).
    public let b = 2.0
    public init() {}
    /// Smallest Hessian eigenvalue, 2a = 0.2.
    public var smallestEigenvalue: Double { 2 * a }
    /// Largest Hessian eigenvalue (the Lipschitz constant L of ∇f), 2b = 4.
    public var largestEigenvalue: Double { 2 * b }
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
