import Descent

/// An optimizer and its hyperparameters, as `lab`'s flags and the playground's query give them:
/// nil (or false) for a flag not given, which then takes ``default(_:for:)``.
///
/// One home for the optimizer options: their names, help, defaults and checks (``options``,
/// ``validate()``) serve `lab`'s parser, the playground's query decoding and the page's option table.
public struct OptimizerSettings: Equatable, Sendable, CommandOptions {
    public var optimizer: OptimizerName
    public var momentum: Double?
    public var nesterov = false
    public var dampening: Double?
    public var alpha: Double?
    public var beta1: Double?
    public var beta2: Double?
    public var eps: Double?
    public var amsgrad = false
    public var centered = false
    public var initialAccumulator: Double?
    public var lrDecay: Double?
    public var weightDecay: Double?

    public init(optimizer: OptimizerName, momentum: Double? = nil, nesterov: Bool = false, dampening: Double? = nil,
                alpha: Double? = nil, beta1: Double? = nil, beta2: Double? = nil, eps: Double? = nil,
                amsgrad: Bool = false, centered: Bool = false, initialAccumulator: Double? = nil,
                lrDecay: Double? = nil, weightDecay: Double? = nil) {
        self.optimizer = optimizer
        self.momentum = momentum
        self.nesterov = nesterov
        self.dampening = dampening
        self.alpha = alpha
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.amsgrad = amsgrad
        self.centered = centered
        self.initialAccumulator = initialAccumulator
        self.lrDecay = lrDecay
        self.weightDecay = weightDecay
    }

    /// Every optimizer option: its name (lab's `--name`, the API's `name=`), help and the optimizers it
    /// applies to, in `lab --help`'s order.
    public static let options: [OptionSpec] = [
        OptionSpec("optimizer", .choice, "Optimizer; PyTorch's update rules and defaults, or the article's formulas as written (article-*).",
                   choices: OptimizerName.allCases.map(\.rawValue), required: true),
        OptionSpec("momentum", .number, "Momentum μ ≥ 0 (sgd, rmsprop). Default 0.", for: [.sgd, .rmsprop]),
        OptionSpec("nesterov", .flag, "Nesterov momentum (sgd; needs --momentum > 0).", for: [.sgd]),
        OptionSpec("dampening", .number, "Dampening τ for the momentum buffer (sgd). Default 0.", for: [.sgd]),
        OptionSpec("alpha", .number, "Smoothing constant ρ ∈ [0, 1) of the squared-gradient average (rmsprop, default 0.99); for article-rmsprop, the factor in front of the accumulated G (default 0.99).",
                   for: [.rmsprop, .articleRmsprop]),
        OptionSpec("beta1", .number, "β₁ ∈ [0, 1), first-moment decay (adam, article-adam). Default 0.9.", for: [.adam, .articleAdam]),
        OptionSpec("beta2", .number, "β₂ ∈ [0, 1), second-moment decay (adam, article-adam). Default 0.999.", for: [.adam, .articleAdam]),
        OptionSpec("eps", .number, "ε ≥ 0 in the denominator (adagrad 1e-10, rmsprop 1e-8, adam 1e-8, article-adagrad 1e-10, article-rmsprop 1e-8, article-adam 1e-8).",
                   for: [.adagrad, .rmsprop, .adam, .articleAdagrad, .articleRmsprop, .articleAdam]),
        OptionSpec("amsgrad", .flag, "AMSGrad: divide by the running maximum of the second moment (adam).", for: [.adam]),
        OptionSpec("centered", .flag, "Centered RMSprop: divide by an estimate of the gradient's standard deviation (rmsprop).", for: [.rmsprop]),
        OptionSpec("initial-accumulator", .number, "Initial value G₀ ≥ 0 of AdaGrad's accumulator (adagrad). Default 0.", for: [.adagrad]),
        OptionSpec("lr-decay", .number, "Learning-rate decay η ≥ 0: α/(1 + (t−1)η) (adagrad). Default 0.", for: [.adagrad]),
        OptionSpec("weight-decay", .number, "L2 weight decay λ ≥ 0 added to the gradient (sgd, adagrad, rmsprop, adam). Default 0.",
                   for: [.sgd, .adagrad, .rmsprop, .adam]),
    ]

    /// The value `optimizer` uses for option `name` when it is not given (PyTorch's defaults; the
    /// article's for article-*), or nil when the option does not apply to it. Flags default to 0 (off).
    public static func `default`(_ name: String, for optimizer: OptimizerName) -> Double? {
        guard option(name).optimizers?.contains(optimizer) ?? true else { return nil }
        switch name {
        case "alpha": return 0.99
        case "beta1": return 0.9
        case "beta2": return 0.999
        case "eps": return optimizer == .adagrad || optimizer == .articleAdagrad ? 1e-10 : 1e-8
        default: return 0
        }
    }

    private func value(_ name: String, _ given: Double?) -> Double { given ?? Self.default(name, for: optimizer)! }

