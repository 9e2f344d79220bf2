// Chapter 10 — Batch size, learning rate and warm-up (article reference [5]; Goyal et al. 2017;
// You, Gitman & Ginsburg 2017; McCandlish et al. 2018).
import ArgumentParser
import Descent
import Figures
import Notebook
import RealModule

@main
struct BatchSizeChapter: ChapterCommand {
    static let slug = "ch10-batch-size-and-warm-up"
    @OptionGroup var options: ChapterOptions

    func body(_ nb: Notebook) async throws {
        try await Chapter10(nb: nb).write()
    }
}

struct Chapter10 {
    let nb: Notebook
    /// Every run of section 1 trains this many epochs, whatever its batch size.
    static let epochs = 10
    static let batchSizes = [4, 8, 16, 32, 64, 128, 256, 512, 1437]
    /// Pens of Figure 2's curves: three for the small batches (open circle, square, triangle, each with its own
    /// dash), three for the large ones.
    static let batchPens = [
        Pen(color: Palette.blue, dash: 1, point: 6), Pen(color: Palette.vermillion, dash: 2, point: 5),
        Pen(color: Palette.green, dash: 3, point: 9), Pen(color: Palette.purple, dash: 1, point: 11),
        Pen(color: Palette.orange, dash: 2, point: 13), Pen(color: Palette.sky, dash: 4, point: 5),
    ]

    /// The seed set of both experiments (3 runs in quick mode): run i draws its own split of the digits, initial
    /// weights and batch order from seed i.
    var seeds: [UInt64] { nb.seeds(nb.quick ? 3 : 6) }

    func write() async throws {
        let seeds = seeds
        let labs = seeds.map(BatchLab.init(seed:))
        let lab = labs[0]
        nb.prose("""
            The article's reference [5] is about training with large mini-batches, a subject its text never takes \
            up. Its practical question is the one every reader meets when a batch no longer fits, or when a larger one \
            would use the hardware better: if the batch size B changes, how should the learning rate change? \
            Goyal et al. (2017, "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour", arXiv:1706.02677) \
            answer with the **linear scaling rule** — multiply B by k, multiply α by k — and a **warm-up** that \
            raises the rate gradually over the first epochs, and they say where the rule breaks (beyond about 8k \
            images on ImageNet). This chapter measures both on the digits (1,797 images, 10 classes; \
            \(lab.examples) train, \(lab.data.validation!.count) held out, the split drawn by each run's seed) with \
            chapter 7's network (64 → 32 → 10, tanh, Xavier), softmax cross-entropy and SGD.
            """)
        nb.formula(article: "[5] You, Y., Noh, H., & Bengio, Y. (2017). Large Batch Training of Deep Learning Models. "
                   + "arXiv preprint arXiv:1706.02063.",
                   corrected: "You, Y., Gitman, I., & Ginsburg, B. (2017). "
                   + "Large Batch Training of Convolutional Networks. arXiv:1708.03888 (LARS).",
                   citation: "The article's [5] most likely means You, Gitman & Ginsburg (2017), the LARS paper, "
                   + "under the title and number on the right; this is an identification, not a checked fact: the "
                   + "article's authors and title do not match that paper, and what arXiv:1706.02063 itself is could "
                   + "not be checked (the book was written without network access); it is not the LARS paper's "
                   + "number. The linear scaling rule and warm-up measured here are Goyal et al.'s (arXiv:1706.02677).",
                   correctedHeader: "the paper (most likely)")
        let (searches, r0) = try await scaling(labs, seeds: seeds)
        try await warmup(labs, seeds: seeds, searches: searches, smallBatchRatio: r0)
        lars()
        exercises(labs, seeds: seeds, searches: searches)
    }

    // MARK: 1. The linear scaling rule

