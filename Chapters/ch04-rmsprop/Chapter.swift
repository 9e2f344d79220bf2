// Chapter 4 — RMSprop (article §3.2.5; Tieleman and Hinton 2012).
import ArgumentParser
import Descent
import Figures
import Notebook
import RealModule

@main
struct RMSpropChapter: ChapterCommand {
    static let slug = "ch04-rmsprop"
    @OptionGroup var options: ChapterOptions

    func body(_ nb: Notebook) async throws {
        try await Chapter4(nb: nb).write()
    }
}

struct Chapter4 {
    let nb: Notebook

    func write() async throws {
        nb.prose("""
            RMSprop was proposed by Tieleman and Hinton in a lecture (Coursera, *Neural Networks for Machine \
            Learning*, lecture 6.5, 2012) as the fix for AdaGrad's ever-shrinking rate: divide by a *moving average* \
            of squared gradients, so old gradients are forgotten. The article's formula keeps AdaGrad's sum and \
            multiplies it by a "decay" — which forgets nothing.
            """)
        nb.formula(article: "θ ← θ − α/√(decay·G_t + ε) · ∇L,  G_t = Σ g²",
                   corrected: "v ← ρv + (1 − ρ)g²;  θ ← θ − α·g/(√v + ε)  (ρ = 0.99, ε = 1e-8 in PyTorch)",
                   citation: "article §3.2.5; Tieleman and Hinton, Coursera lecture 6.5 (2012); torch.optim.RMSprop")
        try await articleVersusRMSprop()
        try await memory()
        firstStep()
        try await sideBySide()
        settling()
        exercises()
    }

    // MARK: 1. Article vs real RMSprop

