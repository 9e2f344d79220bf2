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

    @Flag(help: "Exit with status 1 (after printing everything) when the verified rule finds no rate that beats the untrained network (on any of the --repeats seeds).")
    var strict = false

    @Option(parsing: .unconditional, help: "Run the finder for K seeds (--seed, --seed+1, …), 1 ≤ K ≤ 1000, and print the spread of each rule's pick.")
    var repeats: Int = 1

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
        guard repeats >= 1, repeats <= 1000 else { throw ValidationError("--repeats must be in 1…1000 (e.g. --repeats 20), got \(repeats)") }
        guard UInt64.max - seed >= UInt64(repeats - 1) else {
            throw ValidationError("--seed \(seed) + --repeats \(repeats) − 1 overflows the 64-bit seed; use a smaller --seed")
        }
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
        case (.some, nil):
            guard start == nil else { throw ValidationError("--start belongs to --function; --data starts from drawn weights") }
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

    /// What one find-lr run on a data set found.
    struct Finding {
        let prepared: PreparedData
        let sweep: RangeTest.Result
        let picks: [(SuggestRule, RateSuggestion?)]
        let verified: VerifiedSearch.Result?
    }

    /// The whole run on `table` for one seed: split, weights, sweep, fastai's rules and (if asked) verified.
    func find(_ table: DataTable, seed: UInt64) throws -> Finding {
        let prepared: PreparedData
        do {
            prepared = try PreparedData(table, target: target, task: task, validationFraction: validation, seed: seed,
                                        memoryLimit: memoryLimit())
        } catch { throw LabError(error.description) }
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
        return Finding(prepared: prepared, sweep: result, picks: fastaiPicks(result), verified: verified)
    }

    func runOnData(_ name: String) async throws {
        let table = try loadTable(name)
        let first = try find(table, seed: seed)
        let prepared = first.prepared
        if prepared.taskWasInferred { Notes.add(prepared.taskNote) }
        try await emitCurve(first.sweep, picks: first.picks, verified: first.verified,
                            title: "Range test: \(optimizerOptions.optimizer.rawValue) on \(prepared.source)")
        printPicks(first.picks)
        if let v = first.verified { printVerified(v, first) }
        var findings = [first]
        if repeats > 1 {
            for k in 1..<repeats { findings.append(try find(table, seed: seed + UInt64(k))) }
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

    func sweep(_ finder: LearningRateFinder, _ optimizer: some Optimizer) -> RangeTest.Result {
        finder.sweep(optimizer, test: test)
    }

    func verify(_ finder: LearningRateFinder, _ optimizer: some Optimizer, _ sweep: RangeTest.Result) -> VerifiedSearch.Result {
        finder.verified(optimizer, sweep: sweep, test: test, budget: trainSteps)
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
            printError("spread of \(rule) over \(k) seeds (\(seed)…\(seed + UInt64(k - 1))): min \(significant(lo, 4)), "
                       + "median \(significant(median, 4)), max \(significant(hi, 4)), max/min \(significant(hi / lo, 4))" + note)
        }
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
    }
}
