// Chapter 6 — the article's linear-regression listing (article §4).
import ArgumentParser
import Descent
import Figures
import Notebook
import RealModule

@main
struct LinearRegressionChapter: ChapterCommand {
    static let slug = "ch06-linear-regression"
    @OptionGroup var options: ChapterOptions

    func body(_ nb: Notebook) async throws {
        try await Chapter6(nb: nb).write()
    }
}

struct Chapter6 {
    let nb: Notebook
    let L = Listing()

    func write() async throws {
        nb.prose("""
            The article ends (§4) with a TensorFlow/Keras program: make 100 points with NumPy, fit a one-neuron \
            `Dense(1)` model with `Adam(learning_rate=0.01)` for 1000 full-batch steps of mean squared error, and \
            print the result. This chapter runs the same program in Swift, on **the same 100 points**: `Descent` \
            reproduces NumPy's legacy random stream (MT19937 and its polar-method Gaussian) bit for bit.
            """)
        data()
        let fits = threeFits()
        listingBug(fits.torch)
        try await pictures(fits)
        try await rates()
        exercises()
    }

    typealias Fit = (parameters: [Double], path: [[Double]], losses: [Double])
    struct Fits { let torch: Fit, keras: Fit, ls: LeastSquaresLine }

    func data() {
        nb.section("The data")
        nb.prose("""
            `np.random.seed(1)`, then `X = np.random.randn(100, 1)` and `y = 3*X + 2 + 0.5*np.random.randn(100, 1)` \
            — the second draw continues the same stream. The first five points:
            """)
        nb.table(Table(header: ["i", "x", "y"], rows: (0..<5).map { i in
            ["\(i)", Fmt.sig(L.x[i], 10), Fmt.sig(L.y[i], 10)]
        }), caption: "The first five (x, y) pairs; x₀ = 1.624345364 is NumPy's famous first Gaussian after seed(1).")
    }

    func threeFits() -> Fits {
        nb.section("Three fits: PyTorch's Adam, Keras' Adam, and least squares")
        nb.prose("""
            The model starts from w = 0, b = 0, not from Keras' random initialiser: Keras draws the initial weight \
            from its own Glorot-uniform stream, which no other program reproduces bit for bit, while a zero start \
            makes every run of this chapter — and any reader's — identical. Two Adams: PyTorch's defaults (ε = 1e-8 \
            added to the bias-corrected √v̂) and Keras' (ε̂ = 1e-7 added to the uncorrected √v, with the correction \
            folded into the rate, as Keras' own update does). The exact answer is the least-squares line, in closed \
            form.
            """)
        var smallestRoot = Double.infinity
        let torch = L.fit(Adam(learningRate: 0.01)) { opt in
            let t = Double(opt.stepCount)
            for v in opt.secondMoment {
                smallestRoot = min(smallestRoot, (v / (1 - Double.pow(0.999, t))).squareRoot())
            }
        }
        let keras = L.fit(KerasAdam(learningRate: 0.01))
        let ls = LeastSquaresLine(x: L.x, y: L.y)
        func row(_ name: String, _ p: [Double], _ mse: Double) -> [String] {
            [name, Fmt.sig(p[0], 10), Fmt.sig(p[1], 10), Fmt.sig(mse, 10),
             Fmt.sci(p[0] - ls.slope, 3), Fmt.sci(p[1] - ls.intercept, 3), Fmt.sci(mse - ls.meanSquaredError, 3)]
        }
        nb.table(Table(header: ["fit", "w", "b", "MSE", "w − w_LS", "b − b_LS", "MSE − MSE_LS"], rows: [
            row("Adam, PyTorch defaults", torch.parameters, torch.losses.last!),
            row("Adam, Keras defaults", keras.parameters, keras.losses.last!),
            row("least squares (closed form)", [ls.slope, ls.intercept], ls.meanSquaredError),
        ]), caption: "After 1000 full-batch steps at α = 0.01, to 10 significant digits; the true line is y = 3x + 2.")
        let gap = max(abs(torch.parameters[0] - ls.slope), abs(torch.parameters[1] - ls.intercept))
        let variants = abs(torch.parameters[0] - keras.parameters[0])
        nb.notice(nb.claim("""
            After 1000 steps both Adams are within \(Fmt.sci(gap, 1)) of the least-squares line — close, not on it. \
            The two Adam variants differ from each other by \(Fmt.sci(variants, 1)) in w: ε (1e-8 or 1e-7) only \
            matters next to √v̂, and √v̂, recorded for both coordinates at every one of the 1000 steps, never fell \
            below \(Fmt.sig(smallestRoot, 3)). So PyTorch's ε changed no step by more than a relative \
            \(Fmt.sci(1e-8 / smallestRoot, 1)), and Keras' ε̂, added to the uncorrected √v = √v̂·√(1 − β₂ᵗ) ≥ \
            √v̂·√(1 − β₂), by no more than \(Fmt.sci(1e-7 / (smallestRoot * (1 - 0.999).squareRoot()), 1)).
            """, holds: gap < 5e-3 && gap > 1e-6 && variants < 1e-6 && smallestRoot > 1e3 * 1e-7,
            evidence: "gap \(gap), variants \(variants), smallest √v̂ \(smallestRoot)")
            + " Least squares, not the data's recipe, is the target: the fitted line (w = \(Fmt.sig(ls.slope, 6)), "
            + "b = \(Fmt.sig(ls.intercept, 6))) differs from the true (3, 2) because of the noise in 100 points.")
        return Fits(torch: torch, keras: keras, ls: ls)
    }