    func scaling(_ labs: [BatchLab], seeds: [UInt64]) async throws
        -> (searches: [RateSearch], smallBatchRatio: Double) {
        nb.section("The best rate against the batch size")
        // Quick runs keep the epochs (fewer would leave the full batch 3 steps) and use a smaller seed set.
        let epochs = Self.epochs, lab = labs[0], n = seeds.count
        nb.prose("""
            Why a linear rule: one SGD step on a batch of B examples moves θ by α times the batch's mean gradient, \
            whose noise has variance ∝ 1/B. k small steps at rate α on k batches move θ about as far as one step at \
            rate kα on their union, as long as the gradient hardly changes over those k steps (Goyal et al., §2.1). \
            That last condition is where the rule must break: a single step cannot be made arbitrarily long, because \
            above about 2/λmax (chapter 2's limit, λmax the largest curvature) it overshoots whatever the batch.
            """)
        nb.prose("""
            The experiment: for each batch size from 4 to the whole training split (\(lab.examples)), train for \
            \(epochs) epochs — the same examples seen, so B = 4 makes \(lab.task(batchSize: 4).stepsPerEpoch * epochs) \
            updates and the full batch \(epochs) — at rates 2^(k/2) (a √2 grid). Every rate is tried on a set of \
            \(n) runs (seeds \(seeds.first!)–\(seeds.last!)), each with its own split, initial weights and batch \
            order; within a run every batch size starts from the same weights. The **best rate** of a batch size is \
            read off the validation loss averaged over the set: the vertex of a parabola through that mean loss \
            against log α, over the grid rates within three steps of its lowest. Each run's own best grid rate is \
            kept too, to show how far a single run strays. The grid window starts around the previous batch size's \
            best and is widened until every best rate has a worse rate on each side.
            """)
        var previous = -8
        let searches = nb.step("best rate at \(Self.batchSizes.count) batch sizes × \(n) runs",
                               total: Self.batchSizes.count) { p in
            Self.batchSizes.map { b -> RateSearch in
                defer { p.advance() }
                let s = RateSearch(batchSize: b, window: (previous - 1)...(previous + 3)) { ks in
                    // Every (rate, run) pair is an independent run: its own weights, batches and optimizer.
                    let l = nb.parallelMap(ks.count * n) { j in
                        labs[j % n].train(batchSize: b, rate: gridRate(ks[j / n]), epochs: epochs, seed: seeds[j % n]).loss
                    }
                    return ks.indices.map { Array(l[($0 * n)..<(($0 + 1) * n)]) }
                }
                previous = s.bestIndex
                return s
            }
        }
        let small = searches.prefix(3).map(\.ratio)
        let r0 = Double.exp(small.map { Double.log($0) }.reduce(0, +) / Double(small.count))
        let rates = searches.map(\.smoothBest)
        let bs = Self.batchSizes.map(Double.init)
        let fit = NoiseScaleFit(batchSizes: bs, rates: rates)
        let breakAt = searches.first { $0.ratio < r0 / 2 }?.batchSize
        func span(_ v: [Double]) -> String {
            let lo = Fmt.sig(v.min()!, 3), hi = Fmt.sig(v.max()!, 3)
            return lo == hi ? lo : "\(lo)–\(hi)"
        }
        let header = ["batch size B", "updates", "best α", "lowest mean loss (at grid α)", "each run's best grid α",
                      "best α ÷ B", "÷ small-batch ratio"]
        nb.table(Table(header: header, rows: searches.map { s in
            [String(s.batchSize), String(lab.task(batchSize: s.batchSize).stepsPerEpoch * epochs),
             Fmt.sig(s.smoothBest, 3), "\(Fmt.fixed(s.best.loss, 4)) (\(Fmt.sig(s.best.rate, 3)))", span(s.seedBest),
             Fmt.sci(s.ratio, 2), Fmt.sig(s.ratio / r0, 2)]
        }), caption: "Validation loss after \(epochs) epochs averaged over the \(n) runs (seeds "
            + "\(seeds.first!)–\(seeds.last!)); best α is the vertex of a parabola through that mean loss against log α "
            + "near its lowest grid rate, and r, the geometric mean of best α ÷ B for B = 4, 8, 16, is \(Fmt.sci(r0, 2)).")
        // The y range holds every run's best grid rate (the band) with room for the key above the large batches.
        let lowest = min(rates.min()!, searches.map { $0.seedBest.min()! }.min()!)
        let highest = max(rates.max()!, searches.map { $0.seedBest.max()! }.max()!)
        let curveB = (0...60).map { 3 * Double.pow(2000 / 3, Double($0) / 60) }
        try await nb.figure(Figure(name: "best-rate",
                                   title: "Best SGD rate against batch size, digits, \(epochs) epochs",
                                   xLabel: "batch size B", yLabel: "best learning rate α", xScale: .log, yScale: .log,
                                   xRange: 3...2000, yRange: (lowest / 1.3)...(highest * 2.5),
                                   key: .bottomRight, series: [
            // Lines first, the measured points last and without a joining line, so the rule shows between them.
            Series(title: "linear rule α = r·B, r = \(Fmt.sci(r0, 2))", x: curveB, y: curveB.map { r0 * $0 },
                   pen: Pen(color: Palette.vermillion, dash: 2, point: 6)),
            Series(title: "fit α_max/(1 + B_noise/B): B_noise = \(Int(fit.noiseScale.rounded())), "
                   + "α_max = \(Fmt.sig(fit.maxRate, 2))", x: curveB, y: curveB.map(fit.rate),
                   pen: Pen(color: Palette.blue, dash: 1, point: 6)),
            Series(title: "each run's best rate, min–max of \(n)", style: .band, x: bs, y: rates,
                   low: searches.map { $0.seedBest.min()! }, high: searches.map { $0.seedBest.max()! },
                   pen: Pen(color: Palette.green, dash: 3, point: 6)),
            Series(title: "best rate of the \(n) runs' mean loss", style: .points, x: bs, y: rates, pen: .named("SGD")),
        ]), caption: "The best rate of the set's mean loss (points) follows the linear rule for small batches and "
            + "grows more slowly for large ones; the green band spans each run's own best grid rate, and the blue curve "
            + "is McCandlish et al.'s α_max/(1 + B_noise/B) fitted to the points (least squares in log α).")
        // Two panels: the small batches, whose curves coincide (each shifted a few per cent in x so every marker
        // shows), and the large ones; linear y over each panel's own range.
        func ratioOf(_ b: Int) -> Double { searches.first { $0.batchSize == b }!.ratio }
        func ofR(_ sizes: [Int]) -> String { sizes.map { Fmt.sig(ratioOf($0) / r0, 2) }.joined(separator: ", ") }
        func panel(_ sizes: [Int], _ title: String, shift: [Double], pens: [Pen]) -> Plot {
            let shown = searches.filter { sizes.contains($0.batchSize) }
            let losses = shown.flatMap(\.meanLosses).filter(\.isFinite)
            // Every tried rate's loss in the range (the full batch's largest is about 4× its panel's minimum); a
            // cap at 10× the minimum keeps the minima readable should a rate ever blow up.
            let lo = losses.min()!, hi = min(losses.max()!, 10 * lo)
            return Plot(title: title, xLabel: "learning rate per example α ÷ B", yLabel: "validation loss",
                        xScale: .log, yRange: (lo - 0.1 * (hi - lo))...(hi + 0.1 * (hi - lo)), key: .below,
                        series: shown.enumerated().map { k, s in
                Series(title: "B = \(s.batchSize)", style: .linesPoints,
                       x: s.tried.map { $0.rate / Double(s.batchSize) * shift[k] }, y: s.meanLosses,
                       pen: pens[k])
            })
        }
        try await nb.figure(Figure(name: "loss-vs-rate",
                                   title: "Mean validation loss of \(n) runs after \(epochs) epochs against α ÷ B",
                                   plots: [
            panel([4, 16, 64], "small batches (x shifted ×0.95, ×1, ×1.05)", shift: [0.95, 1, 1.05],
                  pens: Array(Self.batchPens[0..<3])),
            panel([256, 512, lab.examples], "large batches", shift: [1, 1, 1], pens: Array(Self.batchPens[3..<6])),
        ], columns: 2), caption: "Left: B = 4, 16 and 64 (shifted 5 % apart in α ÷ B so that coinciding markers "
            + "show), best α ÷ B at \(ofR([4, 16, 64])) of r; right: B = 256, 512 and the full batch, at "
            + "\(ofR([256, 512, lab.examples])) of r — the large batches need a smaller rate per example. "
            + "B = 8, 32 and 128 are in Table 1 only.")
        nb.log("best rates: " + rates.map { "\($0)" }.joined(separator: ", "))
        nb.log("small-batch ratio \(Fmt.sci(r0, 3)); fit: B_noise \(fit.noiseScale) alpha_max \(fit.maxRate) "
              + "rms \(fit.rmsLogResidual)")
        // The slope of ln α against ln B over B = 4…32 (least squares): 1 for the linear rule, 1/2 for a square-root
        // rule. Over 52 chapter seeds it was 0.77–1.27; a single run's grid minimum is far noisier (Table 1).
        let lx = bs.prefix(4).map { Double.log($0) }, ly = rates.prefix(4).map { Double.log($0) }
        let mx = lx.reduce(0, +) / 4, my = ly.reduce(0, +) / 4
        let sxy: Double = zip(lx, ly).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
        let sxx: Double = lx.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
        let slope = sxy / sxx
        let smallSpread = small.max()! / small.min()!
        let flat = rates[8] / rates[7], fullRatio = searches.last!.ratio / r0
        let scatter = searches[0].seedBest
        nb.notice(nb.claim("""
            For the small batches the best rate grows about in proportion to the batch: from B = 4 to 32 it grows as \
            B^\(Fmt.fixed(slope, 2)) (least squares in log–log; the linear rule says B¹, a square-root rule B^0.5), \
            and best α ÷ B for B = 4, 8 and 16 lies within a factor \(Fmt.sig(smallSpread, 2)) of r = \(Fmt.sci(r0, 2)).
            """, holds: slope > 0.65 && slope < 1.5, evidence: "slope \(slope), small-batch ratios \(small)")
            + " " + nb.claim("""
            It breaks for the large batches: from B = 512 to the full batch (2.8× larger) the best rate grows only \
            \(Fmt.fixed(flat, 2))×, and at the full batch best α ÷ B is \(Fmt.sig(fullRatio, 2)) r.
            """, holds: flat < 2 && fullRatio <= 0.5, evidence: "best \(rates)")
            + " A single run would not show this cleanly: at B = 4 the \(n) runs' own best grid rates span "
            + "\(span(scatter)) (Table 1), which is why the best rate is read off the set's mean loss.")
        let worst = zip(bs, rates).map { b, a in abs(Double.log(a / fit.rate(b))) }.max()!
        // The worst residual in steps of the √2 grid (one step is a factor √2, ln √2 in ln α).
        let worstSteps = worst / Double.log(2.0.squareRoot())
        let fitClaim = nb.claim("""
            The fitted curve passes within a factor \(Fmt.sig(Double.exp(worst), 2)) of every best rate, \
            \(Fmt.sig(worstSteps, 2)) of a step of the √2 grid.
            """, holds: worst <= Double.log(2) + 1e-9, evidence: "fit \(fit), worst ln residual \(worst)")
        // The model's ratio α_opt/B is (α_max/B_noise)/(1 + B/B_noise): half its small-batch value at B = B_noise.
        let bNoise = nb.claim("""
            In the model best α ÷ B = (α_max/B_noise)/(1 + B/B_noise) halves at B = B_noise, and in Table 1 it first \
            falls below r/2 at \(breakAt.map { "B = \($0)" } ?? "none of the sizes"), within a factor 8 (three doublings of the batch) of \
            B_noise ≈ \(Int(fit.noiseScale.rounded())).
            """, holds: breakAt.map { Double($0) >= fit.noiseScale / 8 && Double($0) <= fit.noiseScale * 8 } ?? false,
            evidence: "first size below r/2: \(breakAt ?? -1), B_noise \(fit.noiseScale)")
        nb.prose("""
            Where does the rule stop? McCandlish et al. (2018, "An Empirical Model of \
            Large-Batch Training", arXiv:1812.06162) derive the shape of the whole curve, \
            α_opt(B) = α_max/(1 + B_noise/B), from a quadratic model of the loss: in their model batches much smaller \
            than the noise scale B_noise are dominated by gradient noise, which a larger batch averages away, so the \
            best rate grows ∝ B; batches much larger are limited by the curvature, which no batch size changes, so it \
            levels off at α_max. Fitted to the nine best rates of Table 1 (least squares in log α; the blue curve of \
            Figure 1), the model gives **B_noise ≈ \(Int(fit.noiseScale.rounded()))** and \
            **α_max ≈ \(Fmt.sig(fit.maxRate, 2))**, with a root-mean-square residual of \
            \(Fmt.sig(fit.rmsLogResidual, 2)) in ln α. \(fitClaim) \(bNoise) Goyal et al. found the rule to hold \
            up to about 8k images on ImageNet; on these \(lab.examples) digits it holds only for the smallest \
            batches. Gradient noise and curvature are McCandlish et al.'s explanation of the shape; this chapter fits \
            their curve but measures neither.
            """)
        return (searches, r0)
    }

