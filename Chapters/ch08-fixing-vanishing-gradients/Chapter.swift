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

    /// The seed set: each seed draws one network's initial weights and then the order of its
    /// mini-batches (the train/validation split is the chapter's, seeded by --seed). `--seed N`
    /// moves the whole set.
    var seeds: [UInt64] { nb.seeds(nb.quick ? 3 : 5) }

    /// The seeds as the page names them: "42–46".
    var seedNames: String {
        seeds.count == 1 ? "\(seeds[0])" : "\(seeds.first!)–\(seeds.last!)"
    }

    func write() async throws {
        let lab = DeepDigits(seed: nb.seed)
        nb.prose("""
            Chapter 1 measured vanishing and exploding gradients; the article (§5 and FAQ Q5) names remedies it \
            never shows. This chapter tries them one at a time and together on real data: the 8×8 handwritten \
            digits (1,797 images, 10 classes, UCI via scikit-learn; \(lab.data.training.count) for training, \
            \(lab.data.validation!.count) held out), with a deep network — \(DeepDigits.depth) hidden layers of \
            \(DeepDigits.width) units, softmax cross-entropy, mini-batches of \(DeepDigits.batchSize). Gradients are \
            measured per parameter: the RMS √(mean (∂ℓ/∂W)²) of each layer's weight gradient, which does not \
            depend on the layer's shape (the first layer, 64 × \(DeepDigits.width), is shaped unlike the others). Every \
            measurement is repeated for \(seeds.count) draws of the initial weights (seeds \(seedNames)): the tables \
            give the spread over that set, and the sentences below are statements about the whole set.
            """)
        try await atInitialisation(lab)
        try await glorotBengio(lab)
        try await training(lab)
        exercises(lab)
    }

    /// Layer 1 ÷ layer 10 of a per-layer RMS list.
    static func firstOverTenth(_ r: [Double]) -> Double { r[0] / r[DeepDigits.depth - 1] }

    /// "median (min–max)" of a seed set's values, each formatted by `f`.
    static func spread(_ v: [Double], _ f: (Double) -> String) -> String {
        "\(f(median(v))) (\(f(v.min()!))–\(f(v.max()!)))"
    }

    // MARK: At initialisation

    func atInitialisation(_ lab: DeepDigits) async throws {
        nb.section("Gradients at initialisation")
        let shown = [0, 1, 2, 3, 7, 8, 9, 10]  // the optimizer (Adam) and clipping do not act at step 0
        let seeds = self.seeds
        // draws[k][j]: configuration shown[k], seed j — one backward pass each, cheap.
        let flat = nb.parallelMap(shown.count * seeds.count) { k in
            lab.atInitialisation(Self.configs[shown[k / seeds.count]], seed: seeds[k % seeds.count]).rms
        }
        let draws = shown.indices.map { k in Array(flat[(k * seeds.count)..<((k + 1) * seeds.count)]) }
        let layers = (1...(DeepDigits.depth + 1)).map(Double.init)
        // Legend below the axes (beside them it took 40 % of the width); colour, dash and marker all
        // change from line to line, so lines that run close (ReLU + He, sigmoid + residual) stay apart.
        let rmsTitle = "Per-layer gradient RMS at initialisation, 10 × 32 network on digits"
        try await nb.figure(Figure(name: "rms-at-init", title: rmsTitle,
                                   plots: [Plot(title: rmsTitle, xLabel: "layer (1 = input side, 11 = output)",
                                                yLabel: "RMS of ∂ℓ/∂W (median of \(seeds.count) draws)",
                                                yScale: .log, key: .below, series: shown.indices.map { k in
            Series(title: Self.configs[shown[k]].name, style: .linesPoints, x: layers,
                   y: layers.indices.map { l in median(draws[k].map { $0[l] }) }, pen: Palette.pen(index: k))
        })], size: (1000, 760)), caption: "One batch of 256 training images, training mode; each point is the median "
                + "over \(seeds.count) draws of the weights (seeds \(seedNames)), and a falling line to the left is a "
                + "vanishing gradient." + overlapNote(shown: shown, draws: draws))
        let ratios = draws.map { $0.map(Self.firstOverTenth) }
        nb.table(Table(header: ["configuration", "RMS, layer 1", "RMS, layer 10", "layer 1 ÷ layer 10",
                                "min – max over \(seeds.count) draws"],
                       rows: shown.indices.map { k in
            [Self.configs[shown[k]].name, Fmt.sci(median(draws[k].map { $0[0] }), 2),
             Fmt.sci(median(draws[k].map { $0[DeepDigits.depth - 1] }), 2), Fmt.sci(median(ratios[k]), 2),
             "\(Fmt.sci(ratios[k].min()!, 2)) – \(Fmt.sci(ratios[k].max()!, 2))"]
        }), caption: "Gradient RMS of the first and last hidden layers at initialisation: medians over the "
                 + "\(seeds.count) draws, and the ratio's range.")
        let (base, xavier, res, bn) = (ratios[0], ratios[1], ratios[2], ratios[3])
        nb.log("init ratios: base \(Fmt.sci(median(base), 2)), xavier \(Fmt.sci(median(xavier), 2)), "
                + "residual \(Fmt.sci(median(res), 2)), bn \(Fmt.sci(median(bn), 2))")
        nb.notice(nb.claim("""
            With sigmoid and PyTorch's default initialisation the first layer's gradient is \(Fmt.sci(median(base), 1)) \
            of the tenth's (median of the \(seeds.count) draws; at most \(Fmt.sci(base.max()!, 1))): σ′ ≤ 1/4 and \
            weights of variance 1/(3·fan-in) shrink it at every layer. Xavier's initialisation alone leaves it at \
            \(Fmt.sci(median(xavier), 1)) — still vanishing, because it was derived for tanh's slope 1 at 0, not \
            sigmoid's 1/4. The residual skip (\(Fmt.sci(median(res), 1))) and batch norm \
            (\(Fmt.sci(median(bn), 1))) each bring the ratio at least 100× closer to 1, in every draw: their smallest \
            ratio is more than 100× the baseline's largest.
            """, holds: base.max()! < 1e-3 && xavier.max()! < 0.1 && res.min()! > 100 * base.max()!
                && bn.min()! > 100 * base.max()!,
            evidence: "base \(base), xavier \(xavier), residual \(res), bn \(bn)"))
    }

    // MARK: Glorot & Bengio's histograms

    func glorotBengio(_ lab: DeepDigits) async throws {
        nb.section("Glorot & Bengio's histograms, in small")
        let seeds = self.seeds
        nb.prose("""
            Glorot & Bengio (AISTATS 2010, their Figs. 6–7) plotted, layer by layer, the histograms of a tanh \
            network's activations and back-propagated gradients, with the standard initialisation U(±1/√fan-in) and \
            with their normalised one U(±√6/√(fan-in + fan-out)). Here the same for the 10-layer tanh network at \
            initialisation, 256 training images, layers 1, 3, 5, 7 and 9 — the histograms for the first draw (seed \
            \(seeds[0])), the table of their spreads for all \(seeds.count):
            """)
        let picks = [0, 2, 4, 6, 8]
        let pair = [Self.configs[7], Self.configs[8]]
        func sd(_ v: [Double]) -> Double { Measure.meanAndStandardDeviation(v).standardDeviation }
        // perDraw[i][j]: init i (standard, normalised), seed j → SDs at the picked layers of the
        // activations and of ∂ℓ/∂Z.
        let flat = nb.parallelMap(2 * seeds.count) { k -> (acts: [Double], grads: [Double]) in
            let ws = lab.atInitialisation(pair[k / seeds.count], seed: seeds[k % seeds.count]).workspace
            return (picks.map { sd(ws.activation(layer: $0).elements) },
                    picks.map { sd(ws.preActivationGradient(layer: $0).elements) })
        }
        let perDraw = [Array(flat[..<seeds.count]), Array(flat[seeds.count...])]
        var plots: [Plot] = []
        // Activations also span decades (SD 0.4 in layer 1, 0.004 in layer 9 with the standard
        // init): a linear histogram piles layers 5–9 into one spike at 0, so both rows show log₁₀|·|.
        func logAbs(_ v: [Double]) -> [Double] { v.filter { $0 != 0 }.map { Double.log10(abs($0)) } }
        var actLogs: [[[Double]]] = []
        var logs: [[[Double]]] = []
        for c in pair {
            let ws = lab.atInitialisation(c, seed: seeds[0]).workspace
            actLogs.append(picks.map { logAbs(ws.activation(layer: $0).elements) })
            logs.append(picks.map { logAbs(ws.preActivationGradient(layer: $0).elements) })
        }
        let allActs = actLogs.flatMap { $0.flatMap { $0 } }
        let actRange = (allActs.min() ?? -6).rounded(.down)...0.0
        for (idx, perLayer) in actLogs.enumerated() {
            plots.append(Plot(title: "log₁₀|activation|, \(idx == 0 ? "standard" : "normalised (Xavier)") init",
                              xLabel: "log₁₀ |activation|", yLabel: "density", xRange: actRange, key: .topLeft,
                              series: picks.enumerated().map { k, layer in
                let h = density(perLayer[k], range: actRange, bins: 60)
                return Series(title: "layer \(layer + 1)", x: h.x, y: h.y, color: k)
            }))
        }
        // Gradients span decades: histograms of log₁₀|∂ℓ/∂Z|, on one range for both initialisations.
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
                                   title: "tanh, 10 × 32, at initialisation: activations and gradients by layer "
                                        + "(seed \(seeds[0]))",
                                   plots: [plots[0], plots[1], plots[2], plots[3]], columns: 2),
                            caption: "Top: histograms of log₁₀|activation|; bottom: of log₁₀|∂ℓ/∂Z|, the "
                                    + "back-propagated gradient at each layer's pre-activation, for seed \(seeds[0])'s "
                                    + "draw. Left: standard init; right: normalised; a shift to the left is a shrink "
                                    + "(one unit is 10×).")
        // Layers 1, 5 and 9: indices 0, 2 and 4 of `picks`.
        let cols = [0, 2, 4]
        func values(_ i: Int, _ grads: Bool, _ col: Int) -> [Double] {
            perDraw[i].map { grads ? $0.grads[col] : $0.acts[col] }
        }
        nb.table(Table(header: ["init", "SD of", "layer 1", "layer 5", "layer 9"],
                       rows: [(0, false), (0, true), (1, false), (1, true)].map { i, grads in
            [pair[i].name, grads ? "∂ℓ/∂Z" : "activation"] + cols.map { col in
                Self.spread(values(i, grads, col)) { grads ? Fmt.sci($0, 2) : Fmt.sig($0, 2) }
            }
        }), caption: "Standard deviations of the raw values behind the histograms, not of their log₁₀|·|: median "
                 + "(min–max) over the \(seeds.count) draws.")
        // Per draw: the standard init's activation SD in layer 9 against layer 1, the normalised init's
        // against the standard one's in layer 9.
        let stdShrink = seeds.indices.map { perDraw[0][$0].acts[4] / perDraw[0][$0].acts[0] }
        let xavWider = seeds.indices.map { perDraw[1][$0].acts[4] / perDraw[0][$0].acts[4] }
        nb.notice(nb.claim("""
            As in Glorot & Bengio's Fig. 6, with the standard initialisation the activations shrink towards 0 layer \
            after layer (SD \(Fmt.sig(median(values(0, false, 0)), 2)) in layer 1, \
            \(Fmt.sig(median(values(0, false, 4)), 2)) in layer 9; medians of the \(seeds.count) draws), while the \
            normalised initialisation keeps them wider (\(Fmt.sig(median(values(1, false, 4)), 2)) in layer 9, at \
            least \(Fmt.sig(xavWider.min()!, 2))× the standard one's in every draw).
            """, holds: stdShrink.max()! < 0.5 && xavWider.min()! > 1.5,
            evidence: "layer 9 ÷ layer 1, standard \(stdShrink); normalised ÷ standard, layer 9 \(xavWider)"))
        // Table 2's ∂ℓ/∂Z shrinks towards the input, table 1's ratio for the same network is near 1:
        // the weight gradient multiplies ∂ℓ/∂Z by the layer's input, which shrinks the other way.
        let weightRatio = seeds.map { Self.firstOverTenth(lab.atInitialisation(Self.configs[7], seed: $0).rms) }
        let gradGrowth = perDraw[0].map { $0.grads[4] / $0.grads[0] }
        let actShrink = perDraw[0].map { $0.acts[0] / $0.acts[4] }
        nb.prose(nb.claim("""
            With the standard initialisation the back-propagated gradient ∂ℓ/∂Z shrinks towards the input — its SD \
            is \(Self.factor(median(gradGrowth)))× smaller in layer 1 than in layer 9 (median; at least \
            \(Self.factor(gradGrowth.min()!))× in every draw) — yet table 1 gives the same network a layer 1 ÷ layer \
            10 weight-gradient ratio of \(Fmt.sig(median(weightRatio), 2)). Both hold: a weight gradient is \
            ∂ℓ/∂Wᵢ = ∂ℓ/∂Zᵢ · hᵢ₋₁ᵀ, the back-propagated gradient times the layer's input, and the inputs shrink the \
            other way: layer 1 reads the z-scored pixels, layer 10 reads layer 9's activations, whose SD is \
            \(Self.factor(median(actShrink)))× smaller than layer 1's. The two trends cancel in table 1's ratio, which \
            stays between 0.1 and 10 in every draw.
            """, holds: gradGrowth.min()! > 10 && actShrink.min()! > 10 && weightRatio.min()! > 0.1
                && weightRatio.max()! < 10,
            evidence: "∂ℓ/∂Z growth \(gradGrowth), activation shrink \(actShrink), weight ratio \(weightRatio)"))
    }

    // MARK: Training

    func training(_ lab: DeepDigits) async throws {
        nb.section("The fixes, one at a time and together")
        let steps = nb.quick ? 300 : 450
        let seeds = self.seeds, n = seeds.count
        // The accuracy a fix must reach in every run: 0.6 after 450 steps; a quick run (300 steps) asks for 0.5.
        // Far above chance (0.1), with room for the weakest run of a set: at 600 steps a batch-norm run reached only
        // 0.79 on one of 100 random seeds' sets. (600 steps were cut to 450 for the book's time budget: at seed 42
        // every fix still reaches at least 0.93.)
        let bar = nb.quick ? 0.5 : 0.6
        nb.prose("""
            Each configuration trains for \(steps) steps (SGD with α = 0.1, except the Adam rows: α = 0.001), once \
            for each of the \(n) seeds \(seedNames) (the seed draws the initial weights and the order of the \
            mini-batches); the table gives the held-out accuracy (evaluation mode for batch norm) over the \(n) runs \
            and the first hidden layer's gradient RMS relative to the tenth's, at step 0 and averaged over the last \
            50 steps. "Sigmoid, all fixes" switches on every remedy at once: Xavier's initialisation, residual skips, \
            batch norm, clipping at ‖g‖ ≤ 1 and Adam (α = 0.001).
            """)
        // runs[i][j]: configuration i, seed j; the runs are independent, so they share the cores.
        let runs = nb.step("training \(Self.configs.count) configurations × \(n) seeds",
                           total: Self.configs.count * n) { p -> [[Run]] in
            let flat = nb.parallelMap(Self.configs.count * n) { k -> Run in
                let r = lab.train(Self.configs[k / n], steps: steps, seed: seeds[k % n])
                return Run(accuracy: r.accuracy, diverged: r.diverged, rms: r.rms, largestNorm: r.largestNorm)
            }
            p.advance(flat.count)
            return Self.configs.indices.map { i in Array(flat[(i * n)..<((i + 1) * n)]) }
        }
        func index(_ name: String) -> Int { Self.configs.firstIndex { $0.name == name }! }
        func accuracies(_ name: String) -> [Double] { runs[index(name)].map(\.accuracy) }
        func ratios(_ run: Run) -> [Double] { run.rms.map(Self.firstOverTenth) }
        /// The mean ratio over the last 50 steps (those with a finite ratio).
        func tail(_ run: Run) -> Double {
            let r = ratios(run).suffix(50).filter(\.isFinite)
            return r.reduce(0, +) / Double(max(r.count, 1))
        }
        var rows: [[String]] = []
        var curves: [(String, [Double])] = []
        for (c, r) in zip(Self.configs, runs) {
            let acc = r.map(\.accuracy)
            let mean = acc.reduce(0, +) / Double(n)
            let diverged = r.filter(\.diverged).count
            rows.append([c.name, "\(Fmt.fixed(mean, 3)) (\(Fmt.fixed(acc.min()!, 3))–\(Fmt.fixed(acc.max()!, 3)))",
                         diverged == 0 ? "none" : "\(diverged) of \(n)",
                         Fmt.sci(median(r.compactMap { $0.rms.first.map(Self.firstOverTenth) }), 1),
                         Self.spread(r.map(tail)) { Fmt.sci($0, 1) }])
            // Every configuration but clipping, whose runs are the baseline's until the clip fires (checked
            // below): at each step, the median over the runs that got that far with a finite ratio (a ReLU
            // network's tenth layer can be all dead on a batch, 0/0, and the smoothing would carry the NaN
            // on); a step where no run has one repeats the step before.
            if c.name != "sigmoid + clipping (‖g‖ ≤ 1)" {
                let all = r.map(ratios)
                let length = all.map(\.count).max() ?? 0
                var medians: [Double] = []
                for t in 0..<length {
                    let finite = all.filter { $0.count > t && $0[t].isFinite && $0[t] > 0 }.map { $0[t] }
                    medians.append(finite.isEmpty ? (medians.last ?? 1) : median(finite))
                }
                curves.append((c.name, medians))
            }
        }
        nb.table(Table(header: ["configuration", "held-out accuracy: mean (min–max)", "diverged",
                                "layer 1 ÷ layer 10, step 0", "layer 1 ÷ layer 10, last 50 steps"], rows: rows),
                 caption: "Digits, 10 × \(DeepDigits.width) network, \(steps) steps, \(n) runs per configuration; "
                         + "chance is 0.1. The ratios, each step's on its own mini-batch of \(DeepDigits.batchSize), are "
                         + "medians over the runs (last column: with min–max).")
        // Step 0 here and table 1 measure the same weights on different images: the run's first
        // mini-batch of 64 against table 1's fixed 256. Recomputed on that first batch, table 1's
        // measurement must give this table's step 0, in every run.
        let mismatch = nb.parallelMap(Self.configs.count * n) { k -> Double in
            let (c, s) = (Self.configs[k / n], seeds[k % n])
            let again = lab.atInitialisation(c, seed: s, rows: lab.firstBatch(c, seed: s)).rms
            return abs(Self.firstOverTenth(again) / Self.firstOverTenth(runs[k / n][k % n].rms[0]) - 1)
        }.max()!
        func medianAtInit(_ i: Int) -> Double {
            median(seeds.map { Self.firstOverTenth(lab.atInitialisation(Self.configs[i], seed: $0).rms) })
        }
        func medianStepZero(_ i: Int) -> Double { median(runs[i].map { Self.firstOverTenth($0.rms[0]) }) }
        nb.prose(nb.claim("""
            Table 3's step 0 and table 1 measure the same initial weights on different images: table 1 on a fixed \
            batch of 256 training images, table 3 on the run's first mini-batch of \(DeepDigits.batchSize), so they \
            differ (medians; sigmoid with the default init: \(Self.ratio(medianAtInit(0))) against \
            \(Self.ratio(medianStepZero(0))); ReLU with the default init: \(Self.ratio(medianAtInit(9))) against \
            \(Self.ratio(medianStepZero(9)))). Table 1's measurement repeated on that first mini-batch gives table \
            3's step 0 for every configuration and every run (largest relative difference \(Fmt.sci(mismatch, 1))): \
            the ratio at initialisation depends on the batch it is measured on.
            """, holds: mismatch < 1e-6, evidence: "largest relative difference \(mismatch)"))
        let shown = logSpacedIndices(steps, points: 150), sparse = logSpacedIndices(steps, points: 25)
        let window = 10
        func panel(_ title: String, _ picked: [(String, [Double])]) -> Plot {
            Plot(title: title, xLabel: "step + 1", yLabel: "RMS layer 1 ÷ RMS layer 10", xScale: .log, yScale: .log,
                 key: .below, series: picked.enumerated().map { k, c in
                // Colour and dash both change with k; + Adam (near the baseline) and + batch norm (near + residual
                // from step 30 on) also carry markers (on fewer points, so they stay apart).
                let marked = c.0.hasSuffix("Adam") || c.0.hasSuffix("batch norm"), rows = (marked ? sparse : shown).filter { $0 < c.1.count }
                // A trailing geometric mean over `window` steps, so curves whose spikes cross stay readable.
                let smooth = Measure.movingAverage(c.1.map { Double.log10($0) }, window: window)
                    .map { Double.pow(10, $0) }
                // Each panel's title names the activation: its legend drops it, so it fits in two
                // columns above the x label.
                let activation = c.0.prefix { $0 != "," && $0 != " " }
                let label = String(c.0.dropFirst(activation.count)).trimmingCharacters(in: .init(charactersIn: " ,"))
                return Series(title: label, style: marked ? .linesPoints : .lines,
                              x: rows.map { Double($0 + 1) }, y: rows.map { smooth[$0] }, pen: Palette.pen(index: k))
            })
        }
        try await nb.figure(Figure(name: "ratio-during-training",
                                   title: "First ÷ tenth hidden layer gradient RMS during training (median of \(n) runs)",
                                   plots: [panel("sigmoid networks", curves.filter { $0.0.hasPrefix("sigmoid") }),
                                           panel("tanh networks", curves.filter { $0.0.hasPrefix("tanh") }),
                                           panel("ReLU networks", curves.filter { $0.0.hasPrefix("ReLU") })],
                                   columns: 3, size: (1860, 760)),
                            caption: "At each step the median of the \(n) runs' ratios (seeds \(seedNames)), drawn at "
                                + "step + 1 (log axis) and smoothed: the geometric mean over steps t − \(window - 1) … t "
                                + "(fewer at the start); 1 means the first layer's weights get gradients as large as "
                                + "the tenth's. Sigmoid + clipping is not drawn (its runs are the baseline's " + (runs[index("sigmoid, PyTorch default init")].allSatisfy { $0.largestNorm <= 1 - 1e-6 } ? "step for step: the clip never fires"
                                : "until the clip first fires") + "; see below); + Adam and + batch norm carry markers, as they run close to the baseline and to + residual.")
        let adamTail = runs[index("sigmoid + Adam")].map(tail)
        let baseTail = runs[index("sigmoid, PyTorch default init")].map(tail)
        nb.log("accuracies: " + Self.configs.map { c in
            "\(c.name) \(accuracies(c.name).map { Fmt.fixed($0, 3) }.joined(separator: " "))"
        }.joined(separator: "; "))
        let lowest = { (name: String) in Fmt.fixed((accuracies(name).min()! * 100 + 1e-9).rounded(.down) / 100, 2) }  // "at least"
        let highest = { (name: String) in Fmt.fixed((accuracies(name).max()! * 100 - 1e-9).rounded(.up) / 100, 2) }  // "at most"
        let base = accuracies("sigmoid, PyTorch default init")
        nb.notice(nb.claim("""
            In every one of the \(n) runs the sigmoid baseline stays near chance (at most \
            \(highest("sigmoid, PyTorch default init")) after \(steps) steps), while batch norm reaches at least \
            \(lowest("sigmoid + batch norm")) and all fixes together at least \(lowest("sigmoid, all fixes")).
            """, holds: base.max()! < 0.3 && accuracies("sigmoid + batch norm").min()! >= bar
                && accuracies("sigmoid, all fixes").min()! >= bar,
            evidence: "baseline \(base), batch norm \(accuracies("sigmoid + batch norm")), "
                + "all fixes \(accuracies("sigmoid, all fixes"))"))
        nb.notice(nb.claim("""
            The residual skip alone reaches at least \(lowest("sigmoid + residual")) in every run. Adam alone does not \
            rescue the sigmoid network (at most \(highest("sigmoid + Adam")); the baseline at most \
            \(highest("sigmoid, PyTorch default init"))), although it rescales each coordinate's step: its first \
            layer's gradient RMS stays at \(Fmt.sci(median(adamTail), 1)) of the tenth's over the last 50 steps \
            (median of the runs; \(Fmt.sci(median(baseTail), 1)) with SGD).
            """, holds: accuracies("sigmoid + residual").min()! >= bar && accuracies("sigmoid + Adam").max()! < 0.2,
            evidence: "residual \(accuracies("sigmoid + residual")), Adam \(accuracies("sigmoid + Adam"))"))
        // Each tanh run with the default init against the Xavier run of the same seed (same mini-batches).
        // The default init's tanh runs spread widely (0.2–0.75 over 45 runs), so the claim is on the set's
        // mean gap with a wide margin, plus "lower in every run"; He's ReLU runs have rare stragglers
        // (0.76 once in 45), so it is stated by the median.
        let tanhDefault = accuracies("tanh, PyTorch default init"), tanhXavier = accuracies("tanh, Xavier init")
        let tanhGap = zip(tanhXavier, tanhDefault).map { $0 - $1 }
        let meanGap = tanhGap.reduce(0, +) / Double(n), tanhMean = tanhDefault.reduce(0, +) / Double(n)
        let he = accuracies("ReLU, He init")
        nb.notice(nb.claim("""
            For tanh and ReLU the right initialisation is the fix: Xavier for tanh reaches at least \
            \(lowest("tanh, Xavier init")) in every run, He for ReLU a median of \(Fmt.fixed(median(he), 2)) over the \
            \(n) runs (lowest \(lowest("ReLU, He init"))). With PyTorch's default U(±1/√fan-in), ReLU stays at chance \
            (at most \(highest("ReLU, PyTorch default init"))) and tanh is slow\(tanhDefault.max()! - tanhDefault.min()! > 0.2 ? " and erratic" : ""): \(Fmt.fixed(tanhMean, 2)) \
            on average, from \(Fmt.fixed(tanhDefault.min()!, 2)) to \(Fmt.fixed(tanhDefault.max()!, 2)), \
            below the Xavier run of the same seed in every run, by \(Fmt.fixed(meanGap, 2)) on average.
            """, holds: tanhXavier.min()! >= bar && median(he) >= bar
                && accuracies("ReLU, PyTorch default init").max()! < 0.2 && tanhGap.min()! > 0 && meanGap > 0.25,
            evidence: "tanh default \(tanhDefault), Xavier \(tanhXavier); "
                + "ReLU default \(accuracies("ReLU, PyTorch default init")), He \(he)"))
        // PyTorch's default init shrinks every layer's gradient alike: a ratio near 1, all layers small.
        // atInit[k][j]: tanh default, tanh Xavier, ReLU default, ReLU He; seed j.
        let atInit = [7, 8, 9, 10].map { i in seeds.map { lab.atInitialisation(Self.configs[i], seed: $0).rms } }
        let last = DeepDigits.depth - 1
        func below(_ good: Int, _ bad: Int, _ layer: Int) -> [Double] {
            seeds.indices.map { atInit[good][$0][layer] / atInit[bad][$0][layer] }
        }
        let reluBelow = (below(3, 2, 0), below(3, 2, last)), tanhBelow = (below(1, 0, 0), below(1, 0, last))
        let defaultRatios = [0, 2].map { k in atInit[k].map(Self.firstOverTenth) }
        func m(_ k: Int, _ layer: Int) -> Double { median(atInit[k].map { $0[layer] }) }
        nb.notice(nb.claim("""
            Yet with the default init the ratio of table 1 is near 1 (medians: tanh \
            \(Fmt.sig(median(defaultRatios[0]), 2)), ReLU \(Fmt.sig(median(defaultRatios[1]), 2))): nothing vanishes \
            *relative* to the last layer, because every layer's gradient is small. ReLU's RMS is \(Fmt.sci(m(2, 0), 2)) \
            in layer 1 and \(Fmt.sci(m(2, last), 2)) in layer 10, \(Self.factor(median(reluBelow.0)))× and \
            \(Self.factor(median(reluBelow.1)))× below He's; tanh's is \(Self.factor(median(tanhBelow.0)))× and \
            \(Self.factor(median(tanhBelow.1)))× below Xavier's (medians; more than 10× in every draw). A ratio near 1 \
            only says that no layer's gradient is small next to the others'.
            """, holds: [reluBelow.0, reluBelow.1, tanhBelow.0, tanhBelow.1].allSatisfy { $0.min()! > 10 }
                && defaultRatios.allSatisfy { r in r.min()! > 0.1 && r.max()! < 10 },
            evidence: "ReLU ÷ He \(reluBelow), tanh ÷ Xavier \(tanhBelow), default ratios \(defaultRatios)"))
        // Clipping at ‖g‖ = 1 fires only when a step's gradient is longer than 1 (the clip's coefficient
        // 1/(‖g‖ + 1e-6) < 1); the sigmoid network's rarely is (0.67–1.08 at most over a run; once in about
        // 20 runs above 1). A run whose baseline never exceeds it must be the baseline's, bit for bit —
        // the baseline's own norm says which runs those are, so the comparison is not circular.
        let clipRuns = runs[index("sigmoid + clipping (‖g‖ ≤ 1)")]
        let baseRuns = runs[index("sigmoid, PyTorch default init")]
        let quiet = seeds.indices.filter { baseRuns[$0].largestNorm <= 1 - 1e-6 }
        let clipAccuracy = accuracies("sigmoid + clipping (‖g‖ ≤ 1)")
        let largest = baseRuns.map(\.largestNorm)
        let firedNote = quiet.count == n ? "" : ", also where it fired, on the few steps above 1"
        nb.notice(nb.claim("""
            Clipping is not a fix for vanishing gradients: it only shortens long gradients, and the sigmoid network's \
            are short — the baseline's gradient norm ‖g‖ stays below 1 at every step in \(quiet.count) of the \(n) runs \
            (the largest of any run: \(Fmt.sig(largest.max()!, 2))), and there the clipped run is the baseline's, \
            step for step: the clip never fired. Every clipped run ends near chance (at most \
            \(Fmt.fixed(clipAccuracy.max()!, 2)))\(firedNote).
            """, holds: quiet.allSatisfy { clipRuns[$0] == baseRuns[$0] } && clipAccuracy.max()! < 0.3,
            evidence: "clip \(clipAccuracy), base \(base), baseline's largest norms \(largest), "
                + "identical where quiet: \(quiet.map { clipRuns[$0] == baseRuns[$0] })"))
    }

    /// One training run of a configuration on one seed: what the table, the figure and the claims read.
    struct Run: Equatable {
        let accuracy: Double
        let diverged: Bool
        /// Each step's gradient RMS per hidden layer.
        let rms: [[Double]]
        /// The largest global gradient norm of any step, before clipping.
        let largestNorm: Double
    }

    /// A factor as the page prints it: two significant digits, whole above 10 (150, not 1.5e+02).
    static func factor(_ x: Double) -> String {
        guard x >= 10 else { return Fmt.sig(x, 2) }
        let unit = Double.pow(10, Double.log10(x).rounded(.down) - 1)
        return "\(Int((x / unit).rounded() * unit))"
    }

    /// A layer 1 ÷ layer 10 ratio: two significant digits, in powers of ten when tiny.
    static func ratio(_ x: Double) -> String { x < 0.01 ? Fmt.sci(x, 2) : Fmt.sig(x, 2) }

    // MARK: Exercises

    func exercises(_ lab: DeepDigits) {
        let seeds = self.seeds
        let shown = [0, 2].map { i in seeds.map { Self.firstOverTenth(lab.atInitialisation(Self.configs[i], seed: $0).rms) } }
            .map { Self.ratio(median($0)) }
        nb.exercise("""
            Table 1 gives layer 1 ÷ layer 10 at initialisation as a median and a range over \(seeds.count) draws of the \
            weights. Repeat the measurement for another set of draws, seeds 1 to 5, for sigmoid with PyTorch's \
            default initialisation and for sigmoid + residual. Is the gap between the two a property of the \
            architecture or of the draws? Explain it from h ← h + φ(Wh + b). (Table 1's medians, seeds \(seedNames): \
            \(shown[0]) without the skip, \(shown[1]) with it; compare the spread over seeds with the gap between the \
            two.)
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

extension Chapter8 {
    /// The caption's note on the two lines of figure 1 that lie on one another (sigmoid + batch norm and
    /// tanh with Xavier init, both flat near 10⁻²), with how close they are; empty when they part by more
    /// than 1.5× at some layer (then the figure shows them apart and needs no note).
    func overlapNote(shown: [Int], draws: [[[Double]]]) -> String {
        let names = ["sigmoid + batch norm", "tanh, Xavier init"]
        let lines = names.compactMap { name in
            shown.firstIndex { Self.configs[$0].name == name }.map { k in
                (0..<draws[k][0].count).map { l in median(draws[k].map { $0[l] }) }
            }
        }
        guard lines.count == 2 else { return "" }
        let apart = zip(lines[0], lines[1]).map { max($0 / $1, $1 / $0) }.max()!
        guard apart < 1.5 else { return "" }
        return " Sigmoid + batch norm and tanh with Xavier init lie almost on one another (within "
            + "\(Int((100 * (apart - 1)).rounded(.up))) % at every layer): each keeps the gradient's scale from layer "
            + "to layer, batch norm by normalising every layer's pre-activations, Xavier by the scale of the weights."
    }
}
