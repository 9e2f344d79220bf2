import ArgumentParser
import Descent
import LabKit

// lab's options are LabKit's (names, help, defaults, checks, the commands themselves); this file
// only teaches ArgumentParser to read them from argv and turns LabKit's errors into its own.

extension FunctionName: ExpressibleByArgument {}
extension OptimizerName: ExpressibleByArgument {}

/// Output formats.
enum Format: String, ExpressibleByArgument, CaseIterable {
    case csv, table, plot
}

/// What `--format` allows a command to collect: a plot holds its rows in memory.
extension Format {
    var rowLimit: RowLimit { self == .plot ? .plot(Limits.plotRows) : .none }
}

extension OptionError {
    /// The error as ArgumentParser prints it (lab's message, the usage line, exit status 64).
    var validation: ValidationError { ValidationError(message) }
}

/// Runs one of LabKit's checks, reporting its error as ArgumentParser's.
func checked<T>(_ body: () throws(OptionError) -> T) throws -> T {
    do { return try body() } catch { throw error.validation }
}

/// `--help` of a LabKit option (`OptionSpec`).
func help(_ spec: OptionSpec) -> ArgumentHelp { ArgumentHelp(spec.help) }

/// `--start X,Y` through LabKit's parser.
func parsePoint(_ text: String) throws -> Point { try checked { () throws(OptionError) in try Point.parse(text) } }

/// `--schedule SPEC` through LabKit's parser.
func parseSchedule(_ text: String) throws -> Schedule { try checked { () throws(OptionError) in try Check.schedule(text) } }

/// Hyperparameters shared by `optimize`, `train` and `find-lr`: ``OptimizerSettings`` read from argv.
struct OptimizerOptions: ParsableArguments {
    private static func spec(_ name: String) -> ArgumentHelp { help(OptimizerSettings.option(name)) }

    @Option(help: spec("optimizer"))
    var optimizer: OptimizerName

    @Option(parsing: .unconditional, help: spec("momentum"))
    var momentum: Double?

    @Flag(help: spec("nesterov"))
    var nesterov = false

    @Option(parsing: .unconditional, help: spec("dampening"))
    var dampening: Double?

    @Option(parsing: .unconditional, help: spec("alpha"))
    var alpha: Double?

    @Option(parsing: .unconditional, help: spec("beta1"))
    var beta1: Double?

    @Option(parsing: .unconditional, help: spec("beta2"))
    var beta2: Double?

    @Option(parsing: .unconditional, help: spec("eps"))
    var eps: Double?

    @Flag(help: spec("amsgrad"))
    var amsgrad = false

    @Flag(help: spec("centered"))
    var centered = false

    @Option(parsing: .unconditional, help: spec("initial-accumulator"))
    var initialAccumulator: Double?

    @Option(parsing: .unconditional, help: spec("lr-decay"))
    var lrDecay: Double?

    @Option(parsing: .unconditional, help: spec("weight-decay"))
    var weightDecay: Double?

    /// The options as LabKit's value.
    var settings: OptimizerSettings {
        OptimizerSettings(optimizer: optimizer, momentum: momentum, nesterov: nesterov, dampening: dampening, alpha: alpha,
                          beta1: beta1, beta2: beta2, eps: eps, amsgrad: amsgrad, centered: centered,
                          initialAccumulator: initialAccumulator, lrDecay: lrDecay, weightDecay: weightDecay)
    }

    /// Checks ranges and that every flag given applies to the chosen optimizer.
    func validate() throws { try checked { () throws(OptionError) in try settings.validate() } }

    /// The configured optimizer at base rate `lr`.
    func make(lr: Double) -> any Optimizer { settings.make(lr: lr) }
}

/// `--condition κ`: the quadratic a·x² + b·y² with L = 4 and condition number κ = b/a
/// (the default 20 is 0.1x² + 2y²). The playground's slider sets the same number.
struct ConditionOption: ParsableArguments {
    @Option(parsing: .unconditional, help: help(Condition.option))
    var condition: Double?

    func validate(for function: FunctionName) throws {
        try checked { () throws(OptionError) in try Condition.validate(condition, for: function) }
    }
}
