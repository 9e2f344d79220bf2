import ArgumentParser
import Descent
import Figures

/// The rules `--suggest` can ask for.
enum SuggestRule: String, ExpressibleByArgument, CaseIterable {
    case valley, steep, minimum, slide, verified, all

    /// The rules this choice stands for, in print order.
    var rules: [SuggestRule] { self == .all ? [.valley, .steep, .minimum, .slide, .verified] : [self] }
}

struct FindLearningRate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find-lr",
        abstract: "Run a learning-rate range test (Smith 2017; fastai lr_find) on a data set or a 2-D test function.",
        discussion: """
            The rate grows exponentially from --min-lr to --max-lr over --steps updates; after each \
            update the loss is recorded and smoothed (β = 0.98, bias-corrected); the sweep stops \
            when the smoothed loss exceeds 4× its best. Parameters, optimizer state and the data \
            order are restored afterwards. CSV columns: step,lr,loss,smoothed. One stderr line per \
            rule: 'suggested lr (RULE): X'.

            Rules (--suggest): fastai's valley, steep, minimum, slide, computed exactly as fastai \
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
              lab find-lr --function quadratic --start -5,-2 --optimizer sgd --min-lr 1e-6 --max-lr 10
            """
    )

    @Option(help: ArgumentHelp("A CSV file (header row, all cells numeric) or a built-in data set: \(DataTable.builtInNames.joined(separator: ", ")).",
                               valueName: "path|name"))
    var data: String?

    @Option(help: "The target column's name (default: the last column).")
    var target: String?

    @Option(help: "regression or classification (default: classification when the target has ≤ 20 distinct integer values).")
    var task: TaskKind?

    @Option(parsing: .unconditional, help: "Fraction f ∈ [0, 1) of rows held out for validation (the last ⌈f·n⌉ of a seeded permutation); 0 = no split.")
    var validation: Double = 0.2

    @Option(parsing: .unconditional, help: "Mini-batch size; 0 = the whole training split (full batch).")
    var batchSize: Int = 32

    @Option(parsing: .unconditional, help: "Seed of the split, the initial weights and the batch order (as 'lab train').")
    var seed: UInt64 = 42

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

    @Option(help: "Which rule(s) to print: valley, steep, minimum, slide, verified (default with --data) or all.")
    var suggest: SuggestRule?

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
        try validateSweep()
        switch (data, function) {
        case (nil, nil): throw ValidationError("give --data PATH|NAME (e.g. --data digits) or --function NAME --start X,Y")
        case (.some, .some): throw ValidationError("give either --data or --function, not both")
        case (nil, .some):
            guard start != nil else { throw ValidationError("--function needs --start X,Y (e.g. --start -5,-2)") }
            try conditionOption.validate(for: function!)
            if suggest?.rules.contains(.verified) == true {
                throw ValidationError("--suggest verified trains on data: use --data, or --suggest valley|steep|minimum|slide")
            }
        case (.some, nil):
            guard start == nil else { throw ValidationError("--start belongs to --function; --data starts from drawn weights") }
            // The verified rule tries candidates down to 10^-3.5 below the sweep's rates.
            guard (minLr / 3162.2776601683795).isNormal else {  // 10^3.5
                throw ValidationError("--min-lr \(minLr) is too small: the verified rule tries rates down to --min-lr/10^3.5, "
                                      + "which must be a normal positive number (--min-lr ≥ 1e-304)")
            }
            guard conditionOption.condition == nil else { throw ValidationError("--condition belongs to --function quadratic") }
            guard validation.isFinite, validation >= 0, validation < 1 else {
                throw ValidationError("--validation must be in [0, 1) (e.g. --validation 0.2, or 0 for no split), got \(validation)")
            }
            guard batchSize >= 0 else { throw ValidationError("--batch-size must be ≥ 0 (0 = full batch), got \(batchSize)") }
        }
    }

    var test: RangeTest { RangeTest(minimumRate: minLr, maximumRate: maxLr, steps: steps) }

    /// Every rate of the sweep is a positive, finite (normal) number, each larger than the one before:
    /// --max-lr/--min-lr must not overflow (5e-324 to 10 does) and the points must not round together.
    func validateSweep() throws {
        guard (maxLr / minLr).isFinite else {
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
        if let data { try await runOnData(data) } else { try await runOnFunction() }
    }

    func runOnFunction() async throws {
        let f = conditionOption.function(function!)
        var parameters = start!.values
        var optimizer = optimizerOptions.make(lr: minLr)
        let result = test.run(parameters: &parameters, optimizer: &optimizer) { theta, _, gradient in
            f.gradient(theta, into: &gradient)
            return f.value(theta)
        }
        try refuseIfEmpty(result)
        let picks = fastaiPicks(result)
        try await emitCurve(result, picks: picks, verified: nil, title: "Range test: \(optimizerOptions.optimizer.rawValue) on \(f.name)")
        guard suggest != nil else {
            printError("suggested lr (steepest): \(result.steepest.map { "\($0)" } ?? "none (fewer than 3 points)")")
            printError("suggested lr (min/10): \(result.minimumOverTen.map { "\($0)" } ?? "none")")
            return
        }
        printPicks(picks)
    }

    func runOnData(_ name: String) async throws {
        let table = try loadTable(name)
        let prepared: PreparedData
        do {
            prepared = try PreparedData(table, target: target, task: task, validationFraction: validation, seed: seed,
                                        memoryLimit: memoryLimit())
        } catch { throw LabError(error.description) }
        if prepared.taskWasInferred { Notes.add(prepared.taskNote) }
        let network = prepared.network(hidden: modelOptions.layers.widths, activation: modelOptions.activation.activation)
        try refuseIfTooLarge(network, prepared)
        let finder = LearningRateFinder(data: prepared, network: network, initializer: modelOptions.`init`.initializer,
                                        batchSize: batchSize, seed: seed)
        let optimizer = optimizerOptions.make(lr: minLr)
        let result = sweep(finder, optimizer)
        try refuseIfEmpty(result)
        let rules = (suggest ?? .verified).rules
        var verified: VerifiedSearch.Result?
        if rules.contains(.verified) {
            verified = verify(finder, optimizer, result)
        }
        let picks = fastaiPicks(result)
        try await emitCurve(result, picks: picks, verified: verified,
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

    func sweep(_ finder: LearningRateFinder, _ optimizer: some Optimizer) -> RangeTest.Result {
        finder.sweep(optimizer, test: test)
    }

    func verify(_ finder: LearningRateFinder, _ optimizer: some Optimizer, _ sweep: RangeTest.Result) -> VerifiedSearch.Result {
        finder.verified(optimizer, sweep: sweep, fallback: maxLr, budget: trainSteps)
    }

    /// fastai's four rules on the recorded curve, for the ones asked.
    func fastaiPicks(_ result: RangeTest.Result) -> [(SuggestRule, RateSuggestion?)] {
        let curve = FastaiCurve(result, iterations: steps)
        return (suggest ?? .verified).rules.compactMap { rule in
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

    func emitCurve(_ result: RangeTest.Result, picks: [(SuggestRule, RateSuggestion?)], verified: VerifiedSearch.Result?,
                   title: String) async throws {
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
    }
}
