/// A learning-rate schedule: the rate used for update t (t = 0, 1, 2, …), given the base
/// rate α. One update is one step.
///
/// Closed-form schedules depend on t only (``rate(at:base:)``). Loss-driven ones
/// (``plateau(_:)``, ``restart(_:)``) also look at the losses seen so far; run any
/// schedule with a ``Scheduler``. ``init(parsing:)`` reads the text form used on `lab`'s
/// command line, e.g. `cosine:T=100,min=0.001` or `warmup:steps=10+cosine:T=290`.
public indirect enum Schedule: Sendable, Equatable, CustomStringConvertible {
    /// α for every t.
    case constant
    /// ``PolynomialDecay`` — the article's "exponential decay".
    case polynomial(PolynomialDecay)
    /// ``ExponentialDecay``.
    case exponential(ExponentialDecay)
    /// ``StepDecay``.
    case step(StepDecay)
    /// ``CosineAnnealing``.
    case cosine(CosineAnnealing)
    /// ``CosineWarmRestarts`` (SGDR).
    case warmRestarts(CosineWarmRestarts)
    /// ``OneCycle`` (Smith and Topin's one-cycle policy, PyTorch's OneCycleLR).
    case oneCycle(OneCycle)
    /// ``LinearWarmup``: α·(t+1)/W for t < W, then the inner schedule at t − W.
    case warmup(LinearWarmup)
    /// ``ReduceOnPlateau`` (loss-driven).
    case plateau(ReduceOnPlateau)
    /// ``ThresholdRestart`` — the article's restart heuristic (loss-driven).
    case restart(ThresholdRestart)

    /// Whether the rate depends on the losses seen, not only on t.
    public var isLossDriven: Bool {
        switch self {
        case .plateau, .restart: return true
        case .warmup(let w): return w.then.isLossDriven
        default: return false
        }
    }

    /// The rate for update `t` of a closed-form schedule.
    ///
    /// - Precondition: `!isLossDriven` and `t ≥ 0`; use a ``Scheduler`` otherwise.
    public func rate(at t: Int, base: Double) -> Double {
        precondition(t >= 0, "steps count from 0")
        switch self {
        case .constant: return base
        case .polynomial(let s): return s.rate(at: t, base: base)
        case .exponential(let s): return s.rate(at: t, base: base)
        case .step(let s): return s.rate(at: t, base: base)
        case .cosine(let s): return s.rate(at: t, base: base)
        case .warmRestarts(let s): return s.rate(at: t, base: base)
        case .oneCycle(let s): return s.rate(at: t, base: base)
        case .warmup(let w):
            return t < w.steps ? w.warmupRate(at: t, base: base) : w.then.rate(at: t - w.steps, base: base)
        case .plateau, .restart:
            preconditionFailure("\(self) is loss-driven: run it with a Scheduler")
        }
    }

    /// The first step t < `steps` whose rate is not finite (±∞ or NaN), or nil if every rate
    /// of the first `steps` is finite — e.g. `exponential:gamma=1e308` with α = 0.1 overflows
    /// at t = 2.
    ///
    /// Loss-driven schedules never raise the rate above α, and the cosine, polynomial and
    /// warm-up forms stay between α_min and α, so only growing schedules (exponential and
    /// step decay with γ > 1) and one-cycle's α/div and α/(div·final) can overflow.
    ///
    /// - Complexity: O(log steps) — growing rates are monotone, so a binary search finds t.
    public func firstNonFiniteRate(base: Double, steps: Int) -> Int? {
        guard steps > 0 else { return nil }
        guard base.isFinite else { return 0 }
        /// The first t in lo..<steps where `bad` holds, for `bad` monotone in t.
        func firstBad(from lo: Int, _ bad: (Int) -> Bool) -> Int? {
            guard lo < steps, bad(steps - 1) else { return nil }
            var lo = lo, hi = steps - 1  // bad(hi) holds
            while lo < hi {
                let mid = lo + (hi - lo) / 2
                if bad(mid) { hi = mid } else { lo = mid + 1 }
            }
            return lo
        }
        switch self {
        case .constant, .polynomial, .cosine, .warmRestarts, .plateau, .restart:
            return nil
        case .exponential(let s):
            return s.gamma <= 1 ? nil : firstBad(from: 0) { !s.rate(at: $0, base: base).isFinite }
        case .step(let s):
            return s.gamma <= 1 ? nil : firstBad(from: 0) { !s.rate(at: $0, base: base).isFinite }
        case .oneCycle(let s):
            let initial = base / s.divFactor
            if !initial.isFinite { return 0 }
            if (initial / s.finalDivFactor).isFinite { return nil }
            // Only the second phase (t > p·T − 1) heads for the non-finite minimum.
            let peak = s.warmupFraction * Double(s.totalSteps) - 1
            let firstAfterPeak = Int(peak.rounded(.down)) + 1
            return (firstAfterPeak..<min(steps, firstAfterPeak + 2)).first { !s.rate(at: $0, base: base).isFinite }
                ?? firstBad(from: firstAfterPeak) { !s.rate(at: $0, base: base).isFinite }
        case .warmup(let w):
            return w.then.firstNonFiniteRate(base: base, steps: steps - w.steps).map { $0 + w.steps }
        }
    }

    /// The text form, which ``init(parsing:)`` reads back to an equal schedule.
    public var description: String {
        switch self {
        case .constant: return "constant"
        case .polynomial(let s): return "polynomial:T=\(s.totalSteps),power=\(s.power)"
        case .exponential(let s): return "exponential:gamma=\(s.gamma)"
        case .step(let s): return "step:size=\(s.size),gamma=\(s.gamma)"
        case .cosine(let s): return "cosine:T=\(s.period),min=\(s.minimum)"
        case .warmRestarts(let s): return "warm-restarts:T0=\(s.firstPeriod),mult=\(s.multiplier),min=\(s.minimum)"
        case .oneCycle(let s): return "one-cycle:T=\(s.totalSteps),pct=\(s.warmupFraction),div=\(s.divFactor),final=\(s.finalDivFactor)"
        case .warmup(let w): return "warmup:steps=\(w.steps)+\(w.then)"
        case .plateau(let s): return "plateau:factor=\(s.factor),patience=\(s.patience)"
        case .restart(let s): return "restart:threshold=\(s.threshold),factor=\(s.factor),gamma=\(s.gamma)"
        }
    }
}

