import Descent

/// The quadratic's condition number `--condition κ`: a·x² + 2y² with a = 2/κ (default 20: 0.1x² + 2y²).
public enum Condition {
    public static let option = OptionSpec("condition", .number, "Condition number κ ≥ 1 of the quadratic (a·x² + 2y² with a = 2/κ; default 20: 0.1x² + 2y²).")

    /// κ applies to the quadratic only and is a finite number ≥ 1.
    public static func validate(_ condition: Double?, for function: FunctionName) throws(OptionError) {
        guard let condition else { return }
        guard function == .quadratic else {
            throw OptionError("--condition applies to --function quadratic only, not \(function.rawValue)", parameter: "condition")
        }
        guard condition.isFinite && condition >= 1 else {
            throw OptionError("--condition must be a finite number ≥ 1 (e.g. --condition 20), got \(condition)", parameter: "condition")
        }
    }

    /// The test function `name`, with condition number `condition` when it is the quadratic.
    public static func function(_ name: FunctionName, condition: Double?) -> any TestFunction {
        if name == .quadratic, let condition { return Quadratic(condition: condition) }
        return name.function
    }
}

/// `lab optimize` and GET /api/optimize: one optimizer on a 2-D test function; its rows are
/// (step, lr, loss, x, y) for steps 0…N (see `lab optimize --help`).
public struct OptimizeSettings: Equatable, Sendable, CommandOptions {
    public var function: FunctionName
    public var start: Point
    public var steps: Int
    public var condition: Double?
    public var optimizer: OptimizerSettings
    public var lr: Double
    public var schedule: Schedule = .constant
    public var noise: Double = 0
    public var seed: UInt64?

    public init(function: FunctionName, start: Point, steps: Int, condition: Double? = nil, optimizer: OptimizerSettings,
                lr: Double, schedule: Schedule = .constant, noise: Double = 0, seed: UInt64? = nil) {
        self.function = function
        self.start = start
        self.steps = steps
        self.condition = condition
        self.optimizer = optimizer
        self.lr = lr
        self.schedule = schedule
        self.noise = noise
        self.seed = seed
    }

    public static let columns = ["step", "lr", "loss", "x", "y"]

    public static let options: [OptionSpec] = [
        OptionSpec("function", .choice, "Test function (formulas above).", choices: FunctionName.allCases.map(\.rawValue), required: true),
        OptionSpec("start", .point, "Starting point X,Y, e.g. --start -5,-2.", required: true),
        OptionSpec("steps", .integer, "Number of updates N, 1 ≤ N ≤ 10⁸ (the output has N+1 rows; --format plot: N < 10⁶).", required: true),
        Condition.option,
    ] + OptimizerSettings.options + [
        OptionSpec("lr", .number, "Base learning rate α > 0.", required: true),
        OptionSpec("schedule", .schedule, "Learning-rate schedule, e.g. cosine:T=100 (default constant). Forms: constant, polynomial:T=…[,power=…], exponential:gamma=…, step:size=…[,gamma=…], cosine:T=…[,min=…], one-cycle:T=…[,pct=…][,div=…][,final=…], warm-restarts:T0=…[,mult=…][,min=…], warmup:steps=W+SPEC, plateau[:factor=…][,patience=…], restart:threshold=…[,factor=…][,gamma=…]."),
        OptionSpec("noise", .number, "Gradient noise σ ≥ 0: every update sees ∇f + σ·N(0, I) (a mini-batch's noise on the exact function); rows keep the exact loss. Default 0."),
        OptionSpec("seed", .integer, "Seed of the noise (needs --noise > 0). Default 0."),
    ]

    /// lab's checks, in lab's order: the optimizer's options, κ, the steps (within `limit`), the rate,
    /// a schedule that stays finite, the noise and its seed.
    public func validate(limit: RowLimit = .none) throws(OptionError) {
        try optimizer.validate()
        try Condition.validate(condition, for: function)
        try Check.steps(steps, limit: limit)
        try Check.rate("lr", lr)
        try Check.finite(schedule, base: lr, steps: steps + 1)
        try Check.nonNegative("noise", noise, example: "0.5")
        if seed != nil && noise == 0 {
            throw OptionError("--seed sets the noise's stream: give --noise σ > 0 with it", parameter: "seed")
        }
    }

    /// The function to minimise (with κ for the quadratic).
    public var testFunction: any TestFunction { Condition.function(function, condition: condition) }

    /// The noise of `noise` and `seed`, or nil for exact gradients.
    public var gradientNoise: GradientNoise? { noise > 0 ? GradientNoise(sigma: noise, seed: seed ?? 0) : nil }

