/// Linear warm-up in front of another schedule:
///
///     α_t = α · (t + 1)/W                 for t < W
///     α_t = inner(t − W)                  afterwards
///
/// As PyTorch's `SequentialLR([LinearLR(start_factor=1/W, total_iters=W−1), inner],
/// milestones=[W])`. Goyal et al. (2017, arXiv:1706.02677) warm up large-batch SGD over
/// 5 epochs so that the linearly scaled rate survives the first steps, while the gradient is
/// large (the book's chapter 10 measures why); for an adaptive optimizer warm-up also keeps
/// the first steps small while its moment estimates are still noisy.
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