    func articleVersusRMSprop() async throws {
        nb.section("The article's formula still decays like AdaGrad")
        let T = nb.quick ? 2000 : 20000, alpha = 0.5, sigma = 1.0
        nb.prose("""
            Run both on the quadratic 0.1x² + 2y² from (−5, −2), with noise N(0, σ²), σ = \(Fmt.sig(sigma)), added to \
            every gradient coordinate — a stand-in for mini-batch noise — and record each coordinate's effective rate \
            α/√(…), the factor that multiplies its gradient, for \(T) steps at α = \(Fmt.sig(alpha)).
            """)
        // A seed set: every run draws its own noise; the figure draws the set's range as a band.
        let seeds = nb.seeds(8)
        let runs = nb.parallelMap(2 * seeds.count) { j -> [[Double]] in
            let seed = seeds[j % seeds.count]
            return j < seeds.count
                ? Measure.noisyGradientRun(ArticleRMSprop(learningRate: alpha), on: Quadratic(), from: [-5, -2],
                                           steps: T, noise: sigma, seed: seed) { $0.effectiveLearningRates }
                : Measure.noisyGradientRun(RMSprop(learningRate: alpha), on: Quadratic(), from: [-5, -2],
                                           steps: T, noise: sigma, seed: seed) { $0.effectiveLearningRates }
        }
        let articleRuns = Array(runs[..<seeds.count]), realRuns = Array(runs[seeds.count...])
        let ts = (1...T).map(Double.init), from = T / 10
        func slope(_ run: [[Double]]) -> Double { Measure.logLogSlope(Array(ts[from...]), run[from...].map { $0[1] }) }
        let articleSlopes = articleRuns.map(slope), realSlopes = realRuns.map(slope)
        let shown = logSpacedIndices(T, points: 400), xs = shown.map { ts[$0] }
        // The fixed point of the y coordinate (curvature 4), derived below and in table 1.
        let yFixed = settledRate(alpha: alpha, sigma: sigma, curvature: 2 * Quadratic().b)
        func band(_ set: [[[Double]]], title: String, pen: Pen) -> Series {
            let columns = shown.map { i in set.map { $0[i][1] } }
            return Series(title: title, style: .band, x: xs, y: columns.map { Spread($0).median },
                          low: columns.map { $0.min()! }, high: columns.map { $0.max()! }, pen: pen)
        }
        // The article's series gets its own colour here (not the palette's orange, dashed): two
        // series of one hue were told apart by the dash alone.
        try await nb.figure(Figure(name: "article-vs-rmsprop",
                                   title: "Effective rate of the y coordinate under noisy gradients (σ = 1)",
                                   xLabel: "step", yLabel: "effective learning rate", xScale: .log, yScale: .log,
                                   xRange: 1...Double(T), series: [
            band(articleRuns, title: "article: α/√(decay·G + ε)", pen: Pen(color: Palette.wine, dash: 2, point: 10)),
            Series(title: "α/(σ√(0.99 t)), slope −1/2", x: xs, y: xs.map { alpha / (sigma * (0.99 * $0).squareRoot()) },
                   pen: .named("reference")),
            band(realRuns, title: "RMSprop: α/(√v + ε), ρ = 0.99", pen: .named("RMSprop")),
            Series(title: "fixed point η = \(Fmt.fixed(yFixed, 3)) (table 1)", x: [1, Double(T)], y: [yFixed, yFixed],
                   pen: Pen(color: Palette.grey, dash: 4, point: 6)),
        ]), caption: "Same gradients, same α = \(Fmt.sig(alpha)), \(seeds.count) noise seeds: each line is the median "
            + "over the seeds, the band the lowest to the highest. Log–log axes: slope −1/2 is 1/√t decay; slope 0 is "
            + "a rate that stays put. Grey dotted: the article's sum G grows like tσ², so its rate follows "
            + "α/(σ√(0.99 t)); it starts below that line because the first gradient, 8 in y at (−5, −2), puts 64 "
            + "into G at once, as much as 64 steps of noise. Grey dash-dotted: the level where RMSprop's rate "
            + "settles, derived below; from about step 50 on, RMSprop's line lies on it.")
        let (aS, rS) = (Spread(articleSlopes), Spread(realSlopes))
        nb.notice(nb.claim("""
            Fitted slopes from step \(from) on, over the \(seeds.count) seeds: article \(Fmt.fixed(aS.min, 3)) to \
            \(Fmt.fixed(aS.max, 3)) — AdaGrad's 1/√t, rescaled by 1/√0.99 — and RMSprop \(Fmt.fixed(rS.min, 3)) to \
            \(Fmt.fixed(rS.max, 3)): with a moving average the rate stops falling, whatever the length of the run.
            """, holds: articleSlopes.allSatisfy { abs($0 + 0.5) < 0.05 } && realSlopes.allSatisfy { abs($0) < 0.05 },
            evidence: "slopes \(articleSlopes), \(realSlopes)"))

        // Where it settles.
        let curvatures = [2 * Quadratic().a, 2 * Quadratic().b]
        // settled[c][k]: run k's mean effective rate of coordinate c over steps from…T.
        let settled = (0..<2).map { c in realRuns.map { run in run[from...].map { $0[c] }.reduce(0, +) / Double(T - from) } }
        let predicted = curvatures.map { settledRate(alpha: alpha, sigma: sigma, curvature: $0) }
        nb.prose("""
            Where does it stop? Not at α/σ = \(Fmt.sig(alpha / sigma)), as if v averaged the noise alone. The iterate \
            itself jitters around the minimum, and on a coordinate of curvature h that jitter turns into gradient: \
            with η the effective rate, y ← y − η(hy + ξ) has variance ησ²/(h(2 − ηh)), so the average of g² is \
            σ²/(1 − ηh/2). Setting η = α/√v with v equal to that average gives η = (α/σ)·√(1 − ηh/2), a quadratic \
            for η. A steep coordinate settles lower than a flat one.
            """)
        let spreads = settled.map(Spread.init)
        nb.table(Table(header: ["coordinate", "curvature h", "α/σ", "η from η = (α/σ)√(1 − ηh/2)",
                                "measured mean η (steps \(from)–\(T)), mean (min – max)"],
                       rows: (0..<2).map { c in
            [c == 0 ? "x" : "y", Fmt.sig(curvatures[c]), Fmt.sig(alpha / sigma), Fmt.fixed(predicted[c], 3),
             "\(Fmt.fixed(spreads[c].mean, 3)) (\(Fmt.fixed(spreads[c].min, 3)) – \(Fmt.fixed(spreads[c].max, 3)))"]
        }), caption: "RMSprop's settled effective rate in the \(seeds.count) runs of figure 1 (mean and range over the "
            + "seeds), against the fixed point.")
        let gaps = (0..<2).map { c in settled[c].map { abs($0 / predicted[c] - 1) }.max()! }
        nb.notice(nb.claim("""
            The y coordinate settles at η = \(Fmt.fixed(spreads[1].mean, 2)), not at α/σ = \(Fmt.sig(alpha / sigma)): \
            in every one of the \(seeds.count) runs its mean is within \(Fmt.fixed(100 * gaps[1], 1)) % of the fixed \
            point \(Fmt.fixed(predicted[1], 4)). The flat x coordinate (h = \(Fmt.sig(curvatures[0]))) settles at \
            \(Fmt.fixed(spreads[0].mean, 2)), close to α/σ, because its jitter adds little gradient.
            """, holds: gaps.allSatisfy { $0 < 0.05 } && settled[1].allSatisfy { $0 < 0.7 * alpha / sigma },
            evidence: "measured \(settled), predicted \(predicted)"))
    }

