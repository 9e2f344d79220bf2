// Chapter 2 — fixed versus decayed learning rates (article §2.2, §3.1, §3.2 items 1–3).
import ArgumentParser
import Descent
import Figures
import Notebook
import RealModule

@main
struct FixedVersusDecayed: ChapterCommand {
    static let slug = "ch02-fixed-vs-decayed-rates"

    @OptionGroup var options: ChapterOptions

    @Option(help: "Base learning rate for the schedule comparison (plain mini-batch SGD).")
    var lr: Double = 0.2

    @Option(help: "Seeds per schedule in the comparison (≥ 2).")
    var seeds: Int = 5

    func validate() throws {
        guard lr > 0 && lr.isFinite else { throw ValidationError("--lr must be a finite number > 0") }
        guard seeds >= 2 else { throw ValidationError("--seeds must be ≥ 2 to report a spread") }
    }

    func body(_ nb: Notebook) async throws {
        try await Chapter2(nb: nb, learningRate: lr, seeds: seeds).write()
    }
}

struct Chapter2 {
    let nb: Notebook
    let learningRate: Double
    let seeds: Int

    func write() async throws {
        try await fixedRates()
        try await gallery()
        try await training()
        exercises()
    }

    // MARK: 1. One fixed rate

    func fixedRates() async throws {
        let f = QuadraticGD.f
        let L = f.largestEigenvalue, mu = f.smallestEigenvalue
        nb.prose("""
            The article's gradient descent (§3.1) is $\\theta \\leftarrow \\theta - \\alpha \\nabla L(\\theta)$, "repeated until \\
            convergence", and its first advice (§3.2.1) is that a fixed rate "cannot adapt, and may be slow or unstable". \\
            Both halves are exact statements on a quadratic. On $f = 0.1x^2 + 2y^2$ the Hessian is diag(\\(Fmt.sig(mu)), \\(Fmt.sig(L))): \\
            one step multiplies each coordinate by $1 - \\alpha\\lambda_i$, so gradient descent converges exactly when \\
            $|1 - \\alpha\\lambda_{max}| < 1$, that is $\\alpha < 2/L = \\(Fmt.sig(2 / L))$, and the rate that shrinks both \\
            coordinates equally fast is $2/(\\lambda_{min} + \\lambda_{max}) = \\(Fmt.sig(2 / (mu + L)))$.
            """)
        let steps = 100
        let rates = [0.05, 0.4, 0.49, 0.51]
        let runs = rates.map { QuadraticGD.run($0, steps: steps) }
        let contour = Contour(xRange: -6...2, yRange: -3...3, resolution: nb.quick ? 41 : 81) { x, y in 0.1 * x * x + 2 * y * y }
        try await nb.figure(Figure(name: "gd-trajectories", title: "Gradient descent on 0.1x² + 2y² from (−5, −2)", plots: [
            Plot(title: "paths (first 30 steps)", xLabel: "x", yLabel: "y", xRange: -6...2, yRange: -3...3, key: .bottomRight,
                 series: zip(rates, runs).enumerated().map { i, p in
                     let pts = p.1.points.prefix(31).filter { abs($0.point[0]) <= 6 && abs($0.point[1]) <= 3 }
                     return Series(title: "α = \(Fmt.sig(p.0))", style: .linesPoints, x: pts.map { $0.point[0] },
                                   y: pts.map { $0.point[1] }, color: i)
                 }, contour: contour),
            Plot(title: "loss", xLabel: "step", yLabel: "f(θ)", yScale: .log, key: .bottomLeft,
                 series: zip(rates, runs).enumerated().map { i, p in
                     Series(title: "α = \(Fmt.sig(p.0))", x: p.1.points.map { Double($0.step) }, y: p.1.points.map(\.loss), color: i)
                 }),
        ], columns: 2), caption: "Left: the paths over the contour lines of f. Right: the loss per step on a log scale.")
        let threshold = QuadraticGD.divergenceThreshold()
        let best = QuadraticGD.bestFixedRate()
        nb.table(Table(header: ["quantity", "found on the runs", "analytic", "relative difference"], rows: [
            ["divergence threshold (bisection, 2000 steps)", Fmt.sig(threshold, 6), "2/L = \(Fmt.sig(2 / L, 6))", Fmt.sci(abs(threshold - 2 / L) / (2 / L), 2)],
            ["best fixed rate (lowest loss after 100 steps)", Fmt.sig(best, 6), "2/(λmin+λmax) = \(Fmt.sig(2 / (mu + L), 6))", Fmt.sci(abs(best - 2 / (mu + L)) / (2 / (mu + L)), 2)],
        ], rightAligned: [false, true, true, true]), caption: "The limit and the optimum, measured by running gradient descent, next to the formulas.")
        let r51 = runs[3], r49 = runs[2]
        nb.notice("""
            α = 0.49 and α = 0.51 differ by 4 %, and land on opposite sides of 2/L: after \(steps) steps the first is at \
            \(Fmt.sci(r49.points.last!.loss, 2)), the second at \(Fmt.sci(r51.points.last!.loss, 2)) and growing by a factor \
            (1 − 4·0.51)² = \(Fmt.sig((1 - 4 * 0.51) * (1 - 4 * 0.51), 4)) per step. The bisection on the runs finds the edge at \
            \(Fmt.sig(threshold, 6)) — the formula's 0.5 to \(Fmt.sci(abs(threshold - 0.5) / 0.5, 1)). The best fixed rate found by \
            search, \(Fmt.sig(best, 4)), sits just below the edge, close to 2/(λmin + λmax) (a finite run favours the y \
            direction, whose term starts larger, hence the small gap).
            """)
    }