    func listingBug(_ torch: Fit) {
        nb.section("The listing's bug")
        let predictions = L.model.predict(torch.parameters, L.data.inputs).elements
        nb.prose("""
            The listing ends with `print("Loss:", model(X))`. But `model(X)` is the model's *predictions* for the \
            100 inputs, not the loss: what it prints is a 100 × 1 tensor of ŷ values, labelled "Loss". The corrected \
            line is `print("Loss:", tf.reduce_mean(tf.square(model(X) - y)).numpy())`, or the loss Keras' `fit` \
            already returns.
            """)
        let shown = predictions.prefix(3).map { "[\(Fmt.sig($0, 7))]" }.joined(separator: ", ")
        nb.table(Table(header: ["the listing prints", "what it is", "corrected"], rows: [
            ["Loss: [\(shown), … (100 rows)]", "ŷ = w·x + b for each input",
             "Loss: \(Fmt.sig(L.loss(torch.parameters), 7))"],
        ], rightAligned: [false, false, false]),
                 caption: "What the article's last line shows, and what it meant to show (PyTorch-default fit).")
    }

    func pictures(_ fits: Fits) async throws {
        nb.section("Pictures of the fit")
        let (torch, keras, ls) = (fits.torch, fits.keras, fits.ls)
        let xs = L.x.sorted()
        let line = { (p: [Double]) in xs.map { p[0] * $0 + p[1] } }
        let lineGap = zip(line(torch.parameters), line([ls.slope, ls.intercept])).map { abs($0 - $1) }.max()!
        try await nb.figure(Figure(name: "fit", title: "The article's data, the fitted line and the true line",
                                   xLabel: "x", yLabel: "y", series: [
            Series(title: "data (NumPy seed 1)", style: .points, x: L.x, y: L.y,
                   pen: Pen(color: Palette.grey, point: 6)),
            Series(title: "Adam after 1000 steps", x: xs, y: line(torch.parameters), pen: .named("Adam")),
            Series(title: "true line y = 3x + 2", x: xs, y: xs.map { 3 * $0 + 2 }, pen: .named("reference")),
        ]), caption: nb.claim("The least-squares line is not drawn: over the data it differs from Adam's by at most "
                              + "\(Fmt.sci(lineGap, 1)), far below a pixel.",
                              holds: lineGap < 0.01, evidence: "largest gap \(lineGap)"))
        let gd = L.fit(SGD(learningRate: 0.01))
        try await lossFigure(torch: torch, keras: keras, gd: gd, ls: ls)
        try await pathFigure(torch: torch, gd: gd, ls: ls)
    }

