import RealModule

/// Descent's own rule, `verified`: a suggestion that has been tried. The sweep only proposes
/// candidates; each is trained on the real task for the user's budget and judged on validation
/// loss, because the best rate depends on how long one trains (large rates win short runs and
/// lose long ones).
///
/// With B the training budget (steps), [α_lo, α_hi] the part of the sweep it trusts and α_top
/// the largest trusted rate whose smoothed loss is within 10 % of the lowest trusted one (beyond
/// it the loss only rises, so no longer run can afford more; see ``trusted(_:iterations:minimumRate:tolerance:)``):
///
/// 0. **Trusted range**: the points fastai's rules read — the first ⌊N/10⌋ and the last 5 of a
///    sweep of N steps dropped, as ``FastaiCurve`` does (the first points are noise: the
///    smoothing has barely started) — and never below the sweep's start α_min: α_lo = the first
///    kept rate ≥ α_min, α_hi = the last kept rate. (The whole recorded curve when fastai's
///    trimming leaves no finite point.)
/// 1. **Candidates**: cₖ = α_top · 10^(−k·h), k = 0 … m−1 (default m = 7, h = ½ decade: up to 3
///    decades), keeping only cₖ ≥ α_lo.
/// 2. **Screen**: train each for ⌈B/8⌉ steps on data the final comparison does not use and keep
///    the winner w (lowest screening loss; the lowest candidate if all diverged). With data (see
///    ``LearningRateFinder/verified(_:sweep:test:budget:search:)``) the screening loss is
///    the loss on an inner hold-out of the training split: its last v = min(⌈f·n_T⌉, n_T − 1)
///    rows of a seeded permutation of the n_T training rows (f = ``innerFraction``, default 0.2)
///    are held out, the screening run trains on the other n_T − v. With v below
///    ``minimumScreenRows`` (default 100) one draw is too noisy (a lucky near-zero score on a
///    few rows can win), so the score is the mean over D = min(``maximumDraws``, ⌈100/v⌉)
///    draws (default at most 5), each with its own permutation (a run that diverges in any draw
///    scores +∞).
/// 3. **Full budget**: train w and w' = max(w·10^(−h), α_lo) for B steps on the training split,
///    judged on the validation split — the second because the best rate only falls as the budget
///    grows. (When w' = w, i.e. w is α_lo, the pair is min(w·10^h, α_top) and w instead.)
/// 4. **Refine**: train the geometric mean of the two (a quarter decade from each) for B steps.
/// 5. **Answer**: the full-budget run with the lowest validation loss — only if it is lower than
///    the untrained network's L₀ (the loss of the initial weights, same split, same measure:
///    ``LearningRateFinder/initialLoss(_:)``). If no full-budget trial beats L₀ the rule
///    answers nothing (``Result/rate`` is nil) and says so; `lab find-lr` then names the best
///    fastai rule instead (``fallback(_:)``). Every trial is returned.
///
/// A diverged run scores +∞ (and stops early, so it costs less). The cost is the sum of the
/// steps trained: at most D·m·⌈B/8⌉ + 3B, i.e. 3.9 full trainings with the defaults and one
/// draw (7.4 with 5 draws), stated in units of the sweep by ``Result/cost(sweepSteps:)``.
public struct VerifiedSearch: Sendable {
    /// How many candidates are screened (m ≥ 2).
    public let candidates: Int
    /// Spacing h of the candidates in decades (> 0).
    public let spacing: Double
    /// Fraction of the budget spent on each screening run (0 < f ≤ 1).
    public let screenFraction: Double
    /// Fraction f of the training split held out to score the screening runs (0 < f < 1).
    public let innerFraction: Double
    /// Below this many inner hold-out rows the screening averages over several draws.
    public let minimumScreenRows: Int
    /// The most draws the screening averages over (≥ 1).
    public let maximumDraws: Int

    public init(candidates: Int = 7, spacing: Double = 0.5, screenFraction: Double = 1.0 / 8,
                innerFraction: Double = 0.2, minimumScreenRows: Int = 100, maximumDraws: Int = 5) {
        precondition(candidates >= 2, "need at least 2 candidates")
        precondition(spacing > 0, "spacing must be > 0")
        precondition(screenFraction > 0 && screenFraction <= 1, "screen fraction must be in (0, 1]")
        precondition(innerFraction > 0 && innerFraction < 1, "inner fraction must be in (0, 1)")
        precondition(minimumScreenRows >= 1 && maximumDraws >= 1, "need ≥ 1 screening row and ≥ 1 draw")
        self.candidates = candidates
        self.spacing = spacing
        self.screenFraction = screenFraction
        self.innerFraction = innerFraction
        self.minimumScreenRows = minimumScreenRows
        self.maximumDraws = maximumDraws
    }

