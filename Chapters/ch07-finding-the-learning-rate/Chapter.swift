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

    @Option(help: "Training budget (steps) for the grid search and the validation runs.")
    var budget: Int = 600

    func validate() throws {
        guard budget >= 10 else { throw ValidationError("--budget must be ≥ 10 steps") }
    }

    func body(_ nb: Notebook) async throws {
        try await Chapter7(nb: nb, budget: nb.quick ? 80 : budget).write()
    }
}

struct Chapter7 {
    let nb: Notebook
    let budget: Int

    func write() async throws {
        let task = SupervisedTask.teacherStudent(seed: nb.seed)
        nb.prose("""
            The article's title asks how to find the best learning rate; its answer (FAQ Q4) is to try values and watch the \
            model, or to use a schedule. This chapter makes that answer precise. The **learning-rate range test** \
            (Smith, WACV 2017; fastai's `lr_find`) trains once while raising the rate exponentially and reads a rate off \
            the loss curve. We check its suggestions against the ground truth — a grid search over rates and seeds — and, \
            on a quadratic, against the optimum that theory gives exactly.
            """)

        // 1. The range test.
        nb.section("The range test on a network")
        let sweep = RangeTest(minimumRate: 1e-5, maximumRate: 10, steps: nb.quick ? 80 : 200)
        let tests: [(String, RangeTest.Result)] = [
            ("momentum 0.9", task.rangeTest(SGD(learningRate: 1e-5, momentum: 0.9), test: sweep, seed: nb.seed)),
            ("Adam", task.rangeTest(Adam(learningRate: 1e-5), test: sweep, seed: nb.seed)),
        ]
        nb.prose("""
            The task of chapter 2: a teacher network labels 512 points with noise of variance 0.01 (the best possible \
            mean squared error); the student is the book's MLP with two hidden layers of 32 tanh units, batches of 64. The \
            rate grows from 10⁻⁵ to 10 over \(sweep.steps) steps; after each step the loss is recorded, smoothed with an \
            exponential moving average (β = 0.98, bias-corrected) and the sweep stops once the smoothed loss exceeds 4× its \
            best. Two suggestions: the **steepest** descent of the smoothed curve against log α (ends trimmed), and the \
            rate at the **minimum ÷ 10**.
            """)
        func rangePlot(_ name: String, _ r: RangeTest.Result) -> Plot {
            var markers: [Marker] = []
            if let x = r.steepest { markers.append(Marker(x: x, label: "steepest: " + Fmt.sig(x, 2), color: 1)) }
            if let x = r.minimumOverTen { markers.append(Marker(x: x, label: "min/10: " + Fmt.sig(x, 2), color: 2)) }
            return Plot(title: name, xLabel: "learning rate", yLabel: "mini-batch MSE", xScale: .log, yScale: .log, key: .topLeft, series: [
                Series(title: "loss after each step", style: .points, x: r.rates, y: r.losses, color: 7),
                Series(title: "smoothed (β = 0.98)", x: r.rates, y: r.smoothed, color: 0),
            ], markers: markers)
        }
        try await nb.figure(Figure(name: "range-test", title: "Learning-rate range test on the teacher-student regression",
                                   plots: tests.map { rangePlot($0.0, $0.1) }, columns: 2), caption: "One sweep per optimizer, same initial weights and batch order; the vertical lines are the two suggestions.")

        // 2. Ground truth.
        nb.section("Ground truth: a grid search")
        let exponents = nb.quick ? stride(from: -4.0, through: 1, by: 0.5).map { $0 } : stride(from: -4.0, through: 1, by: 0.25).map { $0 }
        let seeds: [UInt64] = [nb.seed &+ 11, nb.seed &+ 12, nb.seed &+ 13]
        let total = contenders.count * exponents.count * seeds.count
        let grid = nb.step("Grid search: \(total) training runs", total: total) { p in
            gridSearch(task, exponents: exponents, seeds: seeds, steps: budget) { p.advance() }
        }
        nb.prose("""
            Every optimizer at \(exponents.count) rates from 10⁻⁴ to 10 (a quarter-decade apart), three seeds each (the seed \
            draws the initial weights and the batch order), \(budget) steps, then the full-batch loss. \(total) training runs.
            """)
        func stats(_ v: [Double]) -> (mean: Double, low: Double, high: Double) {
            let f = v.filter { $0.isFinite }
            guard f.count == v.count else { return (.nan, .nan, .nan) }
            return (f.reduce(0, +) / Double(f.count), f.min()!, f.max()!)
        }
        try await nb.figure(Figure(name: "grid", title: "Final loss after \(budget) steps vs learning rate (mean, band = min–max over 3 seeds)",
                                   xLabel: "log₁₀ α", yLabel: "full-batch MSE", yScale: .log, yRange: 0.009...10, key: .outside,
                                   series: contenders.enumerated().map { i, c in
            let s = grid[i].map(stats)
            return Series(title: c.name, style: .band, x: exponents, y: s.map(\.mean), low: s.map(\.low), high: s.map(\.high), color: i)
        }), caption: "A gap means at least one seed diverged (loss not finite or above 10⁶ × its start) at that rate.")
        var bestRates: [String: Double] = [:], bestLoss: [String: Double] = [:]
        var rows: [[String]] = []
        for (i, c) in contenders.enumerated() {
            let means = grid[i].map { stats($0).mean }
            let bi = means.indices.filter { means[$0].isFinite }.min { means[$0] < means[$1] }!
            let divergeAt = exponents.indices.first { k in grid[i][k].contains { !$0.isFinite } }
            bestRates[c.name] = Double.pow(10, exponents[bi]); bestLoss[c.name] = means[bi]
            let good = exponents.indices.filter { means[$0] < means[bi] * 1.5 }
            rows.append([c.name, Fmt.sig(Double.pow(10, exponents[bi]), 3), Fmt.fixed(means[bi], 4),
                         "10^\(Fmt.sig(exponents[good.first!], 3)) – 10^\(Fmt.sig(exponents[good.last!], 3))",
                         divergeAt.map { "10^\(Fmt.sig(exponents[$0], 3))" } ?? "—"])
        }
        nb.table(Table(header: ["optimizer", "best α", "loss at best α", "basin (mean loss within 1.5× of the best)", "first divergence"], rows: rows,
                       rightAligned: [false, true, true, true, true]), caption: "What the grid says: each optimizer's basin of good rates and where divergence starts.")
        nb.notice("""
            The basins differ by orders of magnitude: SGD's best rate is \(Fmt.sig(bestRates["SGD"]!, 2)), Adam's \
            \(Fmt.sig(bestRates["Adam"]!, 2)). A rate is not a property of the problem alone but of the problem *and* the \
            optimizer — which is why "try values and watch" (the article's advice) must be redone for every optimizer.
            """)

        // 3. Validation.
        nb.section("Does the range test find the grid's answer?")
        var vrows: [[String]] = []
        var within: [String] = [], outside: [String] = []
        for (name, r) in tests {
            let make = contenders.first { $0.name == name }!.make
            let best = bestRates[name]!
            let suggestions: [(String, Double?)] = [("steepest", r.steepest), ("min/10", r.minimumOverTen)]
            for (label, suggestion) in suggestions {
                guard let rate = suggestion else { vrows.append([name, label, "—", "—", "—", "—"]); continue }
                let losses: [Double] = seeds.map { seed in task.finalLoss(make(rate), steps: budget, seed: seed) }
                let trained = stats(losses).mean
                let ratio: Double = rate / best
                (ratio > 1.0 / 3 && ratio < 3 ? { within.append("\(name) \(label)") } : { outside.append("\(name) \(label) (\(Fmt.sig(ratio, 2))×)") })()
                vrows.append([name, label, Fmt.sig(rate, 3), Fmt.sig(ratio, 2) + "×", Fmt.fixed(trained, 4), Fmt.fixed(bestLoss[name]!, 4)])
            }
        }
        let validationSummary = (within.isEmpty ? "No suggestion landed within a factor 3 of the grid's best rate." : "Within a factor 3 of the grid's best rate: \(within.joined(separator: ", ")).") +
            (outside.isEmpty ? "" : " Further off: \(outside.joined(separator: ", ")).")
        nb.table(Table(header: ["optimizer", "suggestion", "rate", "÷ grid's best α", "loss trained at suggestion", "loss at grid's best"], rows: vrows,
                       rightAligned: [false, false, true, true, true, true]),
                 caption: "Each suggestion trained for the same \(budget) steps and 3 seeds, next to the grid's best.")
        nb.notice("""
            \(validationSummary) Where the range test misleads, it is for reasons visible in figure 1: the sweep measures the \
            loss *while the rate is rising*, so the steepest point reflects how fast the loss can fall early in training, \
            and min/10 is a rule of thumb that assumes the minimum sits about 10× below the blow-up. Both are one noisy \
            mini-batch run.
            """)

        // 4. The quadratic.
        nb.section("An exact check: the quadratic")
        let q = quadraticSuggestions(steps: 100, smoothing: 0.98)
        nb.prose("""
            On $f = 0.1x^2 + 2y^2$ everything is known: λmin = 0.2, λmax = 4, gradient descent diverges beyond \
            2/λmax = 0.5 and is fastest at 2/(λmin + λmax) ≈ \(Fmt.sig(2 / 4.2, 4)) (chapter 2). The range test with plain SGD \
            from (−5, −2), 100 steps from 10⁻⁶ to 10:
            """)
        nb.table(Table(header: ["quantity", "rate"], rows: [
            ["best fixed rate 2/(λmin + λmax)", Fmt.sig(2 / 4.2, 4)],
            ["divergence 2/λmax", "0.5"],
            ["range test: steepest", q.steepest.map { Fmt.sig($0, 4) } ?? "—"],
            ["range test: min/10", q.minimumOverTen.map { Fmt.sig($0, 4) } ?? "—"],
        ]), caption: "Both suggestions against the analytic values.")
        let lengths = [50, 100, 200, 400], betas = [0.0, 0.9, 0.98]
        let sens = betas.map { b in lengths.map { quadraticSuggestions(steps: $0, smoothing: b) } }
        nb.table(Table(header: ["smoothing β"] + lengths.map { "\($0) steps: steepest / min÷10" }, rows: zip(betas, sens).map { b, rs in
            [Fmt.sig(b)] + rs.map { "\($0.steepest.map { Fmt.sig($0, 2) } ?? "—") / \($0.minimumOverTen.map { Fmt.sig($0, 2) } ?? "—")" }
        }), caption: "How the suggestions move with the sweep's length and smoothing (same quadratic, same range).")
        let steepest = sens.flatMap { $0.compactMap(\.steepest) }
        let minOver10 = sens.flatMap { $0.compactMap(\.minimumOverTen) }
        nb.notice("""
            Both suggestions stay inside the stable interval (0, 0.5) here, but the steepest-slope suggestion is not a \
            property of the problem: across these sweeps it ranges from \(Fmt.sig(steepest.min()!, 2)) to \
            \(Fmt.sig(steepest.max()!, 2)) — a factor \(Fmt.sig(steepest.max()! / steepest.min()!, 2)). A longer sweep \
            spends more steps at each rate, so the loss falls earlier in the sweep; heavier smoothing delays the curve. \
            Min/10 moves only by a factor \(Fmt.sig(minOver10.max()! / minOver10.min()!, 2)) (\(Fmt.sig(minOver10.min()!, 2)) to \
            \(Fmt.sig(minOver10.max()!, 2))): the blow-up past 2/λmax is sharp, and it is what the minimum sits just below.
            """)

        // 5. One-cycle.
        nb.section("Using the suggestion: the one-cycle policy")
        let peak = tests[0].1.minimumOverTen ?? bestRates["momentum 0.9"]!
        let oneCycle = Schedule.oneCycle(OneCycle(totalSteps: budget))
        let schedules: [(String, Schedule)] = [("constant", .constant), ("cosine decay", .cosine(CosineAnnealing(period: budget))), ("one-cycle", oneCycle)]
        let runs = schedules.map { name, s in
            (name, seeds.map { seed -> (final: Double, losses: [Double]) in
                let r = task.train(SGD(learningRate: peak, momentum: 0.9), schedule: s, steps: budget, seed: seed)
                return (task.finalLoss(of: r), r.losses)
            })
        }
        nb.prose("""
            Smith and Topin's one-cycle policy (2018) uses the range test's rate as a *maximum*: warm up from α/25 to α over \
            the first 30 % of training with a cosine, then anneal to α/(25·10⁴). `Descent` implements PyTorch's `OneCycleLR` \
            (cosine, two phases) without its momentum cycling, checked against PyTorch in the tests. SGD with momentum 0.9, \
            peak α = \(Fmt.sig(peak, 3)) (the min/10 suggestion), \(budget) steps, 3 seeds, against a constant rate and cosine \
            decay from the same α.
            """)
        try await nb.figure(Figure(name: "one-cycle", title: "SGD + momentum at peak α = \(Fmt.sig(peak, 3)): three schedules", plots: [
            Plot(title: "training loss (mean of 3 seeds, smoothed)", xLabel: "step", yLabel: "mini-batch MSE", yScale: .log, key: .topRight,
                 series: runs.enumerated().map { i, r in
                     let n = r.1.map { $0.losses.count }.min()!
                     let mean = (0..<n).map { t in r.1.map { $0.losses[t] }.reduce(0, +) / Double(r.1.count) }
                     let sm = Measure.movingAverage(mean, window: max(1, budget / 30))
                     return Series(title: r.0, x: sm.indices.map(Double.init), y: sm, color: i)
                 }),
            Plot(title: "learning rate", xLabel: "step", yLabel: "α_t", key: .topRight, series: schedules.enumerated().map { i, s in
                Series(title: s.0, x: (0..<budget).map(Double.init), y: (0..<budget).map { s.1.rate(at: $0, base: peak) }, color: i)
            }),
        ], columns: 2), caption: "Left: loss; right: the three schedules at the same peak rate.")
        let finals = runs.map { r in (r.0, stats(r.1.map { $0.final })) }
        nb.table(Table(header: ["schedule", "final loss (mean)", "min – max over seeds"], rows: finals.map { n, s in
            [n, Fmt.fixed(s.mean, 5), "\(Fmt.fixed(s.low, 5)) – \(Fmt.fixed(s.high, 5))"]
        }), caption: "Full-batch loss after \(budget) steps.")
        let below = finals.dropFirst().filter { $0.1.mean < finals[0].1.mean }.map { "\($0.0) (\(Fmt.fixed($0.1.mean, 5)))" }
        // "Clearly" below: every seed under the constant schedule's best seed.
        let clearly = finals.dropFirst().filter { $0.1.high < finals[0].1.low }.map(\.0)
        let bestSchedule = finals.filter { $0.1.mean.isFinite }.min { $0.1.mean < $1.1.mean }
        nb.notice("""
            \(bestSchedule.map { "Lowest final loss: \($0.0) (\(Fmt.fixed($0.1.mean, 4)), the noise floor being 0.0100)." } ?? "Every schedule diverged at this peak.") \
            The constant rate ends at \(Fmt.fixed(finals[0].1.mean, 5)): it stays at its peak and keeps SGD's noise \
            floor (chapter 2). \(below.isEmpty ? "No annealed schedule ends below it here." : "Ending below it on average: \(below.joined(separator: ", ")) — annealing spends the last steps at small rates, under that floor.") \
            \(clearly.isEmpty ? "But with 3 seeds the ranges overlap: at this budget the schedules are not separated by more than the noise." : "Below it on every seed: \(clearly.joined(separator: ", ")).") \
            One-cycle's warm-up matters less here than its anneal — its point is to let the peak be larger than a constant rate could \
            survive, which exercise 2 tries.
            """)

        nb.callout("How to choose a learning rate — a recipe, and where this book showed each step", """
            1. **Initialise for your activation** (Xavier for tanh, He for ReLU) so gradients reach every layer — [chapter 1](../ch01-vanishing-gradients/README.md).
            2. **Run a range test** with your optimizer; take min/10 as a maximum rate, or the steepest point as a starting rate — this chapter, figure 1.
            3. **Remember the rate belongs to the optimizer**: Adam's basin sits orders of magnitude away from SGD's — this chapter, figure 2.
            4. **Stay under the edge**: the best fixed rate sits just below the divergence threshold (2/L on a quadratic) — [chapter 2](../ch02-fixed-vs-decayed-rates/README.md).
            5. **Decay at the end** (cosine, one-cycle) to get under mini-batch SGD's noise floor — chapter 2 and section 5 above.
            6. **Prefer adaptive methods when gradient scales differ** across parameters (rare features, deep nets), and use Adam *with* bias correction — [chapters 3–5](../ch05-adam/README.md).
            7. **Clip gradients** when a bad start can explode — chapter 1.
            8. **Check with two or three seeds** before trusting a difference — chapters 2, 5 and 7.
            """)

        nb.exercise("Push one-cycle's peak to 3× the suggestion. Does the warm-up let it survive a rate at which the constant schedule struggles?", solution: "higher-peak") {
            // solution: higher-peak
            let task = SupervisedTask.teacherStudent(seed: 42)
            let peak = 3 * (task.rangeTest(SGD(learningRate: 1e-5, momentum: 0.9), test: RangeTest(minimumRate: 1e-5, maximumRate: 10, steps: 200), seed: 42).minimumOverTen ?? 0.01)
            let constant = task.finalLoss(SGD(learningRate: peak, momentum: 0.9), steps: 600, seed: 53)
            let cycle = task.finalLoss(SGD(learningRate: peak, momentum: 0.9), schedule: .oneCycle(OneCycle(totalSteps: 600)), steps: 600, seed: 53)
            return "peak α = \(Fmt.sig(peak, 3)): constant → \(Fmt.fixed(constant, 4)), one-cycle → \(Fmt.fixed(cycle, 4))"
            // end solution
        }
        nb.exercise("Rerun the range test for Adam with a sweep of 400 steps instead of 200. Do the suggestions move?", solution: "longer-sweep") {
            // solution: longer-sweep
            let task = SupervisedTask.teacherStudent(seed: 42)
            let short = task.rangeTest(Adam(learningRate: 1e-5), test: RangeTest(minimumRate: 1e-5, maximumRate: 10, steps: 200), seed: 42)
            let long = task.rangeTest(Adam(learningRate: 1e-5), test: RangeTest(minimumRate: 1e-5, maximumRate: 10, steps: 400), seed: 42)
            return "200 steps: steepest \(Fmt.sig(short.steepest ?? .nan, 3)), min/10 \(Fmt.sig(short.minimumOverTen ?? .nan, 3)); " +
                   "400 steps: steepest \(Fmt.sig(long.steepest ?? .nan, 3)), min/10 \(Fmt.sig(long.minimumOverTen ?? .nan, 3))"
            // end solution
        }
    }
}
