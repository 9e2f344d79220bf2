import Descent
import Figures
import Notebook
import RealModule

extension Chapter7 {
    /// The quadratic f = 0.1x² + 2y²: λmin = 0.2, λmax = 4.
    static let twoOverLambdaMax = 0.5
    static let bestFixed = 2 / (0.2 + 4.0)

    /// The numbers section 3's prose quotes about the smoothing lag, each named for the curve it
    /// is read from (a past defect: the prose quoting the smoothed loss where the raw one is meant
    /// survived a mutation audit; the tests check these against the sweep).
    struct SmoothingLag {
        /// Index of the raw loss's minimum, its rate and its (raw) loss.
        let raw: Int, rawRate: Double, rawLoss: Double
        /// Index of the smoothed loss's minimum, its rate, the smoothed loss there and the raw loss there.
        let smooth: Int, smoothRate: Double, smoothedLoss: Double, rawLossAtSmooth: Double
        /// The smoothed loss ÷ the raw loss at the raw minimum.
        let smoothedOverRawAtRaw: Double

        init(_ sweep: RangeTest.Result) {
            raw = sweep.losses.indices.min { sweep.losses[$0] < sweep.losses[$1] }!
            smooth = sweep.smoothed.indices.min { sweep.smoothed[$0] < sweep.smoothed[$1] }!
            rawRate = sweep.rates[raw]
            rawLoss = sweep.losses[raw]
            smoothRate = sweep.rates[smooth]
            smoothedLoss = sweep.smoothed[smooth]
            rawLossAtSmooth = sweep.losses[smooth]
            smoothedOverRawAtRaw = sweep.smoothed[raw] / sweep.losses[raw]
        }
    }