    func lossFigure(torch: Fit, keras: Fit, gd: Fit, ls: LeastSquaresLine) async throws {
        let steps = torch.losses.indices.map(Double.init)
        let excess = { (f: Fit) in f.losses.map { $0 - ls.meanSquaredError } }
        let every = Array(Swift.stride(from: 0, to: keras.losses.count, by: 50))
        let between = zip(keras.losses, torch.losses).map { abs($0 - $1) }
        try await nb.figure(Figure(name: "loss", title: "Training loss, full batch, α = 0.01", plots: [
            Plot(title: "excess over the least-squares loss", xLabel: "step", yLabel: "MSE − MSE_LS", yScale: .log,
                 key: .below, series: [
                Series(title: "Adam (PyTorch)", x: steps, y: excess(torch), pen: .named("Adam")),
                Series(title: "Adam (Keras), every 50th step", style: .points, x: every.map(Double.init),
                       y: every.map { excess(keras)[$0] }, pen: .named("Keras Adam")),
                Series(title: "gradient descent", x: steps, y: excess(gd), pen: .named("SGD")),
            ]),
            Plot(title: "the two Adams: |MSE_Keras − MSE_PyTorch|", xLabel: "step", yLabel: "difference", yScale: .log,
                 key: .none, series: [
                // Solid: a dash pattern would look like the gaps the caption explains.
                Series(title: "|Keras − PyTorch|", x: steps, y: between.map { $0 > 0 ? $0 : .nan },
                       pen: Pen(color: Pen.named("Keras Adam").color)),
            ]),
        ], columns: 2, size: (900, 540)),
            caption: "Left: the excess over the least-squares optimum; Keras' Adam is marked every 50 "
                + "steps because its curve lies on PyTorch's. Right: how far apart the two Adams' losses are "
                + "(largest \(Fmt.sci(between.max()!, 1)); steps where they are equal are not drawn).")
    }

    /// A point the paths crowd onto, drawn on top so it stays visible: a ring around it (about 20
    /// pixels across in this figure's axes) and a cross at its centre.
    func target(at p: (Double, Double), title: String) -> [Series] {
        let angles = (0...36).map { Double($0) * 2 * Double.pi / 36 }
        let (rx, ry) = (0.14, 0.2)
        return [
            Series(title: title, x: angles.map { p.0 + rx * Double.cos($0) },
                   y: angles.map { p.1 + ry * Double.sin($0) },
                   pen: Pen(color: Palette.vermillion)),
            Series(title: "", style: .points, x: [p.0], y: [p.1], pen: Pen(color: Palette.vermillion, point: 2)),
        ]
    }

