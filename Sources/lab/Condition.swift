import ArgumentParser
import Descent

/// `--condition κ`: the quadratic a·x² + b·y² with L = 4 and condition number κ = b/a
/// (the default 20 is 0.1x² + 2y²). The playground's slider sets the same number.
struct ConditionOption: ParsableArguments {
    @Option(parsing: .unconditional, help: "Condition number κ ≥ 1 of the quadratic (a·x² + 2y² with a = 2/κ; default 20: 0.1x² + 2y²).")
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

    /// The test function `name`, with this condition number when it is the quadratic.
    func function(_ name: FunctionName) -> any TestFunction {
        if name == .quadratic, let condition { return Quadratic(condition: condition) }
        return name.function
    }
}
