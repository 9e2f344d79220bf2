import Foundation
import Testing

/// `lab --condition κ`: the quadratic a·x² + 2y² with a = 2/κ, the playground's slider.
@Suite("lab --condition")
struct ConditionTests {
    let base = ["optimize", "--function", "quadratic", "--start", "-5,-2", "--steps", "20", "--optimizer", "sgd", "--lr", "0.3"]

    @Test("κ = 20 is the default 0.1x² + 2y², byte for byte")
    func defaultCondition() throws {
        let plain = try lab(base), twenty = try lab(base + ["--condition", "20"])
        #expect(plain.status == 0 && twenty.status == 0)
        #expect(plain.stdout == twenty.stdout)
    }

    /// With κ = 1 both coordinates shrink by the same factor 1 − 4α each step (closed form).
    @Test("κ = 1: x and y follow (1 − 4α)^k")
    func roundQuadratic() throws {
        let run = try lab(base + ["--condition", "1"])
        #expect(run.status == 0)
        for line in run.lines.dropFirst() {
            let f = line.split(separator: ",").map { Double($0)! }
            let factor = pow(1 - 4 * 0.3, f[0])
            #expect(abs(f[3] - -5 * factor) <= 1e-12 * 5 && abs(f[4] - -2 * factor) <= 1e-12 * 2, "\(line)")
            #expect(abs(f[2] - 2 * (f[3] * f[3] + f[4] * f[4])) <= 1e-12 * max(1, f[2]))
        }
    }

    @Test("bad --condition: a clear error and a non-zero exit", arguments: [
        (["--condition", "0.5"], "--condition must be a finite number ≥ 1"),
        (["--condition", "nan"], "--condition must be a finite number ≥ 1"),
        (["--condition", "x"], "The value 'x' is invalid for '--condition <condition>'"),
    ])
    func badCondition(extra: [String], message: String) throws {
        let run = try lab(base + extra)
        #expect(run.status != 0 && !run.crashed && run.stdout.isEmpty)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test("--condition applies to the quadratic only")
    func otherFunctions() throws {
        var args = base
        args[2] = "rosenbrock"
        let run = try lab(args + ["--condition", "5"])
        #expect(run.status != 0 && run.stderr.contains("--condition applies to --function quadratic only, not rosenbrock"))
        let sweep = try lab(["find-lr", "--function", "quadratic", "--start", "-5,-2", "--optimizer", "sgd", "--condition", "100"])
        let plain = try lab(["find-lr", "--function", "quadratic", "--start", "-5,-2", "--optimizer", "sgd"])
        #expect(sweep.status == 0 && sweep.stdout != plain.stdout)
    }
}