/// Runs any ``Schedule`` — closed-form or loss-driven — one step at a time.
///
/// Call ``rate(at:loss:)`` once per update, in order t = 0, 1, 2, …, with the loss at the
/// current point (before update t). Loss-driven schedules see that loss before choosing
/// the rate for update t; closed-form ones ignore it.
public struct Scheduler: Sendable {
    /// The schedule being run.
    public let schedule: Schedule
    /// The base rate α.
    public let baseRate: Double
    private var plateau: ReduceOnPlateau.State?
    private var restart: ThresholdRestart.State?

    /// A scheduler for `schedule` starting from base rate `baseRate`.
    public init(_ schedule: Schedule, baseRate: Double) {
        self.schedule = schedule
        self.baseRate = baseRate
        var inner = schedule
        if case .warmup(let w) = schedule { inner = w.then }
        switch inner {
        case .plateau(let p): plateau = p.initialState(base: baseRate)
        case .restart(let r): restart = r.initialState()
        default: break
        }
    }

    /// The rate for update `t`, having seen `loss` = L(θₜ) (ignored by closed-form schedules).
    public mutating func rate(at t: Int, loss: Double) -> Double {
        if case .warmup(let w) = schedule {
            if t < w.steps { return w.warmupRate(at: t, base: baseRate) }
            return innerRate(w.then, at: t - w.steps, loss: loss)
        }
        return innerRate(schedule, at: t, loss: loss)
    }

    private mutating func innerRate(_ s: Schedule, at t: Int, loss: Double) -> Double {
        switch s {
        case .plateau(let p): return p.observe(loss, state: &plateau!)
        case .restart(let r): return r.observe(loss, at: t, base: baseRate, state: &restart!)
        default: return s.rate(at: t, base: baseRate)
        }
    }
}