    /// Checks ranges and that every option given applies to the chosen optimizer.
    public func validate() throws(OptionError) {
        let o = optimizer
        let given: [(String, Bool)] = [
            ("momentum", momentum != nil), ("nesterov", nesterov), ("dampening", dampening != nil), ("alpha", alpha != nil),
            ("beta1", beta1 != nil), ("beta2", beta2 != nil), ("eps", eps != nil), ("amsgrad", amsgrad),
            ("centered", centered), ("initial-accumulator", initialAccumulator != nil), ("lr-decay", lrDecay != nil),
            ("weight-decay", weightDecay != nil),
        ]
        for (name, isGiven) in given where isGiven {
            let allowed = Self.option(name).optimizers ?? []
            if !allowed.contains(o) {
                throw OptionError("--\(name) does not apply to --optimizer \(o.rawValue); it is for \(allowed.map(\.rawValue).joined(separator: ", "))",
                                  parameter: name)
            }
        }
        let numbers: [(String, Double?)] = [
            ("momentum", momentum), ("dampening", dampening), ("alpha", alpha), ("beta1", beta1), ("beta2", beta2),
            ("eps", eps), ("initial-accumulator", initialAccumulator), ("lr-decay", lrDecay), ("weight-decay", weightDecay),
        ]
        for (name, v) in numbers {
            if let v, !v.isFinite { throw OptionError("--\(name) must be a finite number, got \(v)", parameter: name) }
        }
        if let b = beta1, !(0 <= b && b < 1) { throw OptionError("--beta1 must be in [0, 1) (e.g. --beta1 0.9), got \(b)", parameter: "beta1") }
        if let b = beta2, !(0 <= b && b < 1) { throw OptionError("--beta2 must be in [0, 1) (e.g. --beta2 0.999), got \(b)", parameter: "beta2") }
        if let a = alpha {
            if o == .articleRmsprop, !(0 < a && a <= 1) {
                throw OptionError("--alpha must be in (0, 1] for article-rmsprop (e.g. --alpha 0.99), got \(a)", parameter: "alpha")
            }
            if o == .rmsprop, !(0 <= a && a < 1) { throw OptionError("--alpha must be in [0, 1) (e.g. --alpha 0.99), got \(a)", parameter: "alpha") }
        }
        if let m = momentum, m < 0 { throw OptionError("--momentum must be ≥ 0 (e.g. --momentum 0.9), got \(m)", parameter: "momentum") }
        if nesterov && (momentum ?? 0) <= 0 { throw OptionError("--nesterov needs a momentum: add e.g. --momentum 0.9", parameter: "nesterov") }
        if nesterov && (dampening ?? 0) != 0 { throw OptionError("--nesterov needs zero dampening: drop --dampening", parameter: "dampening") }
        if let e = eps, e < 0 { throw OptionError("--eps must be ≥ 0 (e.g. --eps 1e-8), got \(e)", parameter: "eps") }
        if let v = initialAccumulator, v < 0 { throw OptionError("--initial-accumulator must be ≥ 0, got \(v)", parameter: "initial-accumulator") }
        if let v = lrDecay, v < 0 { throw OptionError("--lr-decay must be ≥ 0, got \(v)", parameter: "lr-decay") }
        if let v = weightDecay, v < 0 { throw OptionError("--weight-decay must be ≥ 0, got \(v)", parameter: "weight-decay") }
    }

    /// The configured optimizer at base rate `lr`.
    public func make(lr: Double) -> any Optimizer {
        switch optimizer {
        case .sgd:
            return SGD(learningRate: lr, momentum: value("momentum", momentum), dampening: value("dampening", dampening),
                       nesterov: nesterov, weightDecay: value("weight-decay", weightDecay))
        case .adagrad:
            return AdaGrad(learningRate: lr, learningRateDecay: value("lr-decay", lrDecay), weightDecay: value("weight-decay", weightDecay),
                           initialAccumulatorValue: value("initial-accumulator", initialAccumulator), eps: value("eps", eps))
        case .rmsprop:
            return RMSprop(learningRate: lr, alpha: value("alpha", alpha), eps: value("eps", eps),
                           weightDecay: value("weight-decay", weightDecay), momentum: value("momentum", momentum), centered: centered)
        case .adam:
            return Adam(learningRate: lr, beta1: value("beta1", beta1), beta2: value("beta2", beta2), eps: value("eps", eps),
                        weightDecay: value("weight-decay", weightDecay), amsgrad: amsgrad)
        case .articleAdagrad:
            return ArticleAdaGrad(learningRate: lr, eps: value("eps", eps))
        case .articleRmsprop:
            return ArticleRMSprop(learningRate: lr, decay: value("alpha", alpha), eps: value("eps", eps))
        case .articleAdam:
            return ArticleAdam(learningRate: lr, beta1: value("beta1", beta1), beta2: value("beta2", beta2), eps: value("eps", eps))
        }
    }
}
