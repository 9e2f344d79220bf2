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
            RMSprop was proposed by Tieleman and Hinton in a lecture (Coursera, *Neural Networks for Machine Learning*, \
            lecture 6.5, 2012) as the fix for AdaGrad's ever-shrinking rate: divide by a *moving average* of squared \
            gradients, so old gradients are forgotten. The article's formula keeps AdaGrad's sum and multiplies it by a \
            "decay" — which forgets nothing.
            """)
        nb.formula(article: "θ ← θ − α/√(decay·G_t + ε) · ∇L,  G_t = Σ g²",
                   corrected: "v ← ρv + (1 − ρ)g²;  θ ← θ − α·g/(√v + ε)  (ρ = 0.99, ε = 1e-8 in PyTorch)",
                   citation: "article §3.2.5; Tieleman and Hinton, Coursera lecture 6.5 (2012); torch.optim.RMSprop")

        // 1. Article vs real RMSprop.
        nb.section("The article's formula still decays like AdaGrad")
        let T = nb.quick ? 2000 : 20000, alpha = 0.5, sigma = 1.0
        let article = Measure.noisyGradientRun(ArticleRMSprop(learningRate: alpha), on: Quadratic(), from: [-5, -2], steps: T, noise: sigma, seed: nb.seed) { $0.effectiveLearningRates }
        let real = Measure.noisyGradientRun(RMSprop(learningRate: alpha), on: Quadratic(), from: [-5, -2], steps: T, noise: sigma, seed: nb.seed) { $0.effectiveLearningRates }
        let ts = (1...T).map(Double.init), from = T / 10
        let articleSlope = Measure.logLogSlope(Array(ts[from...]), article[from...].map { $0[1] })
        let realSlope = Measure.logLogSlope(Array(ts[from...]), real[from...].map { $0[1] })
        let shown = logSpacedIndices(T, points: 400)
        try await nb.figure(Figure(name: "article-vs-rmsprop", title: "Effective rate of the y coordinate under noisy gradients (σ = 1)",
                                   xLabel: "step", yLabel: "effective learning rate", xScale: .log, yScale: .log, key: .bottomLeft, series: [
            Series(title: "article: α/√(decay·G + ε)", x: shown.map { ts[$0] }, y: shown.map { article[$0][1] }, color: 1),
            Series(title: "RMSprop: α/(√v + ε), ρ = 0.99", x: shown.map { ts[$0] }, y: shown.map { real[$0][1] }, color: 0),
        ]), caption: "Same gradients, same α = \(Fmt.sig(alpha)). Log–log axes: slope −1/2 is 1/√t decay; slope 0 is a rate that stays put.")
        nb.notice("""
            Fitted slopes from step \(from) on: article \(Fmt.fixed(articleSlope, 3)) — AdaGrad's 1/√t, rescaled by 1/√0.99 — and \
            RMSprop \(Fmt.fixed(realSlope, 3)): with a moving average the rate settles at about α/σ and stays there, whatever \
            the length of the run.
            """)

        // 2. Memory.
        nb.section("How long RMSprop remembers: about 1/(1 − ρ) steps")
        let alphas = [0.9, 0.99, 0.999]
        let memory = alphas.map { memorySteps(alpha: $0) }
        nb.prose("""
            The average $v \\leftarrow \\rho v + (1-\\rho) g^2$ weighs a gradient from k steps ago by $\\rho^k$, so it forgets \
            with a time constant of $-1/\\ln\\rho \\approx 1/(1-\\rho)$ steps. To measure it, feed |g| = 1 for a long time, then \
            |g| = 0.1, and count the steps v needs to cover 1 − 1/e of the way to its new level.
            """)
        nb.table(Table(header: ["ρ (PyTorch's alpha)", "1/(1 − ρ)", "−1/ln ρ", "measured steps"], rows: zip(alphas, memory).map { a, m in
            [Fmt.sig(a), Fmt.sig(1 / (1 - a), 4), Fmt.sig(-1 / Double.log(a), 5), "\(m)"]
        }), caption: "RMSprop's memory, measured from the optimizer's own state after a step change in |g|.")
        let sweepSteps = nb.quick ? 300 : 2000
        let sweep = alphas.map { a in optimize(Rosenbrock(), from: [-1.5, 2], steps: sweepSteps, optimizer: RMSprop(learningRate: 0.005, alpha: a), divergence: .standard) }
        try await nb.figure(Figure(name: "alpha-sweep", title: "RMSprop on Rosenbrock at α = 0.005 for ρ = 0.9, 0.99, 0.999", xLabel: "step", yLabel: "f(θ)",
                                   yScale: .log, key: .topRight, series: zip(alphas, sweep).enumerated().map { i, p in
            Series(title: "ρ = \(Fmt.sig(p.0))", x: p.1.points.map { Double($0.step) }, y: p.1.points.map(\.loss), color: i)
        }), caption: "A long memory (ρ = 0.999) keeps the large early gradients in v for about 1000 steps and crawls; ρ = 0.99 spikes now and then, when a step taken with a stale, small v overshoots across the valley.")
        nb.notice("The measured memory is \(memory.map { "\($0)" }.joined(separator: ", ")) steps for ρ = 0.9, 0.99, 0.999 — within one step of −1/ln ρ, and close to the 1/(1 − ρ) rule of thumb.")

        // 3. First-step surprise.
        nb.section("The first-step surprise")
        let firsts = alphas.map { Measure.firstStepRatio(RMSprop(learningRate: 0.001, alpha: $0)) }
        nb.prose("""
            v starts at 0 and RMSprop has no bias correction, so after one step $v = (1-\\rho)g^2$ and the step is \
            $\\alpha g/(\\sqrt{1-\\rho}\\,|g|) = \\alpha/\\sqrt{1-\\rho}$ per coordinate — ten times the rate at the default ρ = 0.99.
            """)
        nb.table(Table(header: ["ρ", "first step / α (run)", "1/√(1 − ρ)"], rows: zip(alphas, firsts).map { a, f in
            [Fmt.sig(a), Fmt.sig(f, 5), Fmt.sig(1 / (1 - a).squareRoot(), 5)]
        }), caption: "The size of RMSprop's first update divided by α, from one step of the optimizer (g = 2, α = 0.001).")
        nb.notice("At ρ = 0.999 the first step is \(Fmt.sig(firsts[2], 3))α. Adam (chapter 5) divides its averages by 1 − βᵗ precisely to remove this start-up bias.")

        // 4. Trajectories.
        nb.section("AdaGrad and RMSprop side by side")
        let qSteps = 60, rSteps = nb.quick ? 500 : 3000
        let qAda = optimize(Quadratic(), from: [-5, -2], steps: qSteps, optimizer: AdaGrad(learningRate: 0.5))
        let qRms = optimize(Quadratic(), from: [-5, -2], steps: qSteps, optimizer: RMSprop(learningRate: 0.1))
        let rAda = optimize(Rosenbrock(), from: [-1.5, 2], steps: rSteps, optimizer: AdaGrad(learningRate: 0.5))
        let rRms = optimize(Rosenbrock(), from: [-1.5, 2], steps: rSteps, optimizer: RMSprop(learningRate: 0.005))
        func path(_ t: Trajectory, _ name: String, _ c: Int) -> Series {
            Series(title: name, style: .lines, x: t.points.map { $0.point[0] }, y: t.points.map { $0.point[1] }, color: c)
        }
        let qc = Contour(xRange: -6...2, yRange: -3...3, resolution: nb.quick ? 41 : 81) { x, y in 0.1 * x * x + 2 * y * y }
        let rc = Contour(xRange: -2...2, yRange: -1...3, resolution: nb.quick ? 41 : 101,
                         levels: [0.01, 0.1, 0.5, 2, 5, 10, 30, 100, 300, 1000]) { x, y in (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x) }
        try await nb.figure(Figure(name: "trajectories", title: "AdaGrad (α = 0.5) and RMSprop on the quadratic and on Rosenbrock", plots: [
            Plot(title: "0.1x² + 2y², \(qSteps) steps (RMSprop α = 0.1)", xLabel: "x", yLabel: "y", xRange: -6...2, yRange: -3...3, key: .bottomRight,
                 series: [path(qAda, "AdaGrad", 1), path(qRms, "RMSprop", 0)], contour: qc),
            Plot(title: "Rosenbrock, \(rSteps) steps (RMSprop α = 0.005)", xLabel: "x", yLabel: "y", xRange: -2...2, yRange: -1...3, key: .bottomRight,
                 series: [path(rAda, "AdaGrad", 1), path(rRms, "RMSprop", 0)], contour: rc),
        ], columns: 2), caption: "RMSprop's steps keep a roughly constant size α per coordinate, so it never settles exactly: it rattles around the minimum at the scale of α.")
        nb.notice("""
            On Rosenbrock RMSprop ends at f = \(Fmt.sci(rRms.points.last!.loss, 2)) and AdaGrad at \(Fmt.sci(rAda.points.last!.loss, 2)) \
            after \(rSteps) steps. RMSprop moves faster along the valley because its rate does not decay; for the same reason it \
            does not converge to the exact minimum at a fixed α — it needs a schedule (chapter 2) or Adam's momentum (chapter 5).
            """)

        nb.exercise("Run the article's RMSprop and PyTorch's on the quadratic (no noise) for 500 steps at α = 0.01. Which one gets closer?",
                    solution: "article-vs-real") {
            // solution: article-vs-real
            let a = optimize(Quadratic(), from: [-5, -2], steps: 500, optimizer: ArticleRMSprop(learningRate: 0.01))
            let r = optimize(Quadratic(), from: [-5, -2], steps: 500, optimizer: RMSprop(learningRate: 0.01))
            return "article: f = \(Fmt.sci(a.points.last!.loss, 3)); RMSprop: f = \(Fmt.sci(r.points.last!.loss, 3))"
            // end solution
        }
    }
}