    /// Runs the command, handing each row (``columns``) to `row` as it is computed; returns where the
    /// loss became non-finite, if it did (that row is the last).
    public func run(row: ([Double]) throws -> Void) rethrows -> Divergence? {
        try Descent.optimize(testFunction, from: start.values, steps: steps, optimizer: optimizer.make(lr: lr),
                             schedule: schedule, noise: gradientNoise) { p in
            try row([Double(p.step), p.learningRate, p.loss, p.point[0], p.point[1]])
        }
    }

    /// The whole run, kept.
    public func trajectory() -> Trajectory {
        Descent.optimize(testFunction, from: start.values, steps: steps, optimizer: optimizer.make(lr: lr),
                         schedule: schedule, noise: gradientNoise)
    }
}

/// `lab schedule` and GET /api/schedule: a schedule's rate at steps 0…N−1, rows (step, lr).
public struct ScheduleSettings: Equatable, Sendable, CommandOptions {
    public var lr: Double
    public var steps: Int
    public var schedule: Schedule

    public init(lr: Double, steps: Int, schedule: Schedule) {
        self.lr = lr
        self.steps = steps
        self.schedule = schedule
    }

    public static let columns = ["step", "lr"]

    public static let options: [OptionSpec] = [
        OptionSpec("lr", .number, "Base learning rate α > 0.", required: true),
        OptionSpec("steps", .integer, "Number of steps N, 1 ≤ N ≤ 10⁸ (--format plot: N ≤ 10⁶).", required: true),
        OptionSpec("schedule", .schedule, "Schedule spec, e.g. step:size=100,gamma=0.5 or warmup:steps=10+cosine:T=290.", required: true),
    ]

    /// lab's checks: the rate, the steps (N rows, within `limit`), a schedule that needs no run and stays finite.
    public func validate(limit: RowLimit = .none) throws(OptionError) {
        try Check.rate("lr", lr)
        try Check.steps(steps, limit: limit, rows: steps)
        if schedule.isLossDriven {
            throw OptionError("'\(schedule)' is loss-driven: it needs a training run, so use 'lab optimize --schedule \(schedule) …' instead",
                              parameter: "schedule")
        }
        try Check.finite(schedule, base: lr, steps: steps)
    }

    /// Row t: (t, the rate at step t).
    public func row(_ t: Int) -> [Double] { [Double(t), schedule.rate(at: t, base: lr)] }
}

/// The range of a learning-rate range test (`find-lr`'s --min-lr, --max-lr, --steps, --smoothing,
/// --diverge-factor, --sweep), on data or on a test function.
public struct SweepSettings: Equatable, Sendable, CommandOptions {
    public var minLr: Double = 1e-7
    public var maxLr: Double = 10
    public var steps: Int = 100
    public var smoothing: Double = 0.98
    public var divergeFactor: Double = 4
    public var spacing: RangeTest.Spacing = .exponential

    public init(minLr: Double = 1e-7, maxLr: Double = 10, steps: Int = 100, smoothing: Double = 0.98,
                divergeFactor: Double = 4, spacing: RangeTest.Spacing = .exponential) {
        self.minLr = minLr
        self.maxLr = maxLr
        self.steps = steps
        self.smoothing = smoothing
        self.divergeFactor = divergeFactor
        self.spacing = spacing
    }

    public static let columns = ["step", "lr", "loss", "smoothed"]

    public static let options: [OptionSpec] = [
        OptionSpec("min-lr", .number, "Smallest rate of the sweep (> 0)."),
        OptionSpec("max-lr", .number, "Largest rate of the sweep (> --min-lr)."),
        OptionSpec("steps", .integer, "Number of sweep steps N, 2 ≤ N ≤ 10⁶."),
        OptionSpec("sweep", .choice, "How the rates are spaced: exponential, αᵢ = min·(max/min)^(i/(N−1)), or linear, αᵢ = min + (max−min)·i/(N−1).",
                   choices: ["exponential", "linear"]),
        OptionSpec("diverge-factor", .number, "Stop the sweep when the smoothed loss exceeds F × its lowest so far; F > 1 (fastai's 4)."),
        OptionSpec("smoothing", .number, "β of the bias-corrected moving average sᵢ = aᵢ/(1−βⁱ⁺¹), aᵢ = β·aᵢ₋₁ + (1−β)·Lᵢ; 0 ≤ β < 1 (0 = raw losses)."),
    ]

