// Chapter 9 — Momentum (Polyak 1964; Sutskever, Martens, Dahl & Hinton, ICML 2013; Goh, Distill 2017).
import ArgumentParser
import Descent
import Figures
import Notebook
import RealModule

@main
struct MomentumChapter: ChapterCommand {
    static let slug = "ch09-momentum"
    @OptionGroup var options: ChapterOptions

    func body(_ nb: Notebook) async throws {
        try await Chapter9(nb: nb).write()
    }
}

struct Chapter9 {
    let nb: Notebook
    /// The palette gives Nesterov momentum's colour (dashed); this chapter draws the two side by
    /// side, so Nesterov gets a colour of its own here.
    static let nesterov = Pen(color: Palette.vermillion, dash: 2, point: 4)
    typealias Lab = MomentumLab
    /// The seed set of the noisy-gradient runs.
    static let noiseSeeds = 8

    func write() async throws {
        let mu = Lab.mu, L = Lab.L, kappa = L / mu
        nb.prose("""
            Chapters 5 and 7 run SGD with momentum and Adam, whose β₁ is a momentum, but the article never says \
            what momentum does. Polyak's heavy ball (1964) adds a fraction β of the previous step to the gradient \
            step. PyTorch writes it with a buffer b; the two forms produce the same iterates:
            """)
        nb.equation("b \\leftarrow \\beta b + \\nabla f(\\theta),\\quad \\theta \\leftarrow \\theta - \\alpha b "
                    + "\\quad\\Longleftrightarrow\\quad \\theta_{t+1} = \\theta_t - \\alpha\\nabla f(\\theta_t) + "
                            + "\\beta(\\theta_t - \\theta_{t-1})",
                    plain: "b ← βb + ∇f(θ), θ ← θ − αb  ⇔  θₜ₊₁ = θₜ − α∇f(θₜ) + β(θₜ − θₜ₋₁)")
        nb.prose("""
            Nesterov's variant (in Sutskever et al.'s form, PyTorch's `nesterov=True`) steps with g + βb instead of b: \
            it looks one step ahead. Everything below runs the library's SGD with its momentum and Nesterov options on \
            the book's quadratic f = 0.1x² + 2y², whose Hessian has eigenvalues μ = \(Fmt.sig(mu)) and L = \
            \(Fmt.sig(L)) (condition number κ = L/μ = \(Fmt.sig(kappa))). On a quadratic each eigen-direction with \
            curvature λ follows a two-term linear recurrence with characteristic polynomial z² − (1 + β − αλ)z + β; \
            the error shrinks by the larger root's modulus ρ each step. That polynomial gives every number this \
            chapter checks.
            """)

        try await stability()
        try await optimum()
        try await plane()
        try await rosenbrock()
        try await noise()
        exercises()
    }

    // MARK: 1. The stability limit

    func stability() async throws {
        nb.section("Momentum raises the stability limit to 2(1 + β)/L")
        let betas = [0.0, 0.25, 0.5, 0.75, 0.9, 0.95]
        let steps = nb.quick ? 1000 : 3000
        let rows = betas.map { b in (b, Lab.measuredLimit(beta: b, steps: steps),
                                     HeavyBall.stabilityLimit(momentum: b, largestEigenvalue: Lab.L)) }
        nb.prose("""
            Plain gradient descent diverges above α = 2/L = \(Fmt.sig(2 / Lab.L)) (chapter 2). The recurrence's root \
            reaches −1 when αλ = 2(1 + β), so with momentum the limit moves to α < 2(1 + β)/L: up to twice as far. \
            Measured here by bisection on the runs themselves (40 halvings; a run counts as stable when it ends \
            closer to the minimum than it started after \(steps) steps), for six momenta:
            """)
        nb.table(Table(header: ["β", "largest stable α, measured", "2(1 + β)/L", "relative difference"],
                       rows: rows.map { r in
            [Fmt.sig(r.0), Fmt.sig(r.1, 6), Fmt.sig(r.2, 6), Fmt.sci(abs(r.1 / r.2 - 1), 2)]
        }), caption: "The stability limit of heavy-ball momentum: bisection on runs against the formula.")
        let worst = rows.map { abs($0.1 / $0.2 - 1) }.max()!
        nb.notice(nb.claim("For every β in the table the measured limit agrees with 2(1 + β)/L to within 0.1 %.",
                           holds: worst < 1e-3, evidence: "worst relative difference \(worst)"))
        nb.prose("""
            So momentum does have a stability limit, only a larger one. A rate that diverges for SGD (say α = 0.6 > \
            2/L) converges with β = 0.5 (limit \
            \(Fmt.sig(HeavyBall.stabilityLimit(momentum: 0.5, largestEigenvalue: Lab.L)))).
            """)
    }

