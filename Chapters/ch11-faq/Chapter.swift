// Chapter 11 — The article's FAQ (§6 Q1–Q5) and outlook (§5), answered with what the book measured.
import ArgumentParser
import Descent
import Figures
import Notebook
import RealModule

@main
struct FAQChapter: ChapterCommand {
    static let slug = "ch11-faq"
    @OptionGroup var options: ChapterOptions

    func body(_ nb: Notebook) async throws {
        try await Chapter11(nb: nb).write()
    }
}

struct Chapter11 {
    let nb: Notebook
    static let grid = (-16...0).map { Double.pow(10, Double($0) / 4) }  // 1e-4 … 1, quarter decades
    /// Q3's noisy problem runs once per noise seed: one run's score (the mean of its last 500 steps) varies by
    /// a factor of 4 from seed to seed, so a comparison needs many (the 2-D runs are cheap, quick runs too).
    static let noiseSeedCount = 48

    func write() async throws {
        nb.prose("""
            The article ends with five questions (§6). For each: the article's answer in one line, and what the \
            book measured, with a link to the page that shows it. Q3 and Q4 are measured here as well.
            """)
        let ch1 = "[chapter 1](../ch01-vanishing-gradients/README.md)"
        let ch8 = "[chapter 8](../ch08-fixing-vanishing-gradients/README.md)"
        let ch10 = "[chapter 10](../ch10-batch-size-and-warm-up/README.md)"
        let ch8Training = "../ch08-fixing-vanishing-gradients/README.md#the-fixes-one-at-a-time-and-together"
        // Q1 and Q5 measure at initialisation over a seed set: each seed draws the split and the weights.
        let drawSeeds = nb.seeds(5)
        let draws = nb.parallelMap(drawSeeds.count) { j -> (ratios: [Double], tanhStd: [Double], tanhXavier: [Double]) in
            let s = drawSeeds[j]
            return ([firstOverTenth(.sigmoid, .standard, seed: s), firstOverTenth(.sigmoid, .xavierUniform, seed: s),
                     firstOverTenth(.sigmoid, .standard, residual: true, seed: s),
                     firstOverTenth(.sigmoid, .standard, batchNorm: true, seed: s)],
                    hiddenGradientRMS(.tanh, .standard, seed: s), hiddenGradientRMS(.tanh, .xavierUniform, seed: s))
        }
        let drawNames = "\(drawSeeds.first!)–\(drawSeeds.last!)"
        // Per draw: sigmoid (default init, Xavier, + residual, + batch norm), tanh (default, Xavier).
        let sigmoid = draws.map { $0.ratios[0] }, xavier = draws.map { $0.ratios[1] }
        let residual = draws.map { $0.ratios[2] }, batchNorm = draws.map { $0.ratios[3] }
        let tanhStd = draws.map { $0.tanhStd[0] / $0.tanhStd[9] }
        let tanhXavier = draws.map { $0.tanhXavier[0] / $0.tanhXavier[9] }
        // How much smaller tanh's gradients are under the default initialisation than under Xavier's, at the
        // layer where they are closest (the ratio near 1 hides that every layer is small), in the draw where
        // that is least.
        let tanhSmaller = draws.map { d in zip(d.tanhXavier, d.tanhStd).map { $0 / $1 }.min()! }.min()!
        let tanhCloser = draws.indices.map { min(tanhStd[$0], tanhXavier[$0]) / sigmoid[$0] }.min()!
        let tenth = (std: median(draws.map { $0.tanhStd[9] }), xavier: median(draws.map { $0.tanhXavier[9] }))
        nb.log("q1: sigmoid \(Fmt.sci(median(sigmoid), 3)), xavier \(Fmt.sci(median(xavier), 3)), "
              + "residual \(Fmt.sci(median(residual), 3)), batch norm \(Fmt.sci(median(batchNorm), 3)), "
              + "tanh \(Fmt.sci(median(tanhStd), 3)) / \(Fmt.sci(median(tanhXavier), 3)), "
              + "xavier÷default ≥ \(Fmt.sig(tanhSmaller, 3)) (medians of \(drawSeeds.count) draws)")
        nb.section("Q1. Why do vanishing gradients stop convergence?")
        nb.prose("""
            *The article:* in deep networks the gradient shrinks through the layers, so early layers stop learning. \
            *Measured:* yes, and it is a property of the backward pass — not of the forward pass, where the \
            article's §2.1 puts vanishing gradients ("mainly in the forward pass"; \(ch1) corrects it). The \
            gradient reaching layer i is a product of one factor per layer above it, each a weight matrix times the \
            activation's slope; sigmoid's slope is at most 1/4, so ten such factors shrink it geometrically. \
            Measured here as in \(ch8) (the RMS of each layer's weight gradient on 256 training digits, at \
            initialisation, a 10 × 32 network, \(drawSeeds.count) draws of the weights and the split, seeds \
            \(drawNames); medians): \(nb.claim("""
            with sigmoid and PyTorch's default initialisation the first hidden layer's gradient is \
            \(Fmt.sci(median(sigmoid), 1)) of the tenth's; with tanh it is \(Fmt.sci(median(tanhStd), 1)) under the \
            same initialisation and \(Fmt.sci(median(tanhXavier), 1)) under Xavier's, at least \
            \(factorText(tanhCloser)) times closer to 1 in every draw.
            """, holds: sigmoid.max()! < 1e-3 && tanhCloser > 1e3,
            evidence: "sigmoid \(sigmoid), tanh \(tanhStd), tanh xavier \(tanhXavier)")) \(nb.claim("""
            A ratio near 1 only says that the layers are alike, not that they learn: under the default \
            initialisation every tanh layer's gradient is at least \(factorText(tanhSmaller))× smaller than \
            under Xavier's in every draw (the tenth layer's RMS \(Fmt.sci(tenth.std, 1)) against \
            \(Fmt.sci(tenth.xavier, 1))), and in chapter 8's budget that network reaches 0.25 accuracy on average \
            against Xavier's 0.95 (chapter 8's table 3, means over seeds 42–46).
            """, holds: tanhSmaller > 10, evidence: "default ÷ Xavier at least \(tanhSmaller)")) With a step of \
            α·g, the sigmoid network's first layer moves \(Fmt.sci(median(sigmoid), 1)) as fast as its tenth: it stays near \
            chance (0.093 accuracy on average, chance 0.1) after 450 steps, and the ratio stays that small during training \
            ([chapter 8's table 3](\(ch8Training)), [chapter 8's figure 3](\(ch8Training))). \(ch1) measures the same \
            on spirals for three activations and four initialisations (chapter 1's figure 1). A vanishing gradient can \
            also be *made* by the rate: in \(ch10), at B = 256 and α = 16 (2.5× the rate the linear scaling rule \
            gives there) without warm-up, the long steps of the first epoch leave most hidden units in tanh's flat \
            tails, where the slope — and the gradient through them — is below 0.02. In the book's default runs, 86–89 % \
            of them are there after epoch 1 against 5–6 % with a linear warm-up (chapter 10's table 2; ranges over \
            seeds 42–47) — but by the end of the warm-up (step 30) 74–81 % are saturated with it too, and its loss has \
            climbed back to 0.77–2.2× its start: warm-up delays the saturation, it does not prevent it (chapter 10's \
            warm-up section).
            """)
        nb.section("Q2. Why do exploding gradients break training?")
        nb.prose("""
            *The article:* large gradients make the updates too large and training unstable. *Measured:* what breaks \
            training is a step too long for the curvature, whether the gradient or the rate makes it long. On a \
            quadratic the boundary is exact — gradient descent diverges above α = 2/L, because the error along the \
            steepest direction is multiplied by |1 − αL| > 1 at every step ([chapter \
            2](../ch02-fixed-vs-decayed-rates/README.md), chapter 2's table 1 finds 2/L = 0.5 by bisection), and \
            momentum above 2(1 + β)/L ([chapter 9](../ch09-momentum/README.md), chapter 9's table 1). In \(ch1)'s \
            network with too large an initialisation (ReLU, N(0, 1) weights) the gradient does not grow from layer \
            to layer — the hidden layers' gradient RMS lie within a factor 5.6 of each other (median over the 16 draws of chapter 1's table 1, \
            seeds 42–57; 5–12 over the draws) — it is huge at every layer, because the forward pass has already made the output huge: the \
            first gradient's norm is 2.2e+07, plain SGD at α = 0.5 diverges at its first step, and clipping the \
            norm to 1 caps every step at length α, so the same network trains ([chapter 1's figure \
            5](../ch01-vanishing-gradients/README.md#exploding-gradients-and-clipping), seed 42). The rate meets a \
            limit too when it follows the batch size: in \(ch10) the best rate grows in proportion to the batch \
            for small batches and much more slowly for large ones (chapter 10's table 1), and at B = 256 a rate of \
            α = 16, 2.5× the linear scaling rule's, makes the loss jump to 3.3–5.4× its initial value within the first \
            epoch when it is used from the first step (chapter 10's table 2; range over seeds 42–47).
            """)
        try await q3()
        try await q4()
        nb.section("Q5. How do we deal with vanishing and exploding gradients?")
        let resCloser = draws.indices.map { residual[$0] / sigmoid[$0] }.min()!
        let bnCloser = draws.indices.map { batchNorm[$0] / sigmoid[$0] }.min()!
        nb.prose("""
            *The article:* better initialisation, other activations, normalisation, residual structure, gradient \
            clipping, adaptive optimizers. *Measured* in \(ch8) on the digits with a 10-layer network. At \
            initialisation (the measurement of Q1, medians of the draws \(drawNames)): \(nb.claim("""
            Xavier's initialisation leaves sigmoid's first layer at \(Fmt.sci(median(xavier), 1)) of the tenth's \
            gradient, while a residual skip (\(Fmt.sci(median(residual), 1))) and batch normalisation \
            (\(Fmt.sci(median(batchNorm), 1))) bring it at least \(factorText(resCloser)) and \
            \(factorText(bnCloser)) times closer to 1 than the baseline's \(Fmt.sci(median(sigmoid), 1)) in every draw.
            """, holds: resCloser > 100 && bnCloser > 100 && xavier.max()! < min(residual.min()!, batchNorm.min()!),
            evidence: "sigmoid \(sigmoid), xavier \(xavier), residual \(residual), bn \(batchNorm)")) After training \
            ([chapter 8's table 3](\(ch8Training))): for tanh and ReLU the right initialisation (Xavier, He) is the \
            fix; for sigmoid, residual skips or batch normalisation are needed; clipping does nothing for a vanishing \
            gradient (it only shortens long ones) and Adam alone does not rescue it. Clipping is the remedy for the \
            exploding case (\(ch1)). For a large rate that is too much for the first steps — chapter 10's B = 256 at α \
            = 16, 2.5× the linear scaling rule's rate — the remedy measured is a linear warm-up, and it is a partial \
            one (chapter 10's table 2; ranges and means over seeds 42–47): the loss of the first epoch no longer jumps \
            (3.3–5.4× without it), after epoch 1 5–6 % of the hidden units are saturated instead of 86–89 %, and the runs \
            end at a mean validation loss of 0.185 against 0.322; but by the end of the warm-up (step 30) 74–81 % are \
            saturated and the loss has climbed back to 0.77–2.2× its start: warm-up delays the saturation, it does \
            not prevent it, and why the warmed-up runs still end lower chapter 10 does not measure. Whether a warm-up \
            also rescues rates further past the curvature limit is chapter 10's exercise 3.
            """)
        nb.section("§5, the outlook, honestly")
        nb.prose("""
            *Better optimizers:* the book measured nine strategies, optimizers and schedules together (chapters 2–5, 9 \
            and the table above), and found no single winner: which is best depends on noise and conditioning. \
            *Structural changes:* residual connections and batch normalisation were measured in chapter 8. *Adaptive \
            learning rates:* AdaGrad, RMSprop and Adam (chapters 3–5) and the range test with a verified suggestion \
            (chapter 7) were measured. *Hardware:* not measured as such; the book's hardware numbers are the \
            training-step benchmarks, which live in the repository (its `Benchmarks` folder and the README there), \
            not on these pages. The one hardware-driven question the book does measure is the batch size that \
            parallel hardware favours: \(ch10) finds that a larger batch takes a larger rate, in proportion for small \
            batches only, and that a warm-up spares a rate 2.5× the linear rule's the loss jump of the first epoch \
            but only delays the saturation of the hidden units: by the end of the warm-up most are saturated all \
            the same.
            """)
        exercises()
    }

