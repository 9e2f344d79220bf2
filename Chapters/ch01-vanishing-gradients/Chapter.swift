// Chapter 1 — vanishing and exploding gradients, measured (article §2.1, FAQ Q1, Q2, Q5).
import ArgumentParser
import Descent
import Figures
import Notebook
import RealModule

@main
struct VanishingGradients: ChapterCommand {
    static let slug = "ch01-vanishing-gradients"

    @OptionGroup var options: ChapterOptions

    @Option(help: "Learning rate of the training runs (plain SGD).")
    var lr: Double = 0.1

    func validate() throws {
        guard lr > 0 && lr.isFinite else { throw ValidationError("--lr must be a finite number > 0") }
    }

    func body(_ nb: Notebook) async throws {
        try await Chapter1(nb: nb, learningRate: lr).write()
    }
}

struct Chapter1 {
    let nb: Notebook
    let learningRate: Double
    var steps: Int { nb.quick ? 150 : 1500 }

    func write() async throws {
        let setup = VanishingSetup(seed: nb.seed)
        let depth = VanishingSetup.hidden.count
        nb.prose("""
            The article says that in deep networks "gradients shrink or blow up as they pass back through \
            many non-linear layers", and leaves it there. This chapter measures it, in the spirit of \
            Glorot & Bengio (AISTATS 2010) and He et al. (ICCV 2015), on a network small enough for a \
            laptop: **\(depth) hidden layers of 64 units** on the two-class spirals (\(setup.data.count) points), \
            binary cross-entropy on one logit.
            """)
        nb.section("Why gradients vanish or explode")
        nb.prose("""
            Back-propagation multiplies, layer after layer, by the weights and by the activation's slope: \
            $\\delta_{i-1} = (\\delta_i W_i^\\top) \\odot \\varphi'(z_{i-1})$. The sigmoid's slope is at most 1/4, \
            so ten layers can shrink a gradient by up to $4^{10} \\approx 10^6$ unless the weights make up for it. \
            Weights drawn too large do the opposite. Glorot & Bengio chose the variance 2/(fan_in + fan_out) \
            to keep the signal's scale constant in both directions; He et al. doubled it to 2/fan_in for ReLU, \
            which zeroes half its inputs.
            """)
        nb.equation(#"\|\nabla_{W_1} L\| \;\approx\; \|\nabla_{W_{10}} L\| \prod_{i=2}^{10} \|W_i\|\,\overline{\varphi'(z_{i-1})}"#,
                    plain: "‖∂L/∂W₁‖ ≈ ‖∂L/∂W₁₀‖ · Π ‖Wᵢ‖ · mean φ′(zᵢ₋₁)")

        // 1. Norms at initialisation.
        let initial = nb.step("Gradients at initialisation", total: 12) { p in
            VanishingSetup.activations.flatMap { a in
                VanishingSetup.initializers.map { i -> InitialNorms in
                    defer { p.advance() }
                    return setup.initialNorms(a, i.name, i.initializer)
                }
            }
        }
        nb.section("Gradient norms at initialisation")
        nb.prose("""
            One full-batch backward pass per configuration: three activations × four ways to draw the weights \
            (biases start at 0): "standard" U(±1/√fan_in) — the default Glorot & Bengio criticised, and PyTorch's \
            `Linear` default —, N(0, 1), Xavier/Glorot uniform, and He uniform.
            """)
        nb.table(Table(header: ["activation", "init", "‖g₁‖", "‖g₁₀‖", "‖g₁₀‖ / ‖g₁‖", "max/min over layers", "largest ‖gᵢ‖"],
                       rows: initial.map { r in
                           [r.activation.rawValue, r.initName, Fmt.sci(r.firstHidden, 2), Fmt.sci(r.lastHidden, 2),
                            Fmt.sci(r.lastOverFirst, 2), Fmt.sci(r.spread, 2), Fmt.sci(r.largest, 2)]
                       }, rightAligned: [false, false, true, true, true, true, true]),
                 caption: "Weight-gradient norms ‖gᵢ‖ = ‖∂L/∂Wᵢ‖ at initialisation; layer 1 is next to the input, layer 10 the last hidden layer.")
        let sigStd = initial.first { $0.activation == .sigmoid && $0.initName == "standard" }!
        let tanhX = initial.first { $0.activation == .tanh && $0.initName == "Xavier" }!
        let reluHe = initial.first { $0.activation == .relu && $0.initName == "He" }!
        let reluN = initial.first { $0.activation == .relu && $0.initName == "N(0, 1)" }!
        let layers = (1...(depth + 1)).map(Double.init)
        let panels = VanishingSetup.activations.map { a in
            Plot(title: a.rawValue, xLabel: "layer (1 = input side, 11 = output)", yLabel: "‖∂L/∂Wᵢ‖", yScale: .log,
                 xRange: 0.5...11.5, key: .below,
                 series: initial.filter { $0.activation == a }.enumerated().map { k, r in
                     Series(title: r.initName, style: .linesPoints, x: layers, y: r.norms, color: k)
                 })
        }
        try await nb.figure(Figure(name: "norms-at-init", title: "Per-layer gradient norms at initialisation (10 × 64 MLP, spirals)",
                                   plots: panels, columns: 3),
                            caption: "Each line is one initialisation; a flat line means every layer learns at the same speed.")
        nb.notice("""
            Sigmoid with the standard initialisation: the first layer's gradient is \(Fmt.sci(sigStd.lastOverFirst, 2)) times \
            smaller than the last hidden layer's — the first layers barely move. tanh with Xavier keeps every hidden layer \
            within a factor \(Fmt.sig(tanhX.spread, 2)) of every other, and ReLU with He within \(Fmt.sig(reluHe.spread, 2)). \
            ReLU with N(0, 1) weights explodes: its largest norm is \(Fmt.sci(reluN.largest, 2)).
            """)

        // 2. Histograms of back-propagated gradients (Glorot & Bengio, Figure 7).
        let histLayers = [0, 4, 9]
        func histogramPlot(_ r: InitialNorms, title: String) -> Plot {
            let edges = stride(from: -14.0, through: 0.0, by: 0.5).map { $0 }
            let series = histLayers.enumerated().map { k, layer -> Series in
                var counts = [Double](repeating: 0, count: edges.count - 1)
                let values = r.deltas[layer].map { abs($0) }.filter { $0 > 0 }
                for v in values {
                    let l = _log10(v)
                    if let bin = edges.indices.dropLast().first(where: { l >= edges[$0] && l < edges[$0 + 1] }) { counts[bin] += 1 }
                }
                let total = Double(max(1, values.count))
                return Series(title: "layer \(layer + 1)", style: .steps, x: Array(edges.dropLast()), y: counts.map { $0 / total }, color: k)
            }
            return Plot(title: title, xLabel: "log₁₀ |∂L/∂zᵢ|", yLabel: "fraction of units × examples", key: .topLeft, series: series)
        }
        try await nb.figure(Figure(name: "backprop-histograms", title: "Back-propagated gradients at initialisation (after Glorot and Bengio, Fig. 7)",
                                   plots: [histogramPlot(sigStd, title: "sigmoid, standard init"), histogramPlot(tanhX, title: "tanh, Xavier init")]),
                            caption: "Distribution of the pre-activation gradients δᵢ over all units and examples, for three layers.")
        nb.notice("With sigmoid the histograms march left layer by layer — each is about an order of magnitude below the one above it. With tanh and Xavier they sit on top of each other.")

        // 3. Training.
        let configs = VanishingSetup.activations.flatMap { a in VanishingSetup.initializers.map { (a, $0.name, $0.initializer) } }
        let runs = nb.step("Training 12 configurations", total: configs.count) { p in
            configs.map { a, name, i -> (Activation, String, TrainingResult) in
                defer { p.advance() }
                return (a, name, setup.train(a, i, learningRate: learningRate, steps: steps))
            }
        }
        nb.section("During training")
        nb.prose("""
            The same twelve networks, trained with plain mini-batch SGD (batch 64) at one learning rate, α = \(Fmt.sig(learningRate)), \
            for \(steps) steps. Plain SGD is deliberate: adaptive methods (chapters 3–5) rescale each parameter's step and \
            would hide the effect.
            """)
        let lossPanels = VanishingSetup.activations.map { a in
            Plot(title: a.rawValue, xLabel: "step", yLabel: "training loss (25-step mean)", yRange: 0...1.2, key: .topRight,
                 series: runs.filter { $0.0 == a }.enumerated().map { k, r in
                     let l = Measure.movingAverage(r.2.losses, window: 25)
                     return Series(title: r.1 + (r.2.divergence.map { " (diverged at \($0.step))" } ?? ""),
                                   x: l.indices.map(Double.init), y: l, color: k)
                 })
        }
        try await nb.figure(Figure(name: "training-loss", title: "Training loss, plain SGD at α = \(Fmt.sig(learningRate))",
                                   plots: lossPanels, columns: 3),
                            caption: "Binary cross-entropy; log 2 ≈ 0.693 is the loss of a network that has learnt nothing.")
        var rows: [[String]] = []
        for (a, name, r) in runs {
            let tail = r.losses.suffix(50)
            rows.append([a.rawValue, name,
                         r.divergence.map { "diverged at step \($0.step)" } ?? Fmt.fixed(tail.reduce(0, +) / Double(tail.count), 3),
                         Fmt.sci(r.layerNorms.first.map { $0[depth - 1] / $0[0] } ?? .nan, 2)])
        }
        nb.table(Table(header: ["activation", "init", "loss, last 50 steps", "‖g₁₀‖/‖g₁‖ at step 0"], rows: rows,
                       rightAligned: [false, false, true, true]),
                 caption: "Where each configuration ends up.")
        let plateau = runs.first { $0.0 == .sigmoid && $0.1 == "standard" }!.2
        let good = runs.first { $0.0 == .tanh && $0.1 == "Xavier" }!.2
        func tail(_ r: TrainingResult) -> Double { r.divergence == nil ? r.losses.suffix(50).reduce(0, +) / 50 : .nan }
        let stuck = runs.filter { abs(tail($0.2) - 0.6931) < 0.01 }.map { "\($0.0.rawValue) + \($0.1)" }
        let learnt = runs.filter { tail($0.2) < 0.5 }.map { "\($0.0.rawValue) + \($0.1) (\(Fmt.fixed(tail($0.2), 2)))" }
        let vanishing = initial.filter { $0.lastOverFirst >= 1e4 }.map { "\($0.activation.rawValue) + \($0.initName)" }
        let vanishingStuck = vanishing.allSatisfy { stuck.contains($0) }
        let tiny = initial.filter { $0.largest < 1e-4 }.map { "\($0.activation.rawValue) + \($0.initName)" }
        nb.notice("""
            Stuck on the plateau at log 2 ≈ 0.693 after \(steps) steps — the output layer has learnt the class balance and \
            nothing useful reaches the early layers: \(stuck.joined(separator: ", ")). Below 0.5: \(learnt.joined(separator: ", ")). \
            The networks whose first-layer gradient started 10⁴ or more times below the last hidden layer's \
            (\(vanishing.joined(separator: ", "))) \(vanishingStuck ? "all stayed on the plateau" : "did not all stay on the plateau"); \
            \(tiny.isEmpty ? "" : "so did those whose gradients were tiny everywhere (\(tiny.joined(separator: ", ")): largest norm under 1e-4). ")\
            tanh + Xavier, at \(Fmt.fixed(tail(good), 2)), is slow rather than stuck: its gradients are balanced but small at this rate.
            """)

        // Heat maps: layer × step.
        func heat(_ r: TrainingResult, _ title: String) -> Plot {
            let stride = max(1, r.layerNorms.count / 150)
            let picked = Swift.stride(from: 0, to: r.layerNorms.count, by: stride).map { $0 }
            let values = (0...depth).map { layer in picked.map { r.layerNorms[$0][layer] } }
            return Plot(title: title, xLabel: "step", yLabel: "layer", heatmap: Heatmap(
                xs: picked.map(Double.init), ys: (1...(depth + 1)).map(Double.init), values: values,
                colorLabel: "‖∂L/∂Wᵢ‖", logScale: true))
        }
        try await nb.figure(Figure(name: "norms-heatmap", title: "Per-layer gradient norms during training",
                                   plots: [heat(plateau, "sigmoid, standard init"), heat(good, "tanh, Xavier init")], columns: 2),
                            caption: "Colour is log₁₀ of the weight-gradient norm of each layer (rows) at each step (columns).")
        nb.notice("The sigmoid network keeps a dark band at the bottom — the first layers — for the whole run: the gradient that reaches them stays orders of magnitude smaller. The tanh network's colours are uniform across layers from the start.")

        // 4. Exploding gradients and clipping.
        nb.section("Exploding gradients, and clipping")
        let explodeRate = 0.5
        let (unclipped, clipped) = nb.step("Exploding network, with and without clipping", total: 2) { p in
            let u = setup.train(.relu, .normal(standardDeviation: 1), learningRate: explodeRate, steps: steps)
            p.advance()
            let c = setup.train(.relu, .normal(standardDeviation: 1), learningRate: explodeRate, steps: steps, clipping: .globalNorm(1))
            p.advance()
            return (u, c)
        }
        nb.prose("""
            ReLU with N(0, 1) weights multiplies the signal's variance by about fan_in/2 = 32 per layer, so the logit starts \
            in the millions and so does the loss (\(Fmt.sci(unclipped.losses.first ?? .nan, 2))). Its first gradient has norm \
            \(Fmt.sci(unclipped.gradientNorms.first ?? .nan, 2)): at α = \(Fmt.sig(explodeRate)) plain SGD takes a step of that \
            size and the run \(unclipped.divergence.map { "diverges at step \($0.step) (loss \(Fmt.sci($0.loss, 2)))" } ?? "does not diverge within \(steps) steps"). \
            Clipping the gradient's global norm to 1 (Pascanu, Mikolov and Bengio, ICML 2013) keeps the direction but caps \
            every step at length α: the same network, at the same rate, \
            \(clipped.divergence == nil ? "trains: its loss over the last 50 steps is \(Fmt.fixed(clipped.losses.suffix(50).reduce(0, +) / 50, 3))" : "still diverges").
            """)
        try await nb.figure(Figure(name: "clipping", title: "ReLU + N(0, 1) at α = \(Fmt.sig(explodeRate)): without and with clipping", plots: [
            Plot(title: "training loss", xLabel: "step", yLabel: "loss", yScale: .log, series: [
                Series(title: "no clipping" + (unclipped.divergence.map { " (diverged at \($0.step))" } ?? ""),
                       x: unclipped.losses.indices.map(Double.init), y: unclipped.losses, color: 1),
                Series(title: "clip ‖g‖ ≤ 1", x: clipped.losses.indices.map(Double.init), y: clipped.losses, color: 0),
            ]),
            Plot(title: "gradient norm before clipping", xLabel: "step", yLabel: "‖g‖", yScale: .log, series: [
                Series(title: "no clipping", x: unclipped.gradientNorms.indices.map(Double.init), y: unclipped.gradientNorms, color: 1),
                Series(title: "clip ‖g‖ ≤ 1", x: clipped.gradientNorms.indices.map(Double.init), y: clipped.gradientNorms, color: 0),
                Series(title: "clip threshold ‖g‖ = 1", x: [0, Double(steps)], y: [1, 1], color: 7, dashed: true),
            ]),
        ], columns: 2), caption: "Left: loss (log scale). Right: the global gradient norm the optimizer was handed, before clipping.")
        let below = clipped.gradientNorms.firstIndex { $0 < 1 }
        nb.notice("""
            Clipping does not fix the initialisation: for \(below.map { "the first \($0)" } ?? "all \(steps)") steps the raw \
            gradient is far above the threshold and every update has length exactly α — a constant-speed walk out of the bad \
            region. It turns a crash into a run that learns.
            """)

        nb.callout("Remedies (article FAQ Q5), and where this book shows them", """
            - **Initialisation** matched to the activation: Xavier/Glorot for tanh and sigmoid, He for ReLU — this chapter, tables 1–2.
            - **Non-saturating activations**: ReLU's slope is 1 where it is active, so it does not shrink gradients — this chapter.
            - **Gradient clipping** against explosions — this chapter, figure 5.
            - **Adaptive learning rates** give each parameter its own step size, so small gradients still move their weights: \
            AdaGrad ([chapter 3](../ch03-adagrad/README.md)), RMSprop ([chapter 4](../ch04-rmsprop/README.md)), \
            Adam ([chapter 5](../ch05-adam/README.md)).
            - Not measured here: batch normalisation (Ioffe & Szegedy 2015) and residual connections (He et al. 2016).
            """)

        nb.exercise("Keep the sigmoid but draw the weights with Xavier's rule. By how much does the first layer's gradient now trail the last hidden layer's?",
                    solution: "sigmoid-xavier") {
            // solution: sigmoid-xavier
            let setup = VanishingSetup(seed: 42)
            let r = setup.initialNorms(.sigmoid, "Xavier", .xavierUniform)
            return "‖g₁₀‖/‖g₁‖ = \(Fmt.sci(r.lastOverFirst, 2)) (standard init: \(Fmt.sci(setup.initialNorms(.sigmoid, "standard", .standard).lastOverFirst, 2)))"
            // end solution
        }
        nb.exercise("How deep can a ReLU network with He initialisation go before its first-layer gradient is 10× off the last hidden layer's? Try 20 and 40 layers.",
                    solution: "relu-depth") {
            // solution: relu-depth
            var rng = SeededGenerator(seed: 42)
            let data = Datasets.spirals(count: 256, rng: &rng)
            var lines: [String] = []
            for depth in [10, 20, 40] {
                let net = MLP(inputs: 2, hidden: Array(repeating: 64, count: depth), outputs: 1, activation: .relu)
                let theta = net.initialParameters(.heUniform, using: &rng)
                let g = net.lossAndGradient(theta, input: data.inputs, target: data.targets, loss: .binaryCrossEntropyWithLogits).gradient
                let n = net.layerGradientNorms(g)
                lines.append("depth \(depth): ‖g_last hidden‖/‖g₁‖ = \(Fmt.sig(n[depth - 1] / n[0], 3))")
            }
            return lines.joined(separator: "\n")
            // end solution
        }
    }
}

func _log10(_ x: Double) -> Double { Double.log10(x) }
