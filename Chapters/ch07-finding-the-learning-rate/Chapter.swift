// Chapter 7 — finding the learning rate (the article's title; FAQ Q4).
import ArgumentParser
import Descent
import Figures
import Notebook
import RealModule

@main
struct FindingTheRate: ChapterCommand {
    static let slug = "ch07-finding-the-learning-rate"
    @OptionGroup var options: ChapterOptions

    @Option(help: "Training budget B (steps) the grid, the rules' rates and the verified rule are judged for.")
    var budget: Int = 300

    func validate() throws {
        guard budget >= 16 else { throw ValidationError("--budget must be ≥ 16 steps (e.g. --budget 300)") }
    }

    func body(_ nb: Notebook) async throws {
        try await Chapter7(nb: nb, budget: nb.quick ? 60 : budget).write()
    }
}

struct Chapter7 {
    let nb: Notebook
    let budget: Int

    func write() async throws {
        nb.prose("""
            The article's title asks how to find the best learning rate; its answer (FAQ Q4) is to try values and \
            watch the model, or to use a schedule. The **learning-rate range test** (Smith, WACV 2017; fastai's \
            `lr_find`) trains once while the rate grows exponentially and reads a rate off the loss curve. fastai \
            offers four rules for that reading — `valley` (its default), `steep`, `minimum` and `slide` — and users of \
            every finder report that the suggestion is not robust. This chapter measures how often each rule lands on \
            a rate that trains well, on real data, against a grid search; adds a fifth rule, **verified**, that tries \
            its candidates before it answers; and checks the range test on a quadratic where the answer is known \
            exactly.
            """)

        // 1. The range test on digits.
        nb.section("The range test on handwritten digits")
        let task = DigitsTask(seed: nb.seed)
        let test = RangeTest()  // fastai's defaults: 100 steps from 10⁻⁷ to 10, β = 0.98, stop at 4× the best
        let reports = nb.step("Range tests and verified searches", total: contenders.count) { p in
            contenders.map { c in
                defer { p.advance() }
                return rules(c.name, c.make, task: task, test: test, budget: budget)
            }
        }
        nb.prose("""
            The data: `digits`, the 8×8 handwritten digits of the UCI repository (1,797 images, 10 classes), the set \
            `lab train --data digits` uses; 20 % held out for validation by a split drawn from the seed, pixels \
            z-scored with the training split's statistics. The model: an MLP 64 → 32 → 10 with tanh and Xavier-uniform \
            weights, softmax cross-entropy, batches of 32. The sweep is fastai's: \(test.steps) steps from 10⁻⁷ to 10, \
            the loss smoothed by an exponential moving average (β = 0.98, bias-corrected), stopped once the smoothed \
            loss exceeds 4× its best. fastai's rules read the smoothed curve after dropping its first \
            ⌊\(test.steps)/10⌋ and last 5 points, exactly as fastai 2.8 does (the tests compare Descent's rules with \
            fastai's own functions on 17 curves). The same run is `lab find-lr --data digits --layers 32 \
            --optimizer adam --suggest all`.
            """)
        try await nb.figure(Figure(name: "range-test",
                                   title: "Range test on digits, five optimizers, fastai's four rules",
                                   plots: reports.map(rangePlot), columns: 3, size: wide),
                            caption: "Grey points: the mini-batch loss after each step; black line: the smoothed curve "
                                + "the rules read. Each fastai rule is a stem from its own row at the bottom up to the "
                                + "point it picked on the curve (minimum suggests a tenth of its point's rate).")

        // 2. Ground truth.
        nb.section("Ground truth: a grid search for the budget")
        let exponents = nb.quick ? stride(from: -4.0, through: 1,
                                          by: 0.5).map { $0 } : (0...20).map { -4 + Double($0) / 4 }
        let seeds: [UInt64] = nb.quick ? [nb.seed] : [nb.seed, nb.seed &+ 1]
        let tasks = seeds.map { $0 == nb.seed ? task : DigitsTask(seed: $0) }
        let total = contenders.count * exponents.count
        let grid: [[Double]] = nb.step("Grid search: \(total * seeds.count) training runs", total: total) { p in
            contenders.map { c in
                exponents.map { e in
                    defer { p.advance() }
                    return meanLoss(c.make, rate: Double.pow(10, e), tasks: tasks, budget: budget)
                }
            }
        }
        let start = tasks.map { $0.validationLoss(Adam(learningRate: 1), rate: 1,
                                                  steps: 0) }.reduce(0, +) / Double(seeds.count)
        nb.prose("""
            Each optimizer trained at \(exponents.count) rates from 10⁻⁴ to 10 (\(nb.quick ? "half" : "a quarter of") \
            a decade apart) for B = \(budget) steps with \(seeds.count) seed\(seeds.count > 1 ? "s" : "") (the seed \
            draws the split, the initial weights and the batch order); the score is the mean validation loss after B \
            steps. Before training it is \(Fmt.fixed(start, 3)) (about ln 10 = 2.303, a uniform guess). A rule \
            **hits** when training at its rate reaches a mean validation loss ≤ best + 0.1 × (\(Fmt.fixed(start, 3)) − \
            best): it captures 90 % of the improvement the grid's best rate achieves.
            """)
        var rows: [[String]] = [], ruleRows: [[String]] = []
        var hits = Dictionary(uniqueKeysWithValues: ruleNames.map { ($0, 0) })
        var best: [String: (rate: Double, loss: Double)] = [:], edge: [String: Double] = [:]
        var trained: [[String: Double]] = []
        var common = Set(exponents.indices)  // grid rates that hit for every optimizer
        for (i, c) in contenders.enumerated() {
            let finite = grid[i].indices.filter { grid[i][$0].isFinite }
            let bi = finite.min { grid[i][$0] < grid[i][$1] }!
            let b = (rate: Double.pow(10, exponents[bi]), loss: grid[i][bi])
            best[c.name] = b
            let threshold = b.loss + 0.1 * (start - b.loss)
            let good = finite.filter { grid[i][$0] <= threshold }
            common.formIntersection(good)
            let diverged = grid[i].indices.first { !grid[i][$0].isFinite }
            if let d = diverged { edge[c.name] = Double.pow(10, exponents[d]) }
            rows.append([c.name, Fmt.sig(b.rate, 3), Fmt.fixed(b.loss, 4),
                         "\(Fmt.sig(Double.pow(10, exponents[good.first!]), 2)) – "
                                 + "\(Fmt.sig(Double.pow(10, exponents[good.last!]), 2))",
                         diverged.map { Fmt.sig(Double.pow(10, exponents[$0]), 2) } ?? "none ≤ 10"])
            var losses: [String: Double] = [:]
            var cells = [c.name]
            for rule in ruleNames {
                guard let rate = reports[i].rates[rule] else { cells.append("—"); continue }
                let l = meanLoss(c.make, rate: rate, tasks: tasks, budget: budget)
                losses[rule] = l
                let hit = l.isFinite && l <= threshold
                if hit { hits[rule]! += 1 }
                cells.append("\(Fmt.sig(rate, 2)) → \(l.isFinite ? Fmt.fixed(l, 3) : "diverged")\(hit ? " ✓" : "")")
            }
            trained.append(losses)
            ruleRows.append(cells)
        }
        nb.table(Table(header: ["optimizer", "grid's best α", "val loss at best", "rates that hit (grid)",
                                "first non-finite loss"],
                       rows: rows, rightAligned: [false, true, true, true, true]),
                 caption: "What the grid says after B = \(budget) steps.")
        try await nb.figure(Figure(name: "grid",
                                   title: "Validation loss after \(budget) steps vs rate, and each rule's rate",
                                   plots: contenders.indices.map { i in
            let b = best[contenders[i].name]!.loss
            return gridPlot(i, exponents: exponents, grid: grid[i], report: reports[i], trained: trained[i],
                            threshold: b + 0.1 * (start - b))
        },
                                   columns: 3, size: wide),
                            caption: "Grey line: the grid (mean over seeds; a gap is a non-finite loss). Each rule's "
                                + "rate is a stem from the rule's own row under the curve up to the validation loss it "
                                + "reached, trained for the same budget and seeds. Dotted line: the hit threshold.")
        let ratios = contenders.compactMap { c in edge[c.name].map { (c.name, $0 / best[c.name]!.rate) } }
        let commonRates = common.sorted().map { Fmt.sig(Double.pow(10, exponents[$0]), 2) }
        let commonText = commonRates.isEmpty
            ? "no rate of the grid hits for all five optimizers"
            : "only \(commonRates.count) of the grid's \(exponents.count) rates "
                    + "\(commonRates.count == 1 ? "hits" : "hit") for all five "
                + "optimizers (\(commonRates.joined(separator: ", ")))"
        let edgeFactors = ratios.map { "\(Fmt.sig($0.1, 2)) (\($0.0))" }.joined(separator: ", ")
        let edgeText = ratios.isEmpty ? ""
            : "The first rate of the grid whose loss turned non-finite sits above the best by a factor of "
                + "\(edgeFactors)."
        nb.prose("""
            The best rates after \(budget) steps: \
            \(contenders.map { "\($0.name) \(Fmt.sig(best[$0.name]!.rate, 2))" }.joined(separator: ", ")). The ratio \
            of plain SGD's best rate to Adam's is \(Fmt.fixed(best["SGD"]!.rate / best["Adam"]!.rate, 0)), and \
            \(commonText). \
            \(edgeText)
            """)

        nb.section("Every rule against the grid")
        nb.table(Table(header: ["optimizer"] + ruleNames, rows: ruleRows,
                       rightAligned: [false] + ruleNames.map { _ in true }),
                 caption: "Each rule's rate → the mean validation loss after B = \(budget) steps at that rate; "
                         + "✓ = a hit.")
        let fastaiRules = Array(ruleNames.dropLast())
        let fastaiBest = fastaiRules.map { hits[$0]! }.max()!
        let v = hits["verified"]!
        let ties = fastaiRules.filter { hits[$0]! == v }, behind = fastaiRules.filter { hits[$0]! < v }
        let costs = reports.map { $0.verified.cost(sweepSteps: test.steps) }
        let costText = Fmt.sig(costs.min()!, 3) == Fmt.sig(costs.max()!, 3)
            ? Fmt.sig(costs.min()!, 3) : "\(Fmt.sig(costs.min()!, 3))–\(Fmt.sig(costs.max()!, 3))"
        let tieText = ties.isEmpty ? "" : "as often as \(words(ties)) (\(v)\(ties.count > 1 ? " each" : ""))"
        let behindText = behind.isEmpty ? "" : "more often than \(words(behind.map { "\($0) (\(hits[$0]!))" }))"
        nb.prose("""
            Hits out of five optimizers: \(ruleNames.map { "\($0) \(hits[$0]!)" }.joined(separator: ", ")). Every \
            rule's rate comes from the sweep (and verified's trials) on seed \(nb.seed); each rate is then scored over \
            \(seeds.count > 1 ? "the grid's \(seeds.count) seeds" : "the grid's seed"). \
            \(nb.claim("Scored so, verified hits at least as often as every one of fastai's rules",
                       holds: v >= fastaiBest,
                       evidence: "verified \(v), best fastai rule \(fastaiBest)")): \
            \([tieText, behindText].filter { !$0.isEmpty }.joined(separator: ", and ")). It pays for that with \
            training: \(costText) sweeps' worth of steps on top of the one sweep all the rules share (the verified \
            section below). The benchmark in `Benchmarks/finder/` (in the repository) counts hits the same way over 10 \
            data-set × optimizer cases (digits, real held-out sets and synthetic ones; classification and regression); \
            the repository's `Benchmarks/README.md` has its table.
            """)

        // 3. Why the curve misleads: the smoothing lag.
        nb.section("Why the curve misleads: smoothing lags the sweep")
        try await smoothingLag()

        // 4. Verified.
        nb.section("A suggestion that has been tried: verified")
        let cost = reports.map { $0.verified.trainings }
        let sweeps = reports.map { $0.verified.cost(sweepSteps: test.steps) }
        let trialCosts = zip(reports, zip(cost, sweeps)).map { r, c in
            "\(r.optimizer) \(Fmt.sig(c.0, 3)) trainings (\(Fmt.sig(c.1, 3)) sweeps)"
        }.joined(separator: ", ")
        let suggestions = reports.map { "verified (\($0.optimizer)): α = \(Fmt.sig($0.verified.rate, 4))" }
            .joined(separator: ", ")
        nb.prose("""
            fastai's rules read one noisy curve recorded while the rate was rising; none of them knows the budget. \
            `verified` uses the sweep only to place candidates: 7 rates half a decade apart below the largest rate at \
            which the sweep's smoothed loss was still within 10 % of its lowest; each is trained for B/8 = \
            \(Int((Double(budget) / 8).rounded(.up))) steps and judged on validation loss; the winner and the next \
            lower rate (the best rate only falls as the budget grows) are trained for the full B, with the rate \
            between them; the answer is the best of those three. Each trial is exactly `lab train` at that rate. Its \
            cost here: \(trialCosts) — at most 7/8 + 3 = 3.9 trainings of B steps. The suggestions: \(suggestions).
            """)
        try await nb.figure(Figure(name: "verified", title: "The verified rule's trials (\(budget)-step budget)",
                                   plots: reports.map(trialPlot), columns: 3, size: wide),
                            caption: "One seed (\(nb.seed)), the sweep's. Open markers: screening runs (B/8 steps); "
                                + "filled: full-budget runs; the suggestion is the lowest filled marker.")

        // 5. One-cycle from the verified rate.
        nb.section("Using the suggestion: the one-cycle policy")
        try await oneCycle(reports: reports, tasks: tasks)

        // 6. The quadratic.
        nb.section("An exact check: the quadratic")
        try quadraticCheck()

        let edgeSentence = "on digits the first diverging rate of the grid was "
            + ratios.map { "\(Fmt.sig($0.1, 2))× (\($0.0))" }.joined(separator: ", ") + " above the best"
        nb.callout("How to choose a learning rate — a recipe, and where this book showed each step", """
            1. **Initialise for your activation** (Xavier for tanh, He for ReLU) so gradients reach every layer — \
            [chapter 1](../ch01-vanishing-gradients/README.md).
            2. **Run a range test** with your optimizer, then **try its candidates for your budget**: `lab find-lr \
            --data … --train-steps B` does both (verified, this chapter).
            3. **Find the rate again for every optimizer**: on digits plain SGD's best rate was \
            \(Fmt.sig(best["SGD"]!.rate, 2)) and Adam's \(Fmt.sig(best["Adam"]!.rate, 2)) (table 1), and \(commonText).
            4. **Stay under the edge**: on a quadratic the best fixed rate 2/(λmin + λmax) sits just below the \
            divergence threshold 2/λmax — [chapter 2](../ch02-fixed-vs-decayed-rates/README.md); \
            \(ratios.isEmpty ? "on digits no rate of the grid diverged within B steps" : edgeSentence), \
            so measure the edge for your network rather than assume the best rate sits just below it.
            5. **Decay at the end** (cosine, one-cycle) to get under mini-batch SGD's noise floor — [chapter \
            2](../ch02-fixed-vs-decayed-rates/README.md) and the one-cycle section above.
            6. **Prefer adaptive methods when gradient scales differ** across parameters (rare features, deep nets), \
            and use Adam *with* bias correction — chapters [3](../ch03-adagrad/README.md), \
            [4](../ch04-rmsprop/README.md) and [5](../ch05-adam/README.md).
            7. **Clip gradients** when a bad start can explode — [chapter 1](../ch01-vanishing-gradients/README.md).
            8. **Check with two or three seeds** before trusting a difference — chapters 2, 5 and 7.
            """)

        nb.exercise("Halve the budget (`lab find-lr --data digits --layers 32 --optimizer adam --suggest all "
                        + "--train-steps \(budget / 2)`; this chapter: `--budget \(budget / 2)`). Which rules' rates "
                        + "move, and does the grid's best rate move with them?",
                    solution: "half-budget") {
            // solution: half-budget
            let task = DigitsTask(seed: 42), half = 150
            let adam = rules("Adam", { Adam(learningRate: $0) }, task: task, test: RangeTest(), budget: half)
            let grid = (0...20).map { -4 + Double($0) / 4 }.map { e -> (Double, Double) in
                let rate = Double.pow(10, e)
                return (rate, task.validationLoss(Adam(learningRate: rate), rate: rate, steps: half))
            }
            let best = grid.filter { $0.1.isFinite }.min { $0.1 < $1.1 }!
            return "Adam, B = \(half): valley \(Fmt.sig(adam.rates["valley"]!, 3)) (the sweep does not know B), "
                + "verified \(Fmt.sig(adam.verified.rate, 3)), grid's best \(Fmt.sig(best.0, 3)). Only verified sees "
                + "the budget, so only it can follow the grid's best when B changes."
            // end solution
        }
        nb.exercise("Push one-cycle's peak to 3× the verified rate for momentum. Does the warm-up let it survive a "
                    + "rate at which the constant schedule diverges or does worse?", solution: "higher-peak") {
            // solution: higher-peak
            let task = DigitsTask(seed: 42), steps = 300
            let momentum = { (r: Double) in SGD(learningRate: r, momentum: 0.9) }
            let peak = 3 * rules("momentum", momentum, task: task, test: RangeTest(), budget: steps).verified.rate
            let constant = task.curve(momentum(peak), schedule: .constant, steps: steps, every: steps).last!.loss
            let cycle = task.curve(momentum(peak), schedule: .oneCycle(OneCycle(totalSteps: steps)), steps: steps,
                                   every: steps).last!.loss
            return "peak α = \(Fmt.sig(peak, 3)): constant → \(Fmt.fixed(constant, 4)), one-cycle → "
                    + "\(Fmt.fixed(cycle, 4)) "
                + "(validation loss after \(steps) steps); the warm-up spends the first 30 % below the peak, where "
                + "the constant rate takes its largest steps from the random start."
            // end solution
        }
    }

