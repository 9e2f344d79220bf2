import RealModule

/// Batch normalisation of a dense layer's pre-activations (Ioffe & Szegedy, ICML 2015,
/// arXiv:1502.03167), exactly as `torch.nn.BatchNorm1d(n, eps=1e-5, momentum=0.1)`.
///
/// For a batch Z (n rows × k features), per feature j:
///
///     training:    μⱼ = (1/n) Σᵣ Zᵣⱼ,   σ²ⱼ = (1/n) Σᵣ (Zᵣⱼ − μⱼ)²        (biased)
///     evaluation:  μⱼ = running meanⱼ,  σ²ⱼ = running varianceⱼ
///     Ẑᵣⱼ = (Zᵣⱼ − μⱼ)/√(σ²ⱼ + ε),   Yᵣⱼ = γⱼ Ẑᵣⱼ + βⱼ
///
/// After a training-mode pass the running averages move towards the batch's statistics:
///
///     running mean     ← (1 − m)·running mean     + m·μ
///     running variance ← (1 − m)·running variance + m·σ²·n/(n − 1)   (the *unbiased* variance)
///
/// Backward, with dY = ∂ℓ/∂Y (training mode; μ and σ² depend on every row):
///
///     ∂ℓ/∂βⱼ = Σᵣ dYᵣⱼ,   ∂ℓ/∂γⱼ = Σᵣ dYᵣⱼ Ẑᵣⱼ
///     ∂ℓ/∂Zᵣⱼ = γⱼ/(n√(σ²ⱼ + ε)) · (n·dYᵣⱼ − ∂ℓ/∂βⱼ − Ẑᵣⱼ·∂ℓ/∂γⱼ)
///
/// and in evaluation mode (μ, σ² constants) ∂ℓ/∂Zᵣⱼ = γⱼ dYᵣⱼ/√(σ²ⱼ + ε).
///
/// γ (PyTorch's `weight`, initially 1) and β (`bias`, initially 0) sit in the network's flat
/// parameter vector right after the layer's W and b; the running averages are model state,
/// not parameters (``MLP/RunningStatistics``).
public enum BatchNorm {
    /// ε added to the variance (PyTorch's default).
    public static let epsilon = 1e-5
    /// m, the weight of the newest batch in the running averages (PyTorch's default).
    public static let momentum = 0.1

    /// Normalises Z (n × k) in place to Ẑ with the batch's statistics, writing μ, the biased
    /// σ² and 1/√(σ² + ε) per feature. Needs n ≥ 2, as PyTorch. Allocates nothing.
    static func normalizeTraining(rows n: Int, columns k: Int, _ z: UnsafeMutablePointer<Double>,
                                  mean: UnsafeMutablePointer<Double>, variance: UnsafeMutablePointer<Double>,
                                  inverseStd: UnsafeMutablePointer<Double>) {
        precondition(n > 1, "batch normalisation in training mode needs more than 1 example per batch")
        for j in 0..<k { mean[j] = 0; variance[j] = 0 }
        for r in 0..<n { let row = z + r * k; for j in 0..<k { mean[j] += row[j] } }
        let invN = 1 / Double(n)
        for j in 0..<k { mean[j] *= invN }
        for r in 0..<n {
            let row = z + r * k
            for j in 0..<k { let d = row[j] - mean[j]; variance[j] += d * d }
        }
        for j in 0..<k {
            variance[j] *= invN
            inverseStd[j] = 1 / (variance[j] + epsilon).squareRoot()
        }
        for r in 0..<n {
            let row = z + r * k
            for j in 0..<k { row[j] = (row[j] - mean[j]) * inverseStd[j] }
        }
    }

    /// Normalises Z (n × k) in place with the running statistics (evaluation mode), writing
    /// 1/√(running variance + ε) per feature.
    static func normalizeEvaluation(rows n: Int, columns k: Int, _ z: UnsafeMutablePointer<Double>,
                                    runningMean: UnsafePointer<Double>, runningVariance: UnsafePointer<Double>,
                                    inverseStd: UnsafeMutablePointer<Double>) {
        for j in 0..<k { inverseStd[j] = 1 / (runningVariance[j] + epsilon).squareRoot() }
        for r in 0..<n {
            let row = z + r * k
            for j in 0..<k { row[j] = (row[j] - runningMean[j]) * inverseStd[j] }
        }
    }

    /// Y = γẐ + β, row by row.
    static func scaleAndShift(rows n: Int, columns k: Int, _ xhat: UnsafePointer<Double>,
                              gamma: UnsafePointer<Double>, beta: UnsafePointer<Double>,
                              into y: UnsafeMutablePointer<Double>) {
        for r in 0..<n {
            let x = xhat + r * k, out = y + r * k
            for j in 0..<k { out[j] = gamma[j] * x[j] + beta[j] }
        }
    }

    /// Moves the running averages towards a batch's mean and biased variance (n rows).
    static func updateRunning(columns k: Int, rows n: Int, mean: UnsafePointer<Double>,
                              variance: UnsafePointer<Double>, runningMean: UnsafeMutablePointer<Double>,
                              runningVariance: UnsafeMutablePointer<Double>) {
        let unbiased = Double(n) / Double(n - 1)
        for j in 0..<k {
            runningMean[j] = (1 - momentum) * runningMean[j] + momentum * mean[j]
            runningVariance[j] = (1 - momentum) * runningVariance[j] + momentum * variance[j] * unbiased
        }
    }

    /// Turns dY (n × k, in place) into ∂ℓ/∂Z and writes ∂ℓ/∂γ and ∂ℓ/∂β.
    static func backward(rows n: Int, columns k: Int, training: Bool, _ d: UnsafeMutablePointer<Double>,
                         xhat: UnsafePointer<Double>, gamma: UnsafePointer<Double>,
                         inverseStd: UnsafePointer<Double>,
                         gammaGradient: UnsafeMutablePointer<Double>, betaGradient: UnsafeMutablePointer<Double>) {
        for j in 0..<k { gammaGradient[j] = 0; betaGradient[j] = 0 }
        for r in 0..<n {
            let dy = d + r * k, x = xhat + r * k
            for j in 0..<k {
                betaGradient[j] += dy[j]
                gammaGradient[j] += dy[j] * x[j]
            }
        }
        if training {
            let nd = Double(n), invN = 1 / Double(n)
            for r in 0..<n {
                let dy = d + r * k, x = xhat + r * k
                for j in 0..<k {
                    dy[j] = gamma[j] * inverseStd[j] * invN * (nd * dy[j] - betaGradient[j] - x[j] * gammaGradient[j])
                }
            }
        } else {
            for r in 0..<n {
                let dy = d + r * k
                for j in 0..<k { dy[j] *= gamma[j] * inverseStd[j] }
            }
        }
    }
}