    // MARK: 2. Memory

    func memory() async throws {
        nb.section("How long RMSprop remembers: about 1/(1 − ρ) steps")
        let rhos = [0.9, 0.99, 0.999]
        let memory = rhos.map { memorySteps(alpha: $0) }
        nb.prose("""
            The average v ← ρv + (1 − ρ)g² weighs a gradient from k steps ago by ρᵏ, so it forgets with a time \
            constant of −1/ln ρ ≈ 1/(1 − ρ) steps. To measure it, feed |g| = 1 for a long time, then |g| = 0.1, and \
            count the steps v needs to cover 1 − 1/e of the way to its new level.
            """)
        nb.table(Table(header: ["ρ (PyTorch's alpha)", "1/(1 − ρ)", "−1/ln ρ", "measured steps"],
                       rows: zip(rhos, memory).map { a, m in
            [Fmt.sig(a), Fmt.sig(1 / (1 - a), 4), Fmt.sig(-1 / Double.log(a), 5), "\(m)"]
        }), caption: "RMSprop's memory, measured from the optimizer's own state after a step change in |g|.")
        nb.notice(nb.claim("""
            The measured memory is \(memory.map { "\($0)" }.joined(separator: ", ")) steps for ρ = 0.9, 0.99, 0.999 — \
            within one step of −1/ln ρ, and close to the 1/(1 − ρ) rule of thumb.
            """, holds: zip(rhos, memory).allSatisfy { abs(Double($0.1) + 1 / Double.log($0.0)) <= 1 },
            evidence: "\(memory)"))
        let sweepSteps = nb.quick ? 300 : 2000
        let sweep = rhos.map { a in
            optimize(Rosenbrock(), from: [-1.5, 2], steps: sweepSteps,
                     optimizer: RMSprop(learningRate: 0.005, alpha: a), divergence: .standard)
        }
        // Before step 21 the rule has no 20-step window; a first step that raises f is reported on its own.
        let risers = zip(rhos, sweep).filter { $0.1.points[1].loss > 1.2 * $0.1.points[0].loss }
        let firstRise = risers.isEmpty ? "" : " Not counted: the first step raises f for " + risers.map { r, t in
            "ρ = \(Fmt.sig(r)) (from \(Fmt.sig(t.points[0].loss, 3)) to \(Fmt.sig(t.points[1].loss, 4)))"
        }.joined(separator: ", ") + "; the next section, \"The first-step surprise\", explains why."
        try await nb.figure(Figure(name: "alpha-sweep",
                                   title: "RMSprop on Rosenbrock at α = 0.005 for ρ = 0.9, 0.99, 0.999",
                                   xLabel: "step", yLabel: "f(θ)", yScale: .log,
                                   series: zip(rhos, sweep).enumerated().map { i, p in
            // Solid lines for ρ = 0.9 and 0.99, so the spikes of 0.99 stay visible; dotted for 0.999.
            Series(loss: p.1, title: "ρ = \(Fmt.sig(p.0))", pen: Pen(color: Palette.colors[i], dash: i == 2 ? 3 : 1))
        }), caption: "f after \(sweepSteps) steps: " + zip(rhos, sweep).map { r, t in
            "\(Fmt.sci(t.points.last!.loss, 2)) for ρ = \(Fmt.sig(r))"
        }.joined(separator: ", ") + ". Spikes (f rising 20 % above its low of the previous 20 steps, counted from "
            + "step 21, the first with 20 previous steps): " + zip(rhos, sweep).map { r, t in
            "\(spikeOnsets(t)) for ρ = \(Fmt.sig(r))"
        }.joined(separator: ", ") + "." + firstRise)
        let ends = sweep.map { $0.points.last!.loss }
        nb.notice(nb.claim("""
            The longest memory is the slowest here: ρ = 0.999 ends at f = \(Fmt.sci(ends[2], 2)), \
            \(Fmt.sig(ends[2] / ends[1], 3))× the f of ρ = 0.99 (\(Fmt.sci(ends[1], 2))) and \
            \(Fmt.sig(ends[2] / ends[0], 3))× that of ρ = 0.9 (\(Fmt.sci(ends[0], 2))). Early gradients on \
            Rosenbrock's walls are large; a \
            1000-step memory keeps them in v long after the run has reached the flat valley floor, so the steps \
            along the floor stay small.
            """, holds: ends[2] > 2 * ends[1] && ends[2] > 2 * ends[0], evidence: "f at the end \(ends)"))
    }

