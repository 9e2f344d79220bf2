// Chapter 8 — Fixing vanishing gradients (article §5, FAQ Q5; Glorot & Bengio 2010; He et al. 2016;
// Ioffe & Szegedy 2015; Pascanu et al. 2013; Kingma & Ba 2015).
import ArgumentParser
import Descent
import Figures
import Notebook
import RealModule

@main
struct FixingVanishingGradientsChapter: ChapterCommand {
    static let slug = "ch08-fixing-vanishing-gradients"
    @OptionGroup var options: ChapterOptions

    func body(_ nb: Notebook) async throws {
        try await Chapter8(nb: nb).write()
    }
}

struct Chapter8 {
    let nb: Notebook
    typealias C = DeepDigits.Config

    static let configs: [C] = [
        C(name: "sigmoid, PyTorch default init", activation: .sigmoid, initializer: .standard),
        C(name: "sigmoid, Xavier init", activation: .sigmoid, initializer: .xavierUniform),
        C(name: "sigmoid + residual", activation: .sigmoid, initializer: .standard, residual: true),
        C(name: "sigmoid + batch norm", activation: .sigmoid, initializer: .standard, batchNorm: true),
        C(name: "sigmoid + clipping (‖g‖ ≤ 1)", activation: .sigmoid, initializer: .standard, clipping: .globalNorm(1)),
        C(name: "sigmoid + Adam", activation: .sigmoid, initializer: .standard, adam: true),
        C(name: "sigmoid, all fixes", activation: .sigmoid, initializer: .xavierUniform, residual: true,
          batchNorm: true,
          clipping: .globalNorm(1), adam: true),
        C(name: "tanh, PyTorch default init", activation: .tanh, initializer: .standard),
        C(name: "tanh, Xavier init", activation: .tanh, initializer: .xavierUniform),
        C(name: "ReLU, PyTorch default init", activation: .relu, initializer: .standard),
        C(name: "ReLU, He init", activation: .relu, initializer: .heUniform),
    ]

    func write() async throws {
        let lab = DeepDigits(seed: nb.seed)
        nb.prose("""
            Chapter 1 measured vanishing and exploding gradients; the article (§5 and FAQ Q5) names remedies it \
            never shows. This chapter tries them one at a time and together on real data: the 8×8 handwritten \
            digits (1,797 images, 10 classes, UCI via scikit-learn; \(lab.data.training.count) for training, \
            \(lab.data.validation!.count) held out), with a deep network — \(DeepDigits.depth) hidden layers of \
            \(DeepDigits.width) units, softmax cross-entropy, mini-batches of \(DeepDigits.batchSize). Gradients are \
            measured per parameter: the RMS √(mean (∂ℓ/∂W)²) of each layer's weight gradient, which does not \
            depend on the layer's shape (chapter 1's first layer has a different shape from the others).
            """)
        try await atInitialisation(lab)
        try await glorotBengio(lab)
        try await training(lab)
        exercises(lab)
    }

    // MARK: At initialisation