    // MARK: 2. The optimal parameters

    func optimum() async throws {
        nb.section("The best (α, β) and the rate it buys")
        let (aStar, bStar) = HeavyBall.optimalParameters(smallestEigenvalue: Lab.mu, largestEigenvalue: Lab.L)
        let rhoStar = HeavyBall.optimalRate(smallestEigenvalue: Lab.mu, largestEigenvalue: Lab.L)
        let kappa = Lab.L / Lab.mu
        let aGD = 2 / (Lab.L + Lab.mu), rhoGD = (kappa - 1) / (kappa + 1)
        let steps = 200
        let dGD = Lab.distances(alpha: aGD, beta: 0, steps: steps)
        let dHB = Lab.distances(alpha: aStar, beta: bStar, steps: steps)
        let mGD = Measure.convergenceRate(dGD, from: steps / 2, to: steps)
        let mHB = Measure.convergenceRate(dHB, from: steps / 2, to: steps)
        // Nesterov at the heavy ball's β*, its own best α from a fine grid.
        let nGrid = stride(from: 0.05, through: 0.6, by: 0.005).map { $0 }
        let nBest = nGrid.map { a in (a, Lab.distances(alpha: a, beta: bStar, nesterov: true, steps: steps)) }
            .filter { $0.1.count == steps + 1 }.min { $0.1.last! < $1.1.last! }!
        let mN = Measure.convergenceRate(nBest.1, from: steps / 2, to: steps)
        nb.prose("""
            With complex roots every direction shrinks by exactly √β; the best worst case over λ ∈ [μ, L] puts both \
            extremes on the edge of that region (Polyak 1964; Goh 2017):
            """)
        nb.equation("\\alpha^* = \\frac{4}{(\\sqrt{L}+\\sqrt{\\mu})^2},\\qquad \\beta^* = "
                    + "\\left(\\frac{\\sqrt{\\kappa}-1}{\\sqrt{\\kappa}+1}\\right)^2,\\qquad \\rho^* = "
                            + "\\frac{\\sqrt{\\kappa}-1}{\\sqrt{\\kappa}+1}",
                    plain: "α* = 4/(√L + √μ)², β* = ((√κ − 1)/(√κ + 1))², ρ* = (√κ − 1)/(√κ + 1)")
        nb.prose("""
            Here α* = \(Fmt.sig(aStar)) and β* = \(Fmt.sig(bStar)). Gradient descent's best is α = 2/(L + μ) = \
            \(Fmt.sig(aGD)) with rate (κ − 1)/(κ + 1). Nesterov is not run at its own optimum: it reuses the heavy \
            ball's β* with the best α of a grid from 0.05 to 0.6, so its row shows Nesterov at the heavy ball's \
            momentum, not the best Nesterov can do. The measured rate is (‖θ₂₀₀‖/‖θ₁₀₀‖)^(1/100):
            """)
        let doubleRoot = rhoStar * Double.pow(2, 1.0 / Double(steps / 2))
        let n6 = { (r: Double) in Int((Double.log(1e-6) / Double.log(r)).rounded(.up)) }
        nb.table(Table(header: ["method", "α", "β", "rate, theory", "rate, measured", "steps to shrink the error 10⁶×"],
                       rows: [
            ["gradient descent", Fmt.sig(aGD), "0", Fmt.sig(rhoGD), Fmt.sig(mGD), "\(n6(mGD))"],
            ["heavy ball at (α*, β*)", Fmt.sig(aStar), Fmt.sig(bStar), Fmt.sig(rhoStar), Fmt.sig(mHB), "\(n6(mHB))"],
            ["Nesterov, β = β*, best α of a grid", Fmt.sig(nBest.0), Fmt.sig(bStar), "—", Fmt.sig(mN), "\(n6(mN))"],
        ]), caption: "Per-step convergence rates on 0.1x² + 2y² (κ = \(Fmt.sig(kappa))); the last column is ln 10⁻⁶ / "
                + "ln(measured rate).")
        nb.notice(nb.claim("""
            At (α*, β*) the measured rate, \(Fmt.sig(mHB)), is within 2 % of (√κ − 1)/(√κ + 1) = \(Fmt.sig(rhoStar)), \
            and gradient descent's measured \(Fmt.sig(mGD)) is within 2 % of (κ − 1)/(κ + 1) = \(Fmt.sig(rhoGD)).
            """, holds: abs(mHB / rhoStar - 1) < 0.02 && abs(mGD / rhoGD - 1) < 0.02,
            evidence: "HB \(mHB) vs \(rhoStar), GD \(mGD) vs \(rhoGD)")
            + " " + nb.claim("""
            Momentum needs \(Fmt.sig(Double(n6(mGD)) / Double(n6(mHB)), 2))× fewer steps for the same accuracy: the \
            dependence on κ becomes a dependence on √κ.
            """, holds: n6(mHB) * 2 < n6(mGD), evidence: "steps HB \(n6(mHB)), GD \(n6(mGD))")
            + " " + nb.claim("""
            The heavy ball measures \(Fmt.sig(mHB)), not \(Fmt.sig(rhoStar)), for a reason the formula predicts: at \
            (α*, β*) the two roots of each direction coincide, the error shrinks like t·ρᵗ rather than ρᵗ, and over \
            steps 100 to 200 that reads as (200/100)^(1/100)·ρ* = \(Fmt.sig(doubleRoot)).
            """, holds: abs(mHB / doubleRoot - 1) < 2e-3, evidence: "measured \(mHB), t·ρᵗ reading \(doubleRoot)"))

        let shown = 60
        let contour = Contour(xRange: -6...2, yRange: -5...5,
                              resolution: nb.quick ? 41 : 81) { x, y in 0.1 * x * x + 2 * y * y }
        let gdRun = optimize(Lab.f, from: Lab.start, steps: steps, optimizer: SGD(learningRate: aGD))
        let hbRun = optimize(Lab.f, from: Lab.start, steps: steps, optimizer: SGD(learningRate: aStar, momentum: bStar))
        let nRun = optimize(Lab.f, from: Lab.start, steps: steps,
                            optimizer: SGD(learningRate: nBest.0, momentum: bStar, nesterov: true))
        let optimalTitle = "Best gradient descent and heavy ball; Nesterov at the heavy ball's β*"
        try await nb.figure(Figure(name: "optimal", title: optimalTitle, plots: [
            Plot(title: "paths (first \(shown) steps)", xLabel: "x", yLabel: "y", xRange: -6...2, yRange: -5...5,
                 key: .bottomRight, series: [
                Series(path: gdRun, title: "gradient descent, α = \(Fmt.sig(aGD, 3))", pen: .named("SGD"),
                       limit: shown),
                Series(path: hbRun, title: "heavy ball (α*, β*)", pen: .named("momentum"), limit: shown),
                Series(path: nRun, title: "Nesterov (β = β*)", pen: Self.nesterov, limit: shown),
            ], contour: contour),
            Plot(title: "distance to the minimum", xLabel: "step", yLabel: "‖θ − θ*‖", yScale: .log, key: .bottomLeft,
                 series: [
                Series(perStep: dGD, title: "gradient descent", pen: .named("SGD")),
                Series(perStep: dHB, title: "heavy ball", pen: .named("momentum")),
                Series(perStep: nBest.1, title: "Nesterov (β = β*)", pen: Self.nesterov),
                Series(perStep: (0...steps).map { dHB[0] * Double.pow(rhoStar, Double($0)) }, title: "‖θ₀‖·ρ*ᵗ",
                       pen: .named("reference")),
            ]),
        ], columns: 2), caption: "Left: the first \(shown) steps over the contours of f. Right: distance to the "
                + "minimum on a log scale; a straight line is a constant rate. Nesterov uses the heavy ball's β* = "
                + "\(Fmt.sig(bStar)) and the best α of its grid (\(Fmt.sig(nBest.0))), not its own optimal pair.")
    }

