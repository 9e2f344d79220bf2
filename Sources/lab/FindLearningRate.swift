import ArgumentParser
import Descent
import Figures

/// The rules `--suggest` can ask for.
enum SuggestRule: String, ExpressibleByArgument, CaseIterable {
    case valley, steep, minimum, slide, verified, all

    /// The rules this choice stands for, in print order.
    var rules: [SuggestRule] { self == .all ? [.valley, .steep, .minimum, .slide, .verified] : [self] }
}

/// `--suggest`'s value: one rule, `all`, or a comma list of them (`valley,verified`).
struct SuggestRules: ExpressibleByArgument {
    /// The rules asked, without repeats, in print order (valley, steep, minimum, slide, verified).
    let rules: [SuggestRule]

    init(_ rules: [SuggestRule]) {
        let asked = Set(rules.flatMap(\.rules))
        self.rules = SuggestRule.all.rules.filter(asked.contains)
    }

    init?(argument: String) {
        let names = argument.split(separator: ",", omittingEmptySubsequences: false)
        let rules = names.compactMap { SuggestRule(rawValue: $0.trimmingCharacters(in: " ")) }
        guard !names.isEmpty, rules.count == names.count else { return nil }
        self.init(rules)
    }

    static var allValueStrings: [String] { SuggestRule.allCases.map(\.rawValue) }
    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}

/// `--mode`: which loss the sweep records.
enum SweepMode: String, ExpressibleByArgument, CaseIterable {
    case train, validation
    var loss: LearningRateFinder.SweepLoss { self == .train ? .train : .validation }
}

extension RangeTest.Spacing: ExpressibleByArgument {}