    // MARK: 2. Schedules

    func gallery() async throws {
        nb.section("Schedules: the article's, and the ones it is missing")
        nb.formula(article: "“exponential decay” α_t = α(1 − t/T)^γ",
                   corrected: "that is polynomial decay (PyTorch PolynomialLR); exponential decay is α·γᵗ (ExponentialLR)",
                   citation: "article §3.2.2; PyTorch torch.optim.lr_scheduler")
        nb.formula(article: "restart: when the loss reaches a threshold, reset the rate and continue",
                   corrected: "a heuristic with no paper; the published schedule with restarts is SGDR, cosine annealing restarted on a fixed clock",
                   citation: "article §3.2.3; Loshchilov and Hutter, SGDR, ICLR 2017 (arXiv:1608.03983)")
        let T = 300, base = 0.1
        let gallery: [(String, Schedule)] = [
            ("constant", .constant),
            ("polynomial, γ = 0.5", .polynomial(PolynomialDecay(totalSteps: T, power: 0.5))),
            ("polynomial, γ = 1", .polynomial(PolynomialDecay(totalSteps: T, power: 1))),
            ("polynomial, γ = 2", .polynomial(PolynomialDecay(totalSteps: T, power: 2))),
            ("exponential, γ = 0.99", .exponential(ExponentialDecay(gamma: 0.99))),
            ("step, every 100, ×0.5", .step(StepDecay(size: 100, gamma: 0.5))),
            ("cosine, T = 300", .cosine(CosineAnnealing(period: T))),
            ("SGDR, T₀ = 50, ×2", .warmRestarts(CosineWarmRestarts(firstPeriod: 50, multiplier: 2))),
            ("warm-up 30 + cosine", .warmup(LinearWarmup(steps: 30, then: .cosine(CosineAnnealing(period: T - 30))))),
        ]
        let ts = (0..<T).map(Double.init)
        // The article's restart rule driven by a real run.
        let example = SupervisedTask.teacherStudent(seed: nb.seed)
        let restart = ThresholdRestart(threshold: 0.05, factor: 0.7, gamma: 0.995)
        let run = example.train(SGD(learningRate: learningRate), schedule: .restart(restart), steps: nb.quick ? 300 : 1500,
                                seed: nb.seed &+ 10, recording: [.learningRates])
        let resets = run.learningRates.indices.dropFirst().filter { run.learningRates[$0] > run.learningRates[$0 - 1] }
        try await nb.figure(Figure(name: "schedule-gallery", title: "Every schedule form, base rate α = \(Fmt.sig(base))", plots: [
            Plot(title: "closed-form schedules over \(T) steps", xLabel: "step", yLabel: "learning rate", key: .outside,
                 series: gallery.enumerated().map { i, g in
                     Series(title: g.0, x: ts, y: ts.map { g.1.rate(at: Int($0), base: base) }, color: i % 8, dashed: i >= 8)
                 }),
            Plot(title: "article's restart rule, real run (τ = 0.05, ×0.7, γ = 0.995)", xLabel: "step", yLabel: "learning rate; mini-batch loss",
                 yScale: .log, key: .bottomLeft, series: [
                    Series(title: "learning rate", x: run.learningRates.indices.map(Double.init), y: run.learningRates, color: 0),
                    Series(title: "mini-batch loss", x: run.losses.indices.map(Double.init), y: run.losses, color: 7),
                 ]),
        ], columns: 2, size: (1300, 520)), caption: """
            Left: the closed-form schedules (the article's α(1 − t/T)^γ is the polynomial family). Right: the restart rule \
            decays the rate by γ each step and resets it whenever the loss first dips under the current threshold, which then \
            tightens by 0.7.
            """)
        nb.notice("""
            The restart rule fired \(resets.count) times in \(run.losses.count) steps\(resets.isEmpty ? "" : ", first at step \(resets[0])"). \
            Because it watches a noisy mini-batch loss, *when* it fires depends on luck: a lucky batch triggers a reset. SGDR \
            restarts on a fixed clock instead, so its rate is known in advance and the same across seeds.
            """)
    }