    // MARK: 3. The (α, β) plane

    func plane() async throws {
        nb.section("The (α, β) plane, coloured by convergence rate")
        let na = nb.quick ? 30 : 80, nbeta = nb.quick ? 25 : 60
        let alphas = (1...na).map { 1.0 * Double($0) / Double(na) }
        let betas = (0..<nbeta).map { 0.99 * Double($0) / Double(nbeta - 1) }
        let steps = 600
        let measured = betas.map { b in alphas.map { a in Lab.measuredRate(alpha: a, beta: b, steps: steps) } }
        let theory = betas.map { b in alphas.map { a in min(1, HeavyBall.rate(learningRate: a, momentum: b,
                                                                              eigenvalues: [Lab.mu, Lab.L])) } }
        var worst = 0.0
        for j in betas.indices { for i in alphas.indices where theory[j][i] < 0.97 {
            worst = max(worst, abs(measured[j][i] - theory[j][i]))
        } }
        let cells = betas.indices.flatMap { j in alphas.indices.map { i in (i, j) } }
        let best = cells.min { measured[$0.1][$0.0] < measured[$1.1][$1.0] }!
        let (aStar, bStar) = HeavyBall.optimalParameters(smallestEigenvalue: Lab.mu, largestEigenvalue: Lab.L)
        nb.prose("""
            Goh's Distill article draws this plane with a slider; here it is measured. Each of the \(na) × \(nbeta) \
            cells runs \(steps) steps of SGD with momentum from (−5, −2) and colours the cell by the measured rate \
            (‖θ₆₀₀‖/‖θ₃₀₀‖)^(1/300), capped at 1 for runs that do not converge. The curve is the stability limit α = \
            2(1 + β)/L; the dots mark the optimum (α*, β*) and gradient descent's best (2/(L + μ), 0).
            """)
        let boundaryBetas = stride(from: 0.0, through: 0.99, by: 0.01).map { $0 }
        try await nb.figure(Figure(name: "rate-plane",
                                   title: "Heavy ball on 0.1x² + 2y²: measured convergence rate per step", plots: [
            Plot(xLabel: "learning rate α", yLabel: "momentum β", xRange: 0...1, yRange: 0...0.99, key: .below,
                 series: [
                Series(title: "stability limit α = 2(1 + β)/L", x: boundaryBetas.map { 2 * (1 + $0) / Lab.L },
                       y: boundaryBetas,
                       pen: .named("reference")),
                Series(title: "optimum (α*, β*)", style: .points, x: [aStar], y: [bStar],
                       pen: Pen(color: Palette.black, point: 7)),
                Series(title: "gradient descent's best", style: .points, x: [2 / (Lab.L + Lab.mu)], y: [0],
                       pen: Pen(color: Palette.black, point: 6)),
            ], heatmap: Heatmap(xs: alphas, ys: betas, values: measured,
                                colorLabel: "rate per step (1 = no convergence)")),
        ]), caption: "Darker is faster. Every cell is a run; the curve and dots come from the formulas.")
        let nearest = (alphas.indices.min { abs(alphas[$0] - aStar) < abs(alphas[$1] - aStar) }!,
                       betas.indices.min { abs(betas[$0] - bStar) < abs(betas[$1] - bStar) }!)
        let bestRate = measured[best.1][best.0], atOptimum = measured[nearest.1][nearest.0]
        let fasterCells = measured.joined().filter { $0 < atOptimum }.count
        let formulaAtOptimum = theory[nearest.1][nearest.0], formulaAtBest = theory[best.1][best.0]
        let formulaBest = theory.joined().min()!
        let rhoStar = HeavyBall.optimalRate(smallestEigenvalue: Lab.mu, largestEigenvalue: Lab.L)
        nb.notice(nb.claim("""
            Wherever the formula's rate is below 0.97 the measured rate matches it to within 0.02 (worst difference \
            \(Fmt.sci(worst, 1))).
            """, holds: worst < 0.02, evidence: "worst \(worst)") + " " + nb.claim("""
            No cell sits exactly on (α*, β*) = (\(Fmt.sig(aStar, 3)), \(Fmt.sig(bStar, 3))); the nearest, \
            (\(Fmt.sig(alphas[nearest.0], 3)), \(Fmt.sig(betas[nearest.1], 3))), measures \(Fmt.sig(atOptimum, 3)) \
            where the formula gives \(Fmt.sig(formulaAtOptimum, 3)). \(fasterCells) of \(na * nbeta) cells measure \
            a rate below that nearest cell's \(Fmt.sig(atOptimum, 3)) (a lower rate is faster convergence); the \
            fastest, (\(Fmt.sig(alphas[best.0], 3)), \(Fmt.sig(betas[best.1], 3))), measures \
            \(Fmt.sig(bestRate, 3)) where the formula gives \(Fmt.sig(formulaAtBest, 3)). Inside the wedge the \
            roots are complex, so ‖θₜ‖ oscillates as it shrinks, and a ratio of two norms 300 steps apart reads the \
            rate a little fast or slow with the phase: by the formula no cell of this grid beats \
            \(Fmt.sig(formulaBest, 3)), and none can beat ρ* = \(Fmt.sig(rhoStar, 4)).
            """, holds: abs(atOptimum - formulaAtOptimum) < 0.005 && abs(bestRate - formulaAtBest) < 0.01
                && formulaBest >= rhoStar - 1e-12,
            evidence: "nearest \(atOptimum) vs \(formulaAtOptimum), fastest \(bestRate) vs \(formulaAtBest)"))
        nb.prose("""
            The picture explains the practice. The dark region is a wedge with its tip at (α*, β*). Inside it both \
            directions have complex roots and every cell converges at exactly √β, whatever α is, so the colour \
            depends on β alone and is darkest at the tip. Its left edge, α = (1 − √β)²/μ, runs up and to the left: a \
            larger β lets a smaller α reach the same rate along the flat direction. Its right edge, \
            α = (1 + √β)²/L, runs up and to the right, just inside the stability limit α = 2(1 + β)/L. That limit is a \
            straight line, beyond which the rate is 1; it moves right as β grows, which is why a rate that diverges \
            without momentum can be used with it. Left of the wedge the roots are real and the rate is set by the \
            flat direction μ, as for plain gradient descent.
            """)
    }

