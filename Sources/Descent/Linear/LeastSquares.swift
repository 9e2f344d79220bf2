/// The closed-form least-squares line y ≈ w·x + b.
///
///     w = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)²,   b = ȳ − w·x̄,   MSE = (1/n) Σ (w·xᵢ + b − yᵢ)²
///
/// The exact minimiser of the mean squared error that gradient-based fits of a one-input
/// linear model converge to.
public struct LeastSquaresLine: Sendable, Equatable {
    public let slope: Double
    public let intercept: Double
    public let meanSquaredError: Double

    /// Fits `y` against `x` (same count, at least two distinct x values).
    public init(x: [Double], y: [Double]) {
        precondition(x.count == y.count && x.count >= 2, "need as many x as y, at least two")
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
        }
        precondition(sxx > 0, "x must not be constant")
        slope = sxy / sxx
        intercept = my - slope * mx
        var sse = 0.0
        for (a, b) in zip(x, y) { let r = slope * a + intercept - b; sse += r * r }
        meanSquaredError = sse / n
    }
}
