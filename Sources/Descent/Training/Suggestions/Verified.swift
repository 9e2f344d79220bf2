import RealModule

/// Descent's own rule, `verified`: a suggestion that has been tried. The sweep only proposes
/// candidates; each is trained on the real task for the user's budget and judged on validation
/// loss, because the best rate depends on how long one trains (large rates win short runs and
/// lose long ones).
///
/// With B the training budget (steps) and α_top the largest rate of the sweep whose smoothed loss
/// is within 10 % of its lowest (beyond it the loss only rises, so no longer run can afford more;
/// see ``topRate(of:fallback:tolerance:)``):
///
/// 1. **Candidates**: cₖ = α_top · 10^(−k·h), k = 0 … m−1 (default m = 7, h = ½ decade: 3 decades).
/// 2. **Screen**: train each for ⌈B/8⌉ steps; keep the winner w (lowest validation loss).
/// 3. **Full budget**: train w and w·10^(−h) for B steps — the second because the best rate only
///    falls as the budget grows.
/// 4. **Refine**: train the geometric mean of the two (a quarter decade from each) for B steps.
/// 5. Answer: the full-budget run with the lowest validation loss; every trial is returned.
///
/// A diverged run scores +∞ (and stops early, so it costs less). The cost is the sum of the
/// steps trained: at most m·⌈B/8⌉ + 3B, i.e. 3.9 full trainings with the defaults, stated
/// in units of the sweep by ``Result/cost(sweepSteps:)``.
public struct VerifiedSearch: Sendable {
    /// How many candidates are screened (m ≥ 2).
    public let candidates: Int
    /// Spacing h of the candidates in decades (> 0).
    public let spacing: Double
    /// Fraction of the budget spent on each screening run (0 < f ≤ 1).
    public let screenFraction: Double

    public init(candidates: Int = 7, spacing: Double = 0.5, screenFraction: Double = 1.0 / 8) {
        precondition(candidates >= 2, "need at least 2 candidates")
        precondition(spacing > 0, "spacing must be > 0")
        precondition(screenFraction > 0 && screenFraction <= 1, "screen fraction must be in (0, 1]")
        self.candidates = candidates
        self.spacing = spacing
        self.screenFraction = screenFraction
    }

    /// One training run at a fixed rate.
    public struct Trial: Sendable, Equatable {
        /// The learning rate trained with.
        public var rate: Double
        /// The budget asked for.
        public var steps: Int
        /// Steps actually trained (fewer when the run diverged).
        public var stepsTrained: Int
        /// The validation loss at the end (+∞ if the run diverged).
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

    /// What the search found and what it cost.
    public struct Result: Sendable, Equatable {
        /// The suggested rate: the best full-budget trial's.
        public var rate: Double
        /// Its validation loss after the full budget.
        public var loss: Double
        /// Every run, in the order trained.
        public var trials: [Trial]
        /// The training budget B.
        public var budget: Int
        /// Steps trained over all trials.
        public var stepsTrained: Int { trials.reduce(0) { $0 + $1.stepsTrained } }
        /// The cost in full trainings of B steps.
        public var trainings: Double { Double(stepsTrained) / Double(max(budget, 1)) }
        /// The cost in sweeps of `sweepSteps` steps (the sweep itself not included).
        public func cost(sweepSteps: Int) -> Double { Double(stepsTrained) / Double(max(sweepSteps, 1)) }
    }

    /// The top candidate: the largest rate of the sweep whose smoothed loss is still within
    /// `tolerance` (default 10 %) of the lowest, sᵢ ≤ tolerance · min s — the edge past which the
    /// sweep only got worse. On a curve that barely moves before it blows up (a task that needs
    /// more than one step per rate to learn) the minimum itself is noise and can sit decades
    /// too low; the edge does not. The sweep's largest rate if it recorded nothing.
    public static func topRate(of sweep: RangeTest.Result, fallback: Double, tolerance: Double = 1.1) -> Double {
        guard let best = sweep.smoothed.min(), best.isFinite else { return fallback }
        let i = sweep.smoothed.lastIndex { $0 <= tolerance * best }!
        return sweep.rates[i]
    }

    /// Runs the search below `top`. `train(rate, steps)` trains from the task's initial weights
    /// for `steps` steps at a constant `rate` and returns the validation loss at the end (NaN or
    /// +∞ if it diverged) and the steps it actually ran.
    public func run(top: Double, budget: Int,
                    train: (_ rate: Double, _ steps: Int) -> (loss: Double, stepsTrained: Int)) -> Result {
        precondition(top > 0 && budget >= 1, "need a positive top rate and a budget ≥ 1")
        var trials: [Trial] = []
        func trial(_ rate: Double, _ steps: Int, _ phase: Int) -> Trial {
            let (loss, ran) = train(rate, steps)
            return Trial(rate: rate, steps: steps, stepsTrained: ran, loss: loss, phase: phase)
        }
        let screenSteps = max(1, Int((Double(budget) * screenFraction).rounded(.up)))
        let rates = (0..<candidates).map { top * Double.pow(10, -Double($0) * spacing) }
        for r in rates { trials.append(trial(r, screenSteps, 0)) }
        let screen = trials
        let w = screen.indices.min { screen[$0].loss < screen[$1].loss }!
        let lower = rates[w] * Double.pow(10, -spacing)
        var full = [trial(rates[w], budget, 1), trial(lower, budget, 1)]
        // Their geometric mean; taken root by root where the product over- or underflows (rates
        // near 1e300 or below 1e-154), so the refinement never trains at rate ∞ or 0.
        let product = rates[w] * lower
        full.append(trial(product.isNormal ? product.squareRoot() : rates[w].squareRoot() * lower.squareRoot(), budget, 2))
        trials += full
        let best = full.min { $0.loss < $1.loss }!
        return Result(rate: best.rate, loss: best.loss, trials: trials, budget: budget)
    }
}