    // MARK: 3. Training under each schedule

    func training() async throws {
        nb.section("Training under each schedule")
        let steps = nb.quick ? 300 : 3000
        let n = nb.quick ? 2 : seeds
        let example = SupervisedTask.teacherStudent(seed: nb.seed)
        let schedules = comparedSchedules(steps: steps)
        let floor = SupervisedTask.teacherNoise * SupervisedTask.teacherNoise
        nb.prose("""
            To see what a schedule buys we need a task whose best possible loss is known. A *teacher* network (2 → 16 → 1, \
            tanh, random weights) labels \(example.data.count) random points, plus Gaussian noise of standard deviation \
            \(Fmt.sig(SupervisedTask.teacherNoise)): no student can beat the noise variance, **\(Fmt.sig(floor)) mean squared error**. \
            The student is the book's running MLP (two hidden layers of 32 tanh units), trained with plain SGD on \
            mini-batches of 64 for \(steps) steps from base rate α = \(Fmt.sig(learningRate)) under every schedule, \
            \(n) seeds each (the seed draws the initial weights and the batch order).
            """)
        let results = nb.step("Training \(schedules.count) schedules × \(n) seeds", total: schedules.count * n) { p in
            schedules.map { s in
                (0..<n).map { k -> (TrainingResult, Double, [(Int, Double)]) in
                    defer { p.advance() }
                    let every = max(1, steps / 100)
                    var curve: [(Int, Double)] = []
                    let r = example.train(SGD(learningRate: learningRate), schedule: s.schedule, steps: steps,
                                          seed: nb.seed &+ 100 &+ UInt64(k)) { t, p in
                        if t % every == 0 || t == steps { curve.append((t, example.fullLoss(p))) }
                    }
                    return (r, example.finalLoss(of: r), curve)
                }
            }
        }
        let finals = results.map { r -> (Double, Double) in let s = Measure.meanAndStandardDeviation(r.map(\.1)); return (s.mean, s.standardDeviation) }
        let constant = finals[0]
        let constantRuns0 = results[0].map(\.1)
        nb.table(Table(header: ["schedule", "final MSE (mean ± std)", "excess over the floor 0.01", "excess vs constant", "seeds better than constant"],
                       rows: zip(schedules, zip(finals, results)).map { s, fr in
            let (f, runs) = fr
            let w = zip(runs.map(\.1), constantRuns0).filter { $0.0 < $0.1 }.count
            return [s.name, "\(Fmt.fixed(f.0, 5)) ± \(Fmt.fixed(f.1, 5))", Fmt.sci(f.0 - floor, 2),
                    s.name == "constant" ? "—" : Fmt.sig((f.0 - floor) / (constant.0 - floor), 2) + "×",
                    s.name == "constant" ? "—" : "\(w) of \(n)"]
        }, rightAligned: [false, true, true, true, true]), caption: "Mean squared error on all \(example.data.count) points after \(steps) steps, over \(n) seeds; the floor is the noise variance.")
        try await nb.figure(Figure(name: "schedule-training", title: "Mini-batch SGD under each schedule: full-batch MSE (mean of \(n) seeds)", plots: [
            Plot(xLabel: "step", yLabel: "mean squared error on all 512 points", yRange: floor * 0.99...floor * 1.12, key: .outside,
                 series: zip(schedules, results).enumerated().map { i, pair in
                     let points = pair.1[0].2.indices.map { j in
                         (Double(pair.1[0].2[j].0), pair.1.map { $0.2.indices.contains(j) ? $0.2[j].1 : .nan }.reduce(0, +) / Double(n))
                     }
                     return Series(title: pair.0.name, x: points.map(\.0), y: points.map(\.1), color: i % 8, dashed: i >= 8)
                 } + [Series(title: "noise floor 0.01", x: [0, Double(steps)], y: [floor, floor], color: 7, dashed: true)]),
        ], size: (1100, 560)), caption: "The full-batch training error every \(max(1, steps / 100)) steps, averaged over seeds, zoomed to within 12 % of the noise floor (the first steps, far above, are cut off).")
        let decayed = Array(zip(schedules, finals).dropFirst())
        // Paired by seed: the same initial weights and batch order under both schedules.
        let constantRuns = results[0].map(\.1)
        let wins = results.map { runs in zip(runs.map(\.1), constantRuns).filter { $0.0 < $0.1 }.count }
        let better = zip(schedules, wins).dropFirst().filter { $0.1 == n }.map(\.0.name)
        let bestDecay = decayed.min { $0.1.0 < $1.1.0 }!
        let sgdr = finals[schedules.firstIndex { $0.name.hasPrefix("SGDR") }!]
        let article = finals[schedules.firstIndex { $0.name.hasPrefix("article") }!]
        nb.notice("""
            \(better.isEmpty ? "Here no decayed schedule beats the constant rate on every seed." : "Decay beats the constant rate here: on every one of the \(n) seeds (same initial weights, same batches) for \(better.joined(separator: "; ")).") \
            The constant rate ends \(Fmt.sci(constant.0 - floor, 2)) above the floor; the best schedule, \(bestDecay.0.name), \
            \(Fmt.sci(bestDecay.1.0 - floor, 2)) above it (\(Fmt.sig((constant.0 - floor) / max(bestDecay.1.0 - floor, 1e-12), 2))× closer). \
            Why: with mini-batches, each step follows the gradient of 64 examples, not of all \(example.data.count); the \
            difference is noise, and at a fixed α the parameters keep jittering around the minimum by an amount that \
            grows with α — the noise floor of SGD. Decaying α at the end shrinks the jitter. The article's restart rule \
            ends at \(Fmt.fixed(article.0, 5)) ± \(Fmt.fixed(article.1, 5)) and SGDR at \(Fmt.fixed(sgdr.0, 5)) ± \(Fmt.fixed(sgdr.1, 5)): \
            \(article.0 < sgdr.0 ? "the heuristic does a little better here, but it needs a threshold tuned to the loss's scale" : "SGDR does better, and needs no threshold tuned to the loss's scale") \
            — the restart rule's τ = 0.02 only works because we know the floor is 0.01.
            """)
    }

