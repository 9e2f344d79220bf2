// The query parameters of /api/optimize, /api/schedule and /api/find-lr are `lab`'s flags: these
// types mirror Sources/lab (Options.swift, Condition.swift and the three commands' options), parsed
// by the same ArgumentParser, so a bad parameter gets lab's own message. PlaygroundTests run the
// built `lab` binary on the same arguments and compare both the numbers and the error messages:
// when lab's options change, copy them here.
import ArgumentParser
import Descent

/// The 2-D test functions `lab` knows.
enum FunctionName: String, ExpressibleByArgument, CaseIterable {
    case quadratic, rosenbrock, saddle
    var function: any TestFunction {
        switch self {
        case .quadratic: return Quadratic()
        case .rosenbrock: return Rosenbrock()
        case .saddle: return Saddle()
        }
    }
}

/// The optimizers `lab` knows: PyTorch's four and the article's three as written.
enum OptimizerName: String, ExpressibleByArgument, CaseIterable {
    case sgd, adagrad, rmsprop, adam
    case articleAdagrad = "article-adagrad"
    case articleRmsprop = "article-rmsprop"
    case articleAdam = "article-adam"
}

/// A point `X,Y` (negative values are fine: `--start -5,-2`).
struct Point {
    let values: [Double]
    static func parse(_ text: String) throws -> Point {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        let values = parts.compactMap { Double($0.trimmingCharacters(in: " ")) }
        guard parts.count == 2, values.count == 2, values.allSatisfy(\.isFinite) else {
            throw ValidationError("--start expects two finite numbers X,Y (e.g. --start -5,-2), got '\(text)'")
        }
        return Point(values: values)
    }
}

func parseSchedule(_ text: String) throws -> Schedule {
    do { return try Schedule(parsing: text) } catch let e as ScheduleSpecError {
        throw ValidationError("bad --schedule '\(text)': \(e.reason). Valid forms:\n\(Schedule.validForms)")
    }
}

/// Hyperparameters shared by `optimize` and `find-lr`.
struct OptimizerOptions: ParsableArguments {
    @Option(help: "Optimizer; PyTorch's update rules and defaults, or the article's formulas as written (article-*).")
    var optimizer: OptimizerName

    @Option(parsing: .unconditional, help: "Momentum μ ≥ 0 (sgd, rmsprop). Default 0.")
    var momentum: Double?

    @Flag(help: "Nesterov momentum (sgd; needs --momentum > 0).")
    var nesterov = false

    @Option(parsing: .unconditional, help: "Dampening τ for the momentum buffer (sgd). Default 0.")
    var dampening: Double?

    @Option(parsing: .unconditional, help: "Smoothing constant ρ ∈ [0, 1) of the squared-gradient average (rmsprop, default 0.99); for article-rmsprop, the factor in front of the accumulated G (default 0.99).")
    var alpha: Double?

    @Option(parsing: .unconditional, help: "β₁ ∈ [0, 1), first-moment decay (adam, article-adam). Default 0.9.")
    var beta1: Double?

    @Option(parsing: .unconditional, help: "β₂ ∈ [0, 1), second-moment decay (adam, article-adam). Default 0.999.")
    var beta2: Double?

    @Option(parsing: .unconditional, help: "ε ≥ 0 in the denominator (adagrad 1e-10, rmsprop 1e-8, adam 1e-8, article-adagrad 1e-10, article-rmsprop 1e-8, article-adam 1e-8).")
    var eps: Double?

    @Flag(help: "AMSGrad: divide by the running maximum of the second moment (adam).")
    var amsgrad = false

    @Flag(help: "Centered RMSprop: divide by an estimate of the gradient's standard deviation (rmsprop).")
    var centered = false

    @Option(parsing: .unconditional, help: "Initial value G₀ ≥ 0 of AdaGrad's accumulator (adagrad). Default 0.")
    var initialAccumulator: Double?

    @Option(parsing: .unconditional, help: "Learning-rate decay η ≥ 0: α/(1 + (t−1)η) (adagrad). Default 0.")
    var lrDecay: Double?

    @Option(parsing: .unconditional, help: "L2 weight decay λ ≥ 0 added to the gradient (sgd, adagrad, rmsprop, adam). Default 0.")
    var weightDecay: Double?