    func atInitialisation(_ lab: DeepDigits) async throws {
        nb.section("Gradients at initialisation")
        let shown = [0, 1, 2, 3, 7, 8, 9, 10]  // the optimizer (Adam) and clipping do not act at step 0
        let results = shown.map { i in (Self.configs[i], lab.atInitialisation(Self.configs[i], seed: nb.seed).rms) }
        let layers = (1...(DeepDigits.depth + 1)).map(Double.init)
        try await nb.figure(Figure(name: "rms-at-init",
                                   title: "Per-layer gradient RMS at initialisation, 10 × 32 network on digits",
                                   xLabel: "layer (1 = input side, 11 = output)", yLabel: "RMS of ∂ℓ/∂W",
                                   yScale: .log, key: .outside, series: results.enumerated().map { k, r in
            Series(title: r.0.name, style: .linesPoints, x: layers, y: r.1, color: k)
        }), caption: "One batch of 256 training images, training mode. A falling line to the left is a vanishing "
                + "gradient.")
        func ratio(_ r: [Double]) -> Double { r[0] / r[DeepDigits.depth - 1] }
        nb.table(Table(header: ["configuration", "RMS, layer 1", "RMS, layer 10", "layer 1 ÷ layer 10"],
                       rows: results.map { r in
            [r.0.name, Fmt.sci(r.1[0], 2), Fmt.sci(r.1[DeepDigits.depth - 1], 2), Fmt.sci(ratio(r.1), 2)]
        }), caption: "Gradient RMS of the first and last hidden layers at initialisation.")
        let base = ratio(results[0].1), xavier = ratio(results[1].1)
        let res = ratio(results[2].1), bn = ratio(results[3].1)
        print("init ratios: base \(Fmt.sci(base, 2)), xavier \(Fmt.sci(xavier, 2)), "
                + "residual \(Fmt.sci(res, 2)), bn \(Fmt.sci(bn, 2))")
        nb.notice(nb.claim("""
            With sigmoid and PyTorch's default initialisation the first layer's gradient is \(Fmt.sci(base, 1)) of \
            the tenth's: σ′ ≤ 1/4 and weights of variance 1/(3·fan-in) shrink it at every layer. Xavier's \
            initialisation alone leaves it at \(Fmt.sci(xavier, 1)) — still vanishing, because it was derived for \
            tanh's slope 1 at 0, not sigmoid's 1/4. The residual skip (\(Fmt.sci(res, 1))) and batch norm \
            (\(Fmt.sci(bn, 1))) each bring the ratio at least 100× closer to 1.
            """, holds: base < 1e-3 && xavier < 0.1 && res > 100 * base && bn > 100 * base,
            evidence: "base \(base), xavier \(xavier), residual \(res), bn \(bn)"))
    }

    // MARK: Glorot & Bengio's histograms