    // MARK: 3. First step

    func firstStep() {
        nb.section("The first-step surprise")
        let rhos = [0.9, 0.99, 0.999]
        let firsts = rhos.map { Measure.firstStepRatio(RMSprop(learningRate: 0.001, alpha: $0)) }
        nb.prose("""
            v starts at 0 and RMSprop has no bias correction, so after one step v = (1 − ρ)g² and the step is \
            α·g/(√(1 − ρ)·|g|) = α/√(1 − ρ) per coordinate — ten times the rate at the default ρ = 0.99.
            """)
        nb.table(Table(header: ["ρ", "first step / α (run)", "1/√(1 − ρ)"], rows: zip(rhos, firsts).map { a, f in
            [Fmt.sig(a), Fmt.sig(f, 5), Fmt.sig(1 / (1 - a).squareRoot(), 5)]
        }), caption: "The size of RMSprop's first update divided by α, from one step of the optimizer "
            + "(g = 2, α = 0.001).")
        nb.notice(nb.claim("""
            The run matches 1/√(1 − ρ): at ρ = 0.99 the first step is \(Fmt.sig(firsts[1], 3))α, at ρ = 0.999 \
            \(Fmt.sig(firsts[2], 3))α.
            """, holds: zip(rhos, firsts).allSatisfy { abs($0.1 * (1 - $0.0).squareRoot() - 1) < 1e-6 },
            evidence: "\(firsts)") + " Adam (chapter 5) divides its averages by 1 − βᵗ to remove this start-up bias.")
    }

    // MARK: 4. Side by side