struct FindLearningRate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find-lr",
        abstract: "Run a learning-rate range test (Smith 2017; fastai lr_find) on a data set or a 2-D test function.",
        discussion: """
            The rate of update i = 0…N−1 (N = --steps) grows from --min-lr to --max-lr: \
            exponentially, αᵢ = min·(max/min)^(i/(N−1)) (--sweep exponential, the default, fastai's), \
            or linearly, αᵢ = min + (max−min)·i/(N−1) (--sweep linear, Smith's original range test). \
            After each update the loss Lᵢ is recorded — the next training mini-batch's (--mode train, \
            the default) or the validation split's as 'lab train' reports val_loss (--mode validation, \
            torch-lr-finder's val_loader mode) — and smoothed: aᵢ = β·aᵢ₋₁ + (1−β)·Lᵢ, \
            sᵢ = aᵢ/(1−βⁱ⁺¹) (bias-corrected, β = --smoothing, default 0.98; 0 = raw losses). The \
            sweep stops when sᵢ > F·min(s₀…sᵢ) (F = --diverge-factor, default 4, fastai's) or Lᵢ is \
            not finite. Parameters, optimizer state and the data order are restored afterwards. CSV \
            columns: step,lr,loss,smoothed. One stderr line per rule: 'suggested lr (RULE): X'.

            With --data the sweep and every trial run on the model 'lab train' builds from the same \
            flags (--layers, --activation, --init, --init-params, --residual, --batch-norm, --target, \
            --task, --validation, --batch-size, --seed). --plot FILE.svg|FILE.png also draws the \
            curve (raw and smoothed), each asked rule's pick on the curve (minimum's suggestion, a \
            tenth of its pick, as a second, vertical mark; with --function and no --suggest, the two \
            classic lines') and the verified trials, with gnuplot; the file is written whole or not at all.

            Rules (--suggest, one, a comma list or all): fastai's valley, steep, minimum, slide, computed exactly as fastai \
            2.8 does on the smoothed curve (its first ⌊steps/10⌋ and last 5 points dropped); and \
            verified (the default with --data): 7 candidates half a decade apart below the largest \
            rate whose smoothed loss is within 10 % of the lowest, each trained for --train-steps/8 steps; the best and the next lower \
            rate trained for --train-steps, plus the rate between them; the suggestion is the one \
            with the lowest validation loss after --train-steps (the training loss with \
            --validation 0). Its trials and its cost (in full trainings and in sweeps) go to stderr. \
            Each trial is exactly 'lab train' with that --lr and --steps.

            With --function (a 2-D test function) and no --suggest, the two classic lines are printed: \
            'suggested lr (steepest): X' and 'suggested lr (min/10): Y'; verified needs --data.

            Examples:
              lab find-lr --data digits --optimizer adam --train-steps 500
              lab find-lr --data digits --optimizer sgd --momentum 0.9 --suggest all --format plot
              lab find-lr --data digits --optimizer adam --suggest valley,verified --plot finder.png
              lab find-lr --data digits --optimizer sgd --batch-norm --mode validation --sweep linear --max-lr 1
              lab find-lr --function quadratic --start -5,-2 --optimizer sgd --min-lr 1e-6 --max-lr 10
            """
    )

    @Option(help: ArgumentHelp("A CSV file (header row, all cells numeric) or a built-in data set: \(DataTable.builtInNames.joined(separator: ", ")).",
                               valueName: "path|name"))
    var data: String?

    @OptionGroup var split: TrainSplitOptions

    @OptionGroup var modelOptions: TrainModelOptions

    @Option(help: "Test function instead of --data (formulas in 'lab optimize --help').")
    var function: FunctionName?

    @Option(parsing: .unconditional, help: "Starting point X,Y for --function, e.g. --start -5,-2.", transform: Point.parse)
    var start: Point?

    @OptionGroup var conditionOption: ConditionOption

    @OptionGroup var optimizerOptions: OptimizerOptions

    @Option(parsing: .unconditional, help: "Smallest rate of the sweep (> 0).")
    var minLr: Double = 1e-7

    @Option(parsing: .unconditional, help: "Largest rate of the sweep (> --min-lr).")
    var maxLr: Double = 10

    @Option(parsing: .unconditional, help: "Number of sweep steps N, 2 ≤ N ≤ 10⁶.")
    var steps: Int = 100

    @Option(parsing: .unconditional, help: "Training budget B ≥ 8 the verified rule judges its candidates for (steps).")
    var trainSteps: Int = 1000

    @Option(help: ArgumentHelp("Which rule(s) to print: valley, steep, minimum, slide, verified (default with --data), a comma list of them (e.g. valley,verified) or all.",
                               valueName: "rules"))
    var suggest: SuggestRules?

    @Option(help: "The loss recorded after each update: train (the next mini-batch's) or validation (the validation split's, as 'lab train' reports val_loss; needs --data and --validation > 0).")
    var mode: SweepMode = .train

    @Option(help: "How the rates are spaced: exponential, αᵢ = min·(max/min)^(i/(N−1)), or linear, αᵢ = min + (max−min)·i/(N−1).")
    var sweep: RangeTest.Spacing = .exponential

    @Option(parsing: .unconditional, help: "Stop the sweep when the smoothed loss exceeds F × its lowest so far; F > 1 (fastai's 4).")
    var divergeFactor: Double = 4

    @Option(parsing: .unconditional, help: "β of the bias-corrected moving average sᵢ = aᵢ/(1−βⁱ⁺¹), aᵢ = β·aᵢ₋₁ + (1−β)·Lᵢ; 0 ≤ β < 1 (0 = raw losses).")
    var smoothing: Double = 0.98

    @Option(help: ArgumentHelp("Also draw the curve, the rules' picks and the verified trials into this file with gnuplot (.svg or .png).",
                               valueName: "file"))
    var plot: String?

    @Option(help: "Output format: csv, table or plot.")
    var format: Format = .csv

    func validate() throws {
        try validateRate("--min-lr", minLr)
        try validateRate("--max-lr", maxLr)
        guard maxLr > minLr else { throw ValidationError("--max-lr (\(maxLr)) must be larger than --min-lr (\(minLr))") }
        guard steps >= 2 else { throw ValidationError("--steps must be ≥ 2 for a sweep (e.g. --steps 100), got \(steps)") }
        guard steps <= Limits.sweepSteps else {
            throw ValidationError("--steps must be at most \(Limits.sweepSteps) (10⁶) for a sweep, which keeps its curve in memory; got \(steps)")
        }
        guard trainSteps >= 8 else { throw ValidationError("--train-steps must be ≥ 8 (e.g. --train-steps 1000), got \(trainSteps)") }
        guard trainSteps <= Limits.steps else {
            throw ValidationError("--train-steps must be at most \(Limits.steps) (10⁸), got \(trainSteps)")
        }
        guard divergeFactor.isFinite, divergeFactor > 1 else {
            throw ValidationError("--diverge-factor must be a number > 1 (e.g. --diverge-factor 4), got \(divergeFactor)")
        }
        guard smoothing.isFinite, smoothing >= 0, smoothing < 1 else {
            throw ValidationError("--smoothing must be in [0, 1) (e.g. --smoothing 0.98, or 0 for the raw losses), got \(smoothing)")
        }
        try validateSweep()
        if let plot { try FindLearningRatePlot.validatePath(plot) }
        switch (data, function) {
        case (nil, nil): throw ValidationError("give --data PATH|NAME (e.g. --data digits) or --function NAME --start X,Y")
        case (.some, .some): throw ValidationError("give either --data or --function, not both")
        case (nil, .some):
            guard start != nil else { throw ValidationError("--function needs --start X,Y (e.g. --start -5,-2)") }
            try conditionOption.validate(for: function!)
            if suggest?.rules.contains(.verified) == true {
                throw ValidationError("--suggest verified trains on data: use --data, or --suggest valley|steep|minimum|slide")
            }
            if mode == .validation { throw ValidationError("--mode validation needs --data (a validation split to evaluate)") }
            for (flag, given) in [("--init-params", modelOptions.initParams != nil), ("--residual", modelOptions.residual),
                                  ("--batch-norm", modelOptions.batchNorm)] where given {
                throw ValidationError("\(flag) belongs to --data (a network); --function sweeps a point of the plane")
            }
        case (.some, nil):
            guard start == nil else { throw ValidationError("--start belongs to --function; --data starts from drawn weights") }
            // The verified rule tries candidates down to 10^-3.5 below the sweep's rates.
            guard (minLr / 3162.2776601683795).isNormal else {  // 10^3.5
                throw ValidationError("--min-lr \(minLr) is too small: the verified rule tries rates down to --min-lr/10^3.5, "
                                      + "which must be a normal positive number (--min-lr ≥ 1e-304)")
            }
            guard conditionOption.condition == nil else { throw ValidationError("--condition belongs to --function quadratic") }
            try split.validateOptions()
            try modelOptions.validateModel(batchSize: split.batchSize)
            if mode == .validation && split.validation == 0 {
                throw ValidationError("--mode validation needs a validation split: --validation must be > 0 (e.g. --validation 0.2), got 0")
            }
        }
    }

    var test: RangeTest {
        RangeTest(minimumRate: minLr, maximumRate: maxLr, steps: steps, smoothing: smoothing, divergenceFactor: divergeFactor,
                  spacing: sweep)
    }

    /// Every rate of the sweep is a positive, finite (normal) number, each larger than the one before:
    /// --max-lr/--min-lr must not overflow (5e-324 to 10 does) and the points must not round together.
    func validateSweep() throws {
        guard sweep == .linear || (maxLr / minLr).isFinite else {
            throw ValidationError("--max-lr/--min-lr = \(maxLr)/\(minLr) overflows to infinity, so the sweep's rates are not "
                                  + "finite; narrow the range (e.g. --min-lr 1e-7 --max-lr 10)")
        }
        let test = test
        var previous = 0.0
        for i in 0..<steps {
            let rate = test.rate(at: i)
            guard rate.isNormal, rate > previous else {
                throw ValidationError("the sweep from --min-lr \(minLr) to --max-lr \(maxLr) in \(steps) steps has rate \(rate) at "
                                      + "step \(i), not a finite positive rate larger than the one before; widen or move the range")
            }
            previous = rate
        }
    }

    func run() async throws {
        // A --plot that cannot be drawn or written fails here, before any work.
        let plotFile = try plot.map { try FindLearningRatePlot.prepare($0, data: data) }
        if let data { try await runOnData(data, plotFile: plotFile) } else { try await runOnFunction(plotFile: plotFile) }
    }

    func runOnFunction(plotFile: AtomicFile?) async throws {
        let f = conditionOption.function(function!)
        var parameters = start!.values
        var optimizer = optimizerOptions.make(lr: minLr)
        let result = test.run(parameters: &parameters, optimizer: &optimizer) { theta, _, gradient in
            f.gradient(theta, into: &gradient)
            return f.value(theta)
        }
        try refuseIfEmpty(result)
        let picks = fastaiPicks(result)
        try await emitCurve(result, picks: picks, verified: nil, plotFile: plotFile, title: "Range test: \(optimizerOptions.optimizer.rawValue) on \(f.name)")
        guard suggest != nil else {
            printError("suggested lr (steepest): \(result.steepest.map { "\($0)" } ?? "none (fewer than 3 points)")")
            printError("suggested lr (min/10): \(result.minimumOverTen.map { "\($0)" } ?? "none")")
            return
        }
        printPicks(picks)
    }

    func runOnData(_ name: String, plotFile: AtomicFile?) async throws {
        let prepared = try split.load(name)
        let network = modelOptions.network(for: prepared)
        try modelOptions.checkBatches(prepared, batchSize: split.batchSize)
        let (initial, statistics) = try modelOptions.initialState(network)
        try refuseIfTooLarge(network, prepared)
        let finder = LearningRateFinder(data: prepared, network: network, initializer: modelOptions.`init`.initializer,
                                        initialParameters: initial, initialStatistics: statistics,
                                        batchSize: split.batchSize, seed: split.seed)
        let optimizer = optimizerOptions.make(lr: minLr)
        let result = sweepCurve(finder, optimizer)
        try refuseIfEmpty(result)
        let rules = askedRules
        var verified: VerifiedSearch.Result?
        if rules.contains(.verified) {
            verified = verify(finder, optimizer, result)
        }
        let picks = fastaiPicks(result)
        try await emitCurve(result, picks: picks, verified: verified, plotFile: plotFile,
                            title: "Range test: \(optimizerOptions.optimizer.rawValue) on \(prepared.source)")
        printPicks(picks)
        if let v = verified { printVerified(v) }
    }

    /// A sweep that diverged at its first rate recorded no curve: an error, not an empty table with exit 0.
    func refuseIfEmpty(_ result: RangeTest.Result) throws {
        guard result.rates.isEmpty else { return }
        throw LabError("the sweep diverged at its first rate (--min-lr \(minLr)): no curve to read a rate from; "
                       + "lower --min-lr (e.g. --min-lr 1e-7)")
    }

    func sweepCurve(_ finder: LearningRateFinder, _ optimizer: some Optimizer) -> RangeTest.Result {
        finder.sweep(optimizer, test: test, recording: mode.loss)
    }

    func verify(_ finder: LearningRateFinder, _ optimizer: some Optimizer, _ sweep: RangeTest.Result) -> VerifiedSearch.Result {
        finder.verified(optimizer, sweep: sweep, fallback: maxLr, budget: trainSteps)
    }

    /// The rules --suggest asks for (verified when not given), in print order.
    var askedRules: [SuggestRule] { suggest?.rules ?? [.verified] }

    /// fastai's four rules on the recorded curve, for the ones asked.
    func fastaiPicks(_ result: RangeTest.Result) -> [(SuggestRule, RateSuggestion?)] {
        let curve = FastaiCurve(result, iterations: steps)
        return askedRules.compactMap { rule in
            switch rule {
            case .valley: return (rule, curve.valley())
            case .steep: return (rule, curve.steep())
            case .minimum: return (rule, curve.minimum())
            case .slide: return (rule, curve.slide())
            case .verified, .all: return nil
            }
        }
    }

    func printPicks(_ picks: [(SuggestRule, RateSuggestion?)]) {
        for (rule, pick) in picks {
            printError("suggested lr (\(rule.rawValue)): " + (pick.map { "\($0.rate)" } ?? "none (too few points after fastai's trimming)"))
        }
    }

    func printVerified(_ v: VerifiedSearch.Result) {
        printError("suggested lr (verified): \(v.rate)")
        for t in v.trials {
            let phase = ["screen", "full", "refine"][t.phase]
            printError("  verified trial (\(phase)): lr \(t.rate), \(t.steps) steps → "
                       + (t.loss.isFinite ? "loss \(t.loss)" : "diverged after \(t.stepsTrained) steps"))
        }
        printError("  verified cost: \(v.stepsTrained) training steps = \(significant(v.trainings, 3)) trainings of "
                   + "\(v.budget) steps = \(significant(v.cost(sweepSteps: steps), 3)) sweeps of \(steps) steps")
    }

    /// Prints the curve in --format; with --plot, draws the figure first and writes its file last
    /// (after standard output succeeded), so a failure leaves no file and no partial one.
    func emitCurve(_ result: RangeTest.Result, picks: [(SuggestRule, RateSuggestion?)], verified: VerifiedSearch.Result?,
                   plotFile: AtomicFile?, title: String) async throws {
        var drawing: [UInt8]?
        if let plotFile {
            drawing = try await FindLearningRatePlot.render(
                FindLearningRatePlot.figure(result, picks: data == nil && suggest == nil ? FindLearningRatePlot.classicPicks(result)
                                                : picks.map { ($0.0.rawValue, $0.1) }, verified: verified, title: title,
                                            recorded: data == nil ? "loss" : mode == .validation ? "validation loss" : "training batch loss"),
                for: plotFile.path)
        }
        let table = Table(header: ["step", "lr", "loss", "smoothed"],
                          rows: result.rates.indices.map { [Double($0), result.rates[$0], result.losses[$0], result.smoothed[$0]] })
        try await emit(table, format: format, figure: {
            var series = [Series(title: "loss", style: .points, x: result.rates, y: result.losses),
                          Series(title: "smoothed", x: result.rates, y: result.smoothed)]
            for (rule, pick) in picks {
                guard let p = pick else { continue }
                series.append(Series(title: "\(rule.rawValue) \(significant(p.rate, 3))", style: .points,
                                     x: [p.pointRate], y: [p.pointLoss]))
            }
            if let v = verified {
                let tried = v.trials.filter { $0.loss.isFinite }
                series.append(Series(title: "verified trials (val loss)", style: .points,
                                     x: tried.map(\.rate), y: tried.map(\.loss)))
                series.append(Series(title: "verified \(significant(v.rate, 3))", style: .points, x: [v.rate], y: [v.loss]))
            }
            let positive = series.allSatisfy { $0.y.allSatisfy { $0 > 0 } }
            return Figure(name: "find-lr", title: title, xLabel: "learning rate", yLabel: "loss", xScale: .log,
                          yScale: positive ? .log : .linear, series: series)
        }())
        if let plotFile, let drawing { try plotFile.commit(bytes: drawing) }
    }
}
