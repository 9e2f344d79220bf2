// lab's three commands as typed API requests: the same options (names, types, parsing, validation)
// as Sources/lab/Optimize.swift, PrintSchedule.swift and FindLearningRate.swift, minus --format.
import ArgumentParser
import Descent

/// `ConditionOption` of Sources/lab/Condition.swift.
struct ConditionOption: ParsableArguments {
    @Option(parsing: .unconditional, help: "Condition number κ ≥ 1 of the quadratic.")
    var condition: Double?

    func validate(for function: FunctionName) throws {
        guard let condition else { return }
        guard function == .quadratic else {
            throw ValidationError("--condition applies to --function quadratic only, not \(function.rawValue)")
        }
        guard condition.isFinite && condition >= 1 else {
            throw ValidationError("--condition must be a finite number ≥ 1 (e.g. --condition 20), got \(condition)")
        }
    }

    func function(_ name: FunctionName) -> any TestFunction {
        if name == .quadratic, let condition { return Quadratic(condition: condition) }
        return name.function
    }
}

/// GET /api/optimize: `lab optimize`.
struct OptimizeRequest: ParsableArguments {
    @Option(help: "Test function.")
    var function: FunctionName

    @Option(parsing: .unconditional, help: "Starting point X,Y.", transform: Point.parse)
    var start: Point

    @Option(parsing: .unconditional, help: "Number of updates N ≥ 1.")
    var steps: Int

    @OptionGroup var conditionOption: ConditionOption

    @OptionGroup var optimizerOptions: OptimizerOptions

    @Option(parsing: .unconditional, help: "Base learning rate α > 0.")
    var lr: Double

    @Option(help: "Learning-rate schedule.", transform: parseSchedule)
    var schedule: Schedule = .constant

    @Option(parsing: .unconditional, help: "Gradient noise σ ≥ 0: every update sees ∇f + σ·N(0, I) (a mini-batch's noise on the exact function); rows keep the exact loss. Default 0.")
    var noise: Double = 0

    @Option(parsing: .unconditional, help: "Seed of the noise (needs --noise > 0). Default 0.")
    var seed: UInt64?

    func validate() throws {
        try conditionOption.validate(for: function)
        try validateSteps(steps)
        try validateRate("--lr", lr)
        guard noise.isFinite && noise >= 0 else {
            throw ValidationError("--noise must be a finite number ≥ 0 (e.g. --noise 0.5), got \(noise)")
        }
        if seed != nil && noise == 0 {
            throw ValidationError("--seed sets the noise's stream: give --noise σ > 0 with it")
        }
    }

    /// The noise of `noise` and `seed`, or nil for exact gradients.
    var gradientNoise: GradientNoise? { noise > 0 ? GradientNoise(sigma: noise, seed: seed ?? 0) : nil }
}

/// GET /api/schedule: `lab schedule`.
struct ScheduleRequest: ParsableArguments {
    @Option(parsing: .unconditional, help: "Base learning rate α > 0.")
    var lr: Double

    @Option(parsing: .unconditional, help: "Number of steps N ≥ 1.")
    var steps: Int

    @Option(help: "Schedule spec.", transform: parseSchedule)
    var schedule: Schedule

    func validate() throws {
        try validateRate("--lr", lr)
        try validateSteps(steps)
        if schedule.isLossDriven {
            throw ValidationError("'\(schedule)' is loss-driven: it needs a training run, so use 'lab optimize --schedule \(schedule) …' instead")
        }
    }
}

/// GET /api/find-lr: `lab find-lr`.
struct FindLRRequest: ParsableArguments {
    @Option(help: "Test function.")
    var function: FunctionName

    @Option(parsing: .unconditional, help: "Starting point X,Y.", transform: Point.parse)
    var start: Point

    @OptionGroup var conditionOption: ConditionOption

    @OptionGroup var optimizerOptions: OptimizerOptions

    @Option(parsing: .unconditional, help: "Smallest rate of the sweep (> 0).")
    var minLr: Double = 1e-7

    @Option(parsing: .unconditional, help: "Largest rate of the sweep (> --min-lr).")
    var maxLr: Double = 10

    @Option(parsing: .unconditional, help: "Number of sweep steps N ≥ 2.")
    var steps: Int = 100

    func validate() throws {
        try conditionOption.validate(for: function)
        try validateRate("--min-lr", minLr)
        try validateRate("--max-lr", maxLr)
        guard maxLr > minLr else { throw ValidationError("--max-lr (\(maxLr)) must be larger than --min-lr (\(minLr))") }
        guard steps >= 2 else { throw ValidationError("--steps must be ≥ 2 for a sweep (e.g. --steps 100), got \(steps)") }
    }
}
