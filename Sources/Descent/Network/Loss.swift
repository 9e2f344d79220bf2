import RealModule

/// A loss ℓ(ŷ, t) averaged over a batch, with its gradient with respect to the network's
/// output ŷ. Reductions follow PyTorch's default `reduction='mean'`.
///
/// For an n × k output:
///
/// | case | ℓ | ∂ℓ/∂ŷ |
/// |---|---|---|
/// | `meanSquaredError` | (1/nk) Σ (ŷ − t)² (`MSELoss`) | 2(ŷ − t)/(nk) |
/// | `binaryCrossEntropyWithLogits` | (1/nk) Σ max(z, 0) − z·t + log(1 + e^−\|z\|) (`BCEWithLogitsLoss`, z = ŷ) | (σ(z) − t)/(nk) |
/// | `softmaxCrossEntropy` | (1/n) Σᵢ −Σⱼ tᵢⱼ log softmax(zᵢ)ⱼ (`CrossEntropyLoss` with probability targets) | (softmax(zᵢ)·Σⱼtᵢⱼ − tᵢ)/n |
///
/// The two logit losses expect the network's last activation to be `identity`.
public enum Loss: String, CaseIterable, Sendable {
    case meanSquaredError
    case binaryCrossEntropyWithLogits
    case softmaxCrossEntropy

    /// The loss of `output` against `target` (same shape).
    public func value(output: Matrix, target: Matrix) -> Double {
        var scratch = Matrix(rows: output.rows, columns: output.columns)
        return valueAndGradient(output: output, target: target, gradient: &scratch)
    }

    /// The loss, writing ∂ℓ/∂ŷ into `gradient` (reshaped to the output's shape).
    @discardableResult
    public func valueAndGradient(output: Matrix, target: Matrix, gradient: inout Matrix) -> Double {
        precondition(output.rows == target.rows && output.columns == target.columns,
                     "output \(output.rows)×\(output.columns) vs target \(target.rows)×\(target.columns)")
        gradient.reshape(rows: output.rows, columns: output.columns)
        return output.elements.withUnsafeBufferPointer { o in
            target.elements.withUnsafeBufferPointer { t in
                gradient.elements.withUnsafeMutableBufferPointer { g in
                    valueAndGradient(rows: output.rows, columns: output.columns,
                                     output: o.baseAddress!, target: t.baseAddress!, gradient: g.baseAddress!)
                }
            }
        }
    }

    /// The loss of an n × k output against its target, writing ∂ℓ/∂ŷ into `g`; allocates nothing.
    public func valueAndGradient(rows n: Int, columns k: Int, output o: UnsafePointer<Double>,
                                 target t: UnsafePointer<Double>, gradient g: UnsafeMutablePointer<Double>) -> Double {
        var total = 0.0
        switch self {
        case .meanSquaredError:
            let scale = 2 / Double(n * k)
            for i in 0..<(n * k) {
                let d = o[i] - t[i]
                total += d * d
                g[i] = scale * d
            }
            total /= Double(n * k)
        case .binaryCrossEntropyWithLogits:
            let scale = 1 / Double(n * k)
            for i in 0..<(n * k) {
                let z = o[i]
                let e = Double.exp(-abs(z))  // one exponential for both terms
                total += max(z, 0) - z * t[i] + Double.log(onePlus: e)
                g[i] = scale * (Activation.sigmoid(z, expMinusAbs: e) - t[i])
            }
            total *= scale
        case .softmaxCrossEntropy:
            let scale = 1 / Double(n)
            for i in 0..<n {
                let row = i * k
                var zmax = -Double.infinity
                for j in 0..<k { zmax = max(zmax, o[row + j]) }
                var sumExp = 0.0
                for j in 0..<k { sumExp += Double.exp(o[row + j] - zmax) }
                let logSum = zmax + Double.log(sumExp)
                var tSum = 0.0
                for j in 0..<k { tSum += t[row + j] }
                for j in 0..<k {
                    total -= t[row + j] * (o[row + j] - logSum)
                    g[row + j] = scale * (Double.exp(o[row + j] - logSum) * tSum - t[row + j])
                }
            }
            total *= scale
        }
        return total
    }
}