    /// One training run at a fixed rate.
    public struct Trial: Sendable, Equatable {
        /// The learning rate trained with.
        public var rate: Double
        /// The budget asked for.
        public var steps: Int
        /// Steps actually trained (fewer when the run diverged; over all draws for a screening run).
        public var stepsTrained: Int
        /// The loss at the end (+∞ if the run diverged): the screening loss for phase 0, the
        /// validation loss for phases 1 and 2.
        public var loss: Double
        /// Which phase: 0 screening, 1 full budget, 2 refinement.
        public var phase: Int

        public init(rate: Double, steps: Int, stepsTrained: Int, loss: Double, phase: Int = 0) {
            self.rate = rate
            self.steps = steps
            self.stepsTrained = stepsTrained
            self.loss = loss.isNaN ? .infinity : loss
            self.phase = phase
        }
    }

    /// How the screening runs were scored.
    public struct Screening: Sendable, Equatable {
        /// Rows of the inner hold-out each screening run is scored on (0: no inner split, the
        /// screening was scored like the full-budget trials).
        public var rows: Int
        /// Draws of the inner split averaged (D).
        public var draws: Int
        public init(rows: Int, draws: Int) {
            self.rows = rows
            self.draws = draws
        }
    }

    /// What the search found and what it cost.
    public struct Result: Sendable, Equatable {
        /// The suggested rate: the best full-budget trial's, nil when no full-budget trial beat
        /// the untrained network.
        public var rate: Double? { beatsUntrained ? best.rate : nil }
        /// Its validation loss after the full budget (nil with ``rate``).
        public var loss: Double? { beatsUntrained ? best.loss : nil }
        /// The full-budget trial with the lowest loss, whether or not it beat the untrained network.
        public var best: Trial
        /// L₀: the loss of the untrained network, on the split and by the measure of the full trials.
        public var untrainedLoss: Double
        /// Whether ``best`` is lower than ``untrainedLoss``.
        public var beatsUntrained: Bool { best.loss < untrainedLoss }
        /// Every run, in the order trained.
        public var trials: [Trial]
        /// The training budget B.
        public var budget: Int
        /// The trusted range [α_lo, α_top] the candidates were drawn from.
        public var range: ClosedRange<Double>
        /// How the screening was scored (set by ``LearningRateFinder``; nil: by the caller's `screen`).
        public var screening: Screening?
        /// Steps trained over all trials.
        public var stepsTrained: Int { trials.reduce(0) { $0 + $1.stepsTrained } }
        /// The cost in full trainings of B steps.
        public var trainings: Double { Double(stepsTrained) / Double(max(budget, 1)) }
        /// The cost in sweeps of `sweepSteps` steps (the sweep itself not included).
        public func cost(sweepSteps: Int) -> Double { Double(stepsTrained) / Double(max(sweepSteps, 1)) }
    }

    /// The top candidate: the largest rate of `rates` whose `smoothed` loss is still within
    /// `tolerance` (default 10 %) of the lowest, sᵢ ≤ tolerance · min s — the edge past which the
    /// sweep only got worse. On a curve that barely moves before it blows up (a task that needs
    /// more than one step per rate to learn) the minimum itself is noise and can sit decades
    /// too low; the edge does not. nil if no loss is finite.
    static func edge(rates: [Double], smoothed: [Double], tolerance: Double) -> Double? {
        guard let best = smoothed.filter(\.isFinite).min() else { return nil }
        let i = smoothed.lastIndex { $0 <= tolerance * best }!
        return rates[i]
    }

