import ArgumentParser
import Descent
import Figures
import LabKit

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
            verified (the default with --data), which reads only that trimmed part of the sweep and \
            never goes below --min-lr: up to 7 candidates half a decade apart below the largest \
            trusted rate whose smoothed loss is within 10 % of the lowest. Screening: each is trained \
            for --train-steps/8 steps on 80 % of the training split and scored on the other 20 % (the \
            inner split; with fewer than 100 such rows a warning, and the mean over up to 5 draws). \
            The screening's best and the next lower rate are trained for --train-steps, plus the \
            rate between them, each exactly 'lab train' with that --lr and --steps; the suggestion \
            is the one with the lowest validation loss (the training loss with --validation 0) — \
            if it beats the untrained network's. Otherwise: 'suggested lr (verified): none — no \
            trial beat the untrained network (…); best fastai rule: valley Y' — the first of \
            valley, slide, steep, minimum that gives a rate (exit 0; exit 1 with --strict, also when \
            any --repeats seed finds none). A 'verified baseline' line gives the untrained network's \
            loss. Its trials, each naming its loss (cross-entropy, or MSE in standardised \
            units for regression), and its cost (in full trainings and in sweeps) go to stderr.

            --repeats K runs all of this for seeds --seed … --seed+K−1 (split, weights, sweep and \
            trials each drawn anew) after printing the usual output for --seed, then prints one \
            stderr line per rule: 'spread of RULE over K seeds (S…S+K−1): min A, median B, max C, \
            max/min R' (the median of an even count is the geometric mean of the middle two; seeds \
            where the rule gave none are counted at the end of the line).

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

    @Option(help: help(FunctionSweepSettings.option("function")))
    var function: FunctionName?

    @Option(parsing: .unconditional, help: help(FunctionSweepSettings.option("start")), transform: parsePoint)
    var start: Point?

    @OptionGroup var conditionOption: ConditionOption

    @OptionGroup var optimizerOptions: OptimizerOptions

    @Option(parsing: .unconditional, help: help(SweepSettings.option("min-lr")))
    var minLr: Double = SweepSettings().minLr

    @Option(parsing: .unconditional, help: help(SweepSettings.option("max-lr")))
    var maxLr: Double = SweepSettings().maxLr

    @Option(parsing: .unconditional, help: help(SweepSettings.option("steps")))
    var steps: Int = SweepSettings().steps

    @Option(parsing: .unconditional, help: "Training budget B ≥ 8 the verified rule judges its candidates for (steps).")
    var trainSteps: Int = 1000

    @Option(help: ArgumentHelp("Which rule(s) to print: valley, steep, minimum, slide, verified (default with --data), a comma list of them (e.g. valley,verified) or all.",
                               valueName: "rules"))
    var suggest: SuggestRules?

    @Option(help: "The loss recorded after each update: train (the next mini-batch's) or validation (the validation split's, as 'lab train' reports val_loss; needs --data and --validation > 0).")
    var mode: SweepMode = .train

    @Option(help: help(SweepSettings.option("sweep")))
    var sweep: RangeTest.Spacing = SweepSettings().spacing

    @Option(parsing: .unconditional, help: help(SweepSettings.option("diverge-factor")))
    var divergeFactor: Double = SweepSettings().divergeFactor

    @Option(parsing: .unconditional, help: help(SweepSettings.option("smoothing")))
    var smoothing: Double = SweepSettings().smoothing

    @Option(help: ArgumentHelp("Also draw the curve, the rules' picks and the verified trials into this file with gnuplot (.svg or .png).",
                               valueName: "file"))
    var plot: String?

    @Option(help: "Output format: csv, table or plot.")
    var format: Format = .csv

    @Flag(help: "Exit with status 1 (after printing everything) when the verified rule finds no rate that beats the untrained network (on any of the --repeats seeds).")
    var strict = false

    @Option(parsing: .unconditional, help: "Run the finder for K seeds (--seed, --seed+1, …), 1 ≤ K ≤ 1000, and print the spread of each rule's pick.")
    var repeats: Int = 1

    func validate() throws {
        try checked { () throws(OptionError) in try sweepSettings.validateRange() }
        guard trainSteps >= 8 else { throw ValidationError("--train-steps must be ≥ 8 (e.g. --train-steps 1000), got \(trainSteps)") }
        guard trainSteps <= Limits.steps else {
            throw ValidationError("--train-steps must be at most \(Limits.steps) (10⁸), got \(trainSteps)")
        }
        try checked { () throws(OptionError) in try sweepSettings.validateShape() }
        guard repeats >= 1, repeats <= 1000 else { throw ValidationError("--repeats must be in 1…1000 (e.g. --repeats 20), got \(repeats)") }
        guard UInt64.max - split.seed >= UInt64(repeats - 1) else {
            throw ValidationError("--seed \(split.seed) + --repeats \(repeats) − 1 overflows the 64-bit seed; use a smaller --seed")
        }
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
            guard repeats == 1 else { throw ValidationError("--repeats draws data seeds: use --data (a --function sweep has no seed)") }
            if mode == .validation { throw ValidationError("--mode validation needs --data (a validation split to evaluate)") }
            for (flag, given) in [("--init-params", modelOptions.initParams != nil), ("--residual", modelOptions.residual),
                                  ("--batch-norm", modelOptions.batchNorm), ("--threads", modelOptions.threads != 1)]
                where given {
                throw ValidationError("\(flag) belongs to --data (a network); --function sweeps a point of the plane")
            }
        case (.some, nil):
            guard start == nil else { throw ValidationError("--start belongs to --function; --data starts from drawn weights") }
            guard conditionOption.condition == nil else { throw ValidationError("--condition belongs to --function quadratic") }
            try split.validateOptions()
            try modelOptions.validateModel(batchSize: split.batchSize)
            if mode == .validation && split.validation == 0 {
                throw ValidationError("--mode validation needs a validation split: --validation must be > 0 (e.g. --validation 0.2), got 0")
            }
        }
    }

    /// The sweep's settings as LabKit's value.
    var sweepSettings: SweepSettings {
        SweepSettings(minLr: minLr, maxLr: maxLr, steps: steps, smoothing: smoothing, divergeFactor: divergeFactor, spacing: sweep)
    }

    var test: RangeTest { sweepSettings.test }

    func run() async throws {
        // A --plot that cannot be drawn or written fails here, before any work.
        let plotFile = try plot.map { try FindLearningRatePlot.prepare($0, data: data) }
        if let data { try await runOnData(data, plotFile: plotFile) } else { try await runOnFunction(plotFile: plotFile) }
    }

    func runOnFunction(plotFile: OutputFile?) async throws {
        let settings = FunctionSweepSettings(function: function!, start: start!, condition: conditionOption.condition,
                                             optimizer: optimizerOptions.settings, sweep: sweepSettings)
        let f = settings.testFunction
        let result = settings.run()
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

    /// What one find-lr run on a data set found.
    struct Finding {
        let prepared: PreparedData
        let sweep: RangeTest.Result
        let picks: [(SuggestRule, RateSuggestion?)]
        let verified: VerifiedSearch.Result?
    }

    /// The whole run on `table` for one seed: split, weights, sweep, fastai's rules and (if asked) verified.
    func find(_ table: DataTable, seed: UInt64) throws -> Finding {
        var split = self.split
        split.seed = seed
        let prepared = try split.prepare(table)
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
        return Finding(prepared: prepared, sweep: result, picks: fastaiPicks(result), verified: verified)
    }

    func runOnData(_ name: String, plotFile: OutputFile?) async throws {
        modelOptions.applyThreads()
        let table = try loadTable(name)
        let first = try find(table, seed: split.seed)
        let prepared = first.prepared
        if prepared.taskWasInferred { Notes.add(prepared.taskNote) }
        try await emitCurve(first.sweep, picks: first.picks, verified: first.verified, plotFile: plotFile,
                            title: "Range test: \(optimizerOptions.optimizer.rawValue) on \(prepared.source)")
        printPicks(first.picks)
        if let v = first.verified { printVerified(v, first) }
        var findings = [first]
        if repeats > 1 {
            for k in 1..<repeats { findings.append(try find(table, seed: split.seed + UInt64(k))) }
            printSpread(findings)
        }
        if strict, findings.contains(where: { $0.verified != nil && $0.verified?.rate == nil }) {
            Notes.flush()
            terminate(1)
        }
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
        finder.verified(optimizer, sweep: sweep, test: test, budget: trainSteps)
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

    /// What the verified rule's losses are: "validation loss (cross-entropy)", "training loss (MSE,
    /// standardised units)", ….
    static func lossName(_ data: PreparedData) -> String {
        (data.validation == nil ? "training loss" : "validation loss")
            + (data.task == .regression ? " (MSE, standardised units)" : " (cross-entropy)")
    }

    func printVerified(_ v: VerifiedSearch.Result, _ finding: Finding) {
        let judged = Self.lossName(finding.prepared)
        let screening = v.screening ?? VerifiedSearch.Screening(rows: 0, draws: 1)
        if screening.rows > 0 && screening.draws > 1 {
            printError("warning: the verified rule's inner hold-out has \(screening.rows) rows, fewer than "
                       + "\(VerifiedSearch().minimumScreenRows): its screening averages \(screening.draws) draws of the inner split")
        }
        if let rate = v.rate {
            printError("suggested lr (verified): \(rate)")
        } else {
            let fallback = VerifiedSearch.fallback(FastaiCurve(finding.sweep, iterations: steps))
            printError("suggested lr (verified): none — no trial beat the untrained network (\(judged) \(v.untrainedLoss)); "
                       + "best fastai rule: " + (fallback.map { "\($0.rule) \($0.suggestion.rate)" } ?? "none (too few points after fastai's trimming)"))
        }
        let screened: String
        if screening.rows == 0 {
            screened = judged
        } else {
            let kind = finding.prepared.task == .regression ? "MSE, standardised units" : "cross-entropy"
            screened = "inner-split validation loss (" + kind
                + (screening.draws > 1 ? ", mean of \(screening.draws) draws of \(screening.rows) rows)" : ")")
        }
        printError("  verified baseline: the untrained network → \(judged) \(v.untrainedLoss)")
        for t in v.trials {
            let phase = ["screen", "full", "refine"][t.phase]
            printError("  verified trial (\(phase)): lr \(t.rate), \(t.steps) steps → "
                       + (t.loss.isFinite ? "\(t.phase == 0 ? screened : judged) \(t.loss)"
                                          : "diverged after \(t.stepsTrained) steps" + (t.phase == 0 && screening.draws > 1 ? " (over \(screening.draws) draws)" : "")))
        }
        printError("  verified cost: \(v.stepsTrained) training steps = \(significant(v.trainings, 3)) trainings of "
                   + "\(v.budget) steps = \(significant(v.cost(sweepSteps: steps), 3)) sweeps of \(steps) steps")
    }

    /// One stderr line per rule: the spread of its pick over the seeds of `findings`.
    func printSpread(_ findings: [Finding]) {
        let k = findings.count
        var rows: [(String, [Double?])] = []
        for (i, (rule, _)) in findings[0].picks.enumerated() {
            rows.append((rule.rawValue, findings.map { $0.picks[i].1?.rate }))
        }
        if findings[0].verified != nil { rows.append(("verified", findings.map { $0.verified?.rate })) }
        for (rule, picks) in rows {
            let rates = picks.compactMap { $0 }.sorted()
            let missing = k - rates.count
            let note = missing == 0 ? "" : " (\(missing) of \(k) seeds gave none)"
            guard let lo = rates.first, let hi = rates.last else {
                printError("spread of \(rule) over \(k) seeds: none on every seed")
                continue
            }
            let n = rates.count
            let median = n % 2 == 1 ? rates[n / 2] : (rates[n / 2 - 1] * rates[n / 2]).squareRoot()
            printError("spread of \(rule) over \(k) seeds (\(split.seed)…\(split.seed + UInt64(k - 1))): min \(significant(lo, 4)), "
                       + "median \(significant(median, 4)), max \(significant(hi, 4)), max/min \(significant(hi / lo, 4))" + note)
        }
    }

    /// Prints the curve in --format; with --plot, draws the figure first and writes its file last
    /// (after standard output succeeded), so a failure leaves no file and no partial one.
    func emitCurve(_ result: RangeTest.Result, picks: [(SuggestRule, RateSuggestion?)], verified: VerifiedSearch.Result?,
                   plotFile: OutputFile?, title: String) async throws {
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
                // The full-budget trials: the screening's losses are on the inner split, another measure.
                let tried = v.trials.filter { $0.loss.isFinite && $0.phase > 0 }
                series.append(Series(title: "verified trials (val loss)", style: .points,
                                     x: tried.map(\.rate), y: tried.map(\.loss)))
                if let rate = v.rate, let loss = v.loss {
                    series.append(Series(title: "verified \(significant(rate, 3))", style: .points, x: [rate], y: [loss]))
                }
            }
            let positive = series.allSatisfy { $0.y.allSatisfy { $0 > 0 } }
            return Figure(name: "find-lr", title: title, xLabel: "learning rate", yLabel: "loss", xScale: .log,
                          yScale: positive ? .log : .linear, series: series)
        }())
        if let plotFile, let drawing { try plotFile.commit(bytes: drawing) }
    }
}
