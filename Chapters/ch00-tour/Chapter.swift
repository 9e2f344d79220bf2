// Chapter 0 — a tour of the whole path: Descent computes, Notebook narrates, Figures draws.
import ArgumentParser
import Descent
import Figures
import Notebook
import RealModule

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
    /// The book-wide pens of the three rates: below, well inside and past the stability limit.
    static let roles = ["slow rate", "good rate", "diverging rate"]

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
        nb.table(Table(header: ["α", "factors on (x, y)", "f after \(steps) steps", "first step with f < 1e-3"],
                       rows: rows),
                 caption: "Gradient descent from (−5, −2) on f = 0.1x² + 2y².")

        let (slow, good, over) = (runs[0], runs[1], runs[2])
        let window = (x: -6.0...2.0, y: -3.0...3.0)
        let contour = Contour(xRange: window.x, yRange: window.y, resolution: nb.quick ? 41 : 81) { x, y in
            Quadratic().value([x, y])
        }
        let paths = zip(rates, runs).enumerated().map { i, pair in
            // α = 0.05 takes 60 short steps: one marker a step would pile into a solid bar along y = 0 over
            // α = 0.4's path, so it is drawn as a bare line (and first, under the others).
            Series(path: pair.1, title: "α = \(Fmt.sig(pair.0))", style: i == 0 ? .lines : .linesPoints,
                   pen: .named(Self.roles[i]), window: window)
        }
        let outside = over.points.firstIndex { !(window.x.contains($0.point[0]) && window.y.contains($0.point[1])) }
        let leaves = outside.map { k in
            "α = 0.51 leaves the window after step \(k - 1) (|y| = \(Fmt.sig(abs(over.points[k].point[1]), 3)) at "
                + "step \(k)) and reaches |y| = \(Fmt.sig(abs(over.points.last!.point[1]), 3)) at step \(steps); the "
                + "loss figure below follows it to the end."
        } ?? ""
        let crawl = slow.points.last!.loss, flips = good.points.prefix(6).map { $0.point[1] }
        let ySignFlips = zip(flips, flips.dropFirst()).allSatisfy { $0 * $1 < 0 }
        let crawls = nb.claim("After \(steps) steps the small rate is still at f = \(Fmt.sci(crawl, 2)), above 1e-3;",
                              holds: crawl > 1e-3 && slow.divergence == nil, evidence: "f = \(crawl)")
        let (goodStart, goodEnd) = (good.points[0].loss, good.points.last!.loss)
        let zigzag = nb.claim("α = 0.4 flips the sign of y at every step yet converges (f falls from "
                              + "\(Fmt.sig(goodStart, 3)) to \(Fmt.sci(goodEnd, 2)));",
                              holds: ySignFlips && good.divergence == nil && goodEnd < goodStart / 100,
                              evidence: "y = \(flips), f = \(good.points.last!.loss)")
        let (f0, fEnd) = (over.points[0].loss, over.points.last!.loss)
        let grows = nb.claim("α = 0.51 is past 2/L and its zig-zag grows: f rises from \(Fmt.sig(f0, 3)) to "
                             + "\(Fmt.sig(fEnd, 3)).",
                             holds: fEnd > f0, evidence: "f0 = \(f0), f = \(fEnd)")
        // Per-step growth over the last ten steps, where the y term dominates: (1 − 4·0.51)² = 1.0816.
        let growth = Double.pow(fEnd / over.points[over.points.count - 11].loss, 0.1)
        try await nb.figure(Figure(name: "trajectories", title: "Gradient descent on 0.1x² + 2y² from (−5, −2)",
                                   xLabel: "x", yLabel: "y", xRange: window.x, yRange: window.y,
                                   series: paths, contour: contour),
                            caption: "Paths over the contour lines of f, each drawn until it leaves the window; "
                                + "α = 0.05 as a bare line. \(crawls) \(zigzag) \(grows) \(leaves)")
        try await nb.figure(Figure(name: "loss", title: "Loss per step", xLabel: "step", yLabel: "f(θ)", yScale: .log,
                                   series: zip(rates, runs).enumerated().map { i, pair in
                                       Series(loss: pair.1, title: "α = \(Fmt.sig(pair.0))", pen: .named(Self.roles[i]))
                                   }),
                            caption: """
                                The same runs, loss on a log scale: a straight line is geometric convergence \
                                (falling) or \
                                divergence (rising).
                                """)
        let goodLoss = good.points.last!.loss
        let faster = nb.claim("After \(steps) steps the loss at α = 0.4 is \(Fmt.sci(goodLoss, 2)), against "
                              + "\(Fmt.sci(crawl, 2)) at α = 0.05: the larger stable rate ends "
                              + "\(Fmt.sig(crawl / goodLoss, 2))× lower.",
                              holds: goodLoss < crawl, evidence: "f(0.4) = \(goodLoss), f(0.05) = \(crawl)")
        let diverges = nb.claim("so f grows by about 1.04² ≈ 1.08 per step (measured over the last ten steps: "
                                + "\(Fmt.sig(growth, 3))), to \(Fmt.sig(fEnd, 3)) after \(steps) steps.",
                                holds: abs(growth - 1.0816) < 0.02, evidence: "growth \(growth)")
        let stable = zip(rates, runs).filter { $0.1.points.last!.loss < $0.1.points[0].loss }
        let bestOfThree = zip(rates, runs).min { $0.1.points.last!.loss < $1.1.points.last!.loss }!.0
        let largestStable = nb.claim("On this function the best of the three rates is the largest one that is "
                                     + "still stable.",
                                     holds: bestOfThree == stable.map(\.0).max(),
                                     evidence: "best \(bestOfThree), stable \(stable.map(\.0))")
        nb.notice("""
            \(faster) Going 2 % past the limit, α = 0.51 multiplies y by |1 − 4α| = \(Fmt.sig(abs(1 - 4 * 0.51))) each \
            step, \(diverges) \(largestStable) How \
            close to the edge the best fixed rate sits is measured, not assumed: chapter 2 measures it on this \
            quadratic; on a network the edge has to be found by running, and chapter 7 shows how to search for a \
            good rate there.
            """)
        nb.callout("The article's references, checked", """
            The article lists five references. Two are real papers cited with the wrong authors and numbers, two could \
            not be found under the titles, authors and numbers given, and one is right:
            - [1] Kingma & Ba, "Adam: A Method for Stochastic Optimization", arXiv:1412.6980 — correct (ICLR 2015).
            - [2] "On the Convergence of Adam and Beyond" is by Reddi, Kale & Kumar (ICLR 2018, arXiv:1904.09237), \
            not "Reddi, Roberts & Abdol-maleki, arXiv:1811.01432".
            - [3] "Du, Li & Liu, arXiv:1811.03384" and [4] "Unkel & Schraudolph, arXiv:1608.05781" could not be \
            confirmed under those titles, authors and numbers; this book does not rely on them.
            - [5] Large-batch training is You, Gitman & Ginsburg, "Large Batch Training of Convolutional Networks" \
            (arXiv:1708.03888, the LARS paper), not "You, Noh & Bengio, arXiv:1706.02063".

            The classic studies the chapters lean on instead: Glorot & Bengio (AISTATS 2010) and He et al. (ICCV 2015, \
            arXiv:1502.01852) for vanishing gradients and initialisation, Smith (WACV 2017, arXiv:1506.01186) for the \
            learning-rate range test.
            """)
        nb.exercise("""
            Which fixed α makes both coordinates shrink by the same factor per step? (Hint: gradient descent \
            multiplies x by 1 − 0.2α and y by 1 − 4α each step; solve |1 − 0.2α| = |1 − 4α|.) Check it by running \
            `swift run lab optimize --function quadratic --start -5,-2 --steps 20 --optimizer sgd --lr <your α> \
            --format table` and dividing consecutive x and y values.
            """, solution: "balanced-rate") {
            // solution: balanced-rate
            let alpha = 2 / (0.2 + 4.0)  // 1 − 0.2α = −(1 − 4α)
            let run = optimize(Quadratic(), from: [-5, -2], steps: 60, optimizer: SGD(learningRate: alpha))
            let at04 = optimize(Quadratic(), from: [-5, -2], steps: 60, optimizer: SGD(learningRate: 0.4))
            let (f, f04) = (run.points.last!.loss, at04.points.last!.loss)
            let (fx, fy) = (1 - 0.2 * alpha, 1 - 4 * alpha)
            return "α = \(Fmt.sig(alpha)) (that is 2/(0.2 + 4)) makes 1 − 0.2α = \(Fmt.sig(fx)) and 1 − 4α = "
                + "\(Fmt.sig(fy)): both coordinates shrink by \(Fmt.sig(fx)) per step (y changes sign). "
                + "After 60 steps f = \(Fmt.sci(f, 3)), \(f < f04 ? "below" : "above") α = 0.4's "
                + "\(Fmt.sci(f04, 3)), whose slow "
                + "x factor is 0.92."
            // end solution
        }
    }
}
