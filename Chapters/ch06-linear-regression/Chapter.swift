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

    func write() async throws {
        let L = Listing()
        nb.prose("""
            The article ends (§4) with a TensorFlow/Keras program: make 100 points with NumPy, fit a one-neuron \
            `Dense(1)` model with `Adam(learning_rate=0.01)` for 1000 full-batch steps of mean squared error, and print \
            the result. This chapter runs the same program in Swift, on **the same 100 points**: `Descent` reproduces \
            NumPy's legacy random stream (MT19937 and its polar-method Gaussian) bit for bit.
            """)
        nb.section("The data")
        nb.prose("""
            `np.random.seed(1)`, then `X = np.random.randn(100, 1)` and `y = 3*X + 2 + 0.5*np.random.randn(100, 1)` — the \
            second draw continues the same stream. The first five points:
            """)
        nb.table(Table(header: ["i", "x", "y"], rows: (0..<5).map { i in
            ["\(i)", Fmt.sig(L.x[i], 10), Fmt.sig(L.y[i], 10)]
        }), caption: "The first five (x, y) pairs; x₀ = 1.624345364 is NumPy's famous first Gaussian after seed(1).")

        // Fits.
        nb.section("Three fits: PyTorch's Adam, Keras' Adam, and least squares")
        nb.prose("""
            The model starts from w = 0, b = 0, not from Keras' random initialiser: Keras draws the initial weight from its \
            own Glorot-uniform stream, which no other program reproduces bit for bit, while a zero start makes every run \
            of this chapter — and any reader's — identical. Two Adams: PyTorch's defaults (ε = 1e-8 added to the \
            bias-corrected √v̂) and Keras' (ε̂ = 1e-7 added to the uncorrected √v, with the correction folded into the \
            rate — see `KerasAdam`). The exact answer is the least-squares line, in closed form.
            """)
        let torch = L.fit(Adam(learningRate: 0.01))
        let keras = L.fit(KerasAdam(learningRate: 0.01))
        let ls = LeastSquaresLine(x: L.x, y: L.y)
        let lsp = [ls.slope, ls.intercept]
        func row(_ name: String, _ p: [Double], _ mse: Double) -> [String] {
            [name, Fmt.sig(p[0], 10), Fmt.sig(p[1], 10), Fmt.sig(mse, 10),
             Fmt.sci(p[0] - ls.slope, 3), Fmt.sci(p[1] - ls.intercept, 3), Fmt.sci(mse - ls.meanSquaredError, 3)]
        }
        nb.table(Table(header: ["fit", "w", "b", "MSE", "w − w_LS", "b − b_LS", "MSE − MSE_LS"], rows: [
            row("Adam, PyTorch defaults", torch.parameters, torch.losses.last!),
            row("Adam, Keras defaults", keras.parameters, keras.losses.last!),
            row("least squares (closed form)", lsp, ls.meanSquaredError),
        ], rightAligned: [false, true, true, true, true, true, true]), caption: "After 1000 full-batch steps at α = 0.01, to 10 significant digits; the true line is y = 3x + 2.")
        let gap = abs(torch.parameters[0] - ls.slope)
        nb.notice("""
            After 1000 steps both Adams are within \(Fmt.sci(max(gap, abs(torch.parameters[1] - ls.intercept)), 1)) of the \
            least-squares line — not on it. The two Adam variants differ from each other only by \
            \(Fmt.sci(abs(torch.parameters[0] - keras.parameters[0]), 1)) in w: ε enters where √v is tiny, which it never is \
            here. Least squares, not the data's recipe, is the target: the fitted line (w = \(Fmt.sig(ls.slope, 6)), \
            b = \(Fmt.sig(ls.intercept, 6))) differs from the true (3, 2) because of the noise in 100 points.
            """)

        // The listing's bug.
        nb.section("The listing's bug")
        let predictions = L.model.predict(torch.parameters, L.data.inputs).elements
        nb.prose("""
            The listing ends with `print("Loss:", model(X))`. But `model(X)` is the model's *predictions* for the 100 \
            inputs, not the loss: what it prints is a 100 × 1 tensor of ŷ values, labelled "Loss". The corrected line is \
            `print("Loss:", tf.reduce_mean(tf.square(model(X) - y)).numpy())`, or the loss Keras' `fit` already returns.
            """)
        nb.table(Table(header: ["the listing prints", "what it is", "corrected"], rows: [
            ["Loss: [[\(Fmt.sig(predictions[0], 7))], [\(Fmt.sig(predictions[1], 7))], [\(Fmt.sig(predictions[2], 7))], … (100 rows)]",
             "ŷ = w·x + b for each input", "Loss: \(Fmt.sig(L.loss(torch.parameters), 7))"],
        ], rightAligned: [false, false, false]), caption: "What the article's last line shows, and what it meant to show (PyTorch-default fit).")

        // Figures.
        nb.section("Pictures of the fit")
        let xs = L.x.sorted()
        let line = { (p: [Double]) in xs.map { p[0] * $0 + p[1] } }
        try await nb.figure(Figure(name: "fit", title: "The article's data, the fitted line and the true line", xLabel: "x", yLabel: "y",
                                   key: .topLeft, series: [
            Series(title: "data (NumPy seed 1)", style: .points, x: L.x, y: L.y, color: 7),
            Series(title: "Adam after 1000 steps", x: xs, y: line(torch.parameters), color: 0),
            Series(title: "true line y = 3x + 2", x: xs, y: xs.map { 3 * $0 + 2 }, color: 1, dashed: true),
        ]), caption: "The least-squares line would be indistinguishable from Adam's at this scale.")
        let gd = L.fit(SGD(learningRate: 0.01))
        try await nb.figure(Figure(name: "loss", title: "Training loss, full batch, α = 0.01", xLabel: "step", yLabel: "MSE − MSE_LS", yScale: .log,
                                   key: .topRight, series: [
            Series(title: "Adam (PyTorch)", x: torch.losses.indices.map(Double.init), y: torch.losses.map { $0 - ls.meanSquaredError }, color: 0),
            Series(title: "Adam (Keras)", x: keras.losses.indices.map(Double.init), y: keras.losses.map { $0 - ls.meanSquaredError }, color: 2, dashed: true),
            Series(title: "gradient descent", x: gd.losses.indices.map(Double.init), y: gd.losses.map { $0 - ls.meanSquaredError }, color: 1),
        ]), caption: "The excess over the least-squares optimum, on a log scale.")
        let contour = Contour(xRange: -0.5...4, yRange: -0.5...3, resolution: nb.quick ? 41 : 81) { w, b in L.loss([w, b]) }
        let reach = torch.path.firstIndex { $0[0] > 0.95 * ls.slope } ?? torch.path.count
        let gdReach = gd.path.firstIndex { $0[0] > 0.95 * ls.slope } ?? gd.path.count
        try await nb.figure(Figure(name: "path", title: "The (w, b) path on the MSE contours, α = 0.01", xLabel: "w", yLabel: "b",
                                   xRange: -0.5...4, yRange: -0.5...3, key: .bottomRight, series: [
            Series(title: "Adam", style: .linesPoints, x: torch.path.enumerated().filter { $0.offset % 10 == 0 }.map { $0.element[0] },
                   y: torch.path.enumerated().filter { $0.offset % 10 == 0 }.map { $0.element[1] }, color: 0),
            Series(title: "gradient descent", style: .linesPoints, x: gd.path.enumerated().filter { $0.offset % 10 == 0 }.map { $0.element[0] },
                   y: gd.path.enumerated().filter { $0.offset % 10 == 0 }.map { $0.element[1] }, color: 1),
            Series(title: "least squares", style: .points, x: [ls.slope], y: [ls.intercept], color: 6),
        ], contour: contour), caption: "Every 10th step is marked. Adam moves each coordinate by about α per step at first.")
        nb.notice("""
            Adam's early steps have size ≈ α = 0.01 in *each* coordinate regardless of the gradient's size, so it walks \
            towards w ≈ 3 at about 0.01 per step: it needs \(reach) steps to reach 95 % of the least-squares slope. Plain \
            gradient descent at the same α takes steps proportional to the gradient — large while far away — and gets \
            there in \(gdReach). Adam's normalisation is what you want when gradient scales differ wildly across \
            parameters (chapter 3); on a well-scaled two-parameter problem it mostly slows the start.
            """)

        // Bridge to chapter 7.
        let exponents = stride(from: -4.0, through: 0.5, by: 0.25).map { $0 }
        let rates = exponents.map { Double.pow(10, $0) }
        let adamFinal = rates.map { L.fit(Adam(learningRate: $0)).losses.last! - ls.meanSquaredError }
        let gdFinal = rates.map { a -> Double in let r = L.fit(SGD(learningRate: a)).losses.last!; return r.isFinite ? r - ls.meanSquaredError : .nan }
        // The MSE's Hessian in (w, b) is 2·[[mean x², mean x], [mean x, 1]]; its largest eigenvalue
        // sets gradient descent's stability limit 2/λmax (chapter 2).
        let n = Double(L.x.count)
        let sxx = L.x.reduce(0) { $0 + $1 * $1 } / n, sx = L.x.reduce(0, +) / n
        let tr = 2 * (sxx + 1), det = 4 * (sxx - sx * sx)
        let lambdaMax = tr / 2 + (tr * tr / 4 - det).squareRoot()
        try await nb.figure(Figure(name: "final-loss-vs-rate", title: "MSE − MSE_LS after 1000 steps vs learning rate", xLabel: "log₁₀ α",
                                   yLabel: "excess loss", yScale: .log, key: .bottomLeft, series: [
            Series(title: "Adam", style: .linesPoints, x: exponents, y: adamFinal.map { max($0, 1e-30) }, color: 0),
            Series(title: "gradient descent", style: .linesPoints, x: exponents, y: gdFinal.map { $0.isFinite && $0 < 1e6 ? max($0, 1e-30) : .nan }, color: 1),
        ], markers: [Marker(x: Double.log10(2 / lambdaMax), label: "2/λmax for gradient descent")]), caption: "Excess over the least-squares loss (floored at 1e-30 for the log scale; below about 1e-16 it is rounding); missing points diverged.")
        let solvedGD = zip(exponents, gdFinal).filter { $0.1.isFinite && $0.1 < 1e-12 }.map(\.0)
        let solvedAdam = zip(exponents, adamFinal).filter { $0.1 < 1e-12 }.map(\.0)
        let firstDiverged = zip(exponents, gdFinal).first { !$0.1.isFinite || $0.1 > 1e6 }?.0
        func span(_ v: [Double]) -> String { v.isEmpty ? "no rate of the grid" : "log₁₀ α from \(Fmt.sig(v.first!, 3)) to \(Fmt.sig(v.last!, 3))" }
        nb.notice("""
            At the article's α = 0.01 (log₁₀ α = −2), gradient descent \(solvedGD.contains(-2) ? "reaches" : "does not reach") the \
            least-squares loss to 1e-12 in 1000 steps and Adam \(solvedAdam.contains(-2) ? "does" : "does not"). Gradient \
            descent gets there for \(span(solvedGD)), and \(firstDiverged.map { "diverges from log₁₀ α = \(Fmt.sig($0, 3))" } ?? "does not diverge on this grid") — \
            just past 2/λmax = \(Fmt.sig(2 / lambdaMax, 3)) (log₁₀ = \(Fmt.sig(Double.log10(2 / lambdaMax), 3))), where λmax = \
            \(Fmt.sig(lambdaMax, 4)) is the largest eigenvalue of the MSE's Hessian, as in chapter 2. Adam gets there for \(span(solvedAdam)). \
            How to find such a rate without a grid is the subject of [chapter 7](../ch07-finding-the-learning-rate/README.md).
            """)

        nb.exercise("Run the listing's Adam for 10 000 steps instead of 1000. How close does it get to least squares?", solution: "longer") {
            // solution: longer
            let listing = Listing()
            let fit = listing.fit(Adam(learningRate: 0.01), steps: 10_000)
            let ls = LeastSquaresLine(x: listing.x, y: listing.y)
            return "w − w_LS = \(Fmt.sci(fit.parameters[0] - ls.slope, 2)), b − b_LS = \(Fmt.sci(fit.parameters[1] - ls.intercept, 2))"
            // end solution
        }
    }
}
