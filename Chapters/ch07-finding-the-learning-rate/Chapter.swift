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
            offers four rules for that reading — `valley` (its default), `steep`, `minimum` and `slide` — and nothing \
            makes the four agree, or makes any of them know how long you will train. This chapter measures how often \
            each rule lands on \
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
            --optimizer adam --suggest all` (`lab` is this package's command-line tool, built with the book; \
            `lab find-lr --help` explains every option).
            """)
        try await nb.figure(Figure(name: "range-test",
                                   title: "Range test on digits, five optimizers, fastai's four rules",
                                   plots: reports.map(rangePlot), columns: 3, size: wide),
                            caption: "Grey points: the mini-batch loss after each step; black line: the smoothed curve "
                                + "the rules read. Each fastai rule's marker sits on the point of the curve it picked, "
                                + "with a dotted line down to the rate axis (minimum suggests a tenth of its point's "
                                + "rate); rules that picked the same point share a marker (\"valley = slide\").")
        let spans = reports.map { r -> String in
            let rates = ruleNames.dropLast().compactMap { r.picks[$0]?.rate }
            return "\(r.optimizer) \(factor(rates.max()! / rates.min()!))"
        }
        nb.prose("""
            The four rules read the same curve. For each optimizer, the largest of their four rates ÷ the smallest: \
            \(spans.joined(separator: ", ")).
            """)

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
        var nonFinite: [String] = []
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
            if grid[i].contains(where: { !$0.isFinite }) { nonFinite.append(c.name) }
            // The edge: the first rate above the best whose run ends worse than no training at all
            // (or not finite). No digits run turns non-finite, but several end far above the start.
            let worse = grid[i].indices.first { $0 > bi && !(grid[i][$0] <= start) }
            if let d = worse { edge[c.name] = Double.pow(10, exponents[d]) }
            rows.append([c.name, Fmt.sig(b.rate, 3), Fmt.fixed(b.loss, 4),
                         "\(Fmt.sig(Double.pow(10, exponents[good.first!]), 2)) – "
                                 + "\(Fmt.sig(Double.pow(10, exponents[good.last!]), 2))",
                         worse.map { "\(Fmt.sig(Double.pow(10, exponents[$0]), 2)) (\(Fmt.sig(grid[i][$0], 3)))" }
                             ?? "none ≤ 10",
                         Fmt.sig(grid[i].last!, 3)])
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
                                "first α ending above \(Fmt.fixed(start, 3)) (its val loss)", "val loss at α = 10"],
                       rows: rows, rightAligned: [false, true, true, true, true, true]),
                 caption: "What the grid says after B = \(budget) steps. Column 5: the first rate above the best "
                         + "whose run ends with a validation loss above the untrained network's \(Fmt.fixed(start, 3))"
                         + " — worse than not training.")
        try await nb.figure(Figure(name: "grid",
                                   title: "Validation loss after \(budget) steps vs rate, and each rule's rate",
                                   plots: contenders.indices.map { i in
            let b = best[contenders[i].name]!.loss
            return gridPlot(i, exponents: exponents, grid: grid[i], report: reports[i], trained: trained[i],
                            threshold: b + 0.1 * (start - b))
        },
                                   columns: 3, size: wide),
                            caption: "Grey line: the grid (mean over seeds; a gap is a non-finite loss). Each rule's "
                                + "marker sits at its rate and the validation loss training at that rate reached (same "
                                + "budget and seeds), with a dotted line in its colour down to the rate axis; rules "
                                + "that proposed the same rate share a marker. Grey dotted line: the hit threshold.")
        let ratios = contenders.compactMap { c in edge[c.name].map { (c.name, $0 / best[c.name]!.rate) } }
        let commonRates = common.sorted().map { Fmt.sig(Double.pow(10, exponents[$0]), 2) }
        let commonText = commonRates.isEmpty
            ? "no rate of the grid hits for all five optimizers"
            : "only \(commonRates.count) of the grid's \(exponents.count) rates "
                    + "\(commonRates.count == 1 ? "hits" : "hit") for all five "
                + "optimizers (\(commonRates.joined(separator: ", ")))"
        let worst = contenders.indices.max { grid[$0].last! < grid[$1].last! }!
        let finiteText = nonFinite.isEmpty
            ? "No run of the grid ended with a non-finite loss, but many ended worse than they started: at α = 10 "
                + "the validation loss reached up to \(Fmt.sig(grid[worst].last!, 3)) (\(contenders[worst].name))."
            : "The loss turned non-finite somewhere on the grid for \(words(nonFinite))."
        let edgeFactors = ratios.map { "\(factor($0.1))× (\($0.0))" }
        let noEdge = contenders.map(\.name).filter { edge[$0] == nil }
        let edgeText = ratios.isEmpty ? "no rate of the grid ended above the untrained loss"
            : "the first rate of the grid ending above the untrained loss sat above the best by "
                + words(edgeFactors)
                + (noEdge.isEmpty ? "" : ", and for \(words(noEdge)) no rate up to 10 did")
        nb.prose("""
            The best rates after \(budget) steps: \
            \(contenders.map { "\($0.name) \(Fmt.sig(best[$0.name]!.rate, 2))" }.joined(separator: ", ")). The ratio \
            of plain SGD's best rate to Adam's is \(Fmt.fixed(best["SGD"]!.rate / best["Adam"]!.rate, 0)), and \
            \(commonText). \(finiteText) Going up from the best rate, \(edgeText).
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
            section below). One data set and one seed cannot separate the rules well; the next section has the \
            broader evidence.
            """)

        nb.section("Scored fairly: \(FairBenchmark.cases) cases, \(FairBenchmark.seeds) seeds, rows no finder saw")
        fairBenchmark()

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
        let screen = Int((Double(budget) / 8).rounded(.up))
        let suggestions = reports.map { "verified (\($0.optimizer)): α = \(Fmt.sig($0.verifiedRate, 4))" }
            .joined(separator: ", ")
        let draws = reports.map { $0.verified.screening?.draws ?? 1 }.max()!
        let holdOut = reports.map { $0.verified.screening?.rows ?? 0 }.max()!
        let fellBack = reports.filter { $0.verified.rate == nil }.map(\.optimizer)
        let fellBackText = fellBack.isEmpty ? "Every one of them beat the untrained network."
            : "For \(words(fellBack)) no trial beat the untrained network; the rate given is the one it names instead (valley's)."
        nb.prose("""
            fastai's rules read one noisy curve recorded while the rate was rising; none of them knows the budget. \
            `verified` uses the sweep only to place candidates, and only the part of it fastai's rules read (its first \
            ⌊N/10⌋ and last 5 points dropped), never below the sweep's start: up to 7 rates half a decade apart below \
            the largest such rate at which the smoothed loss was still within 10 % of its lowest. Each is trained for \
            B/8 = \(screen) steps on 80 % of the training split and judged on the other 20 % (\(holdOut) rows here\
            \(draws > 1 ? ", fewer than 100, so averaged over \(draws) draws" : "")), so the screening is not judged \
            on the validation rows; the winner and the next lower rate (the best rate usually falls as the budget \
            grows) are trained for the full B, with the rate between them, each exactly `lab train` at that rate; the \
            answer is the best of those three on validation loss — provided it beats the untrained network, else \
            `verified` says it found nothing better and names fastai's valley. That last choice is made on the \
            validation split table 2 scores, which favours `verified` there; table 3 scores on rows no rule saw. Its \
            cost here: \(trialCosts). With D draws of the inner split (D = \(draws) here; up to 5 on small data sets) \
            it trains at most D·7·⌈B/8⌉ + 3B; here \(draws > 1 ? "\(draws)·" : "")7·⌈B/8⌉ + 3B = \(draws * 7 * screen + 3 * budget) steps, \
            \(Fmt.sig(Double(draws * 7 * screen + 3 * budget) / Double(budget), 3)) trainings of B steps (a run that \
            diverges stops early). The suggestions: \(suggestions). \(fellBackText)
            """)
        try await nb.figure(Figure(name: "verified", title: "The verified rule's trials (\(budget)-step budget)",
                                   plots: reports.map(trialPlot), columns: 3, size: wide),
                            caption: "One seed (\(nb.seed)), the sweep's. Open markers: screening runs (B/8 steps, loss on "
                                + "the training split's inner hold-out); filled: full-budget runs (validation loss); the "
                                + "suggestion is the lowest filled marker.")

        // 5. One-cycle from the verified rate.
        nb.section("Using the suggestion: the one-cycle policy")
        try await oneCycle(reports: reports, tasks: tasks)

        // 6. The quadratic.
        nb.section("An exact check: the quadratic")
        try quadraticCheck()

        let edgeClaim = nb.claim("on digits \(finiteText.prefix(1).lowercased() + finiteText.dropFirst().dropLast()); "
                                     + "\(edgeText)",
                                 holds: ratios.allSatisfy { $0.1 >= 3 },
                                 evidence: "edge ÷ best: \(ratios)")
        nb.callout("How to choose a learning rate — a recipe, and where this book showed each step", """
            1. **Initialise for your activation** (Xavier for tanh, He for ReLU) so gradients reach every layer — \
            [chapter 1](../ch01-vanishing-gradients/README.md).
            2. **Run a range test** with your optimizer, then **try its candidates for your budget**: `lab find-lr \
            --data … --train-steps B` does both (verified, this chapter).
            3. **Find the rate again for every optimizer**: on digits plain SGD's best rate was \
            \(Fmt.sig(best["SGD"]!.rate, 2)) and Adam's \(Fmt.sig(best["Adam"]!.rate, 2)) (table 1), and \(commonText).
            4. **Stay under the edge**: on a quadratic the best fixed rate 2/(λmin + λmax) sits just below the \
            divergence threshold 2/λmax — [chapter 2](../ch02-fixed-vs-decayed-rates/README.md); \
            \(edgeClaim) — so measure the edge for your network rather than assume the best rate sits just below it.
            5. **Decay at the end** (cosine, one-cycle) to get under mini-batch SGD's noise floor — [chapter \
            2](../ch02-fixed-vs-decayed-rates/README.md), where, scored over its last 500 steps, every decayed \
            schedule beats the constant rate on 5 of 5 seeds, and [chapter 11's Q3](../ch11-faq/README.md); the \
            one-cycle section above, with its few seeds on digits, is not evidence for this step.
            6. **Prefer adaptive methods when gradient scales differ** across parameters (rare features, deep nets), \
            and use Adam *with* bias correction — chapters [3](../ch03-adagrad/README.md), \
            [4](../ch04-rmsprop/README.md) and [5](../ch05-adam/README.md).
            7. **Clip gradients** when a bad start can explode — [chapter 1](../ch01-vanishing-gradients/README.md).
            8. **Check with two or three seeds** before trusting a difference — chapters 2, 5 and 7.
            """)

        let adamReport = reports.first { $0.optimizer == "Adam" }!
        nb.exercise("Halve the budget (`lab find-lr --data digits --layers 32 --optimizer adam --suggest all "
                        + "--train-steps \(budget / 2)`; this chapter: `--budget \(budget / 2)`). Which rules' rates "
                        + "move, and does the grid's best rate move with them? (At B = \(budget) Adam's grid's best "
                        + "is \(Fmt.sig(best["Adam"]!.rate, 2)) and its valley and verified rates are "
                        + "\(Fmt.sig(adamReport.rates["valley"]!, 2)) and "
                        + "\(Fmt.sig(adamReport.rates["verified"]!, 2)), "
                        + "table 2: compare the three at B = \(budget / 2).)",
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
                + "verified \(Fmt.sig(adam.verifiedRate, 3)), grid's best \(Fmt.sig(best.0, 3)). Only verified sees "
                + "the budget, so only it can follow the grid's best when B changes."
            // end solution
        }
        let momentumRate = reports.first { $0.optimizer == "momentum" }!.verifiedRate
        nb.exercise("Push one-cycle's peak to 3× the verified rate for momentum (3 × \(Fmt.sig(momentumRate, 4)) = "
                    + "\(Fmt.sig(3 * momentumRate, 3)) on this seed; figure 2 shows how a constant rate fares there). "
                    + "After B steps, does one-cycle end with a lower validation loss than the constant rate at that "
                    + "peak, and what does its warm-up change in the first steps?", solution: "higher-peak") {
            // solution: higher-peak
            let task = DigitsTask(seed: 42), steps = 300
            let momentum = { (r: Double) in SGD(learningRate: r, momentum: 0.9) }
            let peak = 3 * rules("momentum", momentum, task: task, test: RangeTest(), budget: steps).verifiedRate
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

    /// Each fastai rule: its marker on the point of the smoothed curve it picked, and a thin line down
    /// to the x axis at that rate (the line carries no loss value; the axis frame is its base).
    /// Rules that picked the same point share one marker and one legend entry ("valley = slide").
    func rangePlot(_ r: RuleReport) -> Plot {
        let positive = (r.sweep.losses + r.sweep.smoothed).filter { $0.isFinite && $0 > 0 }
        let bottom = positive.min()! / 3
        var series = [Series(title: "loss after each step", style: .points, x: r.sweep.rates, y: r.sweep.losses,
                             pen: .named("loss")),
                      Series(title: "smoothed (β = 0.98)", x: r.sweep.rates, y: r.sweep.smoothed,
                             pen: Pen(color: Palette.black))]
        var drawn = Set<String>()
        for (k, rule) in ruleNames.dropLast().enumerated() where !drawn.contains(rule) {
            guard let p = r.picks[rule] else { continue }
            let same = ruleNames.dropLast().filter { r.picks[$0]?.pointRate == p.pointRate }
            drawn.formUnion(same)
            var line = rulePen(k)
            line.dash = 3
            series.append(Series(title: "", x: [p.pointRate, p.pointRate], y: [bottom, p.pointLoss], pen: line))
            series.append(Series(title: same.joined(separator: " = "), style: .points, x: [p.pointRate],
                                 y: [p.pointLoss], pen: rulePen(k)))
        }
        return Plot(title: r.optimizer, xLabel: "learning rate", yLabel: "training loss", xScale: .log, yScale: .log,
                    yRange: bottom...300, key: .topLeft, series: series)
    }

    /// Rules are told apart by colour and marker, the same in every panel and both figures; no
    /// rule has the colour of the line it marks (the lines are black or grey).
    func rulePen(_ k: Int) -> Pen {
        [Pen(color: Palette.vermillion, point: 5), Pen(color: Palette.green, point: 9),
         Pen(color: Palette.purple, point: 11), Pen(color: Palette.indigo, point: 13),
         Pen(color: Palette.sky, point: 7)][k]
    }

    /// Three panels a row, wide enough for nine decades of tick labels, legends below.
    var wide: (width: Int, height: Int) { (1860, 1060) }

    /// A factor as the page prints it: two significant digits, whole above 10 (980, not 9.8e+02).
    func factor(_ x: Double) -> String {
        guard x >= 10 else { return Fmt.sig(x, 2) }
        let unit = Double.pow(10, Double.log10(x).rounded(.down) - 1)
        return "\(Int((x / unit).rounded() * unit))"
    }

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
        // Each rule: one marker at the loss its rate reached, a dotted line down to the rate axis (as in
        // the range test); rules that proposed the same rate share a marker ("valley = slide").
        let bottom = finite.min()! / 3
        var drawn = Set<String>()
        for (k, rule) in ruleNames.enumerated() where !drawn.contains(rule) {
            guard let rate = report.rates[rule], let l = trained[rule], l.isFinite else { continue }
            let same = ruleNames.filter { report.rates[$0] == rate && trained[$0]?.isFinite == true }
            drawn.formUnion(same)
            var line = rulePen(k)
            line.dash = 3
            series.append(Series(title: "", x: [rate, rate], y: [bottom, l], pen: line))
            series.append(Series(title: same.joined(separator: " = "), style: .points, x: [rate], y: [l],
                                 pen: rulePen(k)))
        }
        return Plot(title: name, xLabel: "learning rate", yLabel: "validation loss", xScale: .log, yScale: .log,
                    yRange: bottom...(finite.max()! * 2), key: .below, series: series)
    }

    func trialPlot(_ r: RuleReport) -> Plot {
        let screen = r.verified.trials.filter { $0.phase == 0 && $0.loss.isFinite }
        let full = r.verified.trials.filter { $0.phase > 0 && $0.loss.isFinite }
        var pen = Pen.named(r.optimizer)
        pen.point = 6
        // Half a decade of room on each side, so no trial sits on the frame; the suggestion goes in
        // the title, so every panel's legend has the same three entries.
        let rates = r.verified.trials.map(\.rate)
        let losses = r.verified.trials.map(\.loss).filter(\.isFinite)
        return Plot(title: "\(r.optimizer): verified α = \(Fmt.sig(r.verifiedRate, 2))", xLabel: "learning rate",
                    yLabel: "loss", xScale: .log, yScale: .log,
                    xRange: (rates.min()! / 3)...(rates.max()! * 3),
                    yRange: (losses.min()! / 2)...(losses.max()! * 2), key: .below, series: [
                        Series(title: "B/8 steps", style: .points, x: screen.map(\.rate), y: screen.map(\.loss),
                               pen: pen),
                        Series(title: "B steps", style: .points, x: full.map(\.rate), y: full.map(\.loss),
                               pen: .named(r.optimizer)),
                    ], markers: [Marker(x: r.verifiedRate, label: "verified rate", color: 1)])
    }
}

