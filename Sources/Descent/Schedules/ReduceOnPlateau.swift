/// Reduce the rate when the loss stops improving, as PyTorch's `ReduceLROnPlateau` with
/// mode `min`, relative threshold 1e-4, no cooldown and minimum rate 0:
///
///     better  ⇔  loss < best·(1 − 1e-4)
///     bad ← 0 if better (and best ← loss), else bad + 1
///     if bad > patience:  α ← α·factor  (only if that changes α by more than 1e-8),  bad ← 0
///
/// Spec: `plateau:factor=…,patience=…` (defaults 0.1 and 10). Loss-driven: run it with a
/// ``Scheduler``, which feeds it the loss at each step before asking for the rate.
public struct ReduceOnPlateau: Sendable, Equatable {
    /// Multiplier applied on a plateau, in (0, 1); default 0.1.
    public let factor: Double
    /// Steps without improvement tolerated, ≥ 0; default 10.
    public let patience: Int
    /// Relative improvement that counts as better (PyTorch's default 1e-4).
    public let threshold = 1e-4
    /// Smallest change of rate that is applied (PyTorch's `eps`, 1e-8).
    public let minimumChange = 1e-8

    public init(factor: Double = 0.1, patience: Int = 10) {
        precondition(factor > 0 && factor < 1, "factor must be in (0, 1)")
        precondition(patience >= 0, "patience must be ≥ 0")
        self.factor = factor
        self.patience = patience
    }

    /// What the schedule remembers between steps.
    public struct State: Sendable {
        var rate: Double
        var best = Double.infinity
        var badSteps = 0
    }

    func initialState(base: Double) -> State { State(rate: base) }

    /// Feeds one loss and returns the rate to use next.
    func observe(_ loss: Double, state: inout State) -> Double {
        if loss < state.best * (1 - threshold) {
            state.best = loss
            state.badSteps = 0
        } else {
            state.badSteps += 1
        }
        if state.badSteps > patience {
            let reduced = state.rate * factor
            if state.rate - reduced > minimumChange { state.rate = reduced }
            state.badSteps = 0
        }
        return state.rate
    }
}
