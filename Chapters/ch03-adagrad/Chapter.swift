// Chapter 3 — AdaGrad (article §3.2.4; Duchi, Hazan and Singer, JMLR 2011).
import ArgumentParser
import Descent
import Figures
import Notebook
import RealModule

@main
struct AdaGradChapter: ChapterCommand {
    static let slug = "ch03-adagrad"
    @OptionGroup var options: ChapterOptions

    func body(_ nb: Notebook) async throws {
        try await Chapter3(nb: nb).write()
    }
}

struct Chapter3 {
    let nb: Notebook
    static let grid = [0.01, 0.03, 0.1, 0.2, 0.3, 0.4, 0.45, 0.5, 0.7, 1, 1.5, 2]

    func write() async throws {
        nb.prose("""
            The article (§3.2.4) describes AdaGrad as dividing the rate by the root of the accumulated squared \
            gradient: each parameter gets its own step size, large where gradients have been small and small where \
            they have been large. That is Duchi, Hazan and Singer's algorithm (JMLR 2011); the article's formula \
            differs from the paper's and PyTorch's only in where ε sits.
            """)
        nb.formula(article: "θ ← θ − α/√(G_t + ε) · ∇L,  G_t = Σ g²", corrected: "θ ← θ − α·g/(√G_t + ε)  (ε = 1e-10 outside the root)",
                   citation: "article §3.2.4; Duchi, Hazan and Singer, JMLR 12 (2011); torch.optim.Adagrad")

        // 1. SGD vs AdaGrad on the quadratic.
        nb.section("Per-coordinate rates on an ill-conditioned quadratic")
        let f = Quadratic(), start = [-5.0, -2.0], steps = 100
        let sgd = bestRate(Self.grid, on: f, from: start, steps: steps) { SGD(learningRate: $0) }
        let ada = bestRate(Self.grid, on: f, from: start, steps: steps) { AdaGrad(learningRate: $0) }
        nb.prose("""
            On $f = 0.1x^2 + 2y^2$ plain SGD must use one rate for both coordinates, and the steep y direction caps it \
            below 2/L = 0.5. AdaGrad divides each coordinate's step by its own gradient history. Each optimizer gets its \
            best rate from the grid {\(Self.grid.map { Fmt.sig($0) }.joined(separator: ", "))} (lowest loss after \(steps) steps).
            """)
        let contour = Contour(xRange: -6...2, yRange: -3...3, resolution: nb.quick ? 41 : 81) { x, y in 0.1 * x * x + 2 * y * y }
        try await nb.figure(Figure(name: "sgd-vs-adagrad", title: "SGD and AdaGrad on 0.1x² + 2y², each at its best rate", plots: [
            Plot(title: "paths", xLabel: "x", yLabel: "y", xRange: -6...2, yRange: -3...3, key: .bottomRight, series: [
                Series(title: "SGD, α = \(Fmt.sig(sgd.rate))", style: .linesPoints, x: sgd.trajectory.points.map { $0.point[0] }, y: sgd.trajectory.points.map { $0.point[1] }, color: 0),
                Series(title: "AdaGrad, α = \(Fmt.sig(ada.rate))", style: .linesPoints, x: ada.trajectory.points.map { $0.point[0] }, y: ada.trajectory.points.map { $0.point[1] }, color: 1),
            ], contour: contour),
            Plot(title: "loss", xLabel: "step", yLabel: "f(θ)", yScale: .log, key: .bottomLeft, series: [
                Series(title: "SGD", x: sgd.trajectory.points.map { Double($0.step) }, y: sgd.trajectory.points.map(\.loss), color: 0),
                Series(title: "AdaGrad", x: ada.trajectory.points.map { Double($0.step) }, y: ada.trajectory.points.map(\.loss), color: 1),
            ]),
        ], columns: 2), caption: "Left: paths over the contours of f. Right: loss per step.")
        nb.notice("""
            AdaGrad's first step is α·g/|g| = α·sign(g) in every coordinate: it heads diagonally, ignoring the 20-fold \
            difference in curvature, then each coordinate's rate shrinks with its own gradient history. After \(steps) steps \
            SGD (α = \(Fmt.sig(sgd.rate))) is at \(Fmt.sci(sgd.trajectory.points.last!.loss, 2)) and AdaGrad (α = \(Fmt.sig(ada.rate))) \
            at \(Fmt.sci(ada.trajectory.points.last!.loss, 2)).
            """)

        // 2. The effective rate decays like 1/√t.
        nb.section("The effective rate only goes down")
        let T = nb.quick ? 2000 : 20000, alpha = 0.5, sigma = 1.0
        let rates = Measure.noisyGradientRun(AdaGrad(learningRate: alpha), on: Quadratic(), from: [-5, -2], steps: T, noise: sigma, seed: nb.seed) { $0.effectiveLearningRates }
        let ts = (1...T).map(Double.init)
        let fitFrom = T / 10
        let slopes = (0..<2).map { c in Measure.logLogSlope(Array(ts[fitFrom...]), rates[fitFrom...].map { $0[c] }) }
        nb.prose("""
            AdaGrad's rate for coordinate i is $\\alpha/(\\sqrt{G_{t,i}} + \\epsilon)$ and $G_{t,i}$ never decreases. When \
            gradients do not vanish — mini-batch noise, here simulated as N(0, \(Fmt.sig(sigma))) added to the exact \
            gradient — $G_t$ grows like $t\\sigma^2$ and the rate decays like $\\alpha/(\\sigma\\sqrt{t})$, forever.
            """)
        let shown = logSpacedIndices(T, points: 400)
        try await nb.figure(Figure(name: "effective-rate", title: "AdaGrad's effective rate α/(√G + ε) under noisy gradients",
                                   xLabel: "step", yLabel: "effective learning rate", xScale: .log, yScale: .log, key: .topRight, series: [
            Series(title: "x coordinate", x: shown.map { ts[$0] }, y: shown.map { rates[$0][0] }, color: 0),
            Series(title: "y coordinate", x: shown.map { ts[$0] }, y: shown.map { rates[$0][1] }, color: 1),
            Series(title: "α/(σ√t)", x: shown.map { ts[$0] }, y: shown.map { alpha / (sigma * ts[$0].squareRoot()) }, color: 7, dashed: true),
        ]), caption: "Log–log: a straight line of slope −1/2 is 1/√t decay (every step is used for the fit; about 400 log-spaced ones are drawn).")
        nb.table(Table(header: ["coordinate", "fitted log–log slope (steps \(fitFrom)–\(T))", "1/√t predicts"], rows: [
            ["x", Fmt.fixed(slopes[0], 3), "−0.5"], ["y", Fmt.fixed(slopes[1], 3), "−0.5"],
        ]), caption: "Slope of log(effective rate) against log(step), by least squares.")
        nb.notice("Both coordinates fall on the α/(σ√t) line with slopes \(Fmt.fixed(slopes[0], 3)) and \(Fmt.fixed(slopes[1], 3)): nothing in AdaGrad lets a rate grow back once the gradient history is large. Chapter 4's RMSprop replaces the sum by a moving average for exactly this reason.")

        // Rosenbrock: AdaGrad stalls.
        let rosen = Rosenbrock(), rStart = [-1.5, 2.0], rSteps = nb.quick ? 2000 : 10000
        let rAda = bestRate([0.01, 0.03, 0.1, 0.3, 0.5, 1, 2], on: rosen, from: rStart, steps: rSteps) { AdaGrad(learningRate: $0) }
        let rAdam = bestRate([0.001, 0.003, 0.01, 0.03, 0.1, 0.3], on: rosen, from: rStart, steps: rSteps) { Adam(learningRate: $0) }
        try await nb.figure(Figure(name: "rosenbrock-stall", title: "Rosenbrock from (−1.5, 2): AdaGrad crawls along the valley", xLabel: "step", yLabel: "f(θ)",
                                   xScale: .log, yScale: .log, key: .bottomLeft, series: [
            Series(title: "AdaGrad, α = \(Fmt.sig(rAda.rate))", x: logSpacedIndices(rSteps, points: 300).map { Double($0 + 1) },
                   y: logSpacedIndices(rSteps, points: 300).map { rAda.trajectory.points[$0 + 1].loss }, color: 1),
            Series(title: "Adam, α = \(Fmt.sig(rAdam.rate)) (chapter 5)", x: logSpacedIndices(rSteps, points: 300).map { Double($0 + 1) },
                   y: logSpacedIndices(rSteps, points: 300).map { rAdam.trajectory.points[$0 + 1].loss }, color: 2),
        ]), caption: "Each at its best rate from a grid, \(rSteps) steps.")
        nb.notice("""
            The first steps on Rosenbrock have gradients in the hundreds; they stay in G for ever, so when AdaGrad reaches \
            the long flat valley its steps are tiny. After \(rSteps) steps it is at \(Fmt.sci(rAda.trajectory.points.last!.loss, 2)); \
            Adam, whose memory fades, at \(Fmt.sci(rAdam.trajectory.points.last!.loss, 2)).
            """)

        // 3. Where AdaGrad shines: rare features.
        nb.section("Where AdaGrad shines: rare features")
        let task = SparseTask(seed: nb.seed)
        let sparseSteps = nb.quick ? 400 : 3000, every = max(1, sparseSteps / 100)
        let sgdCurve = task.train(SGD(learningRate: 0.05), steps: sparseSteps, every: every, seed: nb.seed &+ 1)
        let adaCurve = task.train(AdaGrad(learningRate: 0.5), steps: sparseSteps, every: every, seed: nb.seed &+ 1)
        nb.prose("""
            Duchi et al. designed AdaGrad for sparse data, where some features appear rarely. A linear model on \
            \(SparseTask.features) binary features: half are on in 50 % of the examples, half in 2 %. SGD (α = 0.05, about the \
            largest stable rate here) moves a rare feature's weight only on the few batches where it is on; AdaGrad's \
            rate for that weight stays large because its G stays small. Batches of 16, the same batches for both.
            """)
        func series(_ c: [(step: Int, rare: Double, frequent: Double)], _ name: String, _ color: Int) -> [Series] {
            [Series(title: "\(name): rare features", x: c.map { Double($0.step) }, y: c.map(\.rare), color: color),
             Series(title: "\(name): frequent features", x: c.map { Double($0.step) }, y: c.map(\.frequent), color: color, dashed: true)]
        }
        try await nb.figure(Figure(name: "rare-features", title: "Weight error |w − w*| on rare and frequent features", xLabel: "step",
                                   yLabel: "mean |wⱼ − w*ⱼ|", yScale: .log, key: .bottomLeft,
                                   series: series(sgdCurve, "SGD α = 0.05", 0) + series(adaCurve, "AdaGrad α = 0.5", 1)),
                            caption: "Mean absolute error of the learnt weights, rare features (solid) and frequent ones (dashed).")
        let half = sgdCurve.count / 2
        nb.table(Table(header: ["", "rare, step \(sgdCurve[half].step)", "rare, end", "frequent, step \(sgdCurve[half].step)", "frequent, end"], rows: [
            ["SGD", Fmt.sci(sgdCurve[half].rare, 2), Fmt.sci(sgdCurve.last!.rare, 2), Fmt.sci(sgdCurve[half].frequent, 2), Fmt.sci(sgdCurve.last!.frequent, 2)],
            ["AdaGrad", Fmt.sci(adaCurve[half].rare, 2), Fmt.sci(adaCurve.last!.rare, 2), Fmt.sci(adaCurve[half].frequent, 2), Fmt.sci(adaCurve.last!.frequent, 2)],
        ]), caption: "Mean |wⱼ − w*ⱼ| halfway and at the end.")
        nb.notice("""
            Halfway, AdaGrad's rare weights are \(Fmt.sig(sgdCurve[half].rare / adaCurve[half].rare, 2))× closer to the truth \
            than SGD's; on the frequent features the two are within a factor \
            \(Fmt.fixed(max(sgdCurve[half].frequent / adaCurve[half].frequent, adaCurve[half].frequent / sgdCurve[half].frequent), 2)). \
            By the end (\(sparseSteps) steps) both have settled at the noise level of their own rate \
            (rare: SGD \(Fmt.sci(sgdCurve.last!.rare, 2)), AdaGrad \(Fmt.sci(adaCurve.last!.rare, 2))): AdaGrad's advantage is \
            speed on the rare coordinates, not a better end point. This is the case it was built for (and why it was \
            popular for word embeddings).
            """)

        // 4. ε inside or outside the root.
        nb.section("ε inside or outside the square root")
        let gs = [1.0, 1e-3, 1e-5, 1e-6, 1e-8]
        let rows = gs.map { g -> [String] in
            var inside = ArticleAdaGrad(learningRate: 1), outside = AdaGrad(learningRate: 1)
            var a = [0.0], b = [0.0]
            inside.step(&a, gradient: [g])
            outside.step(&b, gradient: [g])
            return [Fmt.sci(g, 1), Fmt.sig(-a[0], 4), Fmt.sig(-b[0], 4), Fmt.sig(a[0] / b[0], 4)]
        }
        nb.table(Table(header: ["gradient g", "article: g/√(g² + ε)", "PyTorch: g/(|g| + ε)", "ratio"], rows: rows),
                 caption: "The first step divided by α, for ε = 1e-10, measured by running both optimizers once.")
        nb.notice("""
            The two forms agree to many digits while g² ≫ ε, so for ordinary gradients the article's placement is harmless. \
            They part near |g| = √ε = 1e-5: the article's step shrinks in proportion to g (it is α·g/√ε once g² ≪ ε), while \
            PyTorch's stays ≈ α until |g| ≈ ε. It matters for parameters whose gradients are tiny — exactly the vanishing \
            ones of chapter 1.
            """)

        nb.exercise("Give AdaGrad an initial accumulator G₀ = 10 on the quadratic (PyTorch's initial_accumulator_value). What happens to the first step, and to the best rate?",
                    solution: "initial-accumulator") {
            // solution: initial-accumulator
            let grid = [0.1, 0.3, 1, 2, 3, 5, 10]
            let plain = bestRate(grid, on: Quadratic(), from: [-5, -2], steps: 100) { AdaGrad(learningRate: $0) }
            let warm = bestRate(grid, on: Quadratic(), from: [-5, -2], steps: 100) { AdaGrad(learningRate: $0, initialAccumulatorValue: 10) }
            return "G₀ = 0: best α = \(Fmt.sig(plain.rate)), f = \(Fmt.sci(plain.trajectory.points.last!.loss, 2)); G₀ = 10: best α = \(Fmt.sig(warm.rate)), f = \(Fmt.sci(warm.trajectory.points.last!.loss, 2))"
            // end solution
        }
    }
}