    func rangePlot(_ r: RuleReport) -> Plot {
        let rows = ruleRows(below: 0.01)
        var series = [Series(title: "loss after each step", style: .points, x: r.sweep.rates, y: r.sweep.losses,
                             pen: .named("loss")),
                      Series(title: "smoothed (β = 0.98)", x: r.sweep.rates, y: r.sweep.smoothed,
                             pen: Pen(color: Palette.black))]
        for (k, rule) in ruleNames.dropLast().enumerated() {
            guard let p = r.picks[rule] else { continue }
            series.append(ruleStem(rule, k, rate: p.pointRate, loss: p.pointLoss, row: rows[k]))
        }
        return Plot(title: r.optimizer, xLabel: "learning rate", yLabel: "training loss", xScale: .log, yScale: .log,
                    yRange: (rows.last! / 1.6)...300, key: .topLeft, series: series)
    }

    /// Rules are told apart by colour and marker, the same in every panel and both figures; no
    /// rule has the colour of the line it marks (the lines are black or grey).
    func rulePen(_ k: Int) -> Pen {
        [Pen(color: Palette.vermillion, point: 5), Pen(color: Palette.green, point: 9),
         Pen(color: Palette.purple, point: 11), Pen(color: Palette.orange, point: 13),
         Pen(color: Palette.blue, point: 7)][k]
    }

