// Chapter 3, section 3: rare features, over a seed set.
import Descent
import Figures
import Notebook

extension Chapter3 {
    /// SGD against AdaGrad on sparse features; every seed of the set draws its own w*, its own
    /// examples and its own batches (both optimizers see the same batches within a seed).
    func rareFeatures() async throws {
        nb.section("Rare features, the case AdaGrad was built for")
        let steps = nb.quick ? 400 : 3000, every = max(1, steps / 100)
        let seeds = nb.seeds(nb.quick ? 5 : 10), n = seeds.count
        let runs = nb.parallelMap(n) { i in SparseSeedRun(seed: seeds[i], steps: steps, every: every) }
        let sgdRate = 0.05, adaRate = 0.5
        let sgd = runs.map { $0.sgd[sgdRate]! }, ada = runs.map { $0.ada[adaRate]! }
        // A run that diverges stops recording: its curve is shorter than a full one.
        let full = sgd[0].count, half = full / 2, h = sgd[0][half].step
        func diverged(_ c: [SparseTask.Point]) -> Bool { c.count < full || !c.last!.frequent.isFinite }
        let fourX = runs.map { $0.sgd[4 * sgdRate]! }
        let blown = fourX.filter(diverged)
        let fourTimes = blown.isEmpty
            ? "at 4× that rate it trains in every run"
            : "at 4× that rate it diverges in " + (blown.count == n ? "all \(n) runs" : "\(blown.count) of the \(n) runs")
                + ", each time within "
                + "\(blown.map { $0.last!.step + every }.max()!) steps"
        nb.prose("""
            Duchi et al. designed AdaGrad for sparse data, where some features appear rarely. A linear model on \
            \(SparseTask.features) binary features: half are on in 50 % of the examples, half in 2 %. SGD runs at \
            α = \(Fmt.sig(sgdRate)) (\(fourTimes)) and moves a rare feature's weight only on the few batches where \
            it is on; AdaGrad, at α = \(Fmt.sig(adaRate)), keeps that weight's rate large because its G stays \
            small. Batches of 16. Neither rate is tuned for this comparison; table 3 below tries both optimizers \
            over a grid of rates. Every number is over a set of \(n) seeds \
            (\(seeds.map { "\($0)" }.joined(separator: ", "))): each draws its own w*, its own \
            \(runs[0].examples) examples and its own batches, and within a seed both optimizers see the same batches.
            """)
        func band(_ name: String, _ curves: [[SparseTask.Point]], _ value: KeyPath<SparseTask.Point, Double>,
                  _ pen: String) -> Series {
            let spread = (0..<full).map { k in Spread(curves.map { $0[k][keyPath: value] }) }
            return Series(title: name, style: .band, x: curves[0].map { Double($0.step) }, y: spread.map(\.mean),
                          low: spread.map(\.min), high: spread.map(\.max), pen: .named(pen))
        }
        func panel(_ title: String, _ value: KeyPath<SparseTask.Point, Double>) -> Plot {
            Plot(title: title, xLabel: "step", yLabel: "mean |wⱼ − w*ⱼ|", yScale: .log, series: [
                band("SGD, α = \(Fmt.sig(sgdRate))", sgd, value, "SGD"),
                band("AdaGrad, α = \(Fmt.sig(adaRate))", ada, value, "AdaGrad"),
            ])
        }
        try await nb.figure(Figure(name: "rare-features", title: "Weight error on rare and frequent features", plots: [
            panel("rare features (on in 2 % of examples)", \.rare), panel("frequent features (on in 50 %)", \.frequent),
        ], columns: 2), caption: """
            Mean absolute error of the learnt weights: the line is the mean over the \(n) seeds, the shaded band \
            their smallest to largest. On the frequent features the two bands end up on top of each other; on the \
            rare ones AdaGrad's falls first.
            """)
        func spread(_ values: [Double]) -> String {
            let s = Spread(values)
            return "\(Fmt.sci(s.mean, 2)) (\(Fmt.sci(s.min, 2))–\(Fmt.sci(s.max, 2)))"
        }
        func row(_ name: String, _ c: [[SparseTask.Point]]) -> [String] {
            [name, spread(c.map { $0[half].rare }), spread(c.map { $0.last!.rare }),
             spread(c.map { $0[half].frequent }), spread(c.map { $0.last!.frequent })]
        }
        let fit = (rare: runs.map(\.fit.rare), frequent: runs.map(\.fit.frequent))
        nb.table(Table(header: ["", "rare, step \(h)", "rare, end", "frequent, step \(h)", "frequent, end"], rows: [
            row("SGD, α = \(Fmt.sig(sgdRate))", sgd),
            row("AdaGrad, α = \(Fmt.sig(adaRate))", ada),
            ["least-squares fit of each seed's \(runs[0].examples) examples", spread(fit.rare), spread(fit.rare),
             spread(fit.frequent), spread(fit.frequent)],
        ]), caption: "Mean |wⱼ − w*ⱼ| halfway and at the end, mean (smallest–largest) over the \(n) seeds; the last "
            + "row is the exact minimiser of each seed's training loss, solved from the normal equations.")

        // Halfway: AdaGrad ahead on the rare weights in every run, level with SGD on the frequent ones.
        let gain = zip(sgd, ada).map { $0[half].rare / $1[half].rare }
        let g = Spread(gain)
        let frequent = (sgd: Spread(sgd.map { $0[half].frequent }).mean, ada: Spread(ada.map { $0[half].frequent }).mean)
        let level = max(frequent.sgd / frequent.ada, frequent.ada / frequent.sgd)
        let perRun = Spread(zip(sgd, ada).map { $0[half].frequent / $1[half].frequent })
        let faster = nb.claim("""
            At step \(h) AdaGrad's mean rare-weight error is below SGD's in all \(n) runs, \(Fmt.sig(g.mean, 2))× \
            smaller on average (\(Fmt.sig(g.min, 2))–\(Fmt.sig(g.max, 2))× over the seeds); on the frequent \
            features the two are level: their means over the set are \(Fmt.sci(frequent.sgd, 2)) (SGD) and \
            \(Fmt.sci(frequent.ada, 2)) (AdaGrad), within \(Fmt.sig(level, 2))× of each other (SGD's over \
            AdaGrad's \(Fmt.sig(perRun.min, 2))–\(Fmt.sig(perRun.max, 2))× run by run).
            """, holds: g.min > 1.3 && level < 1.5,
            evidence: "rare gains \(gain), frequent means SGD \(frequent.sgd) AdaGrad \(frequent.ada)")
        // The end: the lead is gone; both sit near the least-squares fit.
        let endRatio = zip(ada, sgd).map { $0.last!.rare / $1.last!.rare }
        let e = Spread(endRatio)
        let higher = endRatio.filter { $0 > 1 }.count
        let offFit = zip(sgd + ada, fit.rare + fit.rare).map { $0.last!.rare / $1 }.max()!
        let fitNote = nb.claim("""
            Both head for the least-squares fit of their seed's \(runs[0].examples) examples, the minimiser of the \
            loss they descend, and its weights are themselves \(Fmt.sci(Spread(fit.rare).mean, 2)) (rare) and \
            \(Fmt.sci(Spread(fit.frequent).mean, 2)) (frequent) from w* on average: a rare feature is on in only \
            about \(Int((0.02 * Double(runs[0].examples)).rounded())) examples, each with label noise 0.1 \
            (0.1/√40 ≈ 0.016). After \(steps) steps every run's rare error is within \(Fmt.sig(offFit, 2))× the \
            fit's, and AdaGrad's lead is gone: its rare error is \(Fmt.sig(e.mean, 2))× SGD's on average \
            (\(Fmt.sig(e.min, 2))–\(Fmt.sig(e.max, 2))× over the seeds, higher in \(higher) of the \(n) runs). \
            AdaGrad's rate for a rare weight, α/√G, stays large because G stays small, so the noise of the few \
            batches that contain the feature keeps moving that weight: at these rates its advantage is speed on the \
            rare coordinates, not a better end point.
            """, holds: e.mean > 0.9 && g.mean > 2 && offFit < 3,
            evidence: "end ratios AdaGrad/SGD \(endRatio), mean halfway gain \(g.mean), largest end/fit \(offFit)")
        nb.notice("\(faster) \(fitNote)")
        try tunedRates(runs, steps: steps, sgdRate: sgdRate, gain: g.mean)
    }