    func smoothingLag() async throws {
        let sweep = quadraticSweep(steps: 100, smoothing: 0.98)
        let lag = SmoothingLag(sweep)
        let smooth = lag.smooth
        let rawRate = lag.rawRate, smoothRate = lag.smoothRate
        let growth = Double.pow(1e7, 50.0 / 99)
        let curve = FastaiCurve(sweep, iterations: 100)
        let stopRate = sweep.rates.last!, keptEnd = curve.rates.last!
        let dropped = smooth >= curve.offset + curve.rates.count
        let picks = [("valley", curve.valley()), ("steep", curve.steep()), ("minimum", curve.minimum()),
                     ("slide", curve.slide())]
        let minimum = curve.minimum()!
        let ratios = picks.compactMap { $0.1.map { $0.rate / Self.bestFixed } }
        let lastKept = curve.offset + curve.rates.count - 1
        let keptRange = "\(curve.offset)..<\(curve.offset + curve.rates.count)"
        let otherPicks = picks.filter { $0.0 != "minimum" }
            .compactMap { n, p in p.map { "\(Fmt.sig($0.rate, 3)) (\(n))" } }
        nb.prose("""
            Every fastai rule reads the *smoothed* curve of a sweep, and that curve lags the loss it smooths. On the \
            quadratic of chapter 2, $f = 0.1x^2 + 2y^2$ (λmin = 0.2, λmax = 4), plain gradient descent is fastest at \
            2/(λmin + λmax) = \(Fmt.sig(Self.bestFixed, 4)) and diverges beyond 2/λmax = 0.5. A sweep of 100 steps \
            from 10⁻⁶ to 10 from (−5, −2), one step per rate: \
            \(nb.claim("the raw loss keeps falling past the threshold",
                       holds: rawRate > Self.twoOverLambdaMax,
                       evidence: "raw minimum at α = \(rawRate), 2/λmax = 0.5")) until α = \(Fmt.sig(rawRate, 3)) \
            (loss \(Fmt.sig(lag.rawLoss, 2))): beyond it the y-coordinate grows by |1 − 4α| per step, but it \
            starts tiny, and the rate grows by \(Fmt.sig(100 * (sweep.rates[1] / sweep.rates[0] - 1), 2)) % per step \
            while it does. The smoothing adds its own lag: an average with β = 0.98 remembers about 1/(1 − β) = 50 \
            steps, half of this sweep, during which the rate grows by a factor of about \(Int(growth.rounded())). The \
            smoothed loss is lowest at α = \(Fmt.sig(smoothRate, 3)), \
            \(Fmt.sig(smoothRate / Self.twoOverLambdaMax, 2))× above 2/λmax, where it is \
            \(Fmt.sig(lag.smoothedLoss, 3)) (raw \(Fmt.sig(lag.rawLossAtSmooth, 2))); at the raw minimum the \
            smoothed loss is still \(Int(lag.smoothedOverRawAtRaw.rounded()))× the raw one.
            """)
        nb.prose("""
            fastai's rules do not read that far. The sweep stopped at α = \(Fmt.sig(stopRate, 3)), once the smoothed \
            loss exceeded 4× its lowest, and the rules drop the last 5 points: the curve they read ends at \
            α = \(Fmt.sig(keptEnd, 3)), \
            \(nb.claim("before the smoothed minimum",
                       holds: dropped && keptEnd < smoothRate,
                       evidence: "smoothed minimum at index \(smooth), kept points \(keptRange)")). \
            \(nb.claim("The minimum rule therefore takes that last point, the lowest it sees, and returns a tenth "
                            + "of its rate, \(Fmt.sig(minimum.rate, 3))",
                       holds: minimum.index == lastKept,
                       evidence: "minimum's point \(minimum.index), last kept \(lastKept)")); \
            the other three rules read the shape of the descent and return \(words(otherPicks)). \
            \(nb.claim("So on this sweep every fastai rule returns a rate below the best fixed rate, by a factor "
                            + "between \(Fmt.sig(1 / ratios.max()!, 2)) and \(Int((1 / ratios.min()!).rounded())) "
                            + "(table 5, below). The lag carries the smoothed minimum past the divergence threshold, "
                            + "but no rule reads that minimum: here the rules err low, not high.",
                       holds: ratios.count == 4 && ratios.allSatisfy { $0 < 1 },
                       evidence: "rule rates ÷ optimum: \(ratios)"))
            """)
        try await nb.figure(Figure(name: "smoothing-lag", title: "Range test on the quadratic: raw and smoothed loss",
                                   plots: [
            Plot(xLabel: "learning rate", yLabel: "loss f(θ)", xScale: .log, yScale: .log, key: .auto, series: [
                Series(title: "loss after each step", style: .points, x: sweep.rates, y: sweep.losses,
                       pen: .named("loss")),
                Series(title: "smoothed (β = 0.98)", x: sweep.rates, y: sweep.smoothed, pen: .named("SGD")),
            ], markers: [Marker(x: Self.twoOverLambdaMax, label: "2/λmax = 0.5", color: 1),
                         Marker(x: keptEnd, label: "last point the rules read, " + Fmt.sig(keptEnd, 3), color: 3),
                         Marker(x: smoothRate, label: "smoothed minimum " + Fmt.sig(smoothRate, 3), color: 2)]),
        ]), caption: "The raw loss falls past 2/λmax for a while; the smoothed curve trails it, and its minimum "
                     + "lies past the last point fastai's rules read, α = \(Fmt.sig(keptEnd, 3)) (all three marked).")
    }

