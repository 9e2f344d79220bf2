import Descent
import Figures
import Notebook
import RealModule

extension Chapter7 {
    /// The quadratic f = 0.1x² + 2y²: λmin = 0.2, λmax = 4.
    static let twoOverLambdaMax = 0.5
    static let bestFixed = 2 / (0.2 + 4.0)

    func smoothingLag() async throws {
        let sweep = quadraticSweep(steps: 100, smoothing: 0.98)
        let raw = sweep.losses.indices.min { sweep.losses[$0] < sweep.losses[$1] }!
        let smooth = sweep.smoothed.indices.min { sweep.smoothed[$0] < sweep.smoothed[$1] }!
        let rawRate = sweep.rates[raw], smoothRate = sweep.rates[smooth]
        let growth = Double.pow(1e7, 50.0 / 99)
        nb.prose("""
            Every fastai rule reads the *smoothed* curve of a sweep, and two lags separate that curve from the \
            rates it reports: the sweep's own and the smoothing's. On the quadratic of \
            chapter 2, $f = 0.1x^2 + 2y^2$ (λmin = 0.2, λmax = 4), plain gradient descent diverges beyond \
            2/λmax = 0.5. A sweep of 100 steps from 10⁻⁶ to 10 from (−5, −2), one step per rate: \
            \(nb.claim("the raw loss keeps falling past the threshold",
                       holds: rawRate > Self.twoOverLambdaMax,
                       evidence: "raw minimum at α = \(rawRate), 2/λmax = 0.5")) until α = \(Fmt.sig(rawRate, 3)) \
            (loss \(Fmt.sig(sweep.losses[raw], 2))): beyond it the y-coordinate grows by |1 − 4α| per step, but it \
            starts tiny, and the rate grows by \(Fmt.sig(100 * (sweep.rates[1] / sweep.rates[0] - 1), 2)) % per step \
            while it does. The smoothed loss is lowest at α = \(Fmt.sig(smoothRate, 3)), \
            \(Fmt.sig(smoothRate / Self.twoOverLambdaMax, 2))× above 2/λmax, where it is \
            \(Fmt.sig(sweep.smoothed[smooth], 3)) (raw \(Fmt.sig(sweep.losses[smooth], 2))); at the raw minimum the \
            smoothed loss is still \(Int((sweep.smoothed[raw] / sweep.losses[raw]).rounded()))× the raw one. An average \
            with β = 0.98 remembers about 1/(1 − β) = 50 steps, half of this sweep, during which the rate grows by a \
            factor of about \(Int(growth.rounded())), so the smoothed curve still carries the losses of rates decades \
            smaller. \(nb.claim("Both lags push the curve's features to larger rates than the stable ones, so a rule reading the smoothed minimum (minimum ÷ 10, the end of valley's valley) starts from a rate above every stable one.",
                       holds: smoothRate > Self.twoOverLambdaMax && sweep.smoothed[raw] > 10 * sweep.losses[raw],
                       evidence: "smoothed minimum at \(smoothRate); smoothed \(sweep.smoothed[raw]) vs raw \(sweep.losses[raw])"))
            """)
        try await nb.figure(Figure(name: "smoothing-lag", title: "Range test on the quadratic: raw and smoothed loss", plots: [
            Plot(xLabel: "learning rate", yLabel: "loss f(θ)", xScale: .log, yScale: .log, key: .auto, series: [
                Series(title: "loss after each step", style: .points, x: sweep.rates, y: sweep.losses, pen: .named("loss")),
                Series(title: "smoothed (β = 0.98)", x: sweep.rates, y: sweep.smoothed, pen: .named("SGD")),
            ], markers: [Marker(x: Self.twoOverLambdaMax, label: "2/λmax = 0.5", color: 1),
                         Marker(x: smoothRate, label: "smoothed minimum " + Fmt.sig(smoothRate, 2), color: 2)]),
        ]), caption: "The raw loss falls past 2/λmax for a while; the smoothed curve trails it by decades of rate.")
    }

