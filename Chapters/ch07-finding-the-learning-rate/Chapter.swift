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

        // 1. The range test on digits, on every seed of the set.
        nb.section("The range test on handwritten digits")
        let seeds = nb.seeds(5)
        let tasks = seeds.map { DigitsTask(seed: $0) }
        let test = RangeTest()  // fastai's defaults: 100 steps from 10⁻⁷ to 10, β = 0.98, stop at 4× the best
        let n = contenders.count
        // Case k: seed k / n, optimizer k % n — the sweep, the five rules, and each rule's rate trained for B
        // steps on the same seed (verified's answer is one of its own full-budget trials: that run).
        let picked: [(report: RuleReport, losses: [String: Double])] = nb.step(
            "Range tests, verified searches and the rules' runs on \(seeds.count) seeds", total: seeds.count * n) { p in
            nb.parallelMap(seeds.count * n) { k in
                defer { p.advance() }
                let task = tasks[k / n], c = contenders[k % n]
                let r = rules(c.name, c.make, task: task, test: test, budget: budget)
                var losses: [String: Double] = [:]
                for (rule, rate) in r.rates {
                    let trial = rule == "verified"
                        ? r.verified.trials.first { $0.phase > 0 && $0.steps == budget && $0.rate == rate } : nil
                    losses[rule] = trial?.loss ?? task.validationLoss(c.make(rate), rate: rate, steps: budget)
                }
                return (r, losses)
            }
        }
        // bySeed[s][o]: seed s, optimizer o. Figures 1, 2 and 4 show the page's seed, seeds[0].
        let bySeed = seeds.indices.map { s in Array(picked[(s * n)..<((s + 1) * n)]) }
        let reports = bySeed[0].map(\.report)
        let seedText = "\(seeds.first!)–\(seeds.last!)"
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
            `lab find-lr --help` explains every option). Everything below runs on the \(seeds.count) seeds \
            \(seedText): each seed draws the split, the initial weights and the batch order, so each has its own \
            sweep, its own picks and its own grid.
            """)
        try await nb.figure(Figure(name: "range-test",
                                   title: "Range test on digits, five optimizers, fastai's four rules",
                                   plots: reports.map(rangePlot), columns: 3, size: wide),
                            caption: "Seed \(nb.seed)'s sweeps, the page's seed (table 2 gives the picks on all "
                                + "\(seeds.count) seeds): grey points, the mini-batch loss after each step; black line, "
                                + "the smoothed curve the rules read. Each fastai rule's marker sits on the point of the "
                                + "curve it picked, with a dotted line down to the rate axis (minimum suggests a tenth "
                                + "of its point's rate); rules that picked the same point share a marker "
                                + "(\"valley = slide\").")
        let spans = contenders.indices.map { o -> String in
            let ratios = bySeed.map { row -> Double in
                let rates = ruleNames.dropLast().compactMap { row[o].report.picks[$0]?.rate }
                return rates.max()! / rates.min()!
            }
            return "\(contenders[o].name) \(spreadText(ratios, factor))"
        }
        nb.prose("""
            The four rules read the same curve. For each optimizer, the largest of their four rates ÷ the smallest, \
            median over the \(seeds.count) seeds (smallest – largest): \(spans.joined(separator: ", ")).
            """)

        // 2. Ground truth.
        nb.section("Ground truth: a grid search for the budget")
        let exponents = stride(from: -4.0, through: 1, by: 0.5).map { $0 }
        let rates = exponents.map { Double.pow(10, $0) }
        let gridRuns = n * rates.count * seeds.count
        let flat = nb.step("Grid search: \(gridRuns) training runs", total: gridRuns) { p in
            nb.parallelMap(gridRuns) { k in
                defer { p.advance() }
                let s = k % seeds.count, r = k / seeds.count % rates.count, o = k / (seeds.count * rates.count)
                return tasks[s].validationLoss(contenders[o].make(rates[r]), rate: rates[r], steps: budget)
            }
        }
        let start = tasks.map { $0.validationLoss(Adam(learningRate: 1), rate: 1, steps: 0) }
        // grids[o][s]: optimizer o's grid on seed s.
        let grids = (0..<n).map { o in
            seeds.indices.map { s in
                SeedGrid(losses: rates.indices.map { flat[(o * rates.count + $0) * seeds.count + s] }, start: start[s])
            }
        }
        nb.prose("""
            Each optimizer trained at \(rates.count) rates from 10⁻⁴ to 10, half a decade apart, for B = \(budget) \
            steps on each seed; the score is the validation loss after B steps. Before training it is \
            \(rangeText(start) { Fmt.fixed($0, 3) }) on these seeds, about ln 10 = 2.303 (a uniform guess). On each seed, a rule \
            **hits** when training at its rate reaches a validation loss ≤ best + 0.1 × (untrained − best), the best \
            being that seed's grid's: it captures 90 % of the improvement the grid's best rate achieves.
            """)
        var rows: [[String]] = []
        var common = Set(rates.indices)  // grid rates that hit for every optimizer on every seed
        for (o, c) in contenders.enumerated() {
            let g = grids[o]
            let everywhere = g.dropFirst().reduce(Set(g[0].hits)) { $0.intersection($1.hits) }.sorted()
            common.formIntersection(everywhere)
            let ratios = g.compactMap { s in s.edge.map { rates[$0] / rates[s.best] } }
            let noEdge = g.count - ratios.count
            let edgeCell = ratios.isEmpty ? "none ≤ 10"
                : (Fmt.sig(ratios.min()!, 2) == Fmt.sig(ratios.max()!, 2) ? "\(factor(ratios.min()!))×"
                    : "\(factor(ratios.min()!))× – \(factor(ratios.max()!))×")
                    + (noEdge == 0 ? "" : " (none ≤ 10 on \(noEdge))")
            rows.append([c.name, spreadText(g.map { rates[$0.best] }) { Fmt.sig($0, 2) },
                         spreadText(g.map { $0.losses[$0.best] }) { Fmt.fixed($0, 3) },
                         everywhere.isEmpty ? "none on every seed"
                             : "\(Fmt.sig(rates[everywhere.first!], 2)) – \(Fmt.sig(rates[everywhere.last!], 2))",
                         edgeCell, spreadText(g.map { $0.losses.last! }) { Fmt.sig($0, 3) }])
        }
        nb.table(Table(header: ["optimizer", "grid's best α", "val loss at best", "rates that hit on every seed",
                                "first α above the best ending above the untrained loss, ÷ the best",
                                "val loss at α = 10"],
                       rows: rows, rightAligned: [false, true, true, true, true, true]),
                 caption: "What the grid says after B = \(budget) steps on the \(seeds.count) seeds: median "
                         + "(smallest – largest), one value where every seed agrees. Column 5: on each seed, the first "
                         + "rate above its best whose run ends with a validation loss above the untrained network's, "
                         + "÷ that best rate.")
        try await nb.figure(Figure(name: "grid",
                                   title: "Validation loss after \(budget) steps vs rate, and each rule's rate",
                                   plots: contenders.indices.map { o in
            gridPlot(o, rates: rates, grids: grids[o], report: reports[o], trained: bySeed[0][o].losses)
        },
                                   columns: 3, size: wide),
                            caption: "Grey line and markers: seed \(nb.seed), as in figure 1 — the grid, each rule at "
                                + "the rate it proposed and the validation loss training there reached (dotted down to "
                                + "the rate axis; rules that proposed the same rate share a marker), and the hit "
                                + "threshold (grey dotted). Grey band: the lowest to the highest loss over the "
                                + "\(seeds.count) seeds at each rate of the grid (a gap is a non-finite loss).")
        let medianBest = contenders.indices.map { o in median(grids[o].map { rates[$0.best] }) }
        let sgd = contenders.firstIndex { $0.name == "SGD" }!, adam = contenders.firstIndex { $0.name == "Adam" }!
        let sgdOverAdam = seeds.indices.map { s in rates[grids[sgd][s].best] / rates[grids[adam][s].best] }
        let ratioText = factor(sgdOverAdam.min()!) == factor(sgdOverAdam.max()!)
            ? "\(factor(sgdOverAdam.min()!)) times Adam's on every seed"
            : "\(factor(sgdOverAdam.min()!)) to \(factor(sgdOverAdam.max()!)) times Adam's, depending on the seed"
        let commonRates = common.sorted().map { Fmt.sig(rates[$0], 2) }
        let commonText = commonRates.isEmpty
            ? "no rate of the grid hits for all five optimizers on every seed"
            : "only \(commonRates.count) of the grid's \(rates.count) rates "
                    + "\(commonRates.count == 1 ? "hits" : "hit") for all five "
                + "optimizers on every seed (\(commonRates.joined(separator: ", ")))"
        let atTen = grids.map { g in g.map { $0.losses.last! } }
        let nonFinite = contenders.indices.filter { o in grids[o].contains { $0.losses.contains { !$0.isFinite } } }
            .map { contenders[$0].name }
        let worst = contenders.indices.max { atTen[$0].filter(\.isFinite).max() ?? 0 < atTen[$1].filter(\.isFinite).max() ?? 0 }!
        let finiteText = nonFinite.isEmpty
            ? "No run of the grid ended with a non-finite loss, but many ended worse than they started: at α = 10 "
                + "the validation loss reached up to \(Fmt.sig(atTen[worst].max()!, 3)) (\(contenders[worst].name))."
            : "The loss turned non-finite somewhere on the grid for \(words(nonFinite))."
        // The edge on each seed ÷ that seed's best rate; a claim over every seed with an edge.
        // In steps of the grid (half a decade each): one step is the claim's margin (on one of 100 random seeds'
        // sets an edge sat one step above the best; usually it is three or four).
        let edgeFloor = 1
        let withEdge = contenders.indices.filter { o in grids[o].contains { $0.edge != nil } }
        let edgeRatios = withEdge.flatMap { o in grids[o].compactMap { s in s.edge.map { rates[$0] / rates[s.best] } } }
        let edgeSteps = withEdge.flatMap { o in grids[o].compactMap { s in s.edge.map { $0 - s.best } } }
        let noEdge = contenders.indices.compactMap { o -> String? in
            let k = grids[o].filter { $0.edge == nil }.count
            return k == 0 ? nil : "\(contenders[o].name) \(k == seeds.count ? "on any seed" : "on \(k) of the \(seeds.count) seeds")"
        }
        let edgeText = edgeRatios.isEmpty ? "no rate of the grid ended above the untrained loss"
            : "the first rate of the grid ending above the untrained loss sat at least one step of the grid (half a decade) above that "
                + "seed's best rate, on every seed, for \(words(withEdge.map { contenders[$0].name })) "
                + "(\(factor(edgeRatios.min()!))× or more on these seeds, table 1)"
                + (noEdge.isEmpty ? "" : ", and no rate up to 10 ended above it for \(words(noEdge))")
        nb.prose("""
            The best rates after \(budget) steps, medians over the seeds: \
            \(contenders.indices.map { "\(contenders[$0].name) \(Fmt.sig(medianBest[$0], 2))" }.joined(separator: ", ")). \
            Plain SGD's best rate is \(ratioText), and \(commonText). \(finiteText) Going up from the best rate, \(edgeText).
            """)

        nb.section("Every rule against the grid")
        var hits = Dictionary(uniqueKeysWithValues: ruleNames.map { ($0, 0) })
        let ruleRows = contenders.indices.map { o -> [String] in
            [contenders[o].name] + ruleNames.map { rule -> String in
                let picks = seeds.indices.compactMap { s in bySeed[s][o].report.rates[rule] }
                let k = seeds.indices.filter { s in
                    bySeed[s][o].losses[rule].map { grids[o][s].hit($0) } ?? false
                }.count
                hits[rule]! += k
                return picks.isEmpty ? "—" : "\(spreadText(picks) { Fmt.sig($0, 2) }): \(k)/\(seeds.count)"
            }
        }
        nb.table(Table(header: ["optimizer"] + ruleNames, rows: ruleRows,
                       rightAligned: [false] + ruleNames.map { _ in true }),
                 caption: "Each rule's rate over the \(seeds.count) seeds, median (smallest – largest), and on how many "
                         + "of them training at that seed's rate for B = \(budget) steps hit.")
        let cases = n * seeds.count
        let fastaiRules = Array(ruleNames.dropLast())
        let v = hits["verified"]!
        // verified missed none of 375 cases (75 seeds × 5 optimizers) while this was written; two misses of room.
        let verifiedFloor = cases - 2
        let ties = fastaiRules.filter { hits[$0]! == v }, behind = fastaiRules.filter { hits[$0]! < v }
        let costs = bySeed.flatMap { $0.map { $0.report.verified.cost(sweepSteps: test.steps) } }
        let costText = Fmt.sig(costs.min()!, 3) == Fmt.sig(costs.max()!, 3)
            ? Fmt.sig(costs.min()!, 3) : "\(Fmt.sig(costs.min()!, 3))–\(Fmt.sig(costs.max()!, 3))"
        let tieText = ties.isEmpty ? "" : "as often as \(words(ties)) (\(v)\(ties.count > 1 ? " each" : ""))"
        let behindText = behind.isEmpty ? "" : "more often than \(words(behind.map { "\($0) (\(hits[$0]!))" }))"
        nb.prose("""
            Hits out of \(cases) (five optimizers on \(seeds.count) seeds): \
            \(ruleNames.map { "\($0) \(hits[$0]!)" }.joined(separator: ", ")). On each seed every rule reads that \
            seed's sweep (and verified trains its candidates on it), and its rate is trained and scored on the same \
            seed. \(nb.claim("Scored so, verified hits in at least \(verifiedFloor) of the \(cases) cases",
                            holds: v >= verifiedFloor, evidence: "verified hit in \(v) of \(cases)")); on these seeds \
            it hit \([tieText, behindText].filter { !$0.isEmpty }.joined(separator: ", and ")). It pays for that with \
            training: \(costText) sweeps' worth of steps on top of the one sweep all the rules share (the verified \
            section below). One data set cannot separate the rules well, whatever the number of seeds; the next \
            section has the broader evidence.
            """)
        nb.section("Scored fairly: \(FairBenchmark.cases) cases, \(FairBenchmark.seeds) seeds, rows no finder saw")
        fairBenchmark()

        // 3. Why the curve misleads: the smoothing lag.
        nb.section("Why the curve misleads: smoothing lags the sweep")
        try await smoothingLag()

        // 4. Verified.
        nb.section("A suggestion that has been tried: verified")
        let allReports = bySeed.flatMap { $0.map(\.report) }
        let perOptimizer = contenders.indices.map { o in
            let trainings = bySeed.map { $0[o].report.verified.trainings }
            let sweeps = bySeed.map { $0[o].report.verified.cost(sweepSteps: test.steps) }
            return "\(rangeText(trainings) { Fmt.sig($0, 3) }) trainings (\(rangeText(sweeps) { Fmt.sig($0, 3) }) sweeps)"
        }
        let trialCosts = Set(perOptimizer).count == 1 ? "\(perOptimizer[0]) for every optimizer on every seed"
            : contenders.indices.map { "\(contenders[$0].name) \(perOptimizer[$0])" }.joined(separator: ", ")
        let screen = Int((Double(budget) / 8).rounded(.up))
        let suggestions = reports.map { "verified (\($0.optimizer)): α = \(Fmt.sig($0.verifiedRate, 4))" }
            .joined(separator: ", ")
        let draws = allReports.map { $0.verified.screening?.draws ?? 1 }.max()!
        let holdOut = allReports.map { $0.verified.screening?.rows ?? 0 }.max()!
        let fellBack = seeds.indices.flatMap { s in
            bySeed[s].filter { $0.report.verified.rate == nil }.map { "\($0.report.optimizer) on seed \(seeds[s])" }
        }
        let fellBackText = fellBack.isEmpty
            ? "On every seed, for every optimizer, the answer beat the untrained network."
            : "For \(words(fellBack)) no trial beat the untrained network; the rate given there is the one it names "
                + "instead (valley's)."
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
            diverges stops early). The suggestions on seed \(nb.seed) (figure 4; table 2 has every seed's): \(suggestions). \(fellBackText)
            """)
        try await nb.figure(Figure(name: "verified", title: "The verified rule's trials (\(budget)-step budget)",
                                   plots: reports.map(trialPlot), columns: 3, size: wide),
                            caption: "Seed \(nb.seed), the seed of figure 1's sweeps (table 2 gives verified's pick on "
                                + "every seed): open markers, screening runs (B/8 steps, loss on the training split's "
                                + "inner hold-out); filled, full-budget runs (validation loss). The suggestion is the "
                                + "lowest filled marker.")

        // 5. One-cycle from the verified rate.
        nb.section("Using the suggestion: the one-cycle policy")
        try await oneCycle(reports: reports, tasks: tasks)

        // 6. The quadratic.
        nb.section("An exact check: the quadratic")
        try quadraticCheck()

        let edgeClaim = nb.claim("on digits \(finiteText.prefix(1).lowercased() + finiteText.dropFirst().dropLast()); "
                                     + "\(edgeText)",
                                 holds: edgeSteps.allSatisfy { $0 >= edgeFloor },
                                 evidence: "edge − best in grid steps on each seed: \(edgeSteps)")
        nb.callout("How to choose a learning rate — a recipe, and where this book showed each step", """
            1. **Initialise for your activation** (Xavier for tanh, He for ReLU) so gradients reach every layer — \
            [chapter 1](../ch01-vanishing-gradients/README.md).
            2. **Run a range test** with your optimizer, then **try its candidates for your budget**: `lab find-lr \
            --data … --train-steps B` does both (verified, this chapter).
            3. **Find the rate again for every optimizer**: on digits plain SGD's best rate was \
            \(Fmt.sig(medianBest[sgd], 2)) and Adam's \(Fmt.sig(medianBest[adam], 2)) (table 1, medians over \(seeds.count) \
            seeds), and \(commonText).
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
            8. **Check with a seed set** (five seeds or more) before trusting a difference — chapters 2, 5 and 7.
            """)

        let adamReport = reports.first { $0.optimizer == "Adam" }!
        nb.exercise("Halve the budget (`lab find-lr --data digits --layers 32 --optimizer adam --suggest all "
                        + "--train-steps \(budget / 2)`; this chapter: `--budget \(budget / 2)`). Which rules' rates "
                        + "move, and does the grid's best rate move with them? (At B = \(budget), on seed \(nb.seed), "
                        + "Adam's grid's best is \(Fmt.sig(rates[grids[adam][0].best], 2)) and its valley and verified rates are "
                        + "\(Fmt.sig(adamReport.rates["valley"]!, 2)) and "
                        + "\(Fmt.sig(adamReport.rates["verified"]!, 2)), "
                        + "figure 2: compare the three at B = \(budget / 2).)",
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

    /// Optimizer `o`'s panel: the page's seed (the grid, each rule's rate at the loss it reached, the hit
    /// threshold) over the band of all the seeds' grids.
    func gridPlot(_ o: Int, rates: [Double], grids: [SeedGrid], report: RuleReport, trained: [String: Double]) -> Plot {
        let name = contenders[o].name
        let grid = grids[0].losses
        let columns = rates.indices.map { r in grids.map { $0.losses[r] }.filter(\.isFinite) }
        let low = columns.map { $0.min() ?? .nan }, high = columns.map { $0.max() ?? .nan }
        // The grid in grey (the panel's title names the optimizer), so no rule shares its colour.
        var series = [Series(title: "", style: .band, x: rates, y: grid, low: low, high: high, pen: Pen(color: Palette.grey)),
                      Series(title: "grid", style: .linesPoints, x: rates, y: grid,
                             pen: Pen(color: Palette.grey, point: 6)),
                      Series(title: "hit threshold", x: [rates.first!, rates.last!],
                             y: [grids[0].threshold, grids[0].threshold], pen: .named("reference"))]
        let finite = (low + high + grid + Array(trained.values)).filter(\.isFinite)
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

    /// "median (smallest – largest)" of a measurement over the seed set, one value when every seed gives
    /// the same (as printed).
    func spreadText(_ v: [Double], _ format: (Double) -> String) -> String {
        let s = Spread(v)
        return format(s.min) == format(s.max) ? format(s.min) : "\(format(s.median)) (\(format(s.min)) – \(format(s.max)))"
    }

    /// "smallest–largest", or one value when they print the same.
    func rangeText(_ v: [Double], _ format: (Double) -> String) -> String {
        format(v.min()!) == format(v.max()!) ? format(v.min()!) : "\(format(v.min()!))–\(format(v.max()!))"
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
            data set. The package's finder benchmark \
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