    func quadraticCheck() throws {
        let sweep = quadraticSweep(steps: 100, smoothing: 0.98)
        let curve = FastaiCurve(sweep, iterations: 100)
        let budget = 100
        // The trusted part of the sweep (fastai's trimming, never below its start) and the start's value to beat.
        let range = VerifiedSearch.trusted(sweep, iterations: 100, minimumRate: 1e-6)!
        let verified = VerifiedSearch().run(range: range, budget: budget, untrainedLoss: quadraticLoss(rate: 0, steps: 0).loss,
                                            screen: quadraticLoss, train: quadraticLoss)
        let verifiedRate = verified.rate ?? .nan
        let picks: [(String, Double?)] = [("valley", curve.valley()?.rate), ("steep", curve.steep()?.rate),
                                          ("minimum", curve.minimum()?.rate), ("slide", curve.slide()?.rate),
                                          ("verified (B = \(budget))", verified.rate)]
        nb.prose("""
            On the quadratic everything is known: gradient descent is fastest at 2/(λmin + λmax) = \
            \(Fmt.sig(Self.bestFixed, 4)) and diverges beyond 2/λmax = 0.5 (chapter 2). The same sweep, every rule:
            """)
        nb.table(Table(header: ["rate", "value", "÷ 2/(λmin + λmax)"], rows: [
            ["best fixed rate 2/(λmin + λmax)", Fmt.sig(Self.bestFixed, 4), "1"],
            ["divergence 2/λmax", "0.5", Fmt.sig(0.5 / Self.bestFixed, 3)],
        ] + picks.map { name, r in
            [name, r.map { Fmt.sig($0, 3) } ?? "—", r.map { Fmt.sig($0 / Self.bestFixed, 2) } ?? "—"]
        }), caption: "fastai's rules and verified against the analytic optimum (plain SGD from (−5, −2)).")
        let ratio = verifiedRate / Self.bestFixed
        nb.prose("""
            On the quadratic: 2/(λmin+λmax) = \(Fmt.sig(Self.bestFixed, 4)); verified (B = \(budget)) = \
            \(Fmt.sig(verifiedRate, 4)) after \(verified.trials.count) runs (\(Fmt.sig(verified.trainings, 3)) \
            trainings of \(budget) steps). It reads only the part of the sweep fastai's rules read (up to \
            α = \(Fmt.sig(range.upperBound, 3))), so its candidates sit half a decade apart below that point wherever \
            it falls\(verifiedRate * 10.0.squareRoot() > Self.twoOverLambdaMax
                ? ", and here half a decade above its answer, \(Fmt.sig(verifiedRate * 10.0.squareRoot(), 3)), lies past the divergence threshold" : ""). \
            \(nb.claim("Verified, which only tries rates half a decade apart and one between, lands within a factor √10 "
                            + "(its candidates' spacing) of the optimum and below the divergence threshold.",
                       holds: ratio > 1 / 10.0.squareRoot() && ratio < 10.0.squareRoot() && verifiedRate < Self.twoOverLambdaMax,
                       evidence: "verified \(verifiedRate), optimum \(Self.bestFixed)"))
            """)
    }

