/// How a run is declared diverged: a non-finite loss, or (optionally) a loss above
/// `factor` × the first loss. Divergence is reported as a value, never a crash.
public struct DivergenceCriterion: Sendable, Equatable {
    /// The growth factor over the first loss that counts as divergence; `nil` checks only
    /// for non-finite losses.
    public let factor: Double?
    /// Non-finite loss, or loss > 1e6 × the first loss (the book's default).
    public static let standard = DivergenceCriterion(factor: 1e6)
    /// Only a non-finite loss (NaN or ±∞) — what `lab optimize` uses.
    public static let nonFinite = DivergenceCriterion(factor: nil)
    public init(factor: Double?) {
        precondition(factor.map { $0 > 1 } ?? true, "the divergence factor must be > 1")
        self.factor = factor
    }
    /// Whether `loss` means the run has diverged, given the run's first loss.
    public func isDiverged(_ loss: Double, firstLoss: Double) -> Bool {
        if !loss.isFinite { return true }
        if let f = factor, firstLoss.isFinite, abs(loss) > f * abs(firstLoss) { return true }
        return false
    }
}

/// A diverged run: the step whose loss triggered the criterion and that loss.
public struct Divergence: Sendable, Equatable, CustomStringConvertible {
    /// The step at which the loss was found diverged.
    public let step: Int
    /// The offending loss (non-finite or too large).
    public let loss: Double
    public var description: String { "diverged at step \(step) (loss \(loss))" }
}