    // MARK: Q3

    func q3() async throws {
        nb.section("Q3. Which learning-rate strategies exist, and what are their pros and cons?")
        let sigma = 1.0
        // The noisy problem runs once per noise seed of the set; the exact ones are deterministic (one run).
        let noiseSeeds = nb.seeds(Self.noiseSeedCount), n = noiseSeeds.count
        let noiseNames = "\(noiseSeeds.first!)–\(noiseSeeds.last!)"
        let problems: [(name: String, steps: Int, seeds: [UInt64], run: @Sendable (Strategy, Double, UInt64) -> [Double],
                        score: @Sendable ([Double]) -> Double)] = [
            ("quadratic 0.1x² + 2y², 100 steps", 100, [0],
             { s, a, _ in lossCurve(s, alpha: a, on: Quadratic(), from: [-5, -2], steps: 100) }, { $0.last! }),
            ("Rosenbrock, 2000 steps", 2000, [0],
             { s, a, _ in lossCurve(s, alpha: a, on: Rosenbrock(), from: [-1.5, 2], steps: 2000) }, { $0.last! }),
            ("noisy quadratic (σ = 1), mean of the last 500 of 3000 steps", 3000, noiseSeeds,
             { s, a, seed in
                 lossCurve(s, alpha: a, on: Quadratic(), from: [-5, -2], steps: 3000, noise: sigma, seed: seed)
             },
             { c in c.suffix(500).reduce(0, +) / 500 }),
        ]
        nb.prose("""
            *The article:* fixed, decayed and restarted rates, AdaGrad, RMSprop, Adam. The book adds AMSGrad, \
            momentum and one-cycle. Each strategy below gets its best base rate from 17 rates between 10⁻⁴ and 1 \
            (quarter decades) on three problems: the ill-conditioned quadratic (exact gradients), Rosenbrock's \
            valley, and the quadratic with noisy gradients, scored by the final loss (the mean of the last 500 steps \
            when noisy). The noisy problem is run for \(n) noise seeds (\(noiseNames)) at every rate, and a rate is \
            scored by the mean over them.
            """)
        // results[strategy][problem]; the strategies are independent, so they share the cores.
        let results = nb.step("9 strategies × 3 problems × 17 rates", total: Strategy.all.count) { p in
            let all = nb.parallelMap(Strategy.all.count) { i in
                problems.map { pr in
                    bestOverGrid(Strategy.all[i], grid: Self.grid, steps: pr.steps, seeds: pr.seeds, score: pr.score,
                                 run: pr.run)
                }
            }
            p.advance(all.count)
            return all
        }
        let header = ["strategy"] + problems.map { pr in
            pr.seeds.count == 1 ? "\(pr.name): loss (best α)" : "\(pr.name): loss, mean over \(n) seeds (min–max; best α)"
        }
        nb.table(Table(header: header, rows: zip(Strategy.all, results).map { s, r in
            [s.name] + r.map { (e: (rate: Double, score: Double, scores: [Double])) -> String in
                if e.rate.isNaN { return "diverged" }
                let edge = e.rate == Self.grid.last! || e.rate == Self.grid.first! ? ", at grid edge" : ""
                // The noisy column's means and ranges with two digits: its claims compare them.
                guard e.scores.count > 1 else { return "\(Fmt.sci(e.score, 1)) (\(Fmt.sig(e.rate, 2))\(edge))" }
                return "\(Fmt.sci(e.score, 2)) (\(Fmt.sci(e.scores.min()!, 2))–\(Fmt.sci(e.scores.max()!, 2)); "
                    + "\(Fmt.sig(e.rate, 2))\(edge))"
            }
        }), caption: "Best loss of each strategy on each problem, and the rate of the grid that gave it (on the "
            + "noisy problem: the lowest mean over the noise seeds, with the range of its runs). \"at grid edge\": "
            + "the best rate is the grid's largest (or smallest), so a rate outside the grid might do better; such an "
            + "entry does not rank the strategy. Every entry is for one gradient noise level; a larger batch "
            + "lowers the noise and, for SGD on the digits, moves the best rate up: in proportion for small batches, "
            + "much more slowly for large ones "
            + "([chapter 10](../ch10-batch-size-and-warm-up/README.md)).")
        func score(_ name: String, _ p: Int) -> Double {
            results[Strategy.all.firstIndex { $0.name == name }!][p].score
        }
        func scores(_ name: String) -> [Double] { results[Strategy.all.firstIndex { $0.name == name }!][2].scores }
        // The constant-rate methods; AMSGrad is compared on its own below (its divisor never shrinks).
        let constantNames = ["fixed rate (SGD)", "RMSprop", "Adam", "momentum 0.9"]
        let constantNoisy = constantNames.map { score($0, 2) }
        let decayedNoisy = ["decayed (cosine)", "one-cycle (SGD)"].map { score($0, 2) }
        // The better decayed schedule (by its mean) against another method, noise seed by noise seed: how many
        // of the n runs it ends lower, and the mean difference in standard errors.
        let decayedBest = decayedNoisy[0] <= decayedNoisy[1] ? "decayed (cosine)" : "one-cycle (SGD)"
        func paired(_ name: String) -> (lower: Int, z: Double) {
            let d = zip(scores(name), scores(decayedBest)).map { $0 - $1 }
            let (m, sd) = Measure.meanAndStandardDeviation(d)
            return (d.filter { $0 > 0 }.count, m / (sd / Double(d.count).squareRoot()))
        }
        let pairs = constantNames.map(paired), amsPair = paired("AMSGrad")
        let fewestLower = pairs.map(\.lower).min()!, weakest = pairs.map(\.z).min()!
        for name in Strategy.all.map(\.name) {
            nb.log("q3 noisy seeds: \(name): \(scores(name).map { Fmt.sci($0, 3) }.joined(separator: " "))")
        }
        nb.notice(nb.claim("""
            With noisy gradients the better of the two schedules that decay the rate to (near) zero — cosine \
            (\(Fmt.sci(decayedNoisy[0], 2))) and one-cycle (\(Fmt.sci(decayedNoisy[1], 2))), means over the \(n) \
            noise seeds — ends below every method whose rate stays constant: fixed rate, RMSprop, Adam and momentum \
            (best of them \(Fmt.sci(constantNoisy.min()!, 2))). Seed by seed, it ends lower than each of them in at \
            least \(fewestLower) of the \(n) runs, and by more than 3 standard errors of the mean difference (at \
            least \(Fmt.sig(weakest, 2))). A constant rate leaves a noise floor that a decaying rate lowers. AMSGrad, \
            whose divisor (the largest squared-gradient average so far) never shrinks, comes closer: \
            \(Fmt.sci(score("AMSGrad", 2), 2)) on average, still above the decayed schedule's mean by \
            \(Fmt.sig(amsPair.z, 2)) standard errors of the difference (the decayed schedule ends lower in \
            \(amsPair.lower) of the \(n) runs). Two more decay the rate in their own way: AdaGrad, whose per-coordinate rate decays as squared gradients accumulate \
            (\(Fmt.sci(score("AdaGrad", 2), 2))), and warm restarts, whose rate decays and jumps back up \
            (\(Fmt.sci(score("warm restarts (SGDR)", 2), 2))).
            """, holds: weakest > 3 && amsPair.z > 1,
            evidence: "decayed \(decayedNoisy), constant \(constantNoisy), paired \(pairs), AMSGrad \(amsPair)"))
        let rosen = Strategy.all.map { score($0.name, 1) }
        let sgd = score("fixed rate (SGD)", 1), ada = score("AdaGrad", 1), mom = score("momentum 0.9", 1)
        let adam = score("Adam", 1), ams = score("AMSGrad", 1)
        func atEdge(_ name: String) -> Bool {
            results[Strategy.all.firstIndex { $0.name == name }!][1].rate == Self.grid.last!
        }
        let edgeNote = ", at the grid's largest rate, so this grid cannot say whether a larger rate would close the gap"
        nb.notice(nb.claim("""
            On Rosenbrock, momentum (\(Fmt.sci(mom, 2))) ends \(factorText(sgd / mom)) times lower than plain SGD \
            (\(Fmt.sci(sgd, 2))); Adam (\(Fmt.sci(adam, 1))) and AMSGrad (\(Fmt.sci(ams, 1))\
            \(atEdge("AMSGrad") ? ", at the grid's largest rate" : "")) end lower still, and AdaGrad ends above \
            momentum (\(Fmt.sci(ada, 1))\(atEdge("AdaGrad") ? edgeNote : "")).
            """, holds: mom * 1e6 < sgd && adam < mom && ams < mom && ada > mom, evidence: "\(rosen)"))
        let fixedNoisy = score("fixed rate (SGD)", 2)
        // Table 1's ill-conditioned quadratic: momentum at the fixed β = 0.9 against plain SGD, each at its best rate.
        let momQuad = score("momentum 0.9", 0), sgdQuad = score("fixed rate (SGD)", 0)
        let restartsNoisy = score("warm restarts (SGDR)", 2)
        // Warm restarts against the fixed rate, noise seed by noise seed (as the decayed schedules above).
        let restartsGain = zip(scores("fixed rate (SGD)"), scores("warm restarts (SGDR)")).map { $0 - $1 }
        let (gainMean, gainSD) = Measure.meanAndStandardDeviation(restartsGain)
        let restartsZ = gainMean / (gainSD / Double(restartsGain.count).squareRoot())
        let restartsLower = restartsGain.filter { $0 > 0 }.count
        nb.prose("""
            In one line each, from these runs and the chapters: a **fixed rate** is simple and, below 2/L, exact on \
            clean gradients, but leaves a noise floor; \(nb.claim("""
            **decayed** rates lower the floor (cosine and one-cycle \(Fmt.sci(decayedNoisy.min()!, 2)) at best, \
            against the fixed rate's \(Fmt.sci(fixedNoisy, 2)) on the noisy quadratic, means over \(n) noise seeds); \
            **warm restarts** decay and jump back up, and lower it too (\(Fmt.sci(restartsNoisy, 2)); below the fixed \
            rate in \(restartsLower) of the \(n) runs, by \(Fmt.sig(restartsZ, 2)) standard errors of the mean \
            difference)
            """, holds: pairs[0].z > 3 && restartsZ > 3,
            evidence: "decayed \(decayedNoisy), restarts \(restartsNoisy), fixed \(fixedNoisy), restarts z \(restartsZ)")) — the robustness to \
            the budget claimed for them was not measured, every run here has one budget; **AdaGrad** is fast on \
            sparse features but its rate only goes down (chapter 3); **RMSprop** and **Adam** adapt per coordinate \
            and forget, Adam also averages the gradient (chapters 4–5); **AMSGrad** fixes Adam's non-convergence on \
            Reddi et al.'s counterexample (chapter 5); **momentum** turns κ into √κ on ill-conditioned problems with \
            β tuned to the problem (chapter 9's β*), but not the noise floor (chapter 9); \(nb.claim("""
            with β = 0.9, as in Table 1, it is slower than plain SGD on the quadratic (\(Fmt.sci(momQuad, 1)) \
            against \(Fmt.sci(sgdQuad, 1)) after 100 steps)
            """, holds: momQuad > sgdQuad, evidence: "quadratic: momentum \(momQuad), SGD \(sgdQuad)")); \
            **one-cycle** warms up and anneals (chapter 7). Every rate above was found for one batch size: when the \
            batch grows, the best rate grows with it, in proportion for small batches only, and a **warm-up** spares \
            a rate 2.5× the linear rule's the loss jump of the first epoch, but only delays the saturation of the \
            hidden units ([chapter 10](../ch10-batch-size-and-warm-up/README.md)).
            """)
    }

    // MARK: Q4

    func q4() async throws {
        nb.section("Q4. How do we choose the learning rate?")
        nb.prose("""
            *The article:* try values and watch the model; if it converges quickly, try a smaller rate; use a \
            schedule. Chapter 7 answers the first part with a range test checked against a grid. The second piece of \
            advice can be checked on the quadratic (μ = 0.2, L = 4), with exact and with noisy gradients (σ = 1):
            """)
        let rates = stride(from: 0.05, through: 0.49, by: 0.01).map { $0 }
        let tol = 1e-6
        func stepsTo(_ a: Double) -> Double {
            let c = lossCurve(Strategy.all[0], alpha: a, on: Quadratic(), from: [-5, -2], steps: 2000)
            return Double((c.firstIndex { $0 < tol } ?? c.count) + 1)
        }
        let steps = rates.map(stepsTo)
        let fastest = rates[steps.indices.min { steps[$0] < steps[$1] }!]
        let n = nb.quick ? 40_000 : 200_000
        // The noise floor at every fifth rate (0.05, 0.10, …, 0.45, which includes the two rates the text
        // compares, 0.2 and 0.4), measured on a seed set: each seed its own noise, all in parallel.
        let every5 = Array(stride(from: 0, to: rates.count, by: 5))
        let floorSeeds = nb.seeds(5)
        let floorRuns = nb.parallelMap(every5.count * floorSeeds.count) { k -> Double in
            let c = lossCurve(Strategy.all[0], alpha: rates[every5[k / floorSeeds.count]], on: Quadratic(),
                              from: [0, 0], steps: n, noise: 1, seed: floorSeeds[k % floorSeeds.count])
            return c.suffix(n / 2).reduce(0, +) / Double(n / 2)
        }
        // floorSets[r]: the seeds' floors at rate every5[r]; floors[i] for a rate i of every5.
        let floorSets = every5.indices.map { r in Array(floorRuns[(r * floorSeeds.count)..<((r + 1) * floorSeeds.count)]) }
        let floorSpreads = floorSets.map(Spread.init)
        var floors = [Double](repeating: .nan, count: rates.count)
        for (r, i) in every5.enumerated() { floors[i] = floorSpreads[r].mean }
        let formula = rates.map { a in
            [0.2, 4.0].reduce(0.0) {
                $0 + 0.5 * $1 * HeavyBall.stationaryVariance(learningRate: a, momentum: 0, eigenvalue: $1, noise: 1)
            }
        }
        let xRange = 0.04...0.52
        let title = "Quadratic: speed and noise floor against the rate (gradient descent)"
        try await nb.figure(Figure(name: "q4", title: title, plots: [
            Plot(title: "exact gradients", xLabel: "learning rate α", yLabel: "steps to f < 10⁻⁶", yScale: .log,
                 xRange: xRange, key: .topLeft, series: [
                Series(title: "measured", style: .linesPoints, x: rates, y: steps, pen: .named("SGD")),
            ], markers: [
                Marker(x: 2 / 4.2, label: "2/(L + μ) = 0.476", color: 2),
                Marker(x: 0.5, label: "2/L = 0.5", color: 1),
            ]),
            Plot(title: "noisy gradients (σ = 1)", xLabel: "learning rate α", yLabel: "mean loss (noise floor)",
                 yScale: .log, xRange: xRange, yRange: 1e-2...1e1, key: .topLeft, series: [
                // The closed form first, the measurements on top of it as circles (their range is smaller
                // than a circle, so no band).
                Series(title: "closed form", x: rates, y: formula,
                       pen: Pen(color: Palette.vermillion, dash: 1)),
                Series(title: "measured (\(floorSeeds.count) seeds)", style: .points,
                       x: every5.map { rates[$0] }, y: floorSpreads.map(\.mean), pen: Pen(color: Palette.black, point: 6)),
            ]),
        ], columns: 2), caption: "Left: steps from (−5, −2) until the loss is below 10⁻⁶, at α = 0.05, 0.06, …, "
            + "0.49; the fastest rate is 2/(L + μ) = 0.476 (here the grid's \(Fmt.sig(fastest))), the stability limit "
            + "2/L = 0.5. Right: the noise floor, the mean loss over the second half of \(n) steps started at the "
            + "minimum, at α = 0.05, 0.10, …, 0.45 (circles: the mean over \(floorSeeds.count) noise seeds; from the "
            + "lowest seed to the highest is at most "
            + "\(Fmt.fixed(100 * floorSpreads.map { ($0.max - $0.min) / $0.mean }.max()!, 1)) % of the mean, less than "
            + "a circle), and its closed form Σ ασ²/(2(2 − αλ)) over λ = μ, L (line, chapter 9); it grows with α.")
        let i = rates.firstIndex { abs($0 - 0.4) < 1e-9 }!, j = rates.firstIndex { abs($0 - 0.2) < 1e-9 }!
        // The worst seed's floor at each of the two rates, against the closed form.
        let setOf = { (rate: Int) in floorSets[every5.firstIndex(of: rate)!] }
        let deviations: [Double] = [setOf(i).map { abs($0 / formula[i] - 1) }.max()!,
                                    setOf(j).map { abs($0 / formula[j] - 1) }.max()!]
        let worst: Double = 100 * deviations.max()!
        nb.log("q4: worst seed's floor vs closed form, % off at 0.4 and 0.2: \(100 * deviations[0]) \(100 * deviations[1])")
        nb.notice(nb.claim("""
            The advice is half right. With exact gradients, counting the steps until the loss is below 10⁻⁶, the \
            fastest rate is 2/(L + μ) = 0.476: above it, up to the stability limit 2/L = 0.5, a smaller rate is \
            faster (α = \(Fmt.sig(rates.last!)) takes \(Int(steps.last!)) steps, α = \(Fmt.sig(fastest)) takes \
            \(Int(steps.min()!))), but below it a smaller rate is slower: halving α = 0.4 to 0.2 takes \
            \(Int(steps[j])) steps instead of \(Int(steps[i])). With noisy gradients it is right: the noise floor \
            falls from \(Fmt.sci(floors[i], 2)) at α = 0.4 to \(Fmt.sci(floors[j], 2)) at α = 0.2 (means of \
            \(floorSeeds.count) noise seeds), \(Fmt.sig(floors[i] / floors[j], 2))× lower (closed form \
            \(Fmt.fixed(formula[i], 3)) and \(Fmt.fixed(formula[j], 3)); every seed's floor within \
            \(Fmt.fixed((worst * 10).rounded(.up) / 10, 1)) % of it). So: a smaller \
            rate (or a schedule that gets there) buys a lower floor, not speed.
            """, holds: steps[j] > 1.5 * steps[i] && setOf(j).max()! < 0.7 * setOf(i).min()! && steps.last! > steps.min()!
                && deviations.allSatisfy { $0 < 0.1 },
            evidence: "steps \(steps[i]) \(steps[j]), floors \(floors[i]) \(floors[j]), "
                + "formula \(formula[i]) \(formula[j])"))
    }

    // MARK: Exercises

    func exercises() {
        // Key numbers shown with the questions: the closed form's rate for a floor of 0.01, and exercise 2's scores.
        let floorRate = Measure.bisectThreshold(low: 1e-6, high: 0.49) { Self.closedFormFloor($0) < 0.01 }
        let noiseSeeds = nb.seeds(Self.noiseSeedCount)
        let (cosine, warm) = Self.warmupAndCosine(seeds: noiseSeeds)
        nb.exercise("""
            Q4's advice, made quantitative: on the noisy quadratic of Figure 1 (σ = 1), which fixed rate gives a noise \
            floor of 0.01? Solve the closed form for α, then check it by running gradient descent at that rate. How \
            many steps does that rate need to get from (−5, −2) to within 2× the floor, compared with α = 0.4? The \
            closed form is [chapter 9's](../ch09-momentum/README.md#momentum-and-noisy-gradients) with β = 0: along \
            an eigendirection of curvature λ the coordinate settles at variance ασ²/(λ(2 − αλ)), so the floor is \
            Σ ½λ·ασ²/(λ(2 − αλ)) = Σ ασ²/(2(2 − αλ)) over λ = μ = 0.2 and L = 4. (Key number: α = \
            \(Fmt.sig(floorRate, 3)); the solution measures the floor at that rate and counts the steps.)
            """, solution: "floor-rate") {
            // solution: floor-rate
            let floor = Self.closedFormFloor
            // The floor grows with α (Figure 1), so bisection finds where it crosses 0.01.
            let alpha = Measure.bisectThreshold(low: 1e-6, high: 0.49) { floor($0) < 0.01 }
            let n = 400_000
            let run = lossCurve(Strategy.all[0], alpha: alpha, on: Quadratic(), from: [0, 0], steps: n, noise: 1,
                                seed: nb.seed)
            let measured = run.suffix(n / 2).reduce(0, +) / Double(n / 2)
            func stepsToTwiceFloor(_ a: Double) -> Int {
                let c = Measure.movingAverage(lossCurve(Strategy.all[0], alpha: a, on: Quadratic(), from: [-5, -2],
                                                        steps: 100_000, noise: 1, seed: nb.seed), window: 100)
                return (c.firstIndex { $0 < 2 * floor(a) } ?? c.count) + 1
            }
            let slow = stepsToTwiceFloor(alpha), fast = stepsToTwiceFloor(0.4)
            return """
                The closed form gives floor 0.01 at α = \(Fmt.sig(alpha, 4)); running it for \(n) steps (mean of the \
                second half) measures \(Fmt.sci(measured, 3)). From (−5, −2) the 100-step moving average of the loss \
                reaches twice its floor after \(slow) steps at that rate, against \(fast) at α = 0.4 (whose floor is \
                \(Fmt.sci(floor(0.4), 2))): a \(Fmt.sig(floor(0.4) / 0.01, 2))× lower floor costs \
                \(Fmt.sig(Double(slow) / Double(fast), 2))× more steps. For small α the floor is about ½ασ² per \
                direction, proportional to α, while the time to get there grows like 1/(αμ) along the flat direction. \
                So "try a smaller rate" trades speed for a lower floor; a schedule that starts large and decays gets \
                both — the decayed rates of Table 1.
                """
            // end solution
        }
        nb.exercise("""
            Add a warm-up to the Q3 comparison: SGD whose rate rises linearly from α/W to α over the first W steps, W \
            a tenth of the run, and then follows cosine annealing over the remaining steps (`lab`'s schedule syntax \
            for it is `warmup:steps=W+cosine:T=…`, see `lab schedule --help`), on the noisy quadratic, its best rate \
            of the same 17-rate grid. Does warming up change cosine's result here, and why is this problem not the \
            place where warm-up matters (compare [chapter 10](../ch10-batch-size-and-warm-up/README.md))? (Key \
            numbers, means over Q3's noise seeds \(noiseSeeds.first!)–\(noiseSeeds.last!): cosine \(Fmt.sci(cosine.score, 2)), warm-up + cosine \
            \(Fmt.sci(warm.score, 2)); the solution says what sets the final loss.)
            """, solution: "warm-up-q3") {
            let (c, w) = (cosine, warm)
            return """
                Noisy quadratic, mean loss of the last 500 of 3000 steps, averaged over the \(noiseSeeds.count) noise \
                seeds: cosine \(Fmt.sci(c.score, 2)) at α = \
                \(Fmt.sig(c.rate, 2)); warm-up + cosine \(Fmt.sci(w.score, 2)) at α = \(Fmt.sig(w.rate, 2)). The \
                final loss is set by where the rate ends (near 0 for both), not by how it starts: the first 300 \
                steps are long forgotten after 3000. Warm-up matters when the first steps can do lasting damage — \
                on the quadratic a step is either stable or not, whatever the time, while in chapter 10's network the \
                long steps of the first epoch at α = 16 leave most hidden units saturated, and they recover slowly.
                """
        }
    }

    /// The closed-form noise floor of gradient descent on the quadratic (μ = 0.2, L = 4), σ = 1 (chapter 9).
    static func closedFormFloor(_ a: Double) -> Double {
        [0.2, 4.0].reduce(0.0) { $0 + 0.5 * $1 * HeavyBall.stationaryVariance(learningRate: a, momentum: 0,
                                                                                eigenvalue: $1, noise: 1) }
    }

    // solution: warm-up-q3
    /// Exercise 2: cosine annealing with and without a linear warm-up over the first tenth of the run, each at its
    /// best rate of the 17-rate grid, on the noisy quadratic (mean loss of the last 500 of 3000 steps, averaged over
    /// the noise seeds `seeds`).
    static func warmupAndCosine(seeds: [UInt64]) -> (cosine: (rate: Double, score: Double),
                                                     warm: (rate: Double, score: Double)) {
        let steps = 3000
        let warm = Strategy(name: "warm-up + cosine", pen: "warm-up + cosine", make: { SGD(learningRate: $0) },
                            schedule: { n in
            .warmup(LinearWarmup(steps: n / 10, then: .cosine(CosineAnnealing(period: n - n / 10))))
        })
        func noisy(_ s: Strategy, _ a: Double, _ seed: UInt64) -> [Double] {
            lossCurve(s, alpha: a, on: Quadratic(), from: [-5, -2], steps: steps, noise: 1, seed: seed)
        }
        let score = { (c: [Double]) in c.suffix(500).reduce(0, +) / 500 }
        let w = bestOverGrid(warm, grid: Chapter11.grid, steps: steps, seeds: seeds, score: score, run: noisy)
        let c = bestOverGrid(Strategy.all[1], grid: Chapter11.grid, steps: steps, seeds: seeds, score: score, run: noisy)
        return ((c.rate, c.score), (w.rate, w.score))
    }
    // end solution
}