    /// The range: both rates, their order, 2 ≤ steps ≤ 10⁶ (and within `limit`).
    public func validateRange(limit: RowLimit = .none) throws(OptionError) {
        try Check.rate("min-lr", minLr)
        try Check.rate("max-lr", maxLr)
        guard maxLr > minLr else { throw OptionError("--max-lr (\(maxLr)) must be larger than --min-lr (\(minLr))", parameter: "max-lr") }
        guard steps >= 2 else { throw OptionError("--steps must be ≥ 2 for a sweep (e.g. --steps 100), got \(steps)", parameter: "steps") }
        guard steps <= Limits.sweepSteps else {
            throw OptionError("--steps must be at most \(Limits.sweepSteps) (10⁶) for a sweep, which keeps its curve in memory; got \(steps)",
                              parameter: "steps")
        }
        if case .perRequest(let most) = limit, steps > most {
            throw OptionError("--steps must be ≤ \(most) per request on this server, got \(steps)", parameter: "steps")
        }
    }

    /// The curve's settings, and every rate of the sweep a positive, finite (normal) number, each
    /// larger than the one before: --max-lr/--min-lr must not overflow (5e-324 to 10 does) and the
    /// points must not round together.
    public func validateShape() throws(OptionError) {
        guard divergeFactor.isFinite, divergeFactor > 1 else {
            throw OptionError("--diverge-factor must be a number > 1 (e.g. --diverge-factor 4), got \(divergeFactor)", parameter: "diverge-factor")
        }
        guard smoothing.isFinite, smoothing >= 0, smoothing < 1 else {
            throw OptionError("--smoothing must be in [0, 1) (e.g. --smoothing 0.98, or 0 for the raw losses), got \(smoothing)", parameter: "smoothing")
        }
        guard spacing == .linear || (maxLr / minLr).isFinite else {
            throw OptionError("--max-lr/--min-lr = \(maxLr)/\(minLr) overflows to infinity, so the sweep's rates are not "
                              + "finite; narrow the range (e.g. --min-lr 1e-7 --max-lr 10)", parameter: "max-lr")
        }
        let test = test
        var previous = 0.0
        for i in 0..<steps {
            let rate = test.rate(at: i)
            guard rate.isNormal, rate > previous else {
                throw OptionError("the sweep from --min-lr \(minLr) to --max-lr \(maxLr) in \(steps) steps has rate \(rate) at "
                                  + "step \(i), not a finite positive rate larger than the one before; widen or move the range",
                                  parameter: "max-lr")
            }
            previous = rate
        }
    }

    /// The range test these settings describe.
    public var test: RangeTest {
        RangeTest(minimumRate: minLr, maximumRate: maxLr, steps: steps, smoothing: smoothing, divergenceFactor: divergeFactor,
                  spacing: spacing)
    }

    /// Row i of a finished sweep: (i, αᵢ, Lᵢ, sᵢ).
    public static func row(_ i: Int, of result: RangeTest.Result) -> [Double] {
        [Double(i), result.rates[i], result.losses[i], result.smoothed[i]]
    }
}

/// `lab find-lr --function` and GET /api/find-lr: a range test of one optimizer from a point of a
/// 2-D test function.
public struct FunctionSweepSettings: Equatable, Sendable, CommandOptions {
    public var function: FunctionName
    public var start: Point
    public var condition: Double?
    public var optimizer: OptimizerSettings
    public var sweep: SweepSettings

    public init(function: FunctionName, start: Point, condition: Double? = nil, optimizer: OptimizerSettings,
                sweep: SweepSettings = SweepSettings()) {
        self.function = function
        self.start = start
        self.condition = condition
        self.optimizer = optimizer
        self.sweep = sweep
    }

    public static let options: [OptionSpec] = [
        OptionSpec("function", .choice, "Test function instead of --data (formulas in 'lab optimize --help').",
                   choices: FunctionName.allCases.map(\.rawValue), required: true),
        OptionSpec("start", .point, "Starting point X,Y for --function, e.g. --start -5,-2.", required: true),
        Condition.option,
    ] + OptimizerSettings.options + SweepSettings.options

    /// The optimizer's options, the range, the curve's settings and κ.
    public func validate(limit: RowLimit = .none) throws(OptionError) {
        try optimizer.validate()
        try sweep.validateRange(limit: limit)
        try sweep.validateShape()
        try Condition.validate(condition, for: function)
    }

    /// The function swept (with κ for the quadratic).
    public var testFunction: any TestFunction { Condition.function(function, condition: condition) }

    /// The sweep from ``start``: rates, losses, the smoothed curve and the two classic suggestions.
    public func run() -> RangeTest.Result {
        let f = testFunction
        var parameters = start.values
        var optimizer = self.optimizer.make(lr: sweep.minLr)
        return sweep.test.run(parameters: &parameters, optimizer: &optimizer) { theta, _, gradient in
            f.gradient(theta, into: &gradient)
            return f.value(theta)
        }
    }
}