    func glorotBengio(_ lab: DeepDigits) async throws {
        nb.section("Glorot & Bengio's histograms, in small")
        nb.prose("""
            Glorot & Bengio (AISTATS 2010, their Figs. 6–7) plotted, layer by layer, the histograms of a tanh \
            network's activations and back-propagated gradients, with the standard initialisation U(±1/√fan-in) and \
            with their normalised one U(±√6/√(fan-in + fan-out)). Here the same for the 10-layer tanh network at \
            initialisation, 256 training images, layers 1, 3, 5, 7 and 9:
            """)
        let picks = [0, 2, 4, 6, 8]
        var plots: [Plot] = []
        var spreads: [(String, [Double], [Double])] = []
        for c in [Self.configs[7], Self.configs[8]] {
            let ws = lab.atInitialisation(c, seed: nb.seed).workspace
            let acts = picks.map { ws.activation(layer: $0).elements }
            let grads = picks.map { ws.preActivationGradient(layer: $0).elements }
            func sd(_ v: [Double]) -> Double { Measure.meanAndStandardDeviation(v).standardDeviation }
            spreads.append((c.name, acts.map(sd), grads.map(sd)))
            let initName = c.initializer == .standard ? "standard" : "normalised (Xavier)"
            plots.append(Plot(title: "activations, \(initName) init",
                              xLabel: "activation value", yLabel: "density", xRange: -1...1, key: .below,
                              series: picks.enumerated().map { k, layer in
                let h = density(acts[k], range: -1...1, bins: 40)
                return Series(title: "layer \(layer + 1)", x: h.x, y: h.y, color: k)
            }))
        }
        // Gradients span decades: histograms of log₁₀|∂ℓ/∂Z|, on one range for both initialisations.
        let logs = [Self.configs[7], Self.configs[8]].map { c -> [[Double]] in
            let ws = lab.atInitialisation(c, seed: nb.seed).workspace
            return picks.map { layer in
                ws.preActivationGradient(layer: layer).elements.filter { $0 != 0 }.map { Double.log10(abs($0)) }
            }
        }
        let all = logs.flatMap { $0.flatMap { $0 } }
        let lo = (all.min() ?? -12).rounded(.down), hi = (all.max() ?? 0).rounded(.up)
        for (idx, perLayer) in logs.enumerated() {
            plots.append(Plot(title: "log₁₀|∂ℓ/∂Z|, \(idx == 0 ? "standard" : "normalised") init",
                              xLabel: "log₁₀ |back-propagated gradient|", yLabel: "density", xRange: lo...hi,
                              key: .topLeft,
                              series: picks.enumerated().map { k, layer in
                let h = density(perLayer[k], range: lo...hi, bins: 60)
                return Series(title: "layer \(layer + 1)", x: h.x, y: h.y, color: k)
            }))
        }
        try await nb.figure(Figure(name: "glorot-bengio",
                                   title: "tanh, 10 × 32, at initialisation: activations and gradients by layer",
                                   plots: [plots[0], plots[1], plots[2], plots[3]], columns: 2),
                            caption: "Top: histograms of activations; bottom: of log₁₀|∂ℓ/∂Z|. Left: standard init; "
                                    + "right: normalised.")
        nb.table(Table(header: ["init", "activation SD, layers 1 / 5 / 9", "gradient SD, layers 1 / 5 / 9"],
                       rows: spreads.map { s in
            [s.0, [0, 2, 4].map { Fmt.sig(s.1[$0], 2) }.joined(separator: " / "),
             [0, 2, 4].map { Fmt.sci(s.2[$0], 1) }.joined(separator: " / ")]
        }), caption: "Standard deviations of the histograms above.")
        let (std, xav) = (spreads[0], spreads[1])
        nb.notice(nb.claim("""
            As in Glorot & Bengio's Fig. 6, with the standard initialisation the activations shrink towards 0 layer \
            after layer (SD \(Fmt.sig(std.1[0], 2)) in layer 1, \(Fmt.sig(std.1[4], 2)) in layer 9), while the \
            normalised initialisation keeps them wider (\(Fmt.sig(xav.1[4], 2)) in layer 9).
            """, holds: std.1[4] < 0.5 * std.1[0] && xav.1[4] > 1.5 * std.1[4],
            evidence: "standard \(std.1), normalised \(xav.1)"))
    }

    // MARK: Training

