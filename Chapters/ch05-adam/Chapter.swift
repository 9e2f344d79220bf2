// Chapter 5 — Adam (article §3.2.6; Kingma and Ba, ICLR 2015; Reddi, Kale and Kumar, ICLR 2018).
import ArgumentParser
import Descent
import Figures
import Notebook
import RealModule

@main
struct AdamChapter: ChapterCommand {
    static let slug = "ch05-adam"
    @OptionGroup var options: ChapterOptions

    func body(_ nb: Notebook) async throws {
        try await Chapter5(nb: nb).write()
    }
}

struct Chapter5 {
    let nb: Notebook

    func write() async throws {
        nb.prose("""
            Adam (Kingma and Ba, ICLR 2015) keeps two moving averages — of the gradient, m, and of its square, v — and \
            steps along m/√v: momentum, scaled per coordinate like RMSprop. The article writes the averages and the step, \
            but drops the bias correction that makes the first steps the right size.
            """)
        nb.formula(article: "m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − α·m/(√v + ε)",
                   corrected: "m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ);  θ ← θ − α·m̂/(√v̂ + ε)",
                   citation: "article §3.2.6; Kingma and Ba, ICLR 2015 (arXiv:1412.6980), Algorithm 1; torch.optim.Adam")

        // 1. Bias correction.
        nb.section("Bias correction: the first step")
        let b2s = [0.99, 0.999, 0.9999]
        nb.prose("""
            With m₀ = v₀ = 0, after one step m = (1−β₁)g and v = (1−β₂)g². Divided by 1 − β₁ and 1 − β₂ they give back g \
            and g², so Adam's first step is α·g/|g| = α per coordinate. The article's version steps \
            (1−β₁)/√(1−β₂)·α instead.
            """)
        nb.table(Table(header: ["β₂", "Adam: first step / α (run)", "article: first step / α (run)", "(1 − β₁)/√(1 − β₂)"], rows: b2s.map { b2 in
            [Fmt.sig(b2), Fmt.sig(Measure.firstStepRatio(Adam(learningRate: 0.001, beta2: b2)), 6),
             Fmt.sig(Measure.firstStepRatio(ArticleAdam(learningRate: 0.001, beta2: b2)), 6), Fmt.sig(0.1 / (1 - b2).squareRoot(), 6)]
        }), caption: "One step of each optimizer with g = 2, α = 0.001, β₁ = 0.9.")
        nb.notice("At the default β₂ = 0.999 the uncorrected first step is 3.16α — and the factor stays above 1 for about 1/(1 − β₂) = 1000 steps, while v̂ is still biased towards 0.")

        // Kingma & Ba Fig. 4, small.
        let task = SupervisedTask.spirals(seed: nb.seed)
        let steps = nb.quick ? 100 : 1000
        let exponents = nb.quick ? [-3.0, -2, -1] : stride(from: -4.0, through: -0.5, by: 0.5).map { $0 }
        let grid = exponents.map { Double.pow(10, $0) }
        let losses = nb.step("Adam with and without bias correction: \(b2s.count * 2 * grid.count) runs", total: b2s.count * 2 * grid.count) { p in
            b2s.map { b2 in
                [true, false].map { corrected in
                    grid.map { a -> Double in
                        defer { p.advance() }
                        return corrected ? task.finalLoss(Adam(learningRate: a, beta2: b2), steps: steps, seed: nb.seed &+ 7)
                                         : task.finalLoss(ArticleAdam(learningRate: a, beta2: b2), steps: steps, seed: nb.seed &+ 7)
                    }
                }
            }
        }
        try await nb.figure(Figure(name: "bias-correction", title: "Final loss after \(steps) steps vs learning rate (after Kingma and Ba, Fig. 4)",
                                   plots: b2s.enumerated().map { i, b2 in
            Plot(title: "β₂ = \(Fmt.sig(b2))", xLabel: "log₁₀ α", yLabel: "training loss (BCE)", yRange: 0...1, key: .topLeft, series: [
                Series(title: "with bias correction", style: .linesPoints, x: exponents, y: losses[i][0], color: 0),
                Series(title: "without (the article's)", style: .linesPoints, x: exponents, y: losses[i][1], color: 1, dashed: true),
            ])
        }, columns: 3), caption: "The spirals MLP, β₁ = 0.9, same initial weights and batches for every point; a missing point diverged.")
        func bestOf(_ v: [Double]) -> Double { v.filter { $0.isFinite }.min() ?? .nan }
        let diverged = losses.map { $0.map { $0.filter { !$0.isFinite }.count } }
        nb.table(Table(header: ["β₂", "best loss, corrected", "best loss, uncorrected", "diverged runs (corrected / uncorrected)"], rows: b2s.enumerated().map { i, b2 in
            [Fmt.sig(b2), Fmt.fixed(bestOf(losses[i][0]), 4), Fmt.fixed(bestOf(losses[i][1]), 4), "\(diverged[i][0]) / \(diverged[i][1])"]
        }), caption: "The best point of each curve in figure 1.")
        let good = losses.map { $0.map { $0.filter { $0 < 0.2 }.count } }
        let widest = exponents.indices.filter { losses[2][0][$0] < 0.2 }.map { exponents[$0] }
        nb.notice("""
            Count the rates of the grid that reach a loss below 0.2: with correction \(good.map { "\($0[0])" }.joined(separator: ", ")), \
            without \(good.map { "\($0[1])" }.joined(separator: ", ")) for β₂ = 0.99, 0.999, 0.9999. The correction buys a wider \
            range of good rates where Kingma and Ba said it matters, at large β₂: the uncorrected steps start up to \
            (1 − β₁)/√(1 − β₂) = \(Fmt.sig(0.1 / (1 - 0.9999).squareRoot(), 3))× too large and stay too large for ~1/(1 − β₂) steps, \
            so at large α the run is knocked onto the plateau. \(widest.isEmpty ? "" : "With correction, β₂ = 0.9999 works from log₁₀ α = \(Fmt.sig(widest.first!, 2)) to \(Fmt.sig(widest.last!, 2)). ")\
            Honestly reported: the single best point is lower without correction here (\(Fmt.fixed(bestOf(losses[2][1]), 4)) vs \
            \(Fmt.fixed(bestOf(losses[2][0]), 4)) at β₂ = 0.9999) — plausibly because at a small α the oversized early steps simply move further \
            — but it sits on a narrow ledge of the grid; one seed and one budget cannot rank the two by their best points.
            """)

        // 2. The race.
        nb.section("The optimizer race on Rosenbrock")
        let raceSteps = nb.quick ? 3000 : 20000, target = 1e-3
        let raceGrid = stride(from: -5.0, through: 0, by: 1.0 / 3).map { Double.pow(10, $0) }
        let seeds: [UInt64] = [nb.seed &+ 1, nb.seed &+ 2, nb.seed &+ 3]
        let results = nb.step("Racing \(racers.count) optimizers", total: 1) { p in
            defer { p.advance() }
            return race(grid: raceGrid, steps: raceSteps, target: target, seeds: seeds)
        }
        nb.prose("""
            Seven optimizers start from (−1.5, 2) on Rosenbrock's banana, each at its best rate from a log grid \
            (10⁻⁵ … 1, three per decade), and race to f < 10⁻³ within \(raceSteps) steps. To check that the order is not \
            an accident of the start, each is re-run at its rate from three starts jittered by N(0, 0.05²).
            """)
        let ranked = results.sorted { ($0.steps ?? Int.max) < ($1.steps ?? Int.max) }
        nb.table(Table(header: ["optimizer", "best α", "steps to f < 1e-3", "jittered starts (3 seeds)"], rows: ranked.map { r in
            [r.racer.name, Fmt.sig(r.rate, 3), r.steps.map { "\($0)" } ?? "not within \(raceSteps)",
             r.seedSteps.map { $0.map { "\($0)" } ?? "—" }.joined(separator: ", ")]
        }, rightAligned: [false, true, true, true]), caption: "The race, fastest first (— : not reached).")
        let rc = Contour(xRange: -2...2, yRange: -1...3, resolution: nb.quick ? 41 : 101,
                         levels: [0.001, 0.01, 0.1, 0.5, 2, 5, 10, 30, 100, 300, 1000]) { x, y in (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x) }
        try await nb.figure(Figure(name: "race", title: "The race to f < 1e-3 on Rosenbrock from (−1.5, 2)", xLabel: "x", yLabel: "y",
                                   xRange: -2...2, yRange: -1...3, key: .outside,
                                   series: results.enumerated().map { i, r in
            let end = (r.steps ?? raceSteps)
            let stride = max(1, (end + 1) / 1500)
            let idx = Array(Swift.stride(from: 0, through: end, by: stride))
            return Series(title: "\(r.racer.name) (α = \(Fmt.sig(r.rate, 2)))", x: idx.map { r.trajectory.points[$0].point[0] },
                          y: idx.map { r.trajectory.points[$0].point[1] }, color: i % 8)
        }, contour: rc), caption: "Each path is drawn until it reaches f < 10⁻³ (or the step limit).")
        let orderPerSeed = seeds.indices.map { k in results.sorted { ($0.seedSteps[k] ?? Int.max) < ($1.seedSteps[k] ?? Int.max) }.map(\.racer.name) }
        let stable = orderPerSeed.allSatisfy { $0 == orderPerSeed[0] }
        nb.notice("""
            \(ranked[0].racer.name) wins (\(ranked[0].steps.map { "\($0)" } ?? "—") steps), \(ranked.last!.racer.name) comes last. \
            The order across the three jittered starts is \(stable ? "the same every time" : "not fixed — see the spread in the table"). \
            \(results.filter { r in r.steps != nil && r.seedSteps.contains { $0 == nil } }.map { "\($0.racer.name)'s time at α = \(Fmt.sig($0.rate, 2)) did not survive the jitter (it missed the target from \($0.seedSteps.filter { $0 == nil }.count) of 3 starts): a best rate picked on one start can sit on a knife edge. " }.joined())\
            Plain SGD needs a rate small enough for the steep walls (≈ 1/L of the curvature across the valley), which \
            makes it crawl along the valley floor; momentum and the adaptive methods do not share that limit.
            """)

        // 3. Reddi et al.
        nb.section("When Adam does not converge: Reddi, Kale and Kumar's example")
        let onlineSteps = nb.quick ? 10_000 : 1_000_000
        let adam = counterexample(amsgrad: false, steps: onlineSteps)
        let ams = counterexample(amsgrad: true, steps: onlineSteps)
        nb.prose("""
            Reddi, Kale and Kumar (ICLR 2018) built an online problem where Adam provably fails: on x ∈ [−1, 1], the loss is \
            $f_t(x) = 3x$ when t mod 3 = 1 and $-x$ otherwise. Over any three steps the sum is x, so the best point is \
            x = −1. With β₁ = 0 and β₂ = 1/(1 + C²) = 0.1 (C = 3), the rare gradient 3 inflates v for a step or two and is \
            then forgotten, while the two gradients −1 push x up with a larger effective rate. AMSGrad keeps the running \
            maximum of v, so the large gradient is never forgotten. Rate α/√t with α = 0.5, \(onlineSteps) steps, x₁ = 0.
            """)
        try await nb.figure(Figure(name: "reddi", title: "Adam vs AMSGrad on f_t(x) = 3x (t mod 3 = 1), −x otherwise", plots: [
            Plot(title: "iterate x_t", xLabel: "step t", yLabel: "x_t", xScale: .log, yRange: -1.1...1.1, key: .below, series: [
                Series(title: "Adam", x: adam.recorded.map { Double($0.step) }, y: adam.recorded.map(\.x), color: 1),
                Series(title: "AMSGrad", x: ams.recorded.map { Double($0.step) }, y: ams.recorded.map(\.x), color: 0),
            ]),
            Plot(title: "average regret R_t/t", xLabel: "step t", yLabel: "R_t / t", xScale: .log, key: .below, series: [
                Series(title: "Adam", x: adam.recorded.map { Double($0.step) }, y: adam.recorded.map(\.averageRegret), color: 1),
                Series(title: "AMSGrad", x: ams.recorded.map { Double($0.step) }, y: ams.recorded.map(\.averageRegret), color: 0),
            ]),
        ], columns: 2), caption: "Left: where each optimizer sits. Right: regret per step against the best fixed point x = −1; it must go to 0 for convergence.")
        nb.table(Table(header: ["", "x after \(onlineSteps) steps", "R_T / T"], rows: [
            ["Adam", Fmt.fixed(adam.final, 4), Fmt.sci(adam.averageRegret, 3)],
            ["AMSGrad", Fmt.fixed(ams.final, 4), Fmt.sci(ams.averageRegret, 3)],
        ]), caption: "The end of the runs in figure 3.")
        nb.notice("""
            Adam ends at x = \(Fmt.fixed(adam.final, 3)) — the worst point — and its average regret stays at \
            \(Fmt.sci(adam.averageRegret, 2)); AMSGrad ends at \(Fmt.fixed(ams.final, 3)) with average regret \
            \(Fmt.sci(ams.averageRegret, 2)) and falling. Which AMSGrad? PyTorch keeps the maximum of the *uncorrected* v and \
            then divides by √(1 − β₂ᵗ) (the max is taken before bias correction); Reddi et al.'s Algorithm 2 has no bias \
            correction at all. With β₂ = 0.1 the correction is 1 within a few steps, so here the two coincide.
            """)

        // 4. What Adam is not.
        nb.section("What Adam is not")
        nb.prose("""
            The article calls Adam "a dynamic learning rate plus gradient clipping". It is neither. Its step is \
            α·m̂/(√v̂ + ε): the *direction* is a momentum average of past gradients (not the current gradient), and the \
            scale per coordinate is roughly α·|mean g|/rms(g) — bounded by about α when gradients are consistent, but not a \
            clip: nothing caps ‖g‖, and a single huge gradient still enters m at full size (chapter 1 needed real clipping \
            for that). Nor does it schedule α: the rate you set is the rate it uses at every step; chapter 2's schedules \
            and chapter 7's range test still apply. And, as Reddi et al. showed, it is not guaranteed to converge even on \
            convex problems.
            """)

        nb.exercise("At which β₂ does the article's uncorrected Adam take exactly the right first step (= α)? Check it by running one step.",
                    solution: "beta2-first-step") {
            // solution: beta2-first-step
            // (1 − β₁)/√(1 − β₂) = 1  ⇔  1 − β₂ = (1 − β₁)²  ⇔  β₂ = 1 − 0.01 = 0.99
            var opt = ArticleAdam(learningRate: 0.01, beta2: 0.99)
            var theta = [0.0]
            opt.step(&theta, gradient: [5])
            return "β₂ = 0.99: first step = \(Fmt.sig(abs(theta[0]) / 0.01, 6))α"
            // end solution
        }
    }
}