extension Chapter7 {
    /// The finder benchmark's fair protocol, as committed (``FairBenchmark``): the table and what it supports.
    func fairBenchmark() {
        let rules = FairBenchmark.rules, units = FairBenchmark.cases * FairBenchmark.seeds
        let names = ["torch-train": "torch-lr-finder (training loss)", "torch-val": "torch-lr-finder (validation loss)"]
        nb.prose("""
            Table 2 scores every rule on the validation split that `verified`'s final choice also reads, for one \
            data set and one seed. The package's finder benchmark \
            (`Benchmarks/finder/fair_benchmark.py` in the source repository, run \(FairBenchmark.date)) scores them \
            fairly: for each case and seed, 20 % of the rows are set aside; every rule picks its rate on the other \
            80 % (`lab find-lr`, with its own validation split inside them); the picked rate is trained on those 80 % \
            and scored by its loss on the 20 % no finder saw. A grid of 21 rates, scored the same way, gives the best \
            loss; a rule hits when it gets 90 % of the grid's improvement over the untrained network. The cases: \
            \(FairBenchmark.caseNames.map { $0.replacingOccurrences(of: " (issue 23)", with: "") }.joined(separator: "; ")) \
            — scikit-learn's data sets and this chapter's digits, classification and regression, every optimizer. \
            torch-lr-finder's suggestion (the steepest point of its curve) is scored in both its modes.
            """)
        nb.table(Table(header: ["rule", "hits (of \(units))", "fewest hits on a seed (of \(FairBenchmark.cases))",
                                "worse than untrained", "spread of the pick (decades)", "cost (trainings)"],
                       rows: rules.map { r in
                           [names[r.name] ?? r.name, "\(r.hits)", "\(r.fewestHitsOnASeed)", "\(r.worseThanUntrained)",
                            Fmt.fixed(r.spread, 2), Fmt.fixed(r.cost, 2)]
                       }),
                 caption: "Spread: the standard deviation of log₁₀ of the rule's rate over the \(FairBenchmark.seeds) "
                         + "seeds, median over the cases. Cost: steps trained, sweep included, in trainings of the case's "
                         + "budget B, mean over the case-seeds (`verified` screens over up to 5 draws on small sets).")
        let verified = rules.first { $0.name == "verified" }!, others = rules.filter { $0.name != "verified" }
        let runnerUp = others.max { $0.hits < $1.hits }!, steadiest = rules.min { $0.spread < $1.spread }!
        nb.prose("""
            What the table supports, and no more: `verified` hit most often (\(verified.hits) of \(units), against \
            \(names[runnerUp.name] ?? runnerUp.name)'s \(runnerUp.hits)) and never left a network worse than the untrained \
            one (\(verified.nothingBetter == 0 ? "it never answered \"none\"" : "\(verified.nothingBetter == 1 ? "once" : "\(verified.nothingBetter) times") it answered \"none — no trial beat the untrained network\" instead, scored as a miss at the untrained network's loss")), \
            at \(Fmt.fixed(verified.cost, 1)) trainings per search where the sweep alone costs \(Fmt.fixed(runnerUp.cost, 2)). \
            But it still missed \(FairBenchmark.cases - verified.fewestHitsOnASeed) of \(FairBenchmark.cases) cases on \
            its worst seed, and its pick varies more from seed to seed than \(steadiest.name)'s \
            (\(Fmt.fixed(verified.spread, 2)) against \(Fmt.fixed(steadiest.spread, 2)) decades). Use it when a training costs little \
            next to a wrong rate, and expect another seed to give another rate.
            """)
    }
}