    func quadraticCheck() throws {
        let sweep = quadraticSweep(steps: 100, smoothing: 0.98)
        let curve = FastaiCurve(sweep, iterations: 100)
        let budget = 100
        let verified = VerifiedSearch().run(top: VerifiedSearch.topRate(of: sweep, fallback: 10), budget: budget,
                                            train: quadraticLoss)
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
        let ratio = verified.rate / Self.bestFixed
        nb.prose("""
            On the quadratic: 2/(λmin+λmax) = \(Fmt.sig(Self.bestFixed, 4)); verified (B = \(budget)) = \(Fmt.sig(verified.rate, 4)) \
            after \(verified.trials.count) runs (\(Fmt.sig(verified.trainings, 3)) trainings of \(budget) steps). \
            \(nb.claim("Verified, which only tries rates half a decade apart and one between, lands within a factor 2 of the optimum and below the divergence threshold.",
                       holds: ratio > 0.5 && ratio < 2 && verified.rate < Self.twoOverLambdaMax,
                       evidence: "verified \(verified.rate), optimum \(Self.bestFixed)"))
            """)
    }

    func oneCycle(reports: [RuleReport], tasks: [DigitsTask]) async throws {
        let peak = reports.first { $0.optimizer == "momentum" }!.verified.rate
        let every = max(1, budget / 20)
        let schedules: [(String, Schedule)] = [("constant", .constant), ("cosine", .cosine(CosineAnnealing(period: budget))),
                                               ("one-cycle", .oneCycle(OneCycle(totalSteps: budget)))]
        let runs = schedules.map { _, s in
            tasks.map { $0.curve(SGD(learningRate: peak, momentum: 0.9), schedule: s, steps: budget, every: every) }
        }
        nb.prose("""
            Smith's one-cycle policy (Smith & Topin 2018, [arXiv:1803.09820](https://arxiv.org/abs/1803.09820)) uses a \
            found rate as a *maximum*: warm up from α/25 to α over the first 30 % of training with a cosine, then anneal \
            to α/(25·10⁴). `Descent` implements PyTorch's `OneCycleLR` (cosine, two phases) without its momentum \
            cycling, checked against PyTorch in the tests. SGD with momentum 0.9 on digits, one-cycle peak \
            α = \(Fmt.sig(peak, 4)) (the verified suggestion for momentum), B = \(budget) steps, \(tasks.count) \
            seed\(tasks.count > 1 ? "s" : ""), against a constant rate and cosine decay from the same α.
            """)
        func mean(_ r: [[(step: Int, loss: Double)]]) -> [Double] {
            let n = r.map(\.count).min()!
            return (0..<n).map { t in r.map { $0[t].loss }.reduce(0, +) / Double(r.count) }
        }
        try await nb.figure(Figure(name: "one-cycle", title: "SGD + momentum from the verified rate α = \(Fmt.sig(peak, 3)): three schedules", plots: [
            Plot(title: "validation loss (mean over seeds)", xLabel: "step", yLabel: "validation loss", yScale: .log,
                 yRange: 0.05...5, key: .auto,
                 series: zip(schedules, runs).map { s, r in
                     Series(title: s.0, style: .linesPoints, x: r[0].prefix(mean(r).count).map { Double($0.step) }, y: mean(r),
                            pen: .named(s.0))
                 }),
            Plot(title: "learning rate", xLabel: "step", yLabel: "α_t", key: .auto, series: schedules.map { s in
                Series(title: s.0, x: (0..<budget).map(Double.init), y: (0..<budget).map { s.1.rate(at: $0, base: peak) }, pen: .named(s.0))
            }),
        ], columns: 2), caption: "Left: validation loss every \(every) steps; right: the three schedules at the same peak rate.")
        let finals = zip(schedules, runs).map { s, r -> (String, [Double]) in (s.0, r.map { $0.last!.loss }) }
        nb.table(Table(header: ["schedule", "final val loss (mean)", "min – max over seeds"], rows: finals.map { n, v in
            [n, Fmt.fixed(v.reduce(0, +) / Double(v.count), 4), "\(Fmt.fixed(v.min()!, 4)) – \(Fmt.fixed(v.max()!, 4))"]
        }), caption: "Validation loss after \(budget) steps.")
        let means = finals.map { ($0.0, $0.1.reduce(0, +) / Double($0.1.count)) }
        let lowest = means.filter { $0.1.isFinite }.min { $0.1 < $1.1 }
        nb.prose("""
            With one-cycle peak α = \(Fmt.sig(peak, 4)), the lowest mean validation loss after \(budget) steps: \
            \(lowest.map { "\($0.0) (\(Fmt.fixed($0.1, 4)))" } ?? "none (every schedule diverged)"); \
            \(means.map { "\($0.0) \(Fmt.fixed($0.1, 4))" }.joined(separator: ", ")). \
            One-cycle's purpose is to let the peak be larger than a constant rate could survive, which exercise 2 tries.
            """)
    }
}
