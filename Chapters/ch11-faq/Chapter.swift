// Chapter 11 — The article's FAQ (§6 Q1–Q5) and outlook (§5), answered with what the book measured.
import ArgumentParser
import Descent
import Figures
import Notebook
import RealModule

@main
struct FAQChapter: ChapterCommand {
    static let slug = "ch11-faq"
    @OptionGroup var options: ChapterOptions

    func body(_ nb: Notebook) async throws {
        try await Chapter11(nb: nb).write()
    }
}

struct Chapter11 {
    let nb: Notebook
    static let grid = (-16...0).map { Double.pow(10, Double($0) / 4) }  // 1e-4 … 1, quarter decades

    func write() async throws {
        nb.prose("""
            The article ends with five questions (§6). For each: the article's answer in one line, and what the \
            book measured, with a link to the page that shows it. Q3 and Q4 are measured here as well.
            """)
        nb.section("Q1. Why do vanishing gradients stop convergence?")
        nb.prose("""
            *The article:* in deep networks the gradient shrinks through the layers, so early layers stop learning. \
            *Measured:* yes, and it is a property of the backward pass (§2.1 says forward). With sigmoid and \
            PyTorch's default initialisation a 10-layer network's first layer gets a gradient 3·10⁻⁸ to 8·10⁻⁸ of the \
            tenth's (chapter 8's seed-42 page, at initialisation and in training) and stays at chance on the digits ([chapter 8](../ch08-fixing-vanishing-gradients/README.md)); \
            [chapter 1](../ch01-vanishing-gradients/README.md) measures the same on spirals for three activations \
            and four initialisations.
            """)
        nb.section("Q2. Why do exploding gradients break training?")
        nb.prose("""
            *The article:* large gradients make the updates too large and training unstable. *Measured:* on a \
            quadratic the boundary is exact — gradient descent diverges above α = 2/L \
            ([chapter 2](../ch02-fixed-vs-decayed-rates/README.md)), momentum above 2(1 + β)/L \
            ([chapter 9](../ch09-momentum/README.md)); in a network with too large an initialisation the \
            gradient norm grows by orders of magnitude and clipping caps the step \
            ([chapter 1](../ch01-vanishing-gradients/README.md)).
            """)
        try await q3()
        try await q4()
        nb.section("Q5. How do we deal with vanishing and exploding gradients?")
        nb.prose("""
            *The article:* better initialisation, other activations, normalisation, residual structure, gradient \
            clipping, adaptive optimizers. *Measured* in [chapter 8](../ch08-fixing-vanishing-gradients/README.md) \
            on the digits with a 10-layer network: for tanh and ReLU the right initialisation (Xavier, He) is the \
            fix; for sigmoid, residual skips or batch normalisation are needed; clipping does nothing for a \
            vanishing gradient (it only shortens long ones) and Adam alone does not rescue it. Clipping is the \
            remedy for the exploding case ([chapter 1](../ch01-vanishing-gradients/README.md)).
            """)
        nb.section("§5, the outlook, honestly")
        nb.prose("""
            *Better optimizers:* the book measured nine strategies, optimizers and schedules together (chapters 2–5, 9 and the table above), and found no single \
            winner: which is best depends on noise and conditioning. *Structural changes:* residual connections and \
            batch normalisation were measured in chapter 8. *Adaptive learning rates:* AdaGrad, RMSprop and Adam \
            (chapters 3–5) and the range test with a verified suggestion (chapter 7) were measured. *Hardware:* \
            not measured; the book's only hardware numbers are the training-step benchmarks in `Benchmarks/README.md`.
            """)
    }

    // MARK: Q3