    func oneCycle(reports: [RuleReport], tasks: [DigitsTask]) async throws {
        let peak = reports.first { $0.optimizer == "momentum" }!.verifiedRate
        let every = max(1, budget / 20)
        let schedules: [(String, Schedule)] = [("constant", .constant),
                                               ("cosine", .cosine(CosineAnnealing(period: budget))),
                                               ("one-cycle", .oneCycle(OneCycle(totalSteps: budget)))]
        let runs = schedules.map { _, s in
            tasks.map { $0.curve(SGD(learningRate: peak, momentum: 0.9), schedule: s, steps: budget, every: every) }
        }
        nb.prose("""
            Smith's one-cycle policy (Smith 2018, [arXiv:1803.09820](https://arxiv.org/abs/1803.09820)) uses a found \
            rate as a *maximum*: warm up from α/25 to α over the first 30 % of training with a cosine, then anneal to \
            α/(25·10⁴). `Descent` implements PyTorch's `OneCycleLR` (cosine, two phases) without its momentum cycling, \
            checked against PyTorch in the tests. SGD with momentum 0.9 on digits, one-cycle peak α = \
            \(Fmt.sig(peak, 4)) (the verified suggestion for momentum), B = \(budget) steps, \(tasks.count) \
            seed\(tasks.count > 1 ? "s" : ""), against a constant rate and cosine decay from the same α.
            """)
        func mean(_ r: [[(step: Int, loss: Double)]]) -> [Double] {
            let n = r.map(\.count).min()!
            return (0..<n).map { t in r.map { $0[t].loss }.reduce(0, +) / Double(r.count) }
        }
        let cycleTitle = "SGD + momentum from the verified rate α = \(Fmt.sig(peak, 3)): three schedules"
        // Cosine starts at the constant rate and lies on its curve for a while: the middle panel divides
        // by the constant rate's loss, so where the two part is visible.
        let constantMean = mean(runs[0])
        let relative = zip(schedules, runs).dropFirst().map { s, r -> (String, [Double]) in
            let m = mean(r)
            return (s.0, zip(m, constantMean).map { $0 / $1 })
        }
        let cosineRel = relative[0].1
        let partIndex = cosineRel.firstIndex { abs($0 - 1) > 0.02 }
        let partStep = partIndex.map { runs[1][0][$0].step }
        try await nb.figure(Figure(name: "one-cycle", title: cycleTitle, plots: [
            Plot(title: "validation loss (mean over seeds)", xLabel: "step", yLabel: "validation loss", yScale: .log,
                 yRange: 0.05...5, key: .auto,
                 series: zip(schedules, runs).map { s, r in
                     // Cosine starts on the constant rate's curve: a dashed line without markers lets the
                     // constant rate's markers show through.
                     Series(title: s.0, style: s.0 == "cosine" ? .lines : .linesPoints,
                            x: r[0].prefix(mean(r).count).map { Double($0.step) }, y: mean(r),
                            pen: .named(s.0), dashed: s.0 == "cosine")
                 }),
            Plot(title: "validation loss ÷ the constant rate's", xLabel: "step", yLabel: "ratio", key: .auto,
                 series: relative.map { n, v in
                     Series(title: n, style: .linesPoints, x: runs[0][0].prefix(v.count).map { Double($0.step) }, y: v,
                            pen: .named(n))
                 } + [Series(title: "constant", x: [0, Double(budget)], y: [1, 1], pen: .named("constant"))]),
            Plot(title: "learning rate", xLabel: "step", yLabel: "α_t", yRange: 0...(1.2 * peak), key: .below,
                 series: schedules.map { s in
                Series(title: s.0, x: (0..<budget).map(Double.init),
                       y: (0..<budget).map { s.1.rate(at: $0, base: peak) }, pen: .named(s.0))
            }),
        ], columns: 3, size: (1500, 560)),
            caption: "Left: the validation loss every \(every) steps, mean over the \(tasks.count) seeds (table 4 gives "
                + "their spread at the end); middle: each schedule's loss ÷ the constant rate's — "
                + (partStep.map { "cosine stays within 2 % of the constant rate's loss until step \($0), so on the "
                    + "left it lies on the constant rate's curve until then" } ?? "cosine stays within 2 % of the "
                    + "constant rate's loss throughout")
                + "; right: the three schedules at the same peak rate.")
        let finals = zip(schedules, runs).map { s, r -> (String, [Double]) in (s.0, r.map { $0.last!.loss }) }
        // Seed by seed against the constant rate: the same split, weights and batches, only the schedule differs.
        let lower = finals.map { _, v in zip(v, finals[0].1).filter { $0 < $1 }.count }
        nb.table(Table(header: ["schedule", "final val loss: mean (min – max over the \(tasks.count) seeds)",
                                "below the constant rate's"], rows: finals.indices.map { i in
            let s = Spread(finals[i].1)
            return [finals[i].0, "\(Fmt.fixed(s.mean, 4)) (\(Fmt.fixed(s.min, 4)) – \(Fmt.fixed(s.max, 4)))",
                    i == 0 ? "—" : "on \(lower[i]) of \(tasks.count) seeds"]
        }), caption: "Validation loss after \(budget) steps. Last column: on how many seeds the schedule's run ends below "
            + "the constant rate's run on the same seed (same split, weights and batches).")
        // Cosine lowers the rate from the first step, while the loss is still falling at B: over 53 seed sets it
        // ended below the constant rate on at most 2 of 5 seeds. One-cycle's count swung from none to all five
        // from one seed set to another (its warm-up helps where the constant rate is too high), so it is shown,
        // not claimed.
        let n = tasks.count
        let cosineClaim = nb.claim("cosine, which lowers the rate from the first step, does not end below the "
                                       + "constant rate on every seed (on \(lower[1]) of the \(n))",
                                   holds: lower[1] < n, evidence: "seeds ending below the constant rate: \(lower)")
        let oneCycleText = lower[2] == n ? "one-cycle ends below it on all \(n)"
            : lower[2] == 0 ? "one-cycle on none of the \(n)"
            : "one-cycle on \(lower[2]) of the \(n), so these seeds do not order one-cycle and the constant rate"
        nb.prose("""
            With one-cycle peak α = \(Fmt.sig(peak, 4)), the same peak for all three schedules and the \(n) seeds of \
            table 4: \(cosineClaim); \(oneCycleText). One-cycle's purpose is to let the peak be larger than a \
            constant rate could use well, which exercise 2 tries.
            """)
    }
}