    /// One row per rule under the curves (log axis: each 1.5× below the last), so rules whose
    /// rates nearly coincide stay apart.
    func ruleRows(below top: Double) -> [Double] {
        ruleNames.indices.map { top / Double.pow(1.5, Double($0)) }
    }

    /// A rule's rate as a stem: its marker on the rule's own row, a line up to the loss at that rate.
    func ruleStem(_ rule: String, _ k: Int, rate: Double, loss: Double, row: Double) -> Series {
        Series(title: rule, style: .linesPoints, x: [rate, rate], y: [row, loss], pen: rulePen(k))
    }

    /// Three panels a row, wide enough for nine decades of tick labels, legends below.
    var wide: (width: Int, height: Int) { (1860, 1060) }

    /// "a", "a and b", "a, b and c".
    func words(_ items: [String]) -> String {
        items.count < 2 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    func gridPlot(_ i: Int, exponents: [Double], grid: [Double], report: RuleReport, trained: [String: Double],
                  threshold: Double) -> Plot {
        let name = contenders[i].name
        let rates = exponents.map { Double.pow(10, $0) }
        // The grid in grey (the panel's title names the optimizer), so no rule shares its colour.
        var series = [Series(title: "grid", style: .linesPoints, x: rates, y: grid,
                             pen: Pen(color: Palette.grey, point: 6)),
                      Series(title: "hit threshold", x: [rates.first!, rates.last!], y: [threshold, threshold],
                             pen: .named("reference"))]
        let finite = grid.filter(\.isFinite) + trained.values.filter(\.isFinite)
        let rows = ruleRows(below: finite.min()! / 1.8)
        for (k, rule) in ruleNames.enumerated() {
            guard let rate = report.rates[rule], let l = trained[rule], l.isFinite else { continue }
            series.append(ruleStem(rule, k, rate: rate, loss: l, row: rows[k]))
        }
        return Plot(title: name, xLabel: "learning rate", yLabel: "validation loss", xScale: .log, yScale: .log,
                    yRange: (rows.last! / 1.6)...(finite.max()! * 2), key: .below, series: series)
    }

    func trialPlot(_ r: RuleReport) -> Plot {
        let screen = r.verified.trials.filter { $0.phase == 0 && $0.loss.isFinite }
        let full = r.verified.trials.filter { $0.phase > 0 && $0.loss.isFinite }
        var pen = Pen.named(r.optimizer)
        pen.point = 6
        return Plot(title: r.optimizer, xLabel: "learning rate", yLabel: "validation loss", xScale: .log, yScale: .log,
                    key: .below, series: [
                        Series(title: "B/8 steps", style: .points, x: screen.map(\.rate), y: screen.map(\.loss),
                               pen: pen),
                        Series(title: "B steps", style: .points, x: full.map(\.rate), y: full.map(\.loss),
                               pen: .named(r.optimizer)),
                    ], markers: [Marker(x: r.verified.rate, label: "verified " + Fmt.sig(r.verified.rate, 2),
                                        color: 1)])
    }
}