    func training(_ lab: DeepDigits) async throws {
        nb.section("The fixes, one at a time and together")
        let steps = nb.quick ? 300 : 600
        let seeds = nb.quick ? [nb.seed] : [nb.seed, nb.seed &+ 1000]
        // The accuracy a fix must reach: 0.8 after 600 steps; a quick run (300 steps) asks for 0.5.
        let bar = nb.quick ? 0.5 : 0.8
        nb.prose("""
            Each configuration trains for \(steps) steps (SGD with α = 0.1, except the Adam rows: α = 0.001), from \
            \(seeds.count == 1 ? "1 initial draw" : "\(seeds.count) initial draws") (seed \
            \(seeds.map(String.init).joined(separator: " and "))); the table gives the held-out accuracy (evaluation \
            mode for batch norm) and the first hidden layer's gradient RMS relative to the tenth's, at step 0 and \
            averaged over the last 50 steps.
            """)
        var rows: [[String]] = []
        var accuracy: [String: Double] = [:]
        var curves: [(String, [Double])] = []
        let runs = nb.step("training \(Self.configs.count) configurations × \(seeds.count) seeds",
                           total: Self.configs.count * seeds.count) { p in
            Self.configs.map { c in seeds.map { s -> (accuracy: Double, diverged: Bool, rms: [[Double]]) in
                defer { p.advance() }
                return lab.train(c, steps: steps, seed: s)
            } }
        }
        for (c, r) in zip(Self.configs, runs) {
            let acc = r.map(\.accuracy).reduce(0, +) / Double(r.count)
            accuracy[c.name] = acc
            let ratios = r[0].rms.map { $0[0] / $0[DeepDigits.depth - 1] }
            let tail = ratios.suffix(50)
            rows.append([c.name, Fmt.fixed(acc, 3), r.contains { $0.diverged } ? "yes" : "no",
                         Fmt.sci(ratios.first ?? .nan, 1), Fmt.sci(tail.reduce(0, +) / Double(max(tail.count, 1)), 1)])
            if [0, 1, 2, 3, 5, 6].contains(Self.configs.firstIndex { $0.name == c.name }!) {
                curves.append((c.name, ratios))
            }
        }
        nb.table(Table(header: ["configuration", "held-out accuracy (mean of \(seeds.count))", "diverged",
                                "layer 1 ÷ layer 10, step 0",
                                "layer 1 ÷ layer 10, last 50 steps"], rows: rows),
                 caption: "Digits, 10 × \(DeepDigits.width) network, \(steps) steps; chance is 0.1.")
        let shown = logSpacedIndices(steps, points: 150)
        try await nb.figure(Figure(name: "ratio-during-training",
                                   title: "First ÷ tenth hidden layer gradient RMS during training (seed \(seeds[0]))",
                                   xLabel: "step", yLabel: "RMS layer 1 ÷ RMS layer 10", xScale: .log, yScale: .log,
                                   key: .outside,
                                   series: curves.enumerated().map { k, c in
            // Colour and dash both change with k: a curve under another (sigmoid + Adam on the
            // default-init one, seed 42) shows through its gaps.
            Series(title: c.0, x: shown.map { Double($0 + 1) }, y: shown.map { c.1[$0] }, pen: Palette.pen(index: k))
        }), caption: "1 means the first layer's weights get gradients as large as the tenth's. Lines differ in "
            + "colour and dash, so a curve lying under another shows through its gaps.")
        let a = { (name: String) in accuracy[name]! }
        func tailRatio(_ name: String) -> Double {
            let run = runs[Self.configs.firstIndex { $0.name == name }!][0]
            let r = run.rms.map { $0[0] / $0[DeepDigits.depth - 1] }.suffix(50)
            return r.reduce(0, +) / Double(max(r.count, 1))
        }
        let adamTail = tailRatio("sigmoid + Adam"), baseTail = tailRatio("sigmoid, PyTorch default init")
        print("accuracies: " + Self.configs.map { "\($0.name) \(Fmt.fixed(a($0.name), 3))" }.joined(separator: "; "))
        let base = a("sigmoid, PyTorch default init")
        nb.notice(nb.claim("""
            The sigmoid baseline stays near chance (\(Fmt.fixed(base, 2))) after \(steps) steps. Batch norm \
            (\(Fmt.fixed(a("sigmoid + batch norm"), 2))) and all fixes together \
            (\(Fmt.fixed(a("sigmoid, all fixes"), 2))) each reach at least \(bar).
            """, holds: base < 0.3 && a("sigmoid + batch norm") >= bar && a("sigmoid, all fixes") >= bar,
            evidence: "\(accuracy)"))
        nb.notice(nb.claim("""
            The residual skip alone reaches \(Fmt.fixed(a("sigmoid + residual"), 2)) (at least \(bar)). Adam alone \
            does not rescue the sigmoid network (\(Fmt.fixed(a("sigmoid + Adam"), 2)), below 0.2), although it \
            rescales each coordinate's step: its first layer's gradient RMS stays at \(Fmt.sci(adamTail, 1)) of the \
            tenth's over the last 50 steps (\(Fmt.sci(baseTail, 1)) with SGD).
            """, holds: a("sigmoid + residual") >= bar && a("sigmoid + Adam") < 0.2, evidence: "\(accuracy)"))
        nb.notice(nb.claim("""
            For tanh and ReLU the right initialisation is the fix: Xavier for tanh \
            (\(Fmt.fixed(a("tanh, Xavier init"), 2))) and He for ReLU (\(Fmt.fixed(a("ReLU, He init"), 2))) reach at \
            least \(bar), PyTorch's default U(±1/√fan-in) only \(Fmt.fixed(a("tanh, PyTorch default init"), 2)) and \
            \(Fmt.fixed(a("ReLU, PyTorch default init"), 2)) (at most 0.6) in the same budget.
            """, holds: a("tanh, Xavier init") >= bar && a("ReLU, He init") >= bar
                && a("tanh, PyTorch default init") <= 0.6 && a("ReLU, PyTorch default init") <= 0.6,
            evidence: "\(accuracy)"))
        nb.notice(nb.claim("""
            Clipping is not a fix for vanishing gradients: it only shortens long gradients, and the sigmoid network's \
            are short. With it the accuracy is \(Fmt.fixed(a("sigmoid + clipping (‖g‖ ≤ 1)"), 2)), within 0.1 of the \
            baseline's.
            """, holds: abs(a("sigmoid + clipping (‖g‖ ≤ 1)") - base) < 0.1,
            evidence: "clip \(a("sigmoid + clipping (‖g‖ ≤ 1)")), base \(base)"))
    }

