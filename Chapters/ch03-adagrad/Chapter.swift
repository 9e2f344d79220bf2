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
        nb.formula(article: "θ ← θ − α/√(G_t + ε) · ∇L,  G_t = Σ g²",
                   corrected: "θ ← θ − α·g/(√G_t + ε)  (ε = 1e-10 outside the root)",
                   citation: "article §3.2.4; Duchi, Hazan and Singer, JMLR 12 (2011); torch.optim.Adagrad")

        // 1. SGD vs AdaGrad on the quadratic.
        nb.section("Per-coordinate rates on an ill-conditioned quadratic")
        let f = Quadratic(), start = [-5.0, -2.0], steps = 100
        let sgd = bestInteriorRate(Self.grid, on: f, from: start, steps: steps) { SGD(learningRate: $0) }
        let ada = bestInteriorRate(Self.grid, on: f, from: start, steps: steps) { AdaGrad(learningRate: $0) }
        let grid = Array(Set(sgd.grid + ada.grid)).sorted()
        nb.prose("""
            On $f = 0.1x^2 + 2y^2$ plain SGD must use one rate for both coordinates, and the steep y direction caps it \
            below 2/L = 0.5. AdaGrad divides each coordinate's step by its own gradient history. Each optimizer gets \
            its \
            best rate (lowest loss after \(steps) steps) from the grid \
            {\(grid.map { Fmt.sig($0) }.joined(separator: ", "))}, \
            widened until neither best rate sits on an edge.
            """)
        let window = (x: -6.0...2.0, y: -3.0...3.0)
        let contour = Contour(xRange: window.x, yRange: window.y, resolution: nb.quick ? 41 : 81) { x, y in
            f.value([x, y])
        }
        let (sgdTitle, adaTitle) = ("SGD, α = \(Fmt.sig(sgd.rate))", "AdaGrad, α = \(Fmt.sig(ada.rate))")
        try await nb.figure(Figure(name: "sgd-vs-adagrad",
                                   title: "SGD and AdaGrad on 0.1x² + 2y², each at its best rate",
                                   plots: [
            Plot(title: "paths", xLabel: "x", yLabel: "y", xRange: window.x, yRange: window.y, series: [
                // SGD as a line without markers, drawn first: its markers hid AdaGrad's path along y = 0.
                Series(path: sgd.trajectory, title: sgdTitle, style: .lines, pen: .named("SGD"), window: window),
                Series(path: ada.trajectory, title: adaTitle, pen: .named("AdaGrad"), window: window),
            ], contour: contour),
            Plot(title: "loss", xLabel: "step", yLabel: "f(θ)", yScale: .log, series: [
                Series(loss: sgd.trajectory, title: "SGD", pen: .named("SGD")),
                Series(loss: ada.trajectory, title: "AdaGrad", pen: .named("AdaGrad")),
            ]),
        ], columns: 2),
                            caption: "Left: paths over the contours of f, each until it leaves the window; SGD's "
                                + "zig-zag is a line, AdaGrad's steps are the triangles. Right: loss per step.")
        let edges = [grid.first!, grid.last!]
        let interior = nb.claim("Neither best rate is at an edge of the grid searched.",
                                holds: !edges.contains(sgd.rate) && !edges.contains(ada.rate),
                                evidence: "SGD \(sgd.rate), AdaGrad \(ada.rate), grid \(grid)")
        let (fs, fa) = (sgd.trajectory.points.last!.loss, ada.trajectory.points.last!.loss)
        let y1 = ada.trajectory.points[1].point[1]
        let coincidence = abs(y1) < 1e-8
            ? "That gap is mostly an accident of the start, not per-coordinate scaling alone: AdaGrad's best α = " +
              "\(Fmt.sig(ada.rate)) equals |y₀| = \(Fmt.sig(abs(start[1]))), so its first step α·sign(g) puts y at " +
              "\(Fmt.sci(y1, 2)), solving the steep coordinate in one step; with |y₀| ≠ α it would not land there."
            : "After AdaGrad's first step y = \(Fmt.sci(y1, 2))."
        nb.notice("""
            AdaGrad's first step is α·g/|g| = α·sign(g) in every coordinate: it heads diagonally, ignoring the 20-fold \
            difference in curvature, then each coordinate's rate shrinks with its own gradient history. After \
            \(steps) steps \
            SGD (α = \(Fmt.sig(sgd.rate))) is at \(Fmt.sci(fs, 2)) and AdaGrad (α = \(Fmt.sig(ada.rate))) at \
            \(Fmt.sci(fa, 2)). \(coincidence) \
            \(interior) SGD's best rate is \(sgd.rate < 0.5 ? "below" : "at or above") 2/L = 0.5.
            """)

        // 2. The effective rate decays like 1/√t.
        nb.section("The effective rate only goes down")
        let T = 20000, alpha = 0.5, sigma = 1.0  // 2-D: cheap even in quick runs
        let noiseSeeds = nb.seeds(5)
        let ts = (1...T).map(Double.init)
        let fitFrom = T / 10
        // Each seed's noise: its effective rates, and the log–log slope of each coordinate's.
        let noisy = nb.parallelMap(noiseSeeds.count) { i in
            let rates = Measure.noisyGradientRun(AdaGrad(learningRate: alpha), on: Quadratic(), from: [-5, -2],
                                                 steps: T, noise: sigma, seed: noiseSeeds[i]) { $0.effectiveLearningRates }
            let slopes = (0..<2).map { c in
                Measure.logLogSlope(Array(ts[fitFrom...]), rates[fitFrom...].map { $0[c] })
            }
            return (rates: rates, slopes: slopes)
        }
        // The figure draws the first seed's run: every run of the set has the same shape (table 1).
        let rates = noisy[0].rates
        let slopes = (0..<2).map { c in noisy.map { $0.slopes[c] } }
        nb.prose("""
            AdaGrad's rate for coordinate i is $\\alpha/(\\sqrt{G_{t,i}} + \\epsilon)$ and $G_{t,i}$ never \
            decreases. When \
            gradients do not vanish — mini-batch noise, here simulated as N(0, σ²) added to each coordinate of the \
            exact gradient — $G_t$ grows like $t\\sigma^2$ and the rate decays like \
            $\\alpha/(\\sigma\\sqrt{t})$, forever. The run: AdaGrad at α = \(Fmt.sig(alpha)) on the same quadratic \
            $0.1x^2 + 2y^2$ from (−5, −2), σ = \(Fmt.sig(sigma)), \(T) steps, once for each noise seed of the set \
            \(noiseSeeds.map { "\($0)" }.joined(separator: ", ")).
            """)
        let shown = logSpacedIndices(T, points: 400)
        let xs = shown.map { ts[$0] }
        try await nb.figure(Figure(name: "effective-rate",
                                   title: "AdaGrad's effective rate α/(√G + ε) under noisy gradients",
                                   xLabel: "step", yLabel: "effective learning rate", xScale: .log, yScale: .log,
                                   xRange: 1...Double(T), series: [
            Series(title: "x coordinate", x: xs, y: shown.map { rates[$0][0] }, color: 0),
            Series(title: "y coordinate", x: xs, y: shown.map { rates[$0][1] }, color: 1, dashed: true),
            Series(title: "α/(σ√t)", x: xs, y: xs.map { alpha / (sigma * $0.squareRoot()) }, pen: .named("reference")),
        ]), caption: "Log–log, seed \(noiseSeeds[0])'s run: a straight line of slope −1/2 is 1/√t decay (every step "
            + "is used for the fit; about 400 log-spaced ones are drawn). Where the three lines lie on top of each "
            + "other, both coordinates have joined the α/(σ√t) line.")
        func slopeCells(_ v: [Double]) -> [String] {
            let (lo, hi) = (v.min()!, v.max()!)
            return [Fmt.fixed(v.reduce(0, +) / Double(v.count), 3), "\(Fmt.fixed(lo, 3)) … \(Fmt.fixed(hi, 3))"]
        }
        nb.table(Table(header: ["coordinate", "fitted log–log slope (steps \(fitFrom)–\(T)), mean",
                                "smallest … largest over the \(noiseSeeds.count) seeds", "1/√t predicts"], rows: [
            ["x"] + slopeCells(slopes[0]) + ["−0.5"], ["y"] + slopeCells(slopes[1]) + ["−0.5"],
        ]), caption: "Slope of log(effective rate) against log(step), by least squares, for each seed's run.")
        let worst = slopes.flatMap { $0 }.map { abs($0 + 0.5) }.max()!
        nb.notice(nb.claim("""
            In all \(noiseSeeds.count) runs both coordinates follow the α/(σ√t) line: every fitted slope is within \
            \(Fmt.fixed(worst, 3)) of −0.5. Nothing in AdaGrad lets a rate grow back once the gradient history is \
            large. Chapter 4's RMSprop replaces the sum by a moving average so that it can.
            """, holds: worst < 0.05, evidence: "slopes x \(slopes[0]), y \(slopes[1])"))

        // Rosenbrock: AdaGrad slows, Adam does not.
        let rosen = Rosenbrock(), rStart = [-1.5, 2.0], rSteps = nb.quick ? 2000 : 10000
        let rAda = bestInteriorRate([0.01, 0.03, 0.1, 0.3, 0.5, 1, 2], on: rosen, from: rStart, steps: rSteps) {
            AdaGrad(learningRate: $0)
        }
        let rAdam = bestInteriorRate([0.001, 0.003, 0.01, 0.03, 0.1, 0.3], on: rosen, from: rStart, steps: rSteps) {
            Adam(learningRate: $0)
        }
        nb.section("A curved valley: AdaGrad against Adam")
        func gridText(_ g: [Double]) -> String { "{" + g.map { Fmt.sig($0) }.joined(separator: ", ") + "}" }
        nb.prose("""
            A curved valley: Rosenbrock's function from (−1.5, 2), AdaGrad against Adam, whose average of g² \
            forgets. Each gets the rate with the lowest f after \(rSteps) steps (a loss below 10⁻³⁰ counts as 0, \
            and among rates that reach it the smallest wins), from the grid \(gridText(rAda.grid)) for AdaGrad and \
            \(gridText(rAdam.grid)) for Adam, each widened by ×3 or ÷3 until the best rate is not on its edge. \
            Chapter 5's race ranks rates by another rule — fewest steps to f < 10⁻³ from four starts — so the rates \
            it picks need not match these.
            """)
        let shownR = logSpacedIndices(rSteps, points: 300)
        // Far below 1e-12 the loss is rounding-level jitter of θ ≈ (1, 1): draw it at a floor, say so.
        let floor = 1e-12
        func floored(_ t: Trajectory, _ title: String, _ pen: String) -> Series {
            Series(title: title, x: shownR.map { Double($0 + 1) }, y: shownR.map { max(floor, t.points[$0 + 1].loss) },
                   pen: .named(pen))
        }
        let top = (rAda.trajectory.points + rAdam.trajectory.points).map(\.loss).filter(\.isFinite).max()!
        let under = [rAda, rAdam].map { r in r.trajectory.points.firstIndex { $0.loss < floor } }
        let lowest = [rAda, rAdam].map { r in r.trajectory.points.map(\.loss).min()! }
        let finalLoss = [rAda, rAdam].map { $0.trajectory.points.last!.loss }
        // A run whose loss climbs back far above its lowest says so (Adam's steps do not shrink near the minimum).
        func roseBack(_ k: Int) -> String {
            finalLoss[k] > 100 * lowest[k] ? ", and rose back to \(Fmt.sci(finalLoss[k], 1)) by step \(rSteps)" : ""
        }
        let floorNote = zip(["AdaGrad", "Adam"], zip(under, lowest)).enumerated().map { k, entry in
            let (name, u) = entry
            return (u.0.map { "\(name) first goes below it at step \($0) (lowest \(Fmt.sci(u.1, 1))" }
                ?? "\(name) never goes below it (lowest \(Fmt.sci(u.1, 1))") + roseBack(k) + ")"
        }.joined(separator: ", ")
        try await nb.figure(Figure(name: "rosenbrock-stall",
                                   title: "Rosenbrock from (−1.5, 2): AdaGrad and Adam at their best rates",
                                   xLabel: "step", yLabel: "f(θ), floored at 1e-12", xScale: .log, yScale: .log,
                                   xRange: 1...Double(rSteps), yRange: (floor / 10)...(10 * top), series: [
            floored(rAda.trajectory, "AdaGrad, α = \(Fmt.sig(rAda.rate))", "AdaGrad"),
            floored(rAdam.trajectory, "Adam, α = \(Fmt.sig(rAdam.rate))", "Adam"),
            Series(title: "floor 1e-12", x: [1, Double(rSteps)], y: [floor, floor], pen: .named("reference")),
        ]), caption: """
            Each at its best rate (lowest f after \(rSteps) steps, grids above), \(rSteps) steps. A loss \
            below 10⁻¹² (θ within about 10⁻⁶ of the minimum (1, 1)) is drawn on the floor line, so the axis shows \
            the race rather than digits far below any useful accuracy: \(floorNote).
            """)
        var g0 = [0.0, 0.0]
        rosen.gradient(rStart, into: &g0)
        let g0norm = (g0[0] * g0[0] + g0[1] * g0[1]).squareRoot()
        let (ra, rm) = (rAda.trajectory.points.last!.loss, rAdam.trajectory.points.last!.loss)
        let rPts = (rAda.trajectory.points, rAdam.trajectory.points)
        let common = min(rPts.0.count, rPts.1.count)
        func adaAhead(_ k: Int) -> Bool { rPts.0[k].loss < rPts.1[k].loss }
        let lastLead = (0..<common).last(where: adaAhead)
        let lead = lastLead.map { k -> String in
            // The first step of the unbroken stretch of AdaGrad leads that ends at step k.
            let from = ((0...k).last { !adaAhead($0) } ?? -1) + 1
            let (fromLoss, adaEnd, adamAtK) = (rPts.0[k].loss, rPts.0[common - 1].loss, rPts.1[k].loss)
            return nb.claim("AdaGrad's loss is below Adam's at every step from step \(from) to step \(k), "
                + "where the curves cross (AdaGrad at \(Fmt.sci(fromLoss, 2)), Adam at \(Fmt.sci(adamAtK, 2))). "
                + "From there to step \(common - 1) "
                + "AdaGrad is slowing, not stalled: its loss still falls by a factor \(Fmt.sig(fromLoss / adaEnd, 3)), "
                + "its steps divided by a G that still holds that first gradient, while Adam's falls by a factor "
                + "\(Fmt.sci(adamAtK / max(rPts.1[common - 1].loss, .leastNonzeroMagnitude), 1)).",
                holds: fromLoss / adaEnd > 10, evidence: "AdaGrad \(fromLoss) at step \(k), \(adaEnd) at the end")
        } ?? "Adam's loss is below AdaGrad's from the first step."
        let adamLow = rAdam.trajectory.points.indices.min { rPts.1[$0].loss < rPts.1[$1].loss }!
        let adamRose = rm > 100 * rPts.1[adamLow].loss
            ? " (its lowest was \(Fmt.sci(rPts.1[adamLow].loss, 1)) at step \(adamLow); it rose back from there)" : ""
        let adamAhead = nb.claim("After \(rSteps) steps AdaGrad is at \(Fmt.sci(ra, 2)) and Adam, whose memory "
                                 + "fades, at \(Fmt.sci(rm, 2))\(adamRose).", holds: rm < ra,
                                 evidence: "AdaGrad \(ra), Adam \(rm)")
        nb.notice("""
            The gradient at the start has norm \(Fmt.sig(g0norm, 3)); it stays in G for ever. \(lead) \
            \(adamAhead)
            """)

        // 3. Rare features: the case AdaGrad was built for (RareFeatures.swift).
        try await rareFeatures()

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
            The two forms agree to many digits while g² ≫ ε, so for ordinary gradients the article's placement is \
            harmless. \
            They part near |g| = √ε = 1e-5: the article's step shrinks in proportion to g (it is α·g/√ε once g² ≪ \
            ε), while \
            PyTorch's stays ≈ α until |g| ≈ ε. It matters for parameters whose gradients are tiny — exactly the \
            vanishing \
            ones of chapter 1.
            """)

        nb.exercise("""
            Give AdaGrad an initial accumulator G₀ = 10 on the quadratic from (−5, −2), where the gradient is \
            g = (−1, −8) (PyTorch's initial_accumulator_value). What happens to the first step, and to the best \
            rate over 100 steps? The first step is pen and paper; for the rate, compare the last row's loss of \
            `swift run lab optimize --function quadratic --start -5,-2 --steps 100 --optimizer adagrad --lr <α> \
            --initial-accumulator 10 | tail -1` (columns step, lr, loss, x, y) for α in 0.1, 0.3, 1, 2, 3, 5, 10, \
            and again without `--initial-accumulator`.
            """, solution: "initial-accumulator") {
            // solution: initial-accumulator
            let grid = [0.1, 0.3, 1, 2, 3, 5, 10]
            let plain = bestInteriorRate(grid, on: Quadratic(), from: [-5, -2], steps: 100) {
                AdaGrad(learningRate: $0)
            }
            let warm = bestInteriorRate(grid, on: Quadratic(), from: [-5, -2], steps: 100) {
                AdaGrad(learningRate: $0, initialAccumulatorValue: 10)
            }
            // First step: α·g/√(G₀ + g²) instead of α·sign(g). At (−5, −2), g = (−1, −8).
            let first = [1.0, 8.0].map { g in g / (10 + g * g).squareRoot() }
            return "G₀ = 0: best α = \(Fmt.sig(plain.rate)), f = \(Fmt.sci(plain.trajectory.points.last!.loss, 2)); "
                + "G₀ = 10: best α = \(Fmt.sig(warm.rate)), f = \(Fmt.sci(warm.trajectory.points.last!.loss, 2)). "
                + "With G₀ = 10 the first step is α·(\(Fmt.sig(first[0], 2)), \(Fmt.sig(first[1], 2))) instead of "
                + "α·(1, 1): the accumulator damps small gradients most, so the first step is no longer a blind "
                + "diagonal, and the best "
                + "α moves \(warm.rate > plain.rate ? "up" : "down") to make up for the smaller steps."
            // end solution
        }
    }
}
