/// Linear warm-up in front of another schedule:
///
///     α_t = α · (t + 1)/W                 for t < W
///     α_t = inner(t − W)                  afterwards
///
/// As PyTorch's `SequentialLR([LinearLR(start_factor=1/W, total_iters=W−1), inner],
/// milestones=[W])`. Warm-up keeps the first steps of an adaptive optimizer small while
/// its moment estimates are still noisy (Goyal et al., 2017).
/// Spec: `warmup:steps=W+SPEC`, e.g. `warmup:steps=10+cosine:T=290`.
public struct LinearWarmup: Sendable, Equatable {
    /// W ≥ 1 warm-up steps.
    public let steps: Int
    /// The schedule that follows, started at its own step 0.
    public let then: Schedule
    public init(steps: Int, then: Schedule) {
        precondition(steps >= 1, "warm-up steps must be ≥ 1")
        self.steps = steps
        self.then = then
    }
    /// α·(t + 1)/W, computed as α·((t + 1)/W) so it never exceeds α (no overflow near the
    /// largest double).
    public func warmupRate(at t: Int, base: Double) -> Double { base * (Double(t + 1) / Double(steps)) }
}