    // MARK: 2. Warm-up

    func warmup(_ labs: [BatchLab], seeds: [UInt64], searches: [RateSearch], smallBatchRatio r0: Double)
        async throws {
        nb.section("What warm-up does to the first steps of a large rate")
        let b = 256, rate = 16.0, epochs = nb.quick ? 8 : 20, warm = nb.quick ? 2 : 5
        let perEpoch = labs[0].task(batchSize: b).stepsPerEpoch
        let best256 = searches.first { $0.batchSize == b }!.smoothBest
        let pastBend = nb.claim("Table 1's best rate at B = \(b) is \(Fmt.sig(best256, 3)), "
                                + "\(Fmt.sig(rate / best256, 2))× below it: the rate is well past the bend.",
                                holds: best256 * 2 < rate, evidence: "best at \(b): \(best256)")
        nb.prose("""
            Take B = \(b) and α = \(Fmt.sig(rate)), 1/16 per example. That is \(Fmt.sig(rate / (r0 * Double(b)), 2))× \
            what the linear rule gives from the small batches of Table 1 (r·\(b) = \(Fmt.sig(r0 * Double(b), 2))), \
            and \(pastBend) The rate is chosen past the bend on purpose: the question is whether warm-up lets a rate \
            that large train at all. Goyal et al.'s remedy for the first steps is a gradual warm-up, which raises the \
            rate linearly from the small-batch rate to k times it over the first 5 epochs. The variant used here \
            starts from α/W instead: **linear warm-up** αₜ = α·(t + 1)/W for the first W steps, then α (in `lab`'s \
            schedule syntax `warmup:steps=W+constant`; see `lab schedule --help`). Both runs below train \(epochs) \
            epochs (\(perEpoch) steps an epoch); the warm-up lasts \(warm) epochs (W = \(warm * perEpoch) steps; Goyal \
            et al. warm up over 5), on the \(seeds.count) runs of Table 1 (seeds \(seeds.first!)–\(seeds.last!): \
            each its own split, initial weights and batch order), once with each schedule.
            """)
        let schedules: [(name: String, schedule: Schedule)] = [
            ("constant α = \(Fmt.sig(rate))", .constant),
            ("linear warm-up over \(warm) epochs", .warmup(LinearWarmup(steps: warm * perEpoch, then: .constant))),
        ]
        let runs = nb.step("warm-up: 2 schedules × \(seeds.count) runs", total: 1) { _ in
            // Each (schedule, run) pair trains on its own: its own split, weights, batches and optimizer.
            let flat = nb.parallelMap(schedules.count * seeds.count) { j in
                let i = j / seeds.count, k = j % seeds.count
                return labs[k].trainRecorded(batchSize: b, rate: rate, schedule: schedules[i].schedule, epochs: epochs,
                                             seed: seeds[k], saturationSteps: [warm * perEpoch, 2 * warm * perEpoch])
            }
            return schedules.indices.map { i in Array(flat[(i * seeds.count)..<((i + 1) * seeds.count)]) }
        }
        func range(_ lo: Double, _ hi: Double, _ f: (Double, Int) -> String, _ d: Int) -> String {
            f(lo, d) == f(hi, d) ? f(lo, d) : "\(f(lo, d))–\(f(hi, d))"
        }
        func pct(_ v: [Double]) -> String { range(v.min()! * 100, v.max()! * 100, Fmt.fixed(_:_:), 0) + " %" }
        let spike = runs.map { r in r.map { $0.run.losses.prefix(perEpoch).max()! / $0.run.losses[0] } }
        let firstStep = runs.map { r in r.map { $0.run.learningRates[0] * $0.run.gradientNorms[0] } }
        let saturated = runs.map { r in r.map(\.saturatedAfterFirstEpoch) }
        let finalLoss = runs.map { r in Spread(r.map(\.loss)).mean }
        let finalAcc = runs.map { r in Spread(r.map(\.accuracy)).mean }
        let diverged = runs.map { r in r.filter { $0.run.divergence != nil }.count }
        nb.table(Table(header: ["schedule", "first step α₀‖g₀‖ (mean)", "largest loss in epoch 1 ÷ initial loss",
                                "saturated units after epoch 1", "diverged", "validation loss", "validation accuracy"],
                       rows: schedules.indices.map { i in
            [schedules[i].name, Fmt.sig(Spread(firstStep[i]).mean, 3),
             range(spike[i].min()!, spike[i].max()!, Fmt.sig(_:_:), 2),
             range(saturated[i].min()! * 100, saturated[i].max()! * 100, Fmt.fixed(_:_:), 0) + " %",
             "\(diverged[i]) of \(seeds.count)", Fmt.fixed(finalLoss[i], 3), Fmt.fixed(finalAcc[i], 3)]
        }), caption: "B = \(b), α = \(Fmt.sig(rate)), \(epochs) epochs; ranges over the \(seeds.count) runs; "
            + "the first step and the last two columns are means over them. Saturated: |tanh| > 0.99 (slope below "
            + "0.02) on the validation images.")
        let shownSteps = 2 * warm * perEpoch
        let x = (0..<shownSteps).map { Double($0) }
        let pens = [Pen.named("constant"), Pen.named("warm-up + cosine")]
        let title = "The first \(shownSteps) steps at α = \(Fmt.sig(rate)), B = \(b), \(seeds.count) runs"
        let warmEnd = [Marker(x: Double(warm * perEpoch), label: "warm-up ends")]
        // Per step, the median and the range over the set of a quantity of each run (runs that stopped early,
        // by divergence, drop out of the steps they did not reach).
        func bandSeries(_ i: Int, _ value: (TrainingResult, Int) -> Double) -> Series {
            let columns = (0..<shownSteps).map { t in
                runs[i].filter { $0.run.losses.count > t && $0.run.gradientNorms.count > t }.map { value($0.run, t) }
                    .sorted()
            }
            return Series(title: schedules[i].name, style: .band, x: x, y: columns.map { $0.isEmpty ? .nan : median($0) },
                          low: columns.map { $0.first ?? .nan }, high: columns.map { $0.last ?? .nan }, pen: pens[i])
        }
        try await nb.figure(Figure(name: "warm-up", title: title,
                                   plots: [
            Plot(title: "mini-batch loss", xLabel: "step", yLabel: "loss", yScale: .log, yRange: 1e-3...1e2,
                 key: .below, series: schedules.indices.map { i in bandSeries(i) { r, t in r.losses[t] } },
                 markers: warmEnd),
            Plot(title: "step length αₜ‖gₜ‖", xLabel: "step", yLabel: "αₜ · ‖∇L(θₜ)‖", yScale: .log, yRange: 1e-2...1e2,
                 key: .below,
                 series: schedules.indices.map { i in bandSeries(i) { r, t in r.learningRates[t] * r.gradientNorms[t] } },
                 markers: warmEnd),
        ], columns: 2), caption: "The median of the \(seeds.count) runs (line) and their range (band); the warm-up "
            + "ends at step \(warm * perEpoch) (grey line). Left: without warm-up the loss jumps in the first steps, with "
            + "it the loss falls at first and climbs back late in the warm-up; right: each step's length, the rate "
            + "times the gradient norm.")
        // The longest step αₜ‖gₜ‖ of each run over the first 2W steps (the warm-up and as long again).
        let longest = runs.map { r in r.map { o in
            let n = min(2 * warm * perEpoch, o.run.gradientNorms.count)
            return (0..<n).map { o.run.learningRates[$0] * o.run.gradientNorms[$0] }.max()!
        } }
        // Warm-up's validation loss at the end, run by run (same split, weights and batches as the run without it).
        let gain = zip(runs[0], runs[1]).map { $0.loss - $1.loss }
        let lowerWithWarmUp = gain.filter { $0 > 0 }.count
        let gainMean = Spread(gain).mean
        let gainSE = (gain.map { ($0 - gainMean) * ($0 - gainMean) }.reduce(0, +) / Double(gain.count - 1)).squareRoot()
            / Double(gain.count).squareRoot()
        nb.notice(nb.claim("""
            Without warm-up the first step is \(range(firstStep[0].min()!, firstStep[0].max()!, Fmt.sig(_:_:), 2)) \
            long (\(Fmt.sig(rate)) × ‖g₀‖) and the loss jumps to at least \
            \(Fmt.sig(spike[0].min()!, 2))× its initial value within the first epoch in every run; with warm-up the \
            loss of the first epoch \(spike[1].max()! <= 1 ? "never exceeds the initial one"
                : "stays below \(Fmt.sig(spike[1].max()!, 2))× the initial one").
            """, holds: spike[0].min()! > 1.2 && spike[1].max()! < 1.3 && zip(spike[0], spike[1]).allSatisfy { $0 > $1 }, evidence: "spikes \(spike)")
            + " " + nb.claim("""
            The jump is not a divergence — no run's loss becomes non-finite — but after the first epoch \
            \(pct(saturated[0])) of the hidden units are saturated without warm-up against \(pct(saturated[1])) with \
            it, in every run.
            """, holds: diverged == [0, 0] && saturated[0].min()! > saturated[1].max()! + 0.3,
            evidence: "saturated \(saturated), diverged \(diverged)")
            + " " + nb.claim("""
            At the end the warmed-up run has the lower validation loss in \(lowerWithWarmUp == seeds.count ? "all \(seeds.count)" : "\(lowerWithWarmUp) of the \(seeds.count)") \
            pairs of runs (means \(Fmt.fixed(finalLoss[1], 3)) with warm-up and \(Fmt.fixed(finalLoss[0], 3)) without; \
            the chapter checks only that it is at least half of them, as a smaller gain would not be seen on every seed set).
            """, holds: 2 * lowerWithWarmUp >= seeds.count,
            evidence: "loss gain per run \(gain), standard error \(gainSE)"))
        // Where each run takes its longest step over the first 2W steps, and the gradient norm there.
        let longestAt = runs.map { r in r.map { o -> Int in
            let n = min(2 * warm * perEpoch, o.run.gradientNorms.count)
            let len = (0..<n).map { o.run.learningRates[$0] * o.run.gradientNorms[$0] }
            return len.indices.max { len[$0] < len[$1] }!
        } }
        let gLongest = zip(runs[1], longestAt[1]).map { o, k in o.run.gradientNorms[k] }
        let g0s = runs[1].map { $0.run.gradientNorms[0] }
        // The warm-up runs' largest mini-batch loss after the first epoch and up to 2W, ÷ their initial loss.
        let lateSpike = runs[1].map { o in
            o.run.losses[perEpoch..<min(2 * warm * perEpoch, o.run.losses.count)].max()! / o.run.losses[0]
        }
        let satW = runs.map { r in r.map { $0.saturation[warm * perEpoch]! } }
        func steps(_ v: [Int]) -> String { v.min()! == v.max()! ? "\(v[0])" : "\(v.min()!)–\(v.max()!)" }
        let shorter = nb.claim("""
            Warm-up makes the long steps later and shorter: over the first \(2 * warm * perEpoch) steps the longest \
            step αₜ‖gₜ‖ (Figure 3, right) comes at step \(steps(longestAt[1])) with warm-up against \
            \(steps(longestAt[0])) without — later in every run — and is \
            \(range(longest[1].min()!, longest[1].max()!, Fmt.sig(_:_:), 2)) long against \
            \(range(longest[0].min()!, longest[0].max()!, Fmt.sig(_:_:), 2)), on average \
            \(Fmt.sig(Spread(longest[1]).mean / Spread(longest[0]).mean, 2))× as long.
            """, holds: zip(longestAt[0], longestAt[1]).allSatisfy { $1 > $0 }
                && Spread(longest[1]).mean < 0.8 * Spread(longest[0]).mean,
            evidence: "longest steps \(longest) at \(longestAt)")
        // Has the gradient at the warm-up's longest step grown since the first step, on every seed or on average?
        let grownEverywhere = zip(gLongest, g0s).allSatisfy { $0 > $1 }
        let grownOnMean = Spread(gLongest).mean > Spread(g0s).mean
        let notFallen = nb.claim("""
            But the gradient has not fallen\(grownEverywhere ? " by then — it has grown, on every seed"
                : grownOnMean ? " by then — on average it has grown"
                : " much by then — on average by \(Fmt.fixed(100 * (1 - Spread(gLongest).mean / Spread(g0s).mean), 0)) %"): \
            at that step its norm is \
            \(range(gLongest.min()!, gLongest.max()!, Fmt.sig(_:_:), 2)) (mean \(Fmt.sig(Spread(gLongest).mean, 2))), \
            against \(range(g0s.min()!, g0s.max()!, Fmt.sig(_:_:), 2)) (mean \(Fmt.sig(Spread(g0s).mean, 2))) at the \
            first step.
            """, holds: grownEverywhere || grownOnMean || Spread(gLongest).mean > 0.6 * Spread(g0s).mean,
            evidence: "g at longest \(gLongest), g0 \(g0s)")
        let stillSaturates = nb.claim("""
            The mini-batch loss climbs back up late in the warm-up, to \
            \(range(lateSpike.min()!, lateSpike.max()!, Fmt.sig(_:_:), 2))× its initial value, and at its end (step \
            \(warm * perEpoch)) \(pct(satW[1])) of the hidden units are saturated, against \(pct(satW[0])) without \
            warm-up: with warm-up, more than two fifths of the hidden units are saturated in every run.
            """, holds: satW[1].min()! > 0.4, evidence: "saturation at W \(satW), late spike \(lateSpike)")
        nb.prose("""
            The usual explanation is that at initialisation, with the network at chance, the gradient is large, and \
            a full-size step along it is long enough to push the hidden units into tanh's flat tails, where their \
            gradients vanish (chapters 1 and 8); warm-up keeps the first steps short until the loss — and with it \
            the gradient — has fallen. The first half matches the runs above: the first steps without warm-up are \
            long, and after one epoch most units are saturated. The second half does not. \(shorter) \(notFallen) \
            \(stillSaturates) So here warm-up delays the long steps and the saturation rather than avoiding them, and \
            the saturation column of Table 2, measured after the first epoch, shows the delay. Why the warmed-up runs \
            still end lower (in at least half the pairs) this chapter does not measure. Nor does it measure whether warm-up moves \
            the bend of Table 1; the expectation is that it does not — a rate too large for the curvature of the \
            trained network should still fail after the warm-up ends — and exercise 3 tests it at α = 64.
            """)
    }