    // MARK: 4. Rosenbrock

    func rosenbrock() async throws {
        nb.section("Momentum on Rosenbrock's valley")
        let steps = nb.quick ? 2000 : 5000
        let grid = [1e-4, 2e-4, 5e-4, 1e-3, 1.5e-3, 2e-3, 3e-3]
        let f = Rosenbrock()
        let seeds = nb.seeds(5)
        // Each run of the set starts from (−1.5, 2) jittered by its seed; runs[seed] = (start, gd, hb, nesterov).
        let runs = nb.parallelMap(seeds.count) { i in
            var rng = SeededGenerator(seed: seeds[i])
            let start = [-1.5 + 0.05 * rng.uniform(-1, 1), 2.0 + 0.05 * rng.uniform(-1, 1)]
            return (start: start,
                    gd: Lab.bestRun(grid, on: f, from: start, steps: steps) { SGD(learningRate: $0) },
                    hb: Lab.bestRun(grid, on: f, from: start, steps: steps) { SGD(learningRate: $0, momentum: 0.9) },
                    nest: Lab.bestRun(grid, on: f, from: start, steps: steps) {
                        SGD(learningRate: $0, momentum: 0.9, nesterov: true)
                    })
        }
        // The figure draws the set's first run (seed = --seed); table 3 gives the spread.
        let (start, gd, hb, nest) = runs[0]
        nb.prose("""
            Rosenbrock's function (chapter 5's race track) has a curved, flat-bottomed valley: the curvature across it \
            is in the hundreds, along it near 1. Each method gets its best rate from \
            {\(grid.map { Fmt.sig($0) }.joined(separator: ", "))} for \(steps) steps; momentum uses β = 0.9. The \
            start is the usual (−1.5, 2) moved by up to 0.05 per coordinate, drawn afresh for each of \(seeds.count) \
            seeds (\(seeds.map { "\($0)" }.joined(separator: ", "))).
            """)
        let shown = logSpacedIndices(steps + 1, points: 300)
        func lossSeries(_ r: Trajectory, _ title: String, _ pen: Pen) -> Series {
            Series(loss: r, rows: shown, title: title, pen: pen)
        }
        // The valley is narrower than an 81-point grid's spacing near its floor (f < 2 there means
        // |y − x²| < 0.14): 121 points a side keep those contours smooth. (A 0.5 level would close
        // into a sliver near x = 1.7, jagged at any affordable resolution.)
        let contour = Contour(xRange: -2...2, yRange: -1...3, resolution: nb.quick ? 41 : 121,
                              levels: [2, 5, 10, 30, 100, 300, 1000]) { x, y in f.value([x, y]) }
        // One method a panel, each a solid line: two blues on one panel (heavy ball and dashed
        // Nesterov) could not be told apart.
        func pathPlot(_ best: (rate: Double, run: Trajectory), _ title: String, _ pen: Pen) -> Plot {
            Plot(title: "\(title), α = \(Fmt.sig(best.rate))", xLabel: "x", yLabel: "y", xRange: -2...2, yRange: -1...3,
                 key: .none, series: [
                    Series(path: best.run, title: title, style: .lines, pen: Pen(color: pen.color)),
                 ], contour: contour)
        }
        try await nb.figure(Figure(name: "rosenbrock",
                                   title: "Rosenbrock: gradient descent and momentum at their best rates",
                                   plots: [
            pathPlot(gd, "gradient descent", .named("SGD")), pathPlot(hb, "heavy ball", .named("momentum")),
            pathPlot(nest, "Nesterov", Self.nesterov),
            Plot(title: "loss", xLabel: "step", yLabel: "f(θ)", xScale: .log, yScale: .log, key: .bottomLeft, series: [
                lossSeries(gd.run, "gradient descent", .named("SGD")),
                lossSeries(hb.run, "heavy ball", .named("momentum")),
                lossSeries(nest.run, "Nesterov", Self.nesterov),
            ]),
        ], columns: 2), caption: "The run of seed \(seeds[0]), the set's first, from (\(Fmt.fixed(start[0], 3)), "
            + "\(Fmt.fixed(start[1], 3))) over the contours (minimum at (1, 1)), one method a panel; bottom right: loss "
            + "per step, log–log. Table 3 gives all \(seeds.count) runs.")
        // Final losses per method (gradient descent, heavy ball, Nesterov) and run.
        let finals = [runs.map(\.gd), runs.map(\.hb), runs.map(\.nest)].map { m in m.map { $0.run.points.last!.loss } }
        let rates = [runs.map(\.gd.rate), runs.map(\.hb.rate), runs.map(\.nest.rate)]
        let names = ["gradient descent", "heavy ball, β = 0.9", "Nesterov, β = 0.9"]
        nb.table(Table(header: ["method", "best α (runs)", "f after \(steps) steps, median (min–max)"],
                       rows: names.indices.map { m in
            let counts = Dictionary(grouping: rates[m], by: { $0 }).sorted { ($0.value.count, -$0.key) > ($1.value.count, -$1.key) }
            let v = Spread(finals[m])
            return [names[m], counts.map { "\(Fmt.sig($0.key)) (\($0.value.count))" }.joined(separator: ", "),
                    "\(Fmt.sci(v.median, 1)) (\(Fmt.sci(v.min, 1))–\(Fmt.sci(v.max, 1)))"]
        }), caption: "Final loss at each method's best rate of the grid over the \(seeds.count) runs; a rate's count is "
            + "the number of runs that picked it.")
        // Orders of magnitude below gradient descent, in the run where momentum's lead is smallest.
        let orders = [1, 2].map { m in runs.indices.map { Double.log10(finals[0][$0] / finals[m][$0]) }.min()! }
        nb.notice(nb.claim("""
            In every run both momentum methods end far below gradient descent, lower by more than \
            \(Int(orders[0].rounded(.down))) (heavy ball) and \(Int(orders[1].rounded(.down))) (Nesterov) orders of \
            magnitude: along the valley floor the gradient is \
            small but points the same way step after step, and momentum adds those steps up (to about α/(1 − β) = 10α \
            per unit of gradient), while across the valley the alternating components cancel.
            """, holds: orders.allSatisfy { $0 > 2 }, evidence: "final losses \(finals)"))
    }