    // MARK: Exercises

    func exercises(_ lab: DeepDigits) {
        nb.exercise("""
            Table 1 gives layer 1 ÷ layer 10 at initialisation for one draw of the weights. How much does that ratio \
            change from draw to draw? Compute it for seeds 1 to 5, for sigmoid with PyTorch's default initialisation \
            and for sigmoid + residual. Is the gap between the two a property of the architecture or of one draw? \
            Explain it from h ← h + φ(Wh + b).
            """, solution: "residual-ratio") {
            // solution: residual-ratio
            let c = DeepDigits.Config(name: "residual", activation: .sigmoid, initializer: .standard, residual: true)
            let plain = DeepDigits.Config(name: "plain", activation: .sigmoid, initializer: .standard)
            func ratio(_ config: DeepDigits.Config, _ seed: UInt64) -> Double {
                let rms = lab.atInitialisation(config, seed: seed).rms
                return rms[0] / rms[DeepDigits.depth - 1]
            }
            let seeds: [UInt64] = [1, 2, 3, 4, 5]
            let res = seeds.map { ratio(c, $0) }, base = seeds.map { ratio(plain, $0) }
            let resSpread = res.max()! / res.min()!, baseSpread = base.max()! / base.min()!
            let verdict = res.min()! / base.max()! > 100 * max(baseSpread, resSpread)
                ? "far larger: it belongs to the architecture, not to the draw" : "not much larger than that spread"
            return """
                Seeds 1–5, layer 1 ÷ layer 10 at initialisation. Plain sigmoid: \
                \(base.map { Fmt.sci($0, 2) }.joined(separator: ", ")) (largest ÷ smallest \(Fmt.sig(baseSpread, 3))). \
                Sigmoid + residual: \(res.map { Fmt.sig($0, 3) }.joined(separator: ", ")) (largest ÷ smallest \
                \(Fmt.sig(resSpread, 3))). Each ratio moves by a factor of at most \
                \(Fmt.sig(max(baseSpread, resSpread), 2)) between draws, while the gap between the two, \
                \(Fmt.sci(res.min()! / base.max()!, 1)) even between the closest draws, is \
                \(verdict). \
                Without skips the gradient reaching layer 1 is a product of nine per-layer factors σ′·W, which shrink \
                it for sigmoid (σ′ ≤ 1/4). With a skip, ∂ℓ/∂hᵢ₋₁ = ∂ℓ/∂hᵢ + (the path through φ): the identity term \
                passes the gradient down unchanged, so it is a sum of that copy and the small through-paths, not their \
                product.
                """
            // end solution
        }
    }
}