    /// The trusted range of a sweep of `iterations` steps starting at `minimumRate` (step 0 of the
    /// type's documentation): α_lo, and α_top — the edge read on the trimmed curve only, never
    /// below α_lo. nil if the sweep recorded no finite loss.
    public static func trusted(_ sweep: RangeTest.Result, iterations: Int, minimumRate: Double,
                               tolerance: Double = 1.1) -> ClosedRange<Double>? {
        var curve = FastaiCurve(sweep, iterations: iterations)
        if curve.losses.filter(\.isFinite).isEmpty {
            curve = FastaiCurve(rates: sweep.rates, smoothed: sweep.smoothed, iterations: 0)
        }
        let kept = curve.losses.indices.filter { curve.losses[$0].isFinite && curve.rates[$0] >= minimumRate }
        guard let first = kept.first,
              let top = edge(rates: kept.map { curve.rates[$0] }, smoothed: kept.map { curve.losses[$0] },
                             tolerance: tolerance) else { return nil }
        let low = curve.rates[first]
        return low...max(top, low)
    }

    /// The rule named when verified finds nothing better: the first of fastai's valley, slide,
    /// steep, minimum that gives a rate on `curve` (valley, fastai's default, unless the trimmed
    /// curve is empty — then none does).
    public static func fallback(_ curve: FastaiCurve) -> (rule: String, suggestion: RateSuggestion)? {
        if let s = curve.valley() { return ("valley", s) }
        if let s = curve.slide() { return ("slide", s) }
        if let s = curve.steep() { return ("steep", s) }
        if let s = curve.minimum() { return ("minimum", s) }
        return nil
    }

    /// Runs the search below `top` with no floor, screening and judging by the same `train` and
    /// no untrained loss to beat (L₀ = +∞: any finite full-budget run is an answer).
    public func run(top: Double, budget: Int,
                    train: (_ rate: Double, _ steps: Int) -> (loss: Double, stepsTrained: Int)) -> Result {
        run(range: min(Double.leastNormalMagnitude, top)...top, budget: budget, untrainedLoss: .infinity, screen: train, train: train)
    }

    /// Runs the search in `range` (α_lo…α_top). `screen(rate, steps)` trains a screening run and
    /// returns its screening loss (NaN or +∞ if it diverged) and the steps it ran; `train(rate,
    /// steps)` trains from the task's initial weights for `steps` steps at a constant `rate` and
    /// returns the validation loss at the end and the steps run. `untrainedLoss` is L₀.
    public func run(range: ClosedRange<Double>, budget: Int, untrainedLoss: Double,
                    screen: (_ rate: Double, _ steps: Int) -> (loss: Double, stepsTrained: Int),
                    train: (_ rate: Double, _ steps: Int) -> (loss: Double, stepsTrained: Int)) -> Result {
        let top = range.upperBound, floor = range.lowerBound
        precondition(floor > 0 && top.isFinite && budget >= 1, "need a positive, finite range and a budget ≥ 1")
        var trials: [Trial] = []
        let screenSteps = max(1, Int((Double(budget) * screenFraction).rounded(.up)))
        let rates = (0..<candidates).map { top * Double.pow(10, -Double($0) * spacing) }.filter { $0 >= floor }
        for r in rates {
            let (loss, ran) = screen(r, screenSteps)
            trials.append(Trial(rate: r, steps: screenSteps, stepsTrained: ran, loss: loss, phase: 0))
        }
        let screened = trials
        let w = screened.allSatisfy { $0.loss == .infinity }
            ? screened.count - 1 : screened.indices.min { screened[$0].loss < screened[$1].loss }!
        var high = rates[w], low = max(rates[w] * Double.pow(10, -spacing), floor)
        if low >= high { (high, low) = (min(rates[w] * Double.pow(10, spacing), top), rates[w]) }
        var full: [Trial] = []
        func fullTrial(_ rate: Double, _ phase: Int) {
            let (loss, ran) = train(rate, budget)
            full.append(Trial(rate: rate, steps: budget, stepsTrained: ran, loss: loss, phase: phase))
        }
        fullTrial(rates[w], 1)
        if low < high {
            fullTrial(rates[w] == high ? low : high, 1)
            // Their geometric mean; taken root by root where the product over- or underflows (rates
            // near 1e300 or below 1e-154), so the refinement never trains at rate ∞ or 0.
            let product = high * low
            fullTrial(product.isNormal ? product.squareRoot() : high.squareRoot() * low.squareRoot(), 2)
        }
        trials += full
        let best = full.min { $0.loss < $1.loss }!
        return Result(best: best, untrainedLoss: untrainedLoss.isNaN ? .infinity : untrainedLoss, trials: trials,
                      budget: budget, range: floor...top)
    }
}