    // MARK: 5. Noisy gradients

    func noise() async throws {
        nb.section("Momentum and noisy gradients")
        let sigma = 1.0, steps = nb.quick ? 50_000 : 200_000, burn = steps / 10
        let configs: [(title: String, alpha: Double, beta: Double, pen: Pen)] = [
            ("SGD, α = 0.05", 0.05, 0, .named("SGD")),
            ("momentum β = 0.9, α = 0.005 (α/(1 − β) = 0.05)", 0.005, 0.9, .named("momentum")),
            ("momentum β = 0.9, α = 0.05 (α/(1 − β) = 0.5)", 0.05, 0.9, Pen.named("momentum").dashed),
        ]
        let seeds = nb.seeds(Self.noiseSeeds)
        nb.prose("""
            Mini-batch gradients are noisy. Here each gradient of the quadratic gets N(0, \(Fmt.sig(sigma))²) noise \
            per coordinate, and the loss settles at a floor instead of reaching 0. The noise is random, so each \
            setting runs once for each of \(seeds.count) seeds (\(seeds.map { "\($0)" }.joined(separator: ", "))). \
            The heavy ball is then an AR(2) process whose stationary variance along curvature λ has a closed form:
            """)
        nb.equation("\\operatorname{Var}\\theta = \\frac{(1+\\beta) \\alpha\\sigma^2}{(1-\\beta) \\lambda "
                    + "(2(1+\\beta)-\\alpha\\lambda)} \\approx \\frac{\\alpha_{\\text{eff}} "
                            + "\\sigma^2}{2\\lambda},\\qquad \\alpha_{\\text{eff}} = \\frac{\\alpha}{1-\\beta}",
                    plain: "Var θ = (1 + β)ασ² / ((1 − β)λ(2(1 + β) − αλ)) ≈ α_eff σ²/(2λ), α_eff = α/(1 − β)")
        let window = 200, drawn = min(steps, 20_000)
        // Each run of the set: its floor (the mean loss after the burn-in) and its first `drawn` steps'
        // moving average, for the figure. runs[config][seed]
        let flat = nb.parallelMap(configs.count * seeds.count) { j in
            let (c, s) = (configs[j / seeds.count], seeds[j % seeds.count])
            let losses = Measure.noisyGradientLosses(SGD(learningRate: c.alpha, momentum: c.beta), on: Quadratic(),
                                                     from: Lab.start, steps: steps, noise: sigma, seed: s)
            return (floor: losses[burn...].reduce(0, +) / Double(steps - burn),
                    average: Measure.movingAverage(Array(losses.prefix(drawn)), window: window))
        }
        let runs = configs.indices.map { c in Array(flat[(c * seeds.count)..<((c + 1) * seeds.count)]) }
        let floors = runs.map { Spread($0.map(\.floor)) }
        let formulas = configs.map { c in
            [Lab.mu, Lab.L].reduce(0.0) { total, lambda in
                total + 0.5 * lambda * HeavyBall.stationaryVariance(learningRate: c.alpha, momentum: c.beta,
                                                                    eigenvalue: lambda, noise: sigma)
            }
        }
        nb.table(Table(header: ["run", "mean loss after step \(burn): mean (min–max) over the set",
                                "closed form Σ ½λ·Var θ", "ratio of the means"],
                       rows: configs.indices.map { i in
            [configs[i].title, "\(Fmt.sci(floors[i].mean, 3)) (\(Fmt.sci(floors[i].min, 2))–\(Fmt.sci(floors[i].max, 2)))",
             Fmt.sci(formulas[i], 3), Fmt.fixed(floors[i].mean / formulas[i], 3)]
        }), caption: "The noise floor of the loss, averaged over steps \(burn)–\(steps) of each of the \(seeds.count) "
            + "runs, against the formula.")
        let shown = logSpacedIndices(drawn, points: 300)
        let noiseTitle = "Noisy gradients (σ = \(Fmt.sig(sigma))): the loss settles at a floor set by α/(1 − β)"
        try await nb.figure(Figure(name: "noise", title: noiseTitle, xLabel: "step",
                                   yLabel: "f(θ), moving average over \(window) steps", xScale: .log, yScale: .log,
                                   xRange: 1...20_000, yRange: 1e-3...1e3, key: .topRight,
                                   series: configs.indices.map { i in
            let at = shown.map { t in Spread(runs[i].map { $0.average[t] }) }
            return Series(title: configs[i].title, style: .band, x: shown.map { Double($0 + 1) },
                          y: at.map(\.median), low: at.map(\.min), high: at.map(\.max), pen: configs[i].pen)
        } + [Series(title: "closed-form floor, α_eff = 0.05", x: [1, 20_000], y: [formulas[0], formulas[0]],
                    pen: .named("noise floor"))]),
                            caption: "The first 20 000 steps, each curve the loss averaged over the previous \(window) "
                                    + "steps (so it kinks at step \(window)): the median of the \(seeds.count) runs, "
                                    + "the band their smallest to largest. The dashed grey line is the formula's floor "
                                    + "for SGD at α = 0.05; SGD at α = 0.05 and momentum at α = 0.005, β = 0.9 (the same "
                                    + "α/(1 − β)) lie on one another from a few hundred steps on, as the formula says "
                                    + "they should (their few per cent of difference is in Table 4).")
        // Per run: each floor against its closed form; SGD against momentum at the same α/(1 − β); α kept, β added.
        let gaps = configs.indices.map { i in runs[i].map { abs($0.floor / formulas[i] - 1) }.max()! }
        let meanGap = configs.indices.map { i in abs(floors[i].mean / formulas[i] - 1) }.max()!
        let apart = seeds.indices.map { s in runs[1][s].floor / runs[0][s].floor - 1 }
        let times = Spread(seeds.indices.map { s in runs[2][s].floor / runs[0][s].floor })
        let formulaApart = formulas[1] / formulas[0] - 1
        // The tolerances are for 180 000 steps after the burn-in; a quick run's shorter average is noisier
        // (its spread grows as 1/√steps).
        let slack = (200_000 / Double(steps)).squareRoot()
        let apartSpread = Spread(apart.map { 100 * abs($0) })
        nb.notice(nb.claim("""
            Averaged over the set, each measured floor is within \(Fmt.sig(100 * meanGap, 2)) % of its closed form, \
            and every single run within \(Fmt.sig(100 * gaps.max()!, 2)) %. At the same effective rate \
            α/(1 − β) = 0.05, SGD and momentum settle \(Fmt.fixed(apartSpread.min, 1))–\
            \(Fmt.fixed(apartSpread.max, 1)) % apart in every run, momentum \(formulaApart < 0 ? "lower" : "higher"), \
            as the closed forms say (\(Fmt.fixed(100 * abs(formulaApart), 1)) %): momentum does not average the \
            noise away. Keeping α and adding β = 0.9 multiplies the floor by \(Fmt.sig(times.min, 2))–\
            \(Fmt.sig(times.max, 2)), because it multiplies the effective rate by 10.
            """, holds: meanGap < 0.05 * slack && gaps.max()! < 0.1 * slack
                && apart.allSatisfy { abs($0 - formulaApart) < 0.025 * slack }
                && times.min > 5,
            evidence: "floors \(runs.map { $0.map(\.floor) }), formulas \(formulas)"))
        nb.prose("""
            So what momentum buys is speed on ill-conditioned problems (the √κ above), not noise reduction. With \
            noisy gradients the knob that sets the floor is α/(1 − β): when a chapter adds momentum 0.9 to SGD it \
            should divide the rate by about 10 to compare like with like (PyTorch does not do this for you; Adam's β₁ \
            uses (1 − β₁)g, so its buffer is an average and α is already the effective rate).
            """)
    }