    /// Both optimizers over a grid of rates, each scored by the set's mean rare error halfway.
    func tunedRates(_ runs: [SparseSeedRun], steps: Int, sgdRate: Double, gain: Double) throws {
        let n = runs.count, full = runs[0].sgd[sgdRate]!.count, half = full / 2
        let h = runs[0].sgd[sgdRate]![half].step
        func diverged(_ c: [SparseTask.Point]) -> Bool { c.count < full || !c.last!.frequent.isFinite }
        let grids = [("SGD", SparseSeedRun.sgdGrid, \SparseSeedRun.sgd), ("AdaGrad", SparseSeedRun.adaGrid, \.ada)]
        struct Rate { let name: String, rate: Double, curves: [[SparseTask.Point]], diverged: Int }
        let sweep = grids.flatMap { name, grid, path in
            grid.map { a in
                let curves = runs.map { $0[keyPath: path][a]! }
                return Rate(name: name, rate: a, curves: curves, diverged: curves.filter(diverged).count)
            }
        }
        func mean(_ values: [Double]) -> Double { Spread(values).mean }
        nb.table(Table(header: ["optimizer", "α", "rare, step \(h)", "rare, end", "frequent, end", "diverged"],
                       rows: sweep.map { r in
            let ok = r.curves.filter { !diverged($0) }
            return ok.isEmpty
                ? [r.name, Fmt.sig(r.rate), "—", "—", "—", "\(r.diverged) of \(n)"]
                : [r.name, Fmt.sig(r.rate), Fmt.sci(mean(ok.map { $0[half].rare }), 2),
                   Fmt.sci(mean(ok.map { $0.last!.rare }), 2), Fmt.sci(mean(ok.map { $0.last!.frequent }), 2),
                   "\(r.diverged) of \(n)"]
        }, rightAligned: [false, true, true, true, true, true]),
                 caption: "Mean |wⱼ − w*ⱼ| for each rate of the grid, the mean over the runs of the \(n) seeds that "
                    + "did not diverge (— : none did); same data and batches as figure 4.")
        // The best rate of each grid: lowest mean rare error halfway, among rates that never diverged.
        func best(_ name: String) -> Rate {
            sweep.filter { $0.name == name && $0.diverged == 0 }.min {
                mean($0.curves.map { $0[half].rare }) < mean($1.curves.map { $0[half].rare })
            }!
        }
        let (bs, ba) = (best("SGD"), best("AdaGrad"))
        let (rs, ra) = (mean(bs.curves.map { $0[half].rare }), mean(ba.curves.map { $0[half].rare }))
        let (fs, fa) = (mean(bs.curves.map { $0.last!.frequent }), mean(ba.curves.map { $0.last!.frequent }))
        let fsHigher = zip(bs.curves, ba.curves).filter { $0.last!.frequent > $1.last!.frequent }.count
        let apart = max(rs, ra) / min(rs, ra)
        let sgdEdge = sweep.filter { $0.name == "SGD" && $0.diverged > 0 }.min { $0.rate < $1.rate }
        let edgeText = sgdEdge.map { "makes it diverge at α = \(Fmt.sig($0.rate)) (in \($0.diverged) of \(n) runs)" }
            ?? "limits it"
        nb.notice(nb.claim("""
            The rates of figure 4 are not the best of these grids. Scored by the mean rare error at step \(h), \
            SGD's best rate here is α = \(Fmt.sig(bs.rate)) (\(Fmt.sig(bs.rate / sgdRate, 2))× figure 4's) and \
            AdaGrad's α = \(Fmt.sig(ba.rate)); tuned this way their mean rare errors at step \(h) are \
            \(Fmt.sci(rs, 2)) and \(Fmt.sci(ra, 2)), a factor \(Fmt.fixed(apart, 2)) apart, so most of figure 4's \
            \(Fmt.sig(gain, 2))× lead is a lead over an untuned SGD. What tuning does not remove is the trade SGD's \
            single rate makes: the frequent features' curvature \
            \(edgeText), and at its best rare-feature rate their error ends at \(Fmt.sci(fs, 2)) on \
            average against AdaGrad's \(Fmt.sci(fa, 2)) (higher in \(fsHigher) of the \(n) runs).
            """, holds: apart < 1.5 && apart * apart < gain && fs > fa,
            evidence: "tuned rare SGD \(rs) AdaGrad \(ra); frequent end SGD \(fs) AdaGrad \(fa); gain \(gain)"))
    }
}