    func pathFigure(torch: Fit, gd: Fit, ls: LeastSquaresLine) async throws {
        // Named levels, so the caption can give the contours' values (gnuplot draws them unlabelled).
        let levels = [0.5, 1, 2, 4, 8, 16]
        let contour = Contour(xRange: -0.5...4, yRange: -0.5...3, resolution: nb.quick ? 41 : 81,
                              levels: levels) { w, b in L.loss([w, b]) }
        func marks(_ title: String, _ path: [[Double]], _ pen: String) -> Series {
            let k = Array(Swift.stride(from: 0, to: path.count, by: 10))
            return Series(title: title, style: .linesPoints, x: k.map { path[$0][0] }, y: k.map { path[$0][1] },
                          pen: .named(pen))
        }
        try await nb.figure(Figure(name: "path", title: "The (w, b) path on the MSE contours, α = 0.01", xLabel: "w",
                                   yLabel: "b", xRange: -0.5...4, yRange: -0.5...3, series: [
            marks("Adam", torch.path, "Adam"), marks("gradient descent", gd.path, "SGD"),
        ] + target(at: (ls.slope, ls.intercept), title: "least squares (ring centre)"), contour: contour),
            caption: "Every 10th step is marked. Grey contours: MSE = "
                + levels.map { Fmt.sig($0) }.dropLast().joined(separator: ", ") + " and \(Fmt.sig(levels.last!)), "
                + "doubling outwards (the minimum is \(Fmt.sig(ls.meanSquaredError, 3))). Both paths end inside the "
                + "vermillion ring, centred on the least-squares fit (w, b) = (\(Fmt.sig(ls.slope, 3)), "
                + "\(Fmt.sig(ls.intercept, 3))).")
        let first = zip(torch.path[1], torch.path[0]).map { abs($0 - $1) }
        let reach = torch.path.firstIndex { $0[0] > 0.95 * ls.slope } ?? torch.path.count
        let gdReach = gd.path.firstIndex { $0[0] > 0.95 * ls.slope } ?? gd.path.count
        nb.notice(nb.claim("""
            Adam's first step moves each coordinate by α = 0.01 (w by \(Fmt.sig(first[0], 3)), b by \
            \(Fmt.sig(first[1], 3))) whatever the size of the gradient; it needs \(reach) steps to reach 95 % of \
            the least-squares slope, an average of \(Fmt.sig(0.95 * ls.slope / Double(reach), 2)) per step in \
            w. Gradient descent at the same α takes \
            steps proportional to the gradient — large while far away — and gets there in \(gdReach). Adam's \
            normalisation is what you want when gradient scales differ wildly across parameters (chapter 3); on \
            this well-scaled two-parameter problem it slows the start.
            """, holds: first.allSatisfy { abs($0 / 0.01 - 1) < 1e-6 } && gdReach < reach,
            evidence: "first step \(first), reach Adam \(reach), GD \(gdReach)"))
    }