    // MARK: Exercises

    func exercises() {
        nb.exercise("""
            Measure Nesterov's stability limit for β = 0.9 by bisection, as section 1 did for the heavy ball, and \
            compare it with the heavy ball's 2(1 + β)/L. Derive the formula from Nesterov's characteristic polynomial \
            z² − (1 + β)(1 − αλ)z + β(1 − αλ). (What to look for: the heavy ball's limit at β = 0.9 is 0.95 \
            and plain gradient descent's 0.5, table 1; a root z = −1 marks the limit.)
            """, solution: "nesterov-limit") {
            // solution: nesterov-limit
            let beta = 0.9
            let measured = MomentumLab.measuredLimit(beta: beta, nesterov: true, steps: 3000)
            // The root z = −1 appears when 1 + (1 + β)c + βc = 0 with c = 1 − αλ, i.e. αλ = 2(1 + β)/(1 + 2β).
            let formula = 2 * (1 + beta) / ((1 + 2 * beta) * MomentumLab.L)
            let heavy = HeavyBall.stabilityLimit(momentum: beta, largestEigenvalue: MomentumLab.L)
            let order = formula < 2 / MomentumLab.L ? "below" : "above"
            return """
                Nesterov, β = 0.9: measured limit \(Fmt.sig(measured, 6)), formula 2(1 + β)/((1 + 2β)L) = \
                \(Fmt.sig(formula, 6)); heavy ball: \(Fmt.sig(heavy, 6)); plain gradient descent: 2/L = 0.5. \
                Nesterov's limit is \(order) plain gradient descent's: its step g + βb counts the newest gradient \
                with weight 1 + β, so along the steep direction it overshoots sooner. It buys its stability elsewhere \
                (it damps the oscillation of the heavy ball at a given α), not in a larger rate.
                """
            // end solution
        }
        nb.exercise("""
            Keep the effective rate α/(1 − β) = 0.45 fixed on the noiseless quadratic and try β = 0, 0.5 and 0.9. \
            Which converges fastest, and why does a fixed effective rate not fix the speed? (What to look for: \
            each pair's rate is the largest root modulus of z² − (1 + β − αλ)z + β over λ = μ and L; compare it \
            with √β.)
            """, solution: "effective-rate") {
            // solution: effective-rate
            var rates: [(beta: Double, rate: Double)] = []
            let rows = [0.0, 0.5, 0.9].map { beta -> String in
                let alpha = 0.45 * (1 - beta)
                let theory = HeavyBall.rate(learningRate: alpha, momentum: beta,
                                            eigenvalues: [MomentumLab.mu, MomentumLab.L])
                let d = MomentumLab.distances(alpha: alpha, beta: beta, steps: 400)
                let measured = Measure.convergenceRate(d, from: 200, to: 400)
                rates.append((beta, measured))
                return "β = \(beta): α = \(Fmt.sig(alpha)), rate \(Fmt.sig(measured)) (formula \(Fmt.sig(theory)))"
            }
            let fastest = rates.min { $0.rate < $1.rate }!.beta
            return rows.joined(separator: "\n") + """

                β = \(fastest) is fastest. The effective rate sets the noise floor, not the speed: the speed is the \
                larger root of z² − (1 + β − αλ)z + β. Too little β leaves the flat direction slow (gradient descent's \
                1 − αμ); too much makes every direction oscillate with modulus √β = 0.95 at β = 0.9.
                """
            // end solution
        }
    }
}