    // MARK: 3. LARS

    func lars() {
        nb.section("What the cited paper adds: LARS")
        nb.prose("""
            You, Gitman & Ginsburg (2017) argue in their abstract that the recipe of linear scaling with warm-up \
            "is not general enough and training may diverge" at large batches, and trace the trouble to layers whose \
            ratio ‖w‖/‖∇w‖ differs by orders of magnitude: a global rate safe for one layer is too small or too large \
            for another. **LARS** (layer-wise \
            adaptive rate scaling) gives layer l the local rate η·‖w_l‖/‖∇L(w_l)‖ (with weight decay in the \
            denominator), times the global, warmed-up and decayed rate; with it, their abstract says, they scaled \
            AlexNet to a batch of 8K and ResNet-50 to 32K without loss in accuracy. \
            The library has no LARS optimizer, so this chapter does not train with it; exercise 2 measures the ratio \
            LARS reads for the two layers of this network.
            """)
    }

    // MARK: Exercises

    func exercises(_ labs: [BatchLab], seeds: [UInt64], searches: [RateSearch]) {
        let lab = labs[0], n = seeds.count
        let best256 = searches.first { $0.batchSize == 256 }!.smoothBest
        nb.exercise("""
            Goyal et al. use SGD with momentum 0.9. Repeat the search of Table 1 with momentum 0.9 for B = 4, 16, 64 \
            and 256. Does the linear rule hold over the same range? Is each best rate smaller than plain SGD's, and \
            by about what factor would [chapter 9](../ch09-momentum/README.md)'s effective rate α/(1 − β) predict? \
            Look for the factor between the two best rates at each B, and for the first B at which α ÷ B falls below \
            half its B = 4 value.
            """, solution: "momentum") {
            // solution: momentum
            var previous = -14
            let rows = [4, 16, 64, 256].map { b -> (Int, Double) in
                // The same seed set and averaging as Table 1, so the two best rates compare like with like.
                let s = RateSearch(batchSize: b, window: (previous - 1)...(previous + 3)) { ks in
                    let l = nb.parallelMap(ks.count * n) { j in
                        labs[j % n].train(batchSize: b, rate: gridRate(ks[j / n]), momentum: 0.9,
                                          epochs: Chapter10.epochs, seed: seeds[j % n]).loss
                    }
                    return ks.indices.map { Array(l[($0 * n)..<(($0 + 1) * n)]) }
                }
                previous = s.bestIndex
                return (b, s.smoothBest)
            }
            let r0 = rows[0].1 / 4
            let sgd = rows.map { b, _ in searches.first { $0.batchSize == b }!.smoothBest }
            let factors = zip(sgd, rows).map { $0 / $1.1 }
            let momentumBreak = rows.first { $0.1 / Double($0.0) < r0 / 2 }?.0
            let sgdR0 = searches[0].ratio
            let sgdBreak = rows.first { b, _ in searches.first { $0.batchSize == b }!.ratio < sgdR0 / 2 }?.0
            func name(_ b: Int?) -> String { b.map { "B = \($0)" } ?? "none of these sizes" }
            return zip(rows, factors).map { r, f in
                let ratio = r.1 / Double(r.0)
                return "B = \(r.0): best α \(Fmt.sig(r.1, 3)) (plain SGD's ÷ \(Fmt.sig(f, 2))), "
                    + "α ÷ B = \(Fmt.sci(ratio, 2)) (\(Fmt.sig(ratio / r0, 2))× the B = 4 ratio)"
            }.joined(separator: "\n") + """

                With momentum β the step accumulates about 1/(1 − β) = 10 gradients, so the effective rate is \
                α/(1 − β) (chapter 9): the best α is plain SGD's divided by \(Fmt.sig(factors.min()!, 2))–\
                \(Fmt.sig(factors.max()!, 2)) here. The ratio α ÷ B first falls below half its B = 4 value at \
                \(name(momentumBreak)) with momentum and at \(name(sgdBreak)) for plain SGD (Table 1, same sizes)\
                \(momentumBreak == sgdBreak ? ": the same place; momentum does not move the bend here"
                    : "; momentum moves the bend on this seed set").
                """
            // end solution
        }
        nb.exercise("""
            LARS scales each layer's rate by ‖w_l‖/‖∇w_l‖. Compute that ratio for the two weight matrices of this \
            network at initialisation (a batch of 256) and after 10 epochs at B = 16, α = 1. How different are the \
            two layers, and what would LARS do with that? Look for the quotient of the two layers' ratios, and \
            whether training changes it.
            """, solution: "lars-ratio") {
            // solution: lars-ratio
            var rng = SeededGenerator(seed: nb.seed)
            let theta0 = lab.network.initialParameters(.xavierUniform, using: &rng)
            let trained = lab.train(batchSize: 16, rate: 1, epochs: 10, seed: nb.seed).run.parameters
            func ratios(_ theta: [Double]) -> [Double] {
                let ws = MLP.Workspace(network: lab.network, batchSize: 256)
                let rows = Array(0..<256)
                var x = Matrix(rows: 0, columns: lab.data.inputCount)
                var y = Matrix(rows: 0, columns: lab.data.outputCount)
                lab.data.training.inputs.gatherRows(rows[...], into: &x)
                lab.data.training.targets.gatherRows(rows[...], into: &y)
                ws.lossAndGradient(theta, input: x, target: y, loss: lab.data.loss, updatingStatistics: false)
                let grad = lab.network.layerGradientNorms(ws.gradient)
                return lab.network.layers.indices.map { l in
                    let w = lab.network.layers[l].weightRange
                    return (theta[w].reduce(0) { $0 + $1 * $1 }).squareRoot() / grad[l]
                }
            }
            let r0 = ratios(theta0), r1 = ratios(trained)
            return """
                ‖w‖/‖∇w‖ at initialisation: layer 1 \(Fmt.sig(r0[0], 3)), layer 2 \(Fmt.sig(r0[1], 3)) \
                (layer 1 ÷ layer 2 = \(Fmt.sig(r0[0] / r0[1], 2))); after 10 epochs: \(Fmt.sig(r1[0], 3)) and \
                \(Fmt.sig(r1[1], 3)) (÷ \(Fmt.sig(r1[0] / r1[1], 2))). One global rate moves each layer by \
                α‖∇w‖ relative to its size ‖w‖, i.e. by α divided by these ratios: the layer with the smaller ratio \
                changes relatively faster and is the first to break when α grows. LARS divides that out, so each \
                layer changes by the same fraction η of its norm per step. In this two-layer network the two \
                ratios differ by a factor \(Fmt.sig(max(r0[0] / r0[1], r0[1] / r0[0]), 2)) at initialisation; in \
                the deep convolutional networks of the paper they differed by orders of magnitude from layer to \
                layer, which is why one rate could not serve every layer.
                """
            // end solution
        }
        nb.exercise("""
            Warm-up removes the first-epoch spike at α = 16. Does it also rescue α = 64 at B = 256? Train 20 epochs \
            with and without a 5-epoch warm-up, and as a baseline 20 epochs at Table 1's best rate at B = 256 \
            (\(Fmt.sig(best256, 3)); Table 1 trained only 10). Look for whether either α = 64 run ends near the \
            baseline's validation loss. What does that say about what warm-up can and cannot do?
            """, solution: "too-large") {
            // solution: too-large
            let b = 256, per = lab.task(batchSize: b).stepsPerEpoch
            let plain = lab.train(batchSize: b, rate: 64, epochs: 20, seed: nb.seed)
            let warmUp = Schedule.warmup(LinearWarmup(steps: 5 * per, then: .constant))
            let warmed = lab.train(batchSize: b, rate: 64, schedule: warmUp, epochs: 20, seed: nb.seed)
            let good = lab.train(batchSize: b, rate: best256, epochs: 20, seed: nb.seed)
            return """
                B = 256, 20 epochs: α = 64 without warm-up: validation loss \(Fmt.fixed(plain.loss, 3)) (accuracy \
                \(Fmt.fixed(plain.accuracy, 3))); with a 5-epoch warm-up: \(Fmt.fixed(warmed.loss, 3)) \
                (\(Fmt.fixed(warmed.accuracy, 3))); α = \(Fmt.sig(best256, 3)), Table 1's best, without warm-up: \
                \(Fmt.fixed(good.loss, 3)) (\(Fmt.fixed(good.accuracy, 3))).
                """ + " " + (min(plain.loss, warmed.loss) > good.loss
                    ? "Both runs at α = 64 end above the baseline (\(Fmt.sig(plain.loss / good.loss, 2))× and "
                        + "\(Fmt.sig(warmed.loss / good.loss, 2))× its loss): warm-up changes the first steps (section "
                        + "2) but does not make a rate this far past the bend as good as the best one. Past the bend, "
                        + "the rate has to stop growing with the batch, warm-up or not."
                    : "Here at least one α = 64 run reaches the baseline's loss: on this split and draw the rate is "
                        + "not too large once warmed up.")
            // end solution
        }
    }
}
