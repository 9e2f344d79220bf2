// Chapter 0 — a tour of the whole path: Descent computes, Notebook narrates, Figures draws.
import ArgumentParser
import Descent
import Figures
import Notebook

@main
struct Tour: ChapterCommand {
    static let slug = "ch00-tour"

    @OptionGroup var options: ChapterOptions

    func body(_ nb: Notebook) async throws {
        try await TourChapter(nb: nb).write()
    }
}

struct TourChapter {
    let nb: Notebook
    let f = Quadratic()
    let start = [-5.0, -2.0]
    var steps: Int { nb.quick ? 30 : 60 }
    let rates = [0.05, 0.4, 0.51]

    func run(_ alpha: Double) -> Trajectory {
        optimize(f, from: start, steps: steps, optimizer: SGD(learningRate: alpha), divergence: .standard)
    }

    func write() async throws {
        let L = f.largestEigenvalue, mu = f.smallestEigenvalue
        nb.prose("""
            The article's whole subject fits in one line: gradient descent repeats θ ← θ − α∇L(θ), and \
            everything depends on the step size α. This tour runs that line on the smallest function that \
            shows the problem, $f(x, y) = 0.1x^2 + 2y^2$, from $(-5, -2)$, at three learning rates.
            """)
        nb.equation(#"\theta_{t+1} = \theta_t - \alpha \nabla f(\theta_t), \qquad \nabla f = (0.2x,\ 4y)"#,
                    plain: "θ ← θ − α∇f(θ),  ∇f = (0.2x, 4y)")
        nb.prose("""
            Each step multiplies x by $(1 - 0.2\\alpha)$ and y by $(1 - 4\\alpha)$. The curvatures are \
            λmin = \(Fmt.sig(mu)) along x and λmax = L = \(Fmt.sig(L)) along y, so y is stable only while \
            |1 − 4α| < 1, that is α < 2/L = \(Fmt.sig(2 / L)). Below that, the slow x direction sets the pace.
            """)

        let runs = rates.map { run($0) }
        var rows: [[String]] = []
        for (alpha, r) in zip(rates, runs) {
            let final = r.points.last!
            let reached = r.points.first { $0.loss < 1e-3 }
            rows.append([Fmt.sig(alpha), "\(Fmt.sig(1 - 0.2 * alpha)), \(Fmt.sig(1 - 4 * alpha))",
                         r.divergence.map { "diverged at step \($0.step)" } ?? Fmt.sci(final.loss, 3),
                         reached.map { "\($0.step)" } ?? "—"])
        }
        nb.table(Table(header: ["α", "factors on (x, y)", "f after \(steps) steps", "first step with f < 1e-3"], rows: rows),
                 caption: "Gradient descent from (−5, −2) on f = 0.1x² + 2y².")

        let contour = Contour(xRange: -6...2, yRange: -3...3, resolution: nb.quick ? 41 : 81) { x, y in 0.1 * x * x + 2 * y * y }
        let paths = zip(rates, runs).enumerated().map { i, pair in
            let pts = pair.1.points.filter { abs($0.point[0]) < 6 && abs($0.point[1]) < 3 }
            return Series(title: "α = \(Fmt.sig(pair.0))", style: .linesPoints,
                          x: pts.map { $0.point[0] }, y: pts.map { $0.point[1] }, color: i)
        }
        try await nb.figure(Figure(name: "trajectories", title: "Gradient descent on 0.1x² + 2y² from (−5, −2)",
                                   xLabel: "x", yLabel: "y", xRange: -6...2, yRange: -3...3, key: .bottomRight,
                                   series: paths, contour: contour),
                            caption: "Paths over the contour lines of f. The small rate crawls; α = 0.4 zig-zags across the narrow y direction but converges; α = 0.51 is past 2/L and the zig-zag grows.")
        try await nb.figure(Figure(name: "loss", title: "Loss per step", xLabel: "step", yLabel: "f(θ)", yScale: .log,
                                   series: zip(rates, runs).enumerated().map { i, pair in
                                       Series(title: "α = \(Fmt.sig(pair.0))", x: pair.1.points.map { Double($0.step) },
                                              y: pair.1.points.map(\.loss), color: i)
                                   }),
                            caption: "The same runs, loss on a log scale: straight lines are geometric convergence (or divergence).")
        let good = runs[1].points.last!.loss, slow = runs[0].points.last!.loss
        nb.notice("""
            After \(steps) steps the loss at α = 0.4 is \(Fmt.sci(good, 2)), against \(Fmt.sci(slow, 2)) at α = 0.05: \
            the larger stable rate wins by \(Fmt.sig(slow / good, 2))×. Going just 2 % past the limit, α = 0.51, \
            multiplies y by |1 − 4α| = \(Fmt.sig(abs(1 - 4 * 0.51))) each step, and the run diverges. The best rate \
            sits just under the edge of instability — the theme of every chapter that follows.
            """)
        nb.exercise("Which fixed α makes both coordinates shrink by the same factor per step? (Hint: solve |1 − 0.2α| = |1 − 4α|.) Check it by running it.",
                        solution: "balanced-rate") {
            // solution: balanced-rate
            let alpha = 2 / (0.2 + 4.0)  // 1 − 0.2α = −(1 − 4α)
            let run = optimize(Quadratic(), from: [-5, -2], steps: 60, optimizer: SGD(learningRate: alpha))
            return "α = \(Fmt.sig(alpha)), f after 60 steps = \(Fmt.sci(run.points.last!.loss, 3))"
            // end solution
        }
    }
}