    func sideBySide() async throws {
        nb.section("AdaGrad and RMSprop side by side")
        let rSteps = nb.quick ? 500 : 3000, adaRate = 0.5, rmsRate = 0.005
        let rAda = optimize(Rosenbrock(), from: [-1.5, 2], steps: rSteps, optimizer: AdaGrad(learningRate: adaRate))
        let rRms = optimize(Rosenbrock(), from: [-1.5, 2], steps: rSteps, optimizer: RMSprop(learningRate: rmsRate))
        func path(_ t: Trajectory, _ name: String) -> [Series] {
            [Series(path: t, title: name, style: .lines, pen: .named(name)),
             Series(marker: t, at: -1, title: "\(name) end", pen: .named(name))]
        }
        func start(_ t: Trajectory) -> Series {
            Series(marker: t, at: 0, title: "start", pen: .named("reference"))
        }
        let rc = Contour(xRange: -2...2, yRange: -1...3, resolution: nb.quick ? 41 : 101,
                         levels: [0.01, 0.1, 0.5, 2, 5, 10, 30, 100, 300, 1000]) { x, y in Rosenbrock().value([x, y]) }
        // One panel per optimizer, so each path shows; the start and the end are marked in both.
        func panel(_ t: Trajectory, _ name: String, _ rate: Double) -> Plot {
            Plot(title: "\(name), α = \(Fmt.sig(rate)), \(rSteps) steps", xLabel: "x", yLabel: "y",
                 xRange: rc.xs.first!...rc.xs.last!, yRange: rc.ys.first!...rc.ys.last!,
                 series: [start(t)] + path(t, name), contour: rc)
        }
        let d = zip(rAda.points[1].point, rAda.points[0].point).map { $0 - $1 }
        let firstStep = nb.claim("""
            AdaGrad's first step is α·sign(g): (\(Fmt.sig(d[0], 3)), \(Fmt.sig(d[1], 3))), up and \
            to the right, before it turns back into the valley.
            """, holds: d.allSatisfy { abs($0 - adaRate) < 1e-6 }, evidence: "first step \(d)")
        try await nb.figure(Figure(name: "trajectories", title: "AdaGrad and RMSprop on Rosenbrock from (−1.5, 2)",
                                   plots: [panel(rAda, "AdaGrad", adaRate), panel(rRms, "RMSprop", rmsRate)],
                                   columns: 2), caption: """
            Left AdaGrad, right RMSprop, on the same contours. Each path starts at the open grey circle and ends at \
            the filled marker of its colour. The rates are not tuned: RMSprop runs at figure 2's α = \
            \(Fmt.sig(rmsRate)); AdaGrad at α = \(Fmt.sig(adaRate)), the size of its first step in each coordinate \
            (chapter 5's race tunes both). \(firstStep)
            """)
        // The last `window` steps, at most half the run, so AdaGrad's first step α·sign(g) is never among them.
        let window = min(500, rSteps / 2)
        let rmsEnd = ending(rRms, window: window), adaEnd = ending(rAda, window: window)
        var g0 = [0.0, 0.0]
        Rosenbrock().gradient([-1.5, 2], into: &g0)
        let g0norm = (g0[0] * g0[0] + g0[1] * g0[1]).squareRoot()
        let (before, after) = (rRms.points[rSteps - window].loss, rmsEnd.loss)
        nb.notice(nb.claim("""
            On Rosenbrock RMSprop ends at f = \(Fmt.sci(rmsEnd.loss, 2)) and AdaGrad at \(Fmt.sci(adaEnd.loss, 2)) \
            after \(rSteps) steps. AdaGrad's G still holds the large early gradients — the first is \
            (\(Fmt.sig(g0[0], 3)), \(Fmt.sig(g0[1], 3))), norm \(Fmt.sig(g0norm, 3)) — so its steps stay small: its \
            largest coordinate step in the last \(window) steps is \(Fmt.sci(adaEnd.largestStep, 2)), RMSprop's \
            \(Fmt.sci(rmsEnd.largestStep, 2)); RMSprop's moving average forgets them. RMSprop's steps have not \
            shrunk: in its last \(window) steps its largest step is still \
            \(Fmt.sig(rmsEnd.largestStep / rmsRate, 2))α, \
            while f still falls, from \(Fmt.sci(before, 2)) at step \(rSteps - window) to \(Fmt.sci(after, 2)). \
            Whether such steps are progress along the valley or a rattle across it, this run cannot tell; the \
            next section separates the two on the quadratic, where the minimum is known.
            """, holds: rmsEnd.loss < adaEnd.loss && rmsEnd.largestStep > 0.5 * rmsRate && after < before
                && adaEnd.largestStep < rmsEnd.largestStep,
            evidence: "RMSprop \(rmsEnd), AdaGrad \(adaEnd), f \(before) → \(after)"))
    }

