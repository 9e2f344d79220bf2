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
    /// The restart rule the gallery's right panel runs (Table 2 uses its own settings, see ``comparedSchedules``).
    static let galleryRestart = ThresholdRestart(threshold: 0.05, factor: 0.7, gamma: 0.995)
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
            The article's gradient descent (§3.1) is $\\theta \\leftarrow \\theta - \\alpha \\nabla L(\\theta)$, \
            "repeated until \
            convergence", and its first advice (§3.2.1) is that a fixed rate "cannot adapt, and may be slow or \
            unstable". \
            Both halves are exact statements on a quadratic. On $f = 0.1x^2 + 2y^2$ the Hessian is \
            diag(\(Fmt.sig(mu)), \(Fmt.sig(L))): one step multiplies each coordinate by $1 - \\alpha\\lambda_i$, so \
            gradient \
            descent converges exactly when $|1 - \\alpha\\lambda_{\\max}| < 1$, that is **α < 2/L = \
            \(Fmt.sig(2 / L))**, and the \
            rate that shrinks both coordinates equally fast is **2/(λmin + λmax) = \(Fmt.sig(2 / (mu + L)))**.
            """)
        let steps = 100
        let rates = [0.05, 0.4, 0.49, 0.51]
        let runs = rates.map { QuadraticGD.run($0, steps: steps) }
        let window = (x: -6.0...2.0, y: -3.0...3.0)
        let contour = Contour(xRange: window.x, yRange: window.y, resolution: nb.quick ? 41 : 81) { x, y in
            Quadratic().value([x, y])
        }
        // The edge rate gets a pink pen here, not the book's amber, which sits too close to the diverging
        // rate's vermillion when their zig-zags cross; α = 0.05 is drawn as a bare line (its markers, one a
        // step, would pile into a bar along y = 0) and last, on top of everything, after α = 0.4, which is
        // drawn on top of the zig-zags.
        let pens = [Pen.named("slow rate"), .named("good rate"), Pen(color: Palette.purple, dash: 4, point: 9),
                    .named("diverging rate")]
        let pathOrder = [2, 3, 1, 0]
        let slowEnd = runs[0].points[min(30, runs[0].points.count - 1)].point
        let lastInside = runs.map { r in
            (r.points.prefix(31).firstIndex { !(window.x.contains($0.point[0]) && window.y.contains($0.point[1])) }
                ?? 31) - 1
        }
        try await nb.figure(Figure(name: "gd-trajectories", title: "Gradient descent on 0.1x² + 2y² from (−5, −2)",
                                   plots: [
            Plot(title: "paths (first 30 steps)", xLabel: "x", yLabel: "y", xRange: window.x, yRange: window.y,
                 series: pathOrder.map { i in
                     Series(path: runs[i], title: "α = \(Fmt.sig(rates[i]))", style: i == 0 ? .lines : .linesPoints,
                            pen: pens[i], window: window, limit: 30)
                 }, contour: contour),
            Plot(title: "loss", xLabel: "step", yLabel: "f(θ)", yScale: .log,
                 series: rates.indices.map { i in
                     Series(loss: runs[i], title: "α = \(Fmt.sig(rates[i]))", pen: pens[i])
                 }),
        ], columns: 2), caption: "Left: the paths over the contour lines of f, each until it leaves the window "
            + "(α = 0.51 leaves it after step \(lastInside[3])); α = 0.4 is drawn on top of the two zig-zags, and "
            + "α = 0.05 (dotted) last: in 30 steps it creeps from (−5, −2) to x = \(Fmt.fixed(slowEnd[0], 2)), "
            + "y = \(Fmt.sci(slowEnd[1], 1)), under the other paths. "
            + "Right: the loss per step on a log scale.")
        let threshold = QuadraticGD.divergenceThreshold()
        let best = QuadraticGD.bestFixedRate()
        nb.table(Table(header: ["quantity", "found on the runs", "analytic", "relative difference"], rows: [
            ["divergence threshold (bisection, 2000 steps)", Fmt.sig(threshold, 6), "2/L = \(Fmt.sig(2 / L, 6))",
             Fmt.sci(abs(threshold - 2 / L) / (2 / L), 2)],
            ["best fixed rate (lowest loss after 100 steps)", Fmt.sig(best, 6),
             "2/(λmin+λmax) = \(Fmt.sig(2 / (mu + L), 6))", Fmt.sci(abs(best - 2 / (mu + L)) / (2 / (mu + L)), 2)],
        ], rightAligned: [false, true, true, true]),
                 caption: "The limit and the optimum, measured by running gradient descent, next to the formulas.")
        let (r49, r51) = (runs[2], runs[3])
        let (l49, l51, l0) = (r49.points.last!.loss, r51.points.last!.loss, r49.points[0].loss)
        let sides = nb.claim("""
            α = 0.49 and α = 0.51 differ by 4 % and land on opposite sides of 2/L: after \(steps) steps the first is \
            at \
            \(Fmt.sci(l49, 2)), the second at \(Fmt.sci(l51, 2)) (both started at \(Fmt.sig(l0, 3))), growing by a \
            factor \
            (1 − 4·0.51)² = \(Fmt.sig((1 - 4 * 0.51) * (1 - 4 * 0.51), 4)) per step.
            """, holds: l49 < l0 && l51 > l0, evidence: "f(0.49) = \(l49), f(0.51) = \(l51), f0 = \(l0)")
        let edge = nb.claim("""
            The bisection on the runs finds the edge at \(Fmt.sig(threshold, 6)), the formula's 0.5 to \
            \(Fmt.sci(abs(threshold - 0.5) / 0.5, 1)).
            """, holds: abs(threshold - 2 / L) / (2 / L) < 1e-3, evidence: "threshold \(threshold)")
        let below = nb.claim("""
            The best fixed rate found by search, \(Fmt.sig(best, 4)), sits \
            \(Fmt.fixed(100 * (1 - best / threshold), 1)) % \
            below the edge, within \(Fmt.fixed(100 * abs(best / (2 / (mu + L)) - 1), 2)) % of 2/(λmin + λmax).
            """, holds: best < threshold && best > 0.9 * threshold && abs(best / (2 / (mu + L)) - 1) < 0.02,
            evidence: "best \(best), threshold \(threshold)")
        nb.notice("\(sides) \(edge) \(below)")
    }

    // MARK: 2. Schedules

    func gallery() async throws {
        nb.section("Schedules: the article's, and the ones it is missing")
        nb.formula(article: "“exponential decay” α_t = α(1 − t/T)^γ",
                   corrected: "that is polynomial decay (PyTorch PolynomialLR); "
                       + "exponential decay is α·γᵗ (ExponentialLR)",
                   citation: "article §3.2.2; PyTorch torch.optim.lr_scheduler")
        nb.formula(article: "restart: when the loss reaches a threshold, reset the rate and continue",
                   corrected: "a heuristic with no paper; the published schedule with restarts is SGDR, "
                       + "cosine annealing restarted on a fixed clock",
                   citation: "article §3.2.3; Loshchilov and Hutter, SGDR, ICLR 2017 (arXiv:1608.03983)")
        let T = 300, base = 0.1
        let gallery: [(String, String, Schedule)] = [
            ("constant", "constant", .constant),
            ("polynomial, γ = 0.5", "polynomial γ = 0.5", .polynomial(PolynomialDecay(totalSteps: T, power: 0.5))),
            ("polynomial, γ = 1", "polynomial", .polynomial(PolynomialDecay(totalSteps: T, power: 1))),
            ("polynomial, γ = 2", "polynomial γ = 2", .polynomial(PolynomialDecay(totalSteps: T, power: 2))),
            ("exponential, γ = 0.99", "exponential", .exponential(ExponentialDecay(gamma: 0.99))),
            ("step, every 100, ×0.5", "step", .step(StepDecay(size: 100, gamma: 0.5))),
            ("cosine, T = 300", "cosine", .cosine(CosineAnnealing(period: T))),
            ("SGDR, T₀ = 50, ×2", "SGDR", .warmRestarts(CosineWarmRestarts(firstPeriod: 50, multiplier: 2))),
            ("warm-up 30 + cosine", "warm-up + cosine",
             .warmup(LinearWarmup(steps: 30, then: .cosine(CosineAnnealing(period: T - 30))))),
        ]
        let ts = (0..<T).map(Double.init)
        // The article's restart rule driven by a real run, twice: two batch orders.
        let example = SupervisedTask.teacherStudent(seed: nb.seed)
        let restart = Self.galleryRestart
        let restartSteps = nb.quick ? 300 : 1500
        func resets(_ batchSeed: UInt64) -> (run: TrainingResult, at: [Int]) {
            let run = example.train(SGD(learningRate: learningRate), schedule: .restart(restart), steps: restartSteps,
                                    seed: batchSeed, recording: [.learningRates])
            // A reset sets the rate back to exactly the base rate; between resets it is base·γᵏ < base.
            return (run, run.learningRates.indices.dropFirst().filter { run.learningRates[$0] == learningRate })
        }
        // Five batch orders (same weights, same rule); the panel draws the first.
        let orders = (0..<5).map { nb.seed &+ 10 &+ UInt64($0) }
        let restarts = nb.parallelMap(orders.count) { resets(orders[$0]) }
        let (run, fired) = restarts[0]
        let other = restarts[1].at
        let firings = restarts.map(\.at.count), schedules = Set(restarts.map(\.at)).count
        let firingCount = firings.min()! == firings.max()! ? "\(firings[0]) times each"
            : "\(firings.min()!) to \(firings.max()!) times"
        // Nine closed-form schedules in three panels of three or four, so no two lines share a box and a colour.
        func panel(_ title: String, _ names: [String]) -> Plot {
            Plot(title: title, xLabel: "step", yLabel: "learning rate", yRange: 0...(1.08 * base), key: .below,
                 series: gallery.filter { names.contains($0.1) }.map { g in
                     Series(title: g.0, x: ts, y: ts.map { g.2.rate(at: Int($0), base: base) }, pen: .named(g.1))
                 })
        }
        let restartTitle = "restart rule on a real run: base α = \(Fmt.sig(learningRate)), "
            + "τ = \(Fmt.sig(restart.threshold)), ×\(Fmt.sig(restart.factor)), γ = \(Fmt.sig(restart.gamma))"
        // Resets in the first steps, while the rate has barely decayed, are too small to see: the caption says which.
        let crowded = fired.filter { $0 < restartSteps / 50 }
        let earlyLow = run.learningRates.prefix((crowded.last ?? 0) + 1).min() ?? learningRate
        let early = crowded.count < 2 ? ""
            : " \(crowded.count) of its \(fired.count) resets (steps "
                + "\(crowded.map(String.init).joined(separator: ", "))) "
                + "fall within the first \(restartSteps / 50) steps, while the rate is still at least "
                + "\(Fmt.sig(earlyLow, 3)) (base \(Fmt.sig(learningRate))), so they are too small to see at this "
                + "scale; the note below lists every reset."
        try await nb.figure(Figure(name: "schedule-gallery", title: "Every schedule form", plots: [
            panel("the article's polynomial family, base α = \(Fmt.sig(base))",
                  ["constant", "polynomial γ = 0.5", "polynomial", "polynomial γ = 2"]),
            panel("smooth and stepwise decays, T = \(T)", ["exponential", "step", "cosine"]),
            panel("restarts and warm-up", ["SGDR", "warm-up + cosine"]),
            Plot(title: restartTitle, xLabel: "step", yLabel: "learning rate; mini-batch loss", yScale: .log, series: [
                Series(perStep: run.learningRates, title: "learning rate", pen: .named("learning rate")),
                Series(perStep: run.losses, title: "mini-batch loss", pen: .named("loss")),
            ]),
        ], columns: 2, size: (1300, 1100)), caption: """
            Top left and right, bottom left: the nine closed-form schedules, base α = \(Fmt.sig(base)), over \
            \(T) steps (the article's α(1 − t/T)^γ is the polynomial family). Bottom right: one run of the restart rule (batch-order seed \(orders[0]), the first of the \(orders.count) \
            in the note below); it decays \
            the rate by γ each step and resets it whenever the loss first dips under the current threshold, which \
            then tightens by ×\(Fmt.sig(restart.factor)).\(early)
            """)
        func list(_ xs: [Int]) -> String {
            xs.isEmpty ? "never" : "at steps " + xs.map(String.init).joined(separator: ", ")
        }
        let luck = nb.claim("""
            With another batch order (same weights, same rule) it fired \(other.count) times, \(list(other)); over \
            \(orders.count) batch orders it fired \(firingCount), at \(schedules) \
            different sets of steps: it watches a noisy mini-batch loss, so when it fires depends on which batches \
            come when.
            """, holds: schedules > 1, evidence: "firing steps per order: \(restarts.map(\.at))")
        nb.notice("""
            In the panel's run (batch-order seed \(orders[0]), the first of \(orders.count)) the restart rule fired \
            \(fired.count) times in \(run.losses.count) steps, \(list(fired)) (resets on consecutive steps count \
            separately). \(luck) SGDR restarts on a fixed clock instead, so its rate is known in advance and the \
            same on every seed.
            """)
    }

    // MARK: 3. Training under each schedule

    func training() async throws {
        nb.section("Training under each schedule")
        let steps = nb.quick ? 300 : 2000
        let n = nb.quick ? 2 : seeds
        let example = SupervisedTask.teacherStudent(seed: nb.seed)
        let schedules = comparedSchedules(steps: steps)
        let pens = ["constant": "constant", "polynomial, power 1": "polynomial", "exponential": "exponential",
                    "step": "step",
                    "cosine": "cosine", "SGDR (warm restarts)": "SGDR", "warm-up + cosine": "warm-up + cosine",
                    "article's restart rule": "article's restart rule", "reduce on plateau": "reduce on plateau"]
        // 1024 held-out inputs, shared by every schedule and seed: at seed 42 Table 2 read the same to two digits with
        // 4096 (the evaluations were then 40 % of the chapter's time).
        let heldOut = HeldOutTeacher(taskSeed: nb.seed, count: 1024, seed: nb.seed &+ 7)
        nb.prose("""
            To see what a schedule buys we need a task whose best possible error is known. A *teacher* network (2 → \
            16 → 1, \
            tanh, random weights) labels \(example.data.count) random points, plus Gaussian noise of standard \
            deviation \
            \(Fmt.sig(SupervisedTask.teacherNoise)). The student is the book's running MLP (two hidden layers of 32 \
            tanh units, \
            \(example.network.parameterCount) parameters), trained with plain SGD on mini-batches of 64 for \(steps) \
            steps from \
            base rate α = \(Fmt.sig(learningRate)) under every schedule, \(n) seeds each (the seed draws the initial \
            weights \
            and the batch order). We do not score it on its training points, which a network this size can partly \
            memorise, \
            noise included: we score it on **\(heldOut.inputs.rows) fresh inputs** against the teacher's noise-free \
            output, \
            the excess error mean (student − teacher)², whose best possible value is 0 and which carries no label noise.
            """)
        // The schedules × seeds runs are independent (each owns its generator, parameters and
        // workspace): spread over the cores, results in order.
        let results = nb.step("Training \(schedules.count) schedules × \(n) seeds", total: schedules.count * n) { p in
            let flat = nb.parallelMap(schedules.count * n) { j -> (Double, [(Int, Double)]) in
                defer { p.advance() }
                let (s, k) = (schedules[j / n], j % n)
                let every = max(1, steps / 60)
                var curve: [(Int, Double)] = []
                let ws = MLP.Workspace(network: example.network, batchSize: heldOut.inputs.rows)
                let score = { (θ: [Double]) in heldOut.excess(example, θ, workspace: ws) }
                let r = example.train(SGD(learningRate: learningRate), schedule: s.schedule, steps: steps,
                                      seed: nb.seed &+ 100 &+ UInt64(k)) { t, p in
                    if t % every == 0 || t == steps { curve.append((t, score(p))) }
                }
                return (r.divergence == nil ? score(r.parameters) : .nan, curve)
            }
            return schedules.indices.map { i in Array(flat[(i * n)..<((i + 1) * n)]) }
        }
        // One checkpoint is noisy: each schedule is scored on the mean of its evaluations in the run's last sixth.
        let every = max(1, steps / 60)  // The window starts at its first evaluation: 1683 at full size, not 1667.
        let windowStart = min(steps, (steps - steps / 6 + every - 1) / every * every)
        let scores = results.map { runs in runs.map { tailMean($0.1, from: windowStart) } }
        let finals = scores.map { r -> (mean: Double, sd: Double) in
            let s = Measure.meanAndStandardDeviation(r); return (s.mean, s.standardDeviation)
        }
        let lastStep = results.map { runs in runs.map(\.0).reduce(0, +) / Double(n) }
        let constantRuns = scores[0]
        // Paired by seed: the same initial weights and batch order under both schedules.
        let wins = scores.map { runs in zip(runs, constantRuns).filter { $0.0 < $0.1 }.count }
        let evaluations = results[0][0].1.filter { $0.0 >= windowStart }.count
        nb.table(Table(header: ["schedule", "excess error, mean of steps \(windowStart)–\(steps) (mean ± std)",
                                "vs constant", "seeds better than constant", "at step \(steps) alone (mean)"],
                       rows: schedules.indices.map { i in
            [schedules[i].name, "\(Fmt.sci(finals[i].mean, 2)) ± \(Fmt.sci(finals[i].sd, 1))",
             i == 0 ? "—" : Fmt.sig(finals[i].mean / finals[0].mean, 2) + "×", i == 0 ? "—" : "\(wins[i]) of \(n)",
             Fmt.sci(lastStep[i], 2)]
        }, rightAligned: [false, true, true, true, true]), caption: """
            Excess error mean (student − teacher)² on \(heldOut.inputs.rows) held-out inputs, averaged over the \
            \(evaluations) evaluations from step \(windowStart) to step \(steps) (one every \(every) steps\
            \(steps % every == 0 ? "" : ", and the last step")) so that no single checkpoint decides, then mean ± std \
            over \(n) seeds; 0 is a perfect copy of the teacher. The last column is the value at the final step alone.
            """)
        // Seed-mean curve of each schedule: (step, mean excess error over the seeds), and the
        // smallest and largest seed's value at each evaluation (the band in figure 3).
        let meanCurves = results.map { runs -> [(Int, Double)] in
            runs[0].1.indices.map { j in
                (runs[0].1[j].0, runs.map { $0.1.indices.contains(j) ? $0.1[j].1 : .nan }.reduce(0, +) / Double(n))
            }
        }
        let bands = results.map { runs -> (low: [Double], high: [Double]) in
            let columns = runs[0].1.indices.map { j in runs.map { $0.1.indices.contains(j) ? $0.1[j].1 : .nan } }
            return (columns.map { $0.min() ?? .nan }, columns.map { $0.max() ?? .nan })
        }
        // The y axis shows the training, not the shared start: step 0 sits above it (said in the caption).
        let later = (bands.flatMap { $0.low.dropFirst() } + bands.flatMap { $0.high.dropFirst() })
            .filter { $0.isFinite && $0 > 0 }
        let startError = meanCurves[0].first?.1 ?? .nan
        let lastThird = meanCurves[0].indices.filter { meanCurves[0][$0].0 >= 2 * steps / 3 }
        let decayedSpread = lastThird.map { j in
            let v = meanCurves.dropFirst().compactMap { $0.indices.contains(j) ? $0[j].1 : nil }.filter(\.isFinite)
            return (v.max() ?? .nan) / (v.min() ?? .nan)
        }.max() ?? .nan
        // Three panels, each with the constant rate as the reference, grouped so that no two curves of one panel
        // share a hue family (cosine's vermillion and SGDR's amber, polynomial's blue and the restart rule's sky
        // blue sit in different panels).
        let groups: [(String, [String])] = [
            ("smooth decays", ["polynomial, power 1", "exponential", "cosine"]),
            ("steps, restarts, warm-up", ["step", "SGDR (warm restarts)", "warm-up + cosine"]),
            ("driven by the loss", ["article's restart rule", "reduce on plateau"]),
        ]
        let yRange = (later.min()! / 1.5)...(later.max()! * 1.5)
        // Polynomial and cosine overlap for most of the run: dashed and dash-dot here, so both show.
        func pen(_ name: String) -> Pen {
            let p = Pen.named(pens[name]!)
            switch name {
            case "polynomial, power 1": return Pen(color: p.color, dash: 2, point: p.point)
            case "cosine": return Pen(color: p.color, dash: 4, point: p.point)
            // Its book-wide grey would vanish inside the constant rate's grey band.
            case "reduce on plateau": return Pen(color: Palette.wine, dash: 4, point: p.point)
            default: return p
            }
        }
        try await nb.figure(Figure(name: "schedule-training",
                                   title: "Mini-batch SGD under each schedule: held-out excess error "
                                       + "(mean of \(n) seeds)",
                                   plots: groups.map { title, names in
            Plot(title: title, xLabel: "step",
                 yLabel: "mean (student − teacher)², \(heldOut.inputs.rows) held-out inputs",
                 yScale: .log, yRange: yRange, key: .topRight,
                 series: schedules.indices.filter { schedules[$0].name == "constant" || names.contains(schedules[$0].name) }
                    .map { i in
                        // Only the constant rate carries its band: the decayed schedules' bands overlap one
                        // another into one shade (their spreads are Table 2's).
                        Series(title: schedules[i].name, style: i == 0 ? .band : .lines,
                               x: meanCurves[i].map { Double($0.0) },
                               y: meanCurves[i].map(\.1), low: bands[i].low, high: bands[i].high,
                               pen: pen(schedules[i].name))
                    })
        }, columns: 3, size: (1500, 640)),
                            caption: """
                                The held-out excess error every \(max(1, steps / 60)) steps, mean over the \(n) \
                                seeds; the grey band is the constant rate's range (lowest to highest seed), the \
                                decayed schedules' spreads are in Table 2; \
                                each panel repeats the constant rate (black) as the reference, on one y scale. At \
                                step 0 (the same weights for every schedule) the mean is \(Fmt.sci(startError, 2)), \
                                above the top of the axis. From step \(2 * steps / 3) on, the \
                                \(schedules.count - 1) decayed schedules' curves are within a factor \
                                \(Fmt.sig(decayedSpread, 2)) of each other at every evaluation; Table 2 scores them \
                                on steps \(windowStart)–\(steps).
                                """)
        let decayed = Array(zip(schedules, finals).dropFirst())
        let better = zip(schedules, wins).dropFirst().filter { $0.1 == n }.map(\.0.name)
        let bestDecay = decayed.min { $0.1.mean < $1.1.mean }!
        let sgdr = finals[schedules.firstIndex { $0.name.hasPrefix("SGDR") }!]
        let article = finals[schedules.firstIndex { $0.name.hasPrefix("article") }!]
        let cosineWins = wins[schedules.firstIndex { $0.name == "cosine" }!]
        // The seed-mean curves over the second half of the run, not only at the last step.
        func halfMean(_ curve: [(Int, Double)]) -> Double {
            let late = curve.filter { $0.0 >= steps / 2 }.map(\.1)
            return late.reduce(0, +) / Double(max(1, late.count))
        }
        let bestIndex = schedules.firstIndex { $0.name == bestDecay.0.name }!
        let (constantHalf, bestHalf) = (halfMean(meanCurves[0]), halfMean(meanCurves[bestIndex]))
        let secondHalf = " Over the second half of the run (steps \(steps / 2)–\(steps), figure above) the constant "
            + "rate's seed-mean curve averages \(Fmt.sci(constantHalf, 2)), \(bestDecay.0.name)'s "
            + "\(Fmt.sci(bestHalf, 2)): \(Fmt.sig(constantHalf / bestHalf, 2))× apart."
        let tableRestart: ThresholdRestart? = schedules.lazy.compactMap { s -> ThresholdRestart? in
            if case .restart(let r) = s.schedule { return r } else { return nil }
        }.first
        let galleryRestart = Self.galleryRestart
        let restartSettings = tableRestart.map { r in
            "τ = \(Fmt.sig(r.threshold)), tightened ×\(Fmt.sig(r.factor)) at each firing, rate decayed by γ = "
                + "\(Fmt.sig(r.gamma, 4)) per step (the gallery above shows the rule with τ = "
                + "\(Fmt.sig(galleryRestart.threshold)), ×\(Fmt.sig(galleryRestart.factor)), "
                + "γ = \(Fmt.sig(galleryRestart.gamma)) over "
                + "\(nb.quick ? 300 : 1500) steps)"
        } ?? "τ"
        let constantLast = results[0].map(\.0), constantWindow = scores[0]
        let dips = zip(constantLast, constantWindow).filter { $0.0 < $0.1 }.count
        let constantWindowCurve = meanCurves[0].filter { $0.0 >= windowStart }.map(\.1)
        let bestClaim = nb.claim("""
            Scored over steps \(windowStart)–\(steps), the constant rate sits at \(Fmt.sci(finals[0].mean, 2)) \
            (± \(Fmt.sci(finals[0].sd, 1)) over seeds); the best schedule, \(bestDecay.0.name), at \
            \(Fmt.sci(bestDecay.1.mean, 2)) (± \(Fmt.sci(bestDecay.1.sd, 1))), \
            \(Fmt.sig(finals[0].mean / bestDecay.1.mean, 2))× lower.
            """, holds: bestDecay.1.mean < finals[0].mean,
            evidence: "constant \(finals[0].mean), best \(bestDecay.1.mean)")
            + " At the last step alone the constant rate reads \(Fmt.sci(lastStep[0], 2)) and \(bestDecay.0.name) "
            + "\(Fmt.sci(lastStep[bestIndex], 2)). The constant rate's curve is noisy: over steps \(windowStart)–"
            + "\(steps) its seed-mean moves between \(Fmt.sci(constantWindowCurve.min() ?? .nan, 2)) and "
            + "\(Fmt.sci(constantWindowCurve.max() ?? .nan, 2)), and on \(dips) of \(n) seeds its last value is below "
            + "its own mean over those steps; Table 2 therefore scores the window, not one checkpoint."
            + secondHalf
        let everySeed = better.isEmpty
            ? "No decayed schedule beats the constant rate on every one of the \(n) seeds here."
            : "Schedules that beat the constant rate on every one of the \(n) seeds (same initial weights, same "
                + "batches): \(better.joined(separator: "; "))."
        nb.notice("""
            \(everySeed) \
            \(bestClaim) The usual argument for decaying: with mini-batches each step follows the gradient of 64 \
            examples, \
            not of all \(example.data.count); at a fixed α the parameters keep jittering around the minimum by an \
            amount that \
            grows with α, and decaying α at the end shrinks the jitter. Measured here, over steps \(windowStart)–\
            \(steps), cosine decay sits lower than the constant rate on \(cosineWins) of \(n) seeds. The article's \
            restart rule sits at \
            \(Fmt.sci(article.mean, 2)) ± \(Fmt.sci(article.sd, 1)) \
            and SGDR at \(Fmt.sci(sgdr.mean, 2)) ± \(Fmt.sci(sgdr.sd, 1)); the restart rule's threshold in Table 2, \
            \(restartSettings), was set \
            knowing that the training loss cannot go much below the noise variance 0.01 — on a loss of unknown scale \
            it \
            would have to be tuned, SGDR would not.
            """)
    }

    // MARK: Exercises

    func exercises() {
        nb.exercise("""
            Figure 1 shows two rates, α = 0.4 and α = 0.49, at which the y-coordinate of gradient descent on \
            0.1x² + 2y² flips sign at every step yet still converges. \
            Find the whole range of fixed α with that behaviour, and say \
            why the sign flips. (One step multiplies y by a factor that depends on α; the y column of \
            `swift run lab optimize --function quadratic --start -5,-2 --steps 12 --optimizer sgd \
            --lr <your α> --format table` shows the signs at both ends of your range.)
            """, solution: "oscillating") {
            // solution: oscillating
            // y is multiplied by (1 − 4α): negative for α > 0.25, and of size < 1 while α < 0.5.
            func ys(_ alpha: Double) -> String {
                optimize(Quadratic(), from: [-5, -2], steps: 6, optimizer: SGD(learningRate: alpha)).points
                    .map { Fmt.sig($0.point[1], 2) }.joined(separator: ", ")
            }
            return "One step multiplies y by 1 − 4α: it is negative (y flips sign) when α > 1/4 and of size below 1 "
                + "(y shrinks) when α < 1/2, so the range is 0.25 < α < 0.5. At α = 0.25 y is 0 after one step; at "
                + "α = 0.5 it flips with constant size. Inside: α = 0.26 gives y = \(ys(0.26)); α = 0.49 gives "
                + "y = \(ys(0.49)); just outside, α = 0.51 gives y = \(ys(0.51))."
            // end solution
        }
        nb.exercise("""
            The article's polynomial decay α_t = α(1 − t/T)^γ with γ = 2 reaches a rate of α/4 at which step, out \
            of T = 300? And with γ = 0.5? (Pen and paper; `swift run lab schedule --lr 1 --steps 300 \
            --schedule polynomial:T=300,power=2 --format table` lists every step's rate to check.)
            """, solution: "quarter-rate") {
            // solution: quarter-rate
            // α(1 − t/T)^γ = α/4  ⇔  t = T(1 − 4^(−1/γ))
            func first(_ power: Double) -> Int {
                let s = Schedule.polynomial(PolynomialDecay(totalSteps: 300, power: power))
                return (0..<300).first { s.rate(at: $0, base: 1) <= 0.25 }!
            }
            return "γ = 2 reaches α/4 at step \(first(2)) (T(1 − 4^(−1/2)) = 150), γ = 0.5 only at step \(first(0.5)) "
                + "(T(1 − 4^(−2)) ≈ 281): a larger γ front-loads the decay."
            // end solution
        }
    }
}