    func q3() async throws {
        nb.section("Q3. Which learning-rate strategies exist, and what are their pros and cons?")
        let sigma = 1.0
        let problems: [(name: String, steps: Int, run: (Strategy, Double) -> [Double], score: ([Double]) -> Double)] = [
            ("quadratic 0.1x² + 2y², 100 steps", 100,
             { s, a in lossCurve(s, alpha: a, on: Quadratic(), from: [-5, -2], steps: 100) }, { $0.last! }),
            ("Rosenbrock, 2000 steps", 2000,
             { s, a in lossCurve(s, alpha: a, on: Rosenbrock(), from: [-1.5, 2], steps: 2000) }, { $0.last! }),
            ("noisy quadratic (σ = 1), mean of the last 500 of 3000 steps", 3000,
             { s, a in lossCurve(s, alpha: a, on: Quadratic(), from: [-5, -2], steps: 3000, noise: sigma, seed: self.nb.seed) },
             { c in c.suffix(500).reduce(0, +) / 500 }),
        ]
        nb.prose("""
            *The article:* fixed, decayed and restarted rates, AdaGrad, RMSprop, Adam. The book adds AMSGrad, \
            momentum and one-cycle. Each strategy below gets its best base rate from 17 rates between 10⁻⁴ and 1 \
            (quarter decades) on three problems: the ill-conditioned quadratic (exact gradients), Rosenbrock's \
            valley, and the quadratic with noisy gradients (noise seed \(nb.seed)), scored by the final loss (the \
            mean of the last 500 steps when noisy).
            """)
        let results = nb.step("9 strategies × 3 problems × 17 rates", total: Strategy.all.count) { p in
            Strategy.all.map { s -> [(rate: Double, score: Double)] in
                defer { p.advance() }
                return problems.map { pr in bestOverGrid(s, grid: Self.grid, steps: pr.steps, score: pr.score, run: pr.run) }
            }
        }
        nb.table(Table(header: ["strategy"] + problems.map { "\($0.name): loss (best α)" }, rows: zip(Strategy.all, results).map { s, r in
            [s.name] + r.map { (e: (rate: Double, score: Double)) -> String in
                if e.rate.isNaN { return "diverged" }
                let edge = e.rate == Self.grid.last! || e.rate == Self.grid.first! ? ", at grid edge" : ""
                return "\(Fmt.sci(e.score, 1)) (\(Fmt.sig(e.rate, 2))\(edge))"
            }
        }), caption: "Best loss of each strategy on each problem, and the rate of the grid that gave it. "
            + "\"at grid edge\": the best rate is the grid's largest (or smallest), so a rate outside the grid might do better; "
            + "such an entry does not rank the strategy.")
        func score(_ name: String, _ p: Int) -> Double { results[Strategy.all.firstIndex { $0.name == name }!][p].score }
        let constantNoisy = ["fixed rate (SGD)", "RMSprop", "Adam", "AMSGrad", "momentum 0.9"].map { score($0, 2) }
        let decayedNoisy = ["decayed (cosine)", "one-cycle (SGD)"].map { score($0, 2) }
        print("q3 noisy: constant \(constantNoisy.map { Fmt.sci($0, 2) }), decayed \(decayedNoisy.map { Fmt.sci($0, 2) })")
        nb.notice(nb.claim("""
            With noisy gradients (one noise seed, \(nb.seed)) the better of the two schedules that decay the rate to \
            (near) zero — cosine (\(Fmt.sci(decayedNoisy[0], 1))) and one-cycle (\(Fmt.sci(decayedNoisy[1], 1))) — ends \
            below every method whose rate stays constant: fixed rate, RMSprop, Adam, AMSGrad and momentum (best of them \
            \(Fmt.sci(constantNoisy.min()!, 1))). A constant rate leaves a noise floor that a decaying rate lowers. \
            The two in between are AdaGrad, whose per-coordinate rate decays as squared gradients accumulate \
            (\(Fmt.sci(score("AdaGrad", 2), 1))), and warm restarts, whose rate decays and jumps back up \
            (\(Fmt.sci(score("warm restarts (SGDR)", 2), 1))). (Each entry is the best of 17 runs on this one noise \
            seed, so the ranking changes with the seed.)
            """, holds: decayedNoisy.min()! < constantNoisy.min()!, evidence: "decayed \(decayedNoisy), constant \(constantNoisy)"))
        let rosen = Strategy.all.map { score($0.name, 1) }
        let ada = score("AdaGrad", 1), mom = score("momentum 0.9", 1)
        let adaEdge = results[Strategy.all.firstIndex { $0.name == "AdaGrad" }!][1].rate == Self.grid.last!
        print("q3 rosenbrock: \(rosen.map { Fmt.sci($0, 2) })")
        nb.notice(nb.claim("""
            On Rosenbrock, momentum (\(Fmt.sci(mom, 1))) ends at least 100× below plain SGD \
            (\(Fmt.sci(score("fixed rate (SGD)", 1), 1))), and AdaGrad ends above momentum (\(Fmt.sci(ada, 1))\
            \(adaEdge ? ", at the grid's largest rate, so this grid cannot say whether a larger rate would close the gap" : "")).
            """, holds: mom * 100 < score("fixed rate (SGD)", 1) && ada > mom, evidence: "\(rosen)"))
        nb.prose("""
            In one line each, from these runs and the chapters: a **fixed rate** is simple and, below 2/L, exact on \
            clean gradients, but leaves a noise floor; **decayed** rates remove the floor if the decay is timed to the \
            budget; **warm restarts** trade some of that for robustness to the budget; **AdaGrad** is fast on sparse \
            features but its rate only goes down (chapter 3); **RMSprop** and **Adam** adapt per coordinate and \
            forget, Adam also averages the gradient (chapters 4–5); **AMSGrad** fixes Adam's non-convergence on \
            Reddi et al.'s counterexample (chapter 5); **momentum** turns κ into √κ on ill-conditioned problems but \
            not the noise floor (chapter 9); **one-cycle** warms up and anneals (chapter 7).
            """)
    }