    // MARK: 5. Settling

    func settling() {
        nb.section("What lets an adaptive method settle")
        let steps = 3000, alpha = 0.05
        struct Entry { let name: String; let momentum: String; let memory: Double; let run: Trajectory }
        func run(_ o: some Optimizer) -> Trajectory {
            optimize(Quadratic(), from: [-5, -2], steps: steps, optimizer: o)
        }
        let entries = [
            Entry(name: "RMSprop", momentum: "—", memory: 0.99, run: run(RMSprop(learningRate: alpha))),
            Entry(name: "Adam, β₁ = 0, β₂ = 0.99", momentum: "—", memory: 0.99,
                  run: run(Adam(learningRate: alpha, beta1: 0, beta2: 0.99))),
            Entry(name: "Adam, β₂ = 0.99", momentum: "0.9", memory: 0.99,
                  run: run(Adam(learningRate: alpha, beta2: 0.99))),
            Entry(name: "RMSprop, ρ = 0.999", momentum: "—", memory: 0.999,
                  run: run(RMSprop(learningRate: alpha, alpha: 0.999))),
            Entry(name: "Adam, β₁ = 0", momentum: "—", memory: 0.999, run: run(Adam(learningRate: alpha, beta1: 0))),
            Entry(name: "Adam (defaults)", momentum: "0.9", memory: 0.999, run: run(Adam(learningRate: alpha))),
        ]
        nb.prose("""
            So RMSprop at a fixed α keeps moving. Adam with its defaults does settle on this quadratic (last row of \
            the table below); is that its momentum \
            (β₁) or its slower average of g² (β₂ = 0.999 against RMSprop's ρ = 0.99)? Separate the two: six runs on \
            the quadratic from (−5, −2), α = \(Fmt.sig(alpha)), \(steps) steps, with and without momentum, with a \
            100-step and a 1000-step memory.
            """)
        let ends = entries.map { ending($0.run) }
        // Rows whose f is exactly 0: the iterate has shrunk into the subnormal doubles, where f and the
        // steps underflow; say so rather than let a reader take 0e+00 for a bug.
        let exact = entries.indices.filter { entries[$0].run.points.last!.loss == 0 }
        let underflow = exact.isEmpty ? "" : " A 0e+00 ("
            + exact.map { i in
                let p = entries[i].run.points.last!.point
                return "\(entries[i].name): θ = (\(Fmt.sci(p[0], 2)), \(Fmt.sci(p[1], 2)))"
            }.joined(separator: "; ")
            + ") is underflow, not a bug: the iterate shrank geometrically into the subnormal doubles, the smallest "
            + "a double can hold (about 5e-324), where θ² rounds to 0, so f = 0, and each step rounds to no change; "
            + "the tiny values in the other 1000-step-memory rows are the same convergence, not yet that far."
        nb.table(Table(header: ["optimizer", "momentum β₁", "memory ρ or β₂", "f after \(steps) steps",
                                "largest step in the last 500 / α"],
                       rows: zip(entries, ends).map { e, end in
            [e.name, e.momentum, Fmt.sig(e.memory), Fmt.sci(end.loss, 1), Fmt.sci(end.largestStep / alpha, 1)]
        }, rightAligned: [false, true, true, true, true]), caption: "Settling or rattling: the end of six runs."
            + underflow)
        let short = ends.indices.filter { entries[$0].memory == 0.99 }.map { ends[$0] }
        let long = ends.indices.filter { entries[$0].memory == 0.999 }.map { ends[$0] }
        // The 100-step-memory pair without and with momentum: Adam β₁ = 0 vs Adam β₁ = 0.9, both β₂ = 0.99.
        let (plain, heavy) = (ends[1], ends[2])
        nb.notice(nb.claim("""
            Only the long memory makes the runs settle; momentum helps, but does not settle them on its own. With \
            a 100-step memory, adding β₁ = 0.9 lowers f after \(steps) steps from \(Fmt.sci(plain.loss, 2)) to \
            \(Fmt.sci(heavy.loss, 2)) (\(Fmt.sig(plain.loss / heavy.loss, 2))× lower) and the largest late step \
            from \(Fmt.sig(plain.largestStep / alpha, 2))α to \(Fmt.sig(heavy.largestStep / alpha, 2))α, but \
            every run with that memory is still taking steps of at least \
            \(Fmt.sig(short.map(\.largestStep).min()! / alpha, 2))α at the end. Every run with a 1000-step memory \
            has settled (largest late step \(Fmt.sci(long.map(\.largestStep).max()! / alpha, 0))α or less), with \
            momentum or without. A short memory lets v follow g² down as the gradient shrinks, so α·g/√v stays near \
            α and the iterate rattles across the minimum; a long memory keeps the larger gradients of the approach \
            in v, so the steps shrink with the gradient. On this quadratic, at this α and with exact gradients, \
            what lets Adam settle is β₂'s long memory; a decaying schedule (chapter 2) is the other way.
            """, holds: short.allSatisfy { $0.largestStep > 0.1 * alpha }
                && long.allSatisfy { $0.largestStep < 1e-6 * alpha }
                && heavy.loss < plain.loss && heavy.largestStep < plain.largestStep,
            evidence: "short \(short), long \(long)"))
    }