    // MARK: Exercises

    func exercises() {
        nb.exercise("Find a fixed α for which the y-coordinate of gradient descent on 0.1x² + 2y² flips sign at every step yet still converges. Why does the sign flip?",
                    solution: "oscillating") {
            // solution: oscillating
            // y is multiplied by (1 − 4α): negative for α > 0.25, and of size < 1 while α < 0.5.
            let alpha = 0.3
            let run = optimize(Quadratic(), from: [-5, -2], steps: 12, optimizer: SGD(learningRate: alpha))
            let ys = run.points.map { Fmt.sig($0.point[1], 2) }
            return "α = \(alpha): factor 1 − 4α = \(Fmt.sig(1 - 4 * alpha)); y = \(ys.joined(separator: ", "))"
            // end solution
        }
        nb.exercise("The article's polynomial decay with γ = 2 reaches a rate of α/4 at which step, out of T = 300? And γ = 0.5?",
                    solution: "quarter-rate") {
            // solution: quarter-rate
            // α(1 − t/T)^γ = α/4  ⇔  t = T(1 − 4^(−1/γ))
            func first(_ power: Double) -> Int {
                let s = Schedule.polynomial(PolynomialDecay(totalSteps: 300, power: power))
                return (0..<300).first { s.rate(at: $0, base: 1) <= 0.25 }!
            }
            return "γ = 2: step \(first(2)); γ = 0.5: step \(first(0.5))"
            // end solution
        }
    }
}