    func rates() async throws {
        let exponents = stride(from: -4.0, through: 0.5, by: 0.25).map { $0 }
        let rates = exponents.map { Double.pow(10, $0) }
        let ls = LeastSquaresLine(x: L.x, y: L.y)
        let adamFinal = rates.map { L.fit(Adam(learningRate: $0)).losses.last! - ls.meanSquaredError }
        let gdFinal = rates.map { a -> Double in
            let r = L.fit(SGD(learningRate: a)).losses.last!
            return r.isFinite ? r - ls.meanSquaredError : .nan
        }
        // The MSE's Hessian in (w, b) is 2·[[mean x², mean x], [mean x, 1]]; its largest eigenvalue
        // sets gradient descent's stability limit 2/λmax (chapter 2).
        let n = Double(L.x.count)
        let sxx = L.x.reduce(0) { $0 + $1 * $1 } / n, sx = L.x.reduce(0, +) / n
        let tr = 2 * (sxx + 1), det = 4 * (sxx - sx * sx)
        let lambdaMax = tr / 2 + (tr * tr / 4 - det).squareRoot()
        let floor = 1e-18
        let shown = { (v: Double) in v.isFinite && v < 1e6 ? max(v, floor) : .nan }
        let floored = (adamFinal + gdFinal).filter { $0.isFinite && $0 < floor }.count
        let flooredNote = floored == 0
            ? "no point falls below \(Fmt.sci(floor, 0))"
            : "\(floored) point\(floored == 1 ? "" : "s") at or below \(Fmt.sci(floor, 0)), rounding, drawn at "
                    + "\(Fmt.sci(floor, 0))"
        try await nb.figure(Figure(name: "final-loss-vs-rate", title: "MSE − MSE_LS after 1000 steps vs learning rate",
                                   xLabel: "log₁₀ α", yLabel: "excess loss", yScale: .log, series: [
            Series(title: "Adam", style: .linesPoints, x: exponents, y: adamFinal.map(shown), pen: .named("Adam")),
            Series(title: "gradient descent", style: .linesPoints, x: exponents, y: gdFinal.map(shown),
                   pen: .named("SGD")),
        ], markers: [Marker(x: Double.log10(2 / lambdaMax), label: "2/λmax for gradient descent")]),
            caption: "Excess over the least-squares loss (log scale: \(flooredNote); below about 1e-16 it is "
                + "rounding); missing points diverged.")
        let solvedGD = zip(exponents, gdFinal).filter { $0.1.isFinite && $0.1 < 1e-12 }.map(\.0)
        let solvedAdam = zip(exponents, adamFinal).filter { $0.1 < 1e-12 }.map(\.0)
        let diverged = zip(exponents, gdFinal).filter { !$0.1.isFinite || $0.1 > 1e6 }.map(\.0)
        let limit = Double.log10(2 / lambdaMax)
        // A span that reaches an end of the grid may go on past it: say so.
        func span(_ v: [Double]) -> String {
            guard let lo = v.first, let hi = v.last else { return "no rate of the grid" }
            let from = lo == exponents.first! ? "at most \(Fmt.sig(lo, 3)) (the grid's first)" : Fmt.sig(lo, 3)
            let to = hi == exponents.last! ? "at least \(Fmt.sig(hi, 3)) (the grid's last)" : Fmt.sig(hi, 3)
            return "log₁₀ α from \(from) to \(to)"
        }
        let gdWord = solvedGD.contains(-2) ? "reaches" : "does not reach"
        let adamWord = solvedAdam.contains(-2) ? "does" : "does not"
        let report = """
            At the article's α = 0.01 (log₁₀ α = −2), gradient descent \(gdWord) the least-squares loss to 1e-12 in \
            1000 steps and Adam \(adamWord). Gradient descent gets there for \(span(solvedGD)); Adam for \
            \(span(solvedAdam)).
            """
        let stable = !diverged.isEmpty && diverged.allSatisfy { $0 > limit }
            && exponents.filter { $0 > limit }.allSatisfy { diverged.contains($0) }
        let threshold = nb.claim("""
            Gradient descent diverges exactly from the first rate of the grid above 2/λmax = \
            \(Fmt.sig(2 / lambdaMax, 3)) (log₁₀ = \(Fmt.sig(limit, 3))), where λmax = \(Fmt.sig(lambdaMax, 4)) is the \
            largest eigenvalue of the MSE's Hessian, as in chapter 2.
            """, holds: stable, evidence: "diverged at \(diverged), limit \(limit)")
        nb.notice(report + " " + threshold + " How to find such a rate without a grid is the subject of "
                  + "[chapter 7](../ch07-finding-the-learning-rate/README.md).")
    }

    func exercises() {
        nb.exercise("Run the listing's Adam for 10 000 steps instead of 1000. How close does it get to least squares, "
                    + "and why? (After 1000 steps the largest gap in w or b is 1.6e-03, table 2; look at how it "
                    + "falls between 1000 and 10 000 steps, and at what √v̂ does meanwhile.)", solution: "longer") {
            // solution: longer
            let listing = Listing()
            let ls = LeastSquaresLine(x: listing.x, y: listing.y)
            let gaps = [1000, 10_000].map { steps -> Double in
                let fit = listing.fit(Adam(learningRate: 0.01), steps: steps)
                return max(abs(fit.parameters[0] - ls.slope), abs(fit.parameters[1] - ls.intercept))
            }
            return """
                largest parameter gap: \(Fmt.sci(gaps[0], 2)) after 1000 steps, \(Fmt.sci(gaps[1], 2)) after 10 000. \
                After 1000 steps Adam was still on its way — it walks at about α per step and needed hundreds of \
                steps just to cover the distance; once there, β₂'s long memory (chapter 4) keeps the larger \
                gradients of the approach in v̂, so its steps shrink with the gradient and it settles to rounding \
                error instead of rattling.
                """
            // end solution
        }
    }
}