    // MARK: Q4

    func q4() async throws {
        nb.section("Q4. How do we choose the learning rate?")
        nb.prose("""
            *The article:* try values and watch the model; if it converges quickly, try a smaller rate; use a schedule. \
            Chapter 7 answers the first part with a range test checked against a grid. The second piece of advice \
            can be checked on the quadratic (μ = 0.2, L = 4), with exact and with noisy gradients (σ = 1):
            """)
        let rates = stride(from: 0.05, through: 0.49, by: 0.01).map { $0 }
        let tol = 1e-6
        func stepsTo(_ a: Double) -> Double {
            let c = lossCurve(Strategy.all[0], alpha: a, on: Quadratic(), from: [-5, -2], steps: 2000)
            return Double((c.firstIndex { $0 < tol } ?? c.count) + 1)
        }
        let steps = rates.map(stepsTo)
        let fastest = rates[steps.indices.min { steps[$0] < steps[$1] }!]
        let n = nb.quick ? 40_000 : 200_000
        let floors = rates.map { a -> Double in
            let c = lossCurve(Strategy.all[0], alpha: a, on: Quadratic(), from: [0, 0], steps: n, noise: 1, seed: nb.seed)
            return c.suffix(n / 2).reduce(0, +) / Double(n / 2)
        }
        let formula = rates.map { a in [0.2, 4.0].reduce(0.0) { $0 + 0.5 * $1 * HeavyBall.stationaryVariance(learningRate: a, momentum: 0, eigenvalue: $1, noise: 1) } }
        try await nb.figure(Figure(name: "q4", title: "Quadratic: speed and noise floor against the rate (gradient descent)", plots: [
            Plot(title: "exact gradients", xLabel: "learning rate α", yLabel: "steps to f < 10⁻⁶", yScale: .log, key: .none, series: [
                Series(title: "measured", style: .linesPoints, x: rates, y: steps, pen: .named("SGD")),
            ]),
            Plot(title: "noisy gradients (σ = 1)", xLabel: "learning rate α", yLabel: "mean loss (noise floor)", yScale: .log,
                 yRange: 1e-3...1e1, key: .bottomRight, series: [
                Series(title: "closed form Σ ½λ·ασ²/(λ(2 − αλ))", x: rates, y: formula, pen: Pen(color: Palette.vermillion, dash: 1)),
                Series(title: "measured", style: .points, x: rates, y: floors, pen: Pen(color: Palette.black, point: 6)),
            ]),
        ], columns: 2), caption: "Left: the fastest rate is 2/(L + μ) = 0.476 (here the grid's \(Fmt.sig(fastest))). Right: the floor grows with α.")
        let i = rates.firstIndex { abs($0 - 0.4) < 1e-9 }!, j = rates.firstIndex { abs($0 - 0.2) < 1e-9 }!
        print("q4: fastest \(fastest), steps at 0.4 \(steps[i]) at 0.2 \(steps[j]); floors \(Fmt.sci(floors[i], 3)) \(Fmt.sci(floors[j], 3))")
        nb.notice(nb.claim("""
            The advice is half right. With exact gradients the fastest rate is 2/(L + μ) = 0.476: above it, up to \
            the stability limit 2/L = 0.5, a smaller rate is faster (α = \(Fmt.sig(rates.last!)) takes \
            \(Int(steps.last!)) steps, α = \(Fmt.sig(fastest)) takes \(Int(steps.min()!))), but below it a smaller rate is \
            slower: halving α = 0.4 to 0.2 takes \(Int(steps[j])) steps instead of \(Int(steps[i])). With noisy gradients \
            it is right: the floor falls from \(Fmt.sci(floors[i], 2)) to \(Fmt.sci(floors[j], 2)), within 10 % of the \
            closed form at both rates. So: a smaller rate (or a schedule that gets there) buys a lower floor, not speed.
            """, holds: steps[j] > 1.5 * steps[i] && floors[j] < 0.7 * floors[i] && steps.last! > steps.min()!
                && abs(floors[i] / formula[i] - 1) < 0.1 && abs(floors[j] / formula[j] - 1) < 0.1,
            evidence: "steps \(steps[i]) \(steps[j]), floors \(floors[i]) \(floors[j]), formula \(formula[i]) \(formula[j])"))
    }
}