    /// Checks ranges and that every flag given applies to the chosen optimizer.
    func validate() throws {
        let o = optimizer
        func only(_ flag: String, _ given: Bool, _ allowed: [OptimizerName]) throws {
            if given && !allowed.contains(o) {
                throw ValidationError("\(flag) does not apply to --optimizer \(o.rawValue); it is for \(allowed.map(\.rawValue).joined(separator: ", "))")
            }
        }
        try only("--momentum", momentum != nil, [.sgd, .rmsprop])
        try only("--nesterov", nesterov, [.sgd])
        try only("--dampening", dampening != nil, [.sgd])
        try only("--alpha", alpha != nil, [.rmsprop, .articleRmsprop])
        try only("--beta1", beta1 != nil, [.adam, .articleAdam])
        try only("--beta2", beta2 != nil, [.adam, .articleAdam])
        try only("--eps", eps != nil, [.adagrad, .rmsprop, .adam, .articleAdagrad, .articleRmsprop, .articleAdam])
        try only("--amsgrad", amsgrad, [.adam])
        try only("--centered", centered, [.rmsprop])
        try only("--initial-accumulator", initialAccumulator != nil, [.adagrad])
        try only("--lr-decay", lrDecay != nil, [.adagrad])
        try only("--weight-decay", weightDecay != nil, [.sgd, .adagrad, .rmsprop, .adam])

        func finite(_ name: String, _ v: Double?) throws {
            if let v, !v.isFinite { throw ValidationError("\(name) must be a finite number, got \(v)") }
        }
        for (name, v) in [("--momentum", momentum), ("--dampening", dampening), ("--alpha", alpha), ("--beta1", beta1),
                          ("--beta2", beta2), ("--eps", eps), ("--initial-accumulator", initialAccumulator),
                          ("--lr-decay", lrDecay), ("--weight-decay", weightDecay)] { try finite(name, v) }
        if let b = beta1, !(0 <= b && b < 1) { throw ValidationError("--beta1 must be in [0, 1) (e.g. --beta1 0.9), got \(b)") }
        if let b = beta2, !(0 <= b && b < 1) { throw ValidationError("--beta2 must be in [0, 1) (e.g. --beta2 0.999), got \(b)") }
        if let a = alpha {
            if o == .articleRmsprop, !(0 < a && a <= 1) { throw ValidationError("--alpha must be in (0, 1] for article-rmsprop (e.g. --alpha 0.99), got \(a)") }
            if o == .rmsprop, !(0 <= a && a < 1) { throw ValidationError("--alpha must be in [0, 1) (e.g. --alpha 0.99), got \(a)") }
        }
        if let m = momentum, m < 0 { throw ValidationError("--momentum must be ≥ 0 (e.g. --momentum 0.9), got \(m)") }
        if nesterov && (momentum ?? 0) <= 0 { throw ValidationError("--nesterov needs a momentum: add e.g. --momentum 0.9") }
        if nesterov && (dampening ?? 0) != 0 { throw ValidationError("--nesterov needs zero dampening: drop --dampening") }
        if let e = eps, e < 0 { throw ValidationError("--eps must be ≥ 0 (e.g. --eps 1e-8), got \(e)") }
        if let v = initialAccumulator, v < 0 { throw ValidationError("--initial-accumulator must be ≥ 0, got \(v)") }
        if let v = lrDecay, v < 0 { throw ValidationError("--lr-decay must be ≥ 0, got \(v)") }
        if let v = weightDecay, v < 0 { throw ValidationError("--weight-decay must be ≥ 0, got \(v)") }
    }

    /// The configured optimizer at base rate `lr`.
    func make(lr: Double) -> any Optimizer {
        switch optimizer {
        case .sgd:
            return SGD(learningRate: lr, momentum: momentum ?? 0, dampening: dampening ?? 0,
                       nesterov: nesterov, weightDecay: weightDecay ?? 0)
        case .adagrad:
            return AdaGrad(learningRate: lr, learningRateDecay: lrDecay ?? 0, weightDecay: weightDecay ?? 0,
                           initialAccumulatorValue: initialAccumulator ?? 0, eps: eps ?? 1e-10)
        case .rmsprop:
            return RMSprop(learningRate: lr, alpha: alpha ?? 0.99, eps: eps ?? 1e-8, weightDecay: weightDecay ?? 0,
                           momentum: momentum ?? 0, centered: centered)
        case .adam:
            return Adam(learningRate: lr, beta1: beta1 ?? 0.9, beta2: beta2 ?? 0.999, eps: eps ?? 1e-8,
                        weightDecay: weightDecay ?? 0, amsgrad: amsgrad)
        case .articleAdagrad:
            return ArticleAdaGrad(learningRate: lr, eps: eps ?? 1e-10)
        case .articleRmsprop:
            return ArticleRMSprop(learningRate: lr, decay: alpha ?? 0.99, eps: eps ?? 1e-8)
        case .articleAdam:
            return ArticleAdam(learningRate: lr, beta1: beta1 ?? 0.9, beta2: beta2 ?? 0.999, eps: eps ?? 1e-8)
        }
    }
}

func validateRate(_ name: String, _ value: Double) throws {
    guard value.isFinite && value > 0 else {
        throw ValidationError("\(name) must be a finite number > 0 (e.g. \(name) 0.1), got \(value)")
    }
}

func validateSteps(_ value: Int) throws {
    guard value >= 1 else { throw ValidationError("--steps must be ≥ 1 (e.g. --steps 100), got \(value)") }
}

extension StringProtocol {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
