import RealModule

/// The article's restart heuristic (§3.2.3): "when the loss reaches a threshold, reset the
/// learning rate and continue".
///
///     α_t = α · γ^(t − t₀)              t₀ = the last restart (0 at first)
///     when L(θ_t) < τ:  t₀ ← t,  τ ← τ·f
///
/// so the rate decays exponentially, jumps back to α each time the loss first drops under
/// the current threshold, and the threshold tightens by f. No paper defines it; the
/// published relative is SGDR (``CosineWarmRestarts``), which restarts on a fixed clock.
/// Spec: `restart:threshold=τ,factor=f,gamma=γ` (f defaults to 0.5, γ to 0.99).
public struct ThresholdRestart: Sendable, Equatable {
    /// The first threshold τ > 0.
    public let threshold: Double
    /// f ∈ (0, 1]: the threshold is multiplied by f at each restart; default 0.5.
    public let factor: Double
    /// γ ∈ (0, 1]: the per-step decay between restarts; default 0.99.
    public let gamma: Double

    public init(threshold: Double, factor: Double = 0.5, gamma: Double = 0.99) {
        precondition(threshold > 0, "threshold must be > 0")
        precondition(factor > 0 && factor <= 1, "factor must be in (0, 1]")
        precondition(gamma > 0 && gamma <= 1, "gamma must be in (0, 1]")
        self.threshold = threshold
        self.factor = factor
        self.gamma = gamma
    }

    /// What the schedule remembers between steps.
    public struct State: Sendable {
        var threshold: Double
        var lastRestart = 0
    }

    func initialState() -> State { State(threshold: threshold) }

    /// Feeds the loss at step t and returns the rate for update t.
    func observe(_ loss: Double, at t: Int, base: Double, state: inout State) -> Double {
        if loss < state.threshold {
            state.lastRestart = t
            state.threshold *= factor
        }
        return base * Double.pow(gamma, Double(t - state.lastRestart))
    }
}