    // MARK: Exercises

    func exercises() {
        nb.exercise("""
            Predict, with η = (α/σ)·√(1 − ηh/2) and the y coordinate's curvature h = 4, where RMSprop's effective \
            rate on the y coordinate settles for α = 0.1 and σ = 2. Then compare with the measurement: \
            `swift run -c release ch04-rmsprop --solutions --output /tmp/ch04` runs the noisy quadratic for \
            20 000 steps (seed 1) and prints the mean effective rate of y over steps 2000–20 000.
            """, solution: "settled-rate") {
            // solution: settled-rate
            let predicted = settledRate(alpha: 0.1, sigma: 2, curvature: 4)
            let rates = Measure.noisyGradientRun(RMSprop(learningRate: 0.1), on: Quadratic(), from: [-5, -2],
                                                 steps: 20_000, noise: 2, seed: 1) { $0.effectiveLearningRates[1] }
            let measured = rates[2000...].reduce(0, +) / Double(rates.count - 2000)
            return """
                predicted η = \(Fmt.fixed(predicted, 4)), measured \(Fmt.fixed(measured, 4)), α/σ = 0.05: with a small \
                α/σ the jitter is small, ηh/2 ≈ \(Fmt.fixed(predicted * 2, 2)), so the rate settles close to α/σ — \
                the correction matters when η is comparable with 2/h.
                """
            // end solution
        }
        nb.exercise("""
            Run the article's RMSprop and PyTorch's on the quadratic without noise for 500 steps at α = 0.01: \
            `swift run lab optimize --function quadratic --start -5,-2 --steps 500 --optimizer article-rmsprop \
            --lr 0.01 | tail -1`, then the same with `--optimizer rmsprop` (the third column is the loss). Which \
            one gets closer to the minimum, and why?
            """, solution: "article-vs-real") {
            // solution: article-vs-real
            let a = optimize(Quadratic(), from: [-5, -2], steps: 500, optimizer: ArticleRMSprop(learningRate: 0.01))
            let r = optimize(Quadratic(), from: [-5, -2], steps: 500, optimizer: RMSprop(learningRate: 0.01))
            let (fa, fr) = (a.points.last!.loss, r.points.last!.loss)
            return """
                article: f = \(Fmt.sci(fa, 3)); RMSprop: f = \(Fmt.sci(fr, 3)). \
                \(fr < fa ? "RMSprop" : "The article's") gets closer: the article's sum of g² only grows, so its \
                rate shrinks like 1/√t, while RMSprop's average forgets the large early gradients and keeps moving \
                at about α per coordinate.
                """
            // end solution
        }
    }

}
