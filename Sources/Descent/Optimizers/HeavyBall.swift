import RealModule

/// Closed forms for heavy-ball momentum — ``SGD`` with momentum β — on a quadratic
/// f(θ) = ½ Σᵢ λᵢ θᵢ² (Polyak 1964; Goh, "Why Momentum Really Works", Distill 2017).
///
/// PyTorch's form b ← βb + g, θ ← θ − αb is Polyak's θₜ₊₁ = θₜ − α∇f(θₜ) + β(θₜ − θₜ₋₁).
/// Along an eigenvector with eigenvalue λ it is a linear recurrence whose characteristic
/// polynomial is
///
///     z² − (1 + β − αλ) z + β = 0
///
/// and the error shrinks by the larger root's modulus ρ(α, β, λ) per step:
///
/// - stable (ρ < 1) exactly when 0 ≤ β < 1 and 0 < αλ < 2(1 + β), so the largest stable rate
///   is **α < 2(1 + β)/L** (L = λ_max): momentum *raises* plain gradient descent's limit 2/L;
/// - with complex roots ((1 + β − αλ)² < 4β) every direction shrinks by exactly √β;
/// - the best worst-case rate over λ ∈ [μ, L] is at
///   **α* = 4/(√L + √μ)², β* = ((√κ − 1)/(√κ + 1))²**, κ = L/μ, where ρ = (√κ − 1)/(√κ + 1),
///   against (κ − 1)/(κ + 1) for gradient descent at its best α = 2/(L + μ).
///
/// Under gradient noise g = λθ + ξ, ξ ~ N(0, σ²), the iterate is a stationary AR(2) process
/// with variance
///
///     Var θ = (1 + β) α σ² / ((1 − β) λ (2(1 + β) − αλ))
///
/// which for αλ ≪ 1 is ≈ α_eff σ²/(2λ) with the effective rate α_eff = α/(1 − β): at the same
/// effective rate, momentum leaves the same noise floor as plain SGD.
public enum HeavyBall {
    /// 2(1 + β)/L: the largest stable rate.
    public static func stabilityLimit(momentum beta: Double, largestEigenvalue L: Double) -> Double {
        precondition(L > 0 && beta >= 0 && beta < 1, "L > 0 and 0 ≤ β < 1")
        return 2 * (1 + beta) / L
    }

    /// (α*, β*) = (4/(√L + √μ)², ((√κ − 1)/(√κ + 1))²).
    public static func optimalParameters(smallestEigenvalue mu: Double, largestEigenvalue L: Double)
        -> (learningRate: Double, momentum: Double)
    {
        precondition(0 < mu && mu <= L, "0 < μ ≤ L")
        let s = L.squareRoot() + mu.squareRoot()
        let r = optimalRate(smallestEigenvalue: mu, largestEigenvalue: L)
        return (4 / (s * s), r * r)
    }

    /// (√κ − 1)/(√κ + 1): the per-step rate at the optimal (α*, β*).
    public static func optimalRate(smallestEigenvalue mu: Double, largestEigenvalue L: Double) -> Double {
        let k = (L / mu).squareRoot()
        return (k - 1) / (k + 1)
    }

    /// ρ(α, β, λ): the modulus of the larger root of z² − (1 + β − αλ)z + β.
    public static func rate(learningRate alpha: Double, momentum beta: Double, eigenvalue lambda: Double) -> Double {
        let p = 1 + beta - alpha * lambda
        let disc = p * p - 4 * beta
        if disc < 0 { return beta.squareRoot() }
        let s = disc.squareRoot()
        return max(abs(p + s), abs(p - s)) / 2
    }

    /// The slowest direction's rate: max over `eigenvalues` of ``rate(learningRate:momentum:eigenvalue:)``.
    public static func rate(learningRate alpha: Double, momentum beta: Double, eigenvalues: [Double]) -> Double {
        eigenvalues.map { rate(learningRate: alpha, momentum: beta, eigenvalue: $0) }.max() ?? 0
    }

    /// The stationary variance of one coordinate with curvature λ under gradient noise of
    /// standard deviation σ (infinite when unstable).
    public static func stationaryVariance(learningRate alpha: Double, momentum beta: Double, eigenvalue lambda: Double,
                                          noise sigma: Double) -> Double {
        let margin = 2 * (1 + beta) - alpha * lambda
        guard margin > 0, beta < 1 else { return .infinity }
        return (1 + beta) * alpha * sigma * sigma / ((1 - beta) * lambda * margin)
    }

    /// ‖θₜ‖, t = 0…steps, for SGD with momentum β (Nesterov when asked) at the constant rate α on
    /// `function` from `start`: the distance to the minimum when that is the origin, as for
    /// ``Quadratic``. Each norm is scaled by the largest coordinate, so a fast run's distance of
    /// 1e-163 does not square to 0. The run stops at the first non-finite loss (then there are
    /// fewer than steps + 1 values).
    public static func distances(on function: any TestFunction = Quadratic(), from start: [Double],
                                 learningRate alpha: Double, momentum beta: Double, nesterov: Bool = false,
                                 steps: Int) -> [Double] {
        var d: [Double] = []
        d.reserveCapacity(steps + 1)
        _ = optimize(function, from: start, steps: steps,
                     optimizer: SGD(learningRate: alpha, momentum: beta, nesterov: nesterov && beta > 0)) {
            d.append(scaledNorm($0.point))
        }
        return d
    }

    /// The per-step rate a run measures, (‖θ_N‖/‖θ_{N/2}‖)^(2/N) over the second half of `steps`
    /// (``distances(on:from:learningRate:momentum:nesterov:steps:)``): 1 when the run does not end
    /// closer than it started, 0 when it lands exactly on the minimum. Chapter 9's plane and the
    /// playground's; it matches ``rate(learningRate:momentum:eigenvalues:)`` where that is below 1,
    /// up to the phase of complex roots.
    public static func measuredRate(on function: any TestFunction = Quadratic(), from start: [Double],
                                    learningRate alpha: Double, momentum beta: Double, steps: Int) -> Double {
        let d = distances(on: function, from: start, learningRate: alpha, momentum: beta, steps: steps)
        guard d.count == steps + 1, d[steps] < d[0] else { return 1 }
        guard d[steps / 2] > 0, d[steps] > 0 else { return 0 }
        return min(1, Measure.convergenceRate(d, from: steps / 2, to: steps))
    }

    /// ‖p‖ computed as m·‖p/m‖ with m the largest |pᵢ| (no underflow or overflow of the squares).
    static func scaledNorm(_ p: [Double]) -> Double {
        let m = p.reduce(0) { max($0, abs($1)) }
        guard m > 0, m.isFinite else { return p.contains { $0.isNaN } ? .nan : m }
        return m * p.reduce(0) { $0 + ($1 / m) * ($1 / m) }.squareRoot()
    }
}
