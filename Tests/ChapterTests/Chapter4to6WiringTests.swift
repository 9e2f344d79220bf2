import Foundation
import Testing
@testable import ch04_rmsprop
@testable import ch05_adam

/// Pins the wiring of chapters 4–6: each chapter runs in quick mode and the key numbers on its page
/// must be the ones its runs produce. A chapter that feeds the wrong run into a table (the β₂ = 0.99
/// curve into the β₂ = 0.999 row, the Adam fit into the least-squares row) fails here.
@Suite("Chapters 4–6 wiring: quick runs print the right numbers", .serialized)
struct Chapter4to6WiringTests {
    /// Runs `slug --quick --no-render` into a fresh folder (``runChapter(_:_:)``) and returns its page.
    func page(_ slug: String) throws -> String {
        let run = try runChapter(slug)
        #expect(run.status == 0, "\(slug) exited with \(run.status): \(run.stderr)")
        return run.page
    }

    /// The cells of the row of table `table` whose first cell is `first` (empty if none).
    func row(_ page: String, table: Int, _ first: String) -> [String] {
        let lines = page.split(separator: "\n", omittingEmptySubsequences: false)
        guard let caption = lines.firstIndex(where: { $0.hasPrefix("**Table \(table).**") }) else { return [] }
        for line in lines[(caption + 2)...].drop(while: { !$0.hasPrefix("|") }).prefix(while: { $0.hasPrefix("|") }) {
            let cells = line.dropFirst(2).dropLast(2).components(separatedBy: " | ")
            if cells.first == first { return cells }
        }
        return []
    }

    @Test("ch04: first step / α = 10 at ρ = 0.99; settled-rate fixed point 0.309 for y; RMSprop rattles at α")
    func rmsprop() throws {
        let text = try page("ch04-rmsprop")
        // Table 3: ρ | first step / α (run) | 1/√(1 − ρ)
        #expect(row(text, table: 3, "0.99") == ["0.99", "10", "10"])
        #expect(row(text, table: 3, "0.999") == ["0.999", "31.623", "31.623"])
        // Table 1: coordinate | h | α/σ | fixed point | measured
        let y = row(text, table: 1, "y")
        #expect(y.prefix(4) == ["y", "4", "0.5", "0.309"])
        // "mean (min – max)" over the noise seeds: every number near the fixed point, the mean inside the range.
        let cell = (y.last ?? "").replacingOccurrences(of: "(", with: " ").replacingOccurrences(of: ")", with: " ")
            .replacingOccurrences(of: "–", with: " ")
        let numbers = cell.split(separator: " ").compactMap { Double($0) }
        #expect(numbers.count == 3 && numbers.allSatisfy { abs($0 - 0.309) < 0.05 }
                && numbers[1] <= numbers[0] && numbers[0] <= numbers[2], "measured η for y: \(y)")
        // Table 2: memory, measured steps = 100 at ρ = 0.99.
        #expect(row(text, table: 2, "0.99") == ["0.99", "100", "99.499", "100"])
        // Table 4: RMSprop rattles with steps of α; default Adam settles.
        #expect(row(text, table: 4, "RMSprop") == ["RMSprop", "—", "0.99", "1e-03", "1e+00"])
        let adam = row(text, table: 4, "Adam (defaults)")
        #expect(adam.count == 5 && (Double(adam[4]) ?? 1) < 1e-6, "\(adam)")
    }

    @Test("ch05: the uncorrected step peaks at 6.569α at t = 12 (β₂ = 0.999); the spike's step stays below 3.16α")
    func adam() throws {
        let text = try page("ch05-adam")
        // Table 2: β₂ | step 1 | largest (run) | t | closed-form peak | t | last above 1.1α | gap
        #expect(row(text, table: 2, "0.999").prefix(6) == ["0.999", "3.162", "6.569", "12", "6.569", "12"])
        #expect(row(text, table: 2, "0.9999").prefix(6) == ["0.9999", "10", "20.72", "12", "20.72", "12"])
        #expect(row(text, table: 2, "0.99").prefix(6) == ["0.99", "1", "2.131", "13", "2.131", "13"])
        // Table 6: the spike.
        // Over the seed set: "median (min–max)", or "value in every run" when the runs agree to 3 digits.
        let cell = row(text, table: 6, "largest step of the whole run").last ?? ""
        let values = cell.split { " ()–".contains($0) }.compactMap { Double($0) }
        #expect(!values.isEmpty && values.allSatisfy { $0 > 2.5 && $0 < 3.16 }, "largest step \(cell)")
        #expect(row(text, table: 6, "(1 − β₁)/√(1 − β₂)").last == "3.16")
        // Table 5: Reddi et al. — Adam at +1, AMSGrad below 0.
        #expect(row(text, table: 5, "Adam").dropFirst().first == "1.0000")
        #expect((Double(row(text, table: 5, "AMSGrad").dropFirst().first ?? "") ?? 1) < 0)
    }

    @Test("ch06: the least-squares row is the closed-form fit; the Adam rows sit 1.6e-3 from it")
    func linearRegression() throws {
        let text = try page("ch06-linear-regression")
        #expect(row(text, table: 2, "least squares (closed form)")
                == ["least squares (closed form)", "3.047713567", "2.073506765", "0.2153698775",
                    "0.00e+00", "0.00e+00", "0.00e+00"])
        #expect(row(text, table: 2, "Adam, PyTorch defaults").prefix(5)
                == ["Adam, PyTorch defaults", "3.046113877", "2.073731444", "0.2153718989", "-1.60e-03"])
        #expect(row(text, table: 2, "Adam, Keras defaults").prefix(2) == ["Adam, Keras defaults", "3.046113875"])
        #expect(text.contains("| Loss: [[7.021672], [0.2102517], [0.4648601], … (100 rows)] |"))
    }
}

/// The chapters' measurements against their closed forms, without running the pages.
@Suite("Chapters 4–5: measurements against closed forms")
struct Chapter4and5ClosedFormTests {
    @Test("the article's Adam with a constant gradient steps α(1 − β₁ᵗ)/√(1 − β₂ᵗ) at every t",
          arguments: [0.99, 0.999])
    func uncorrectedStep(beta2: Double) {
        let run = ch05_adam.uncorrectedStepRatios(beta2: beta2, steps: 5000)
        let gaps = (1...5000).map { t in abs(run[t - 1] / ch05_adam.uncorrectedStepClosedForm(t: t, beta2: beta2) - 1) }
        let worst = gaps.indices.max { gaps[$0] < gaps[$1] }!
        #expect(gaps[worst] < 1e-6, "largest relative gap \(gaps[worst]) at t = \(worst + 1)")
        #expect(run.indices.max { run[$0] < run[$1] }! + 1 == (beta2 == 0.99 ? 13 : 12))
    }

    @Test("a 10⁶× spike moves Adam less than (1 − β₁)/√(1 − β₂)·α per step, ≈ 10× that in all, then stalls it",
          arguments: [1, 2, 3] as [UInt64])
    func spike(seed: UInt64) {
        let steps = ch05_adam.spikeRun(steps: 3000, spikeAt: 2000, spike: 1e6, seed: seed)
        #expect(steps.max()! < 0.1 / (1 - 0.999).squareRoot())
        #expect(steps[1999] > 2.5)
        // The spike stays in m (about 10 steps, each ≈ 0.9 of the last) and then stalls the coordinate.
        let sweep = steps[1999..<2049].reduce(0, +)
        #expect(sweep > 5 * steps[1999] && sweep < 10.5 * steps[1999], "sweep \(sweep)")
        #expect(steps[2100..<3000].max()! < 0.01)
    }

    @Test("table 6 reads each spike run where the chapter says: before, at and after the spike")
    func spikeSummary() {
        let r = (1...3100).map { Double($0) }
        let s = ch05_adam.spikeSummary(r, spikeAt: 2000)
        // Steps 1001…1999 before (median 1500), step 2000, the largest, steps 2000…2049, steps 2101…3100.
        #expect(s.before == 1500 && s.spikeStep == 2000 && s.largest == 3100)
        #expect(s.sweep == (2000...2049).map(Double.init).reduce(0, +) && s.stalled == 2600.5)
    }

    @Test("the race's pruned search picks the rate a full search of every rate from every start picks",
          arguments: [(0, 42), (5, 42)] + (42...49).map { (1, $0) } as [(Int, UInt64)])
    func prunedRace(racer: Int, seed: UInt64) {
        // The chapter's grid and budget for momentum (its runs pick 0.001 in some, 0.00215 in others), shorter ones else.
        let grid = stride(from: racer == 1 ? -5.0 : -4.0, through: 1.0 + 1e-9, by: 1.0 / 3).map { Double.pow(10, $0) }
        let steps = racer == 1 ? 20000 : 3000, target = 1e-3, r = ch05_adam.racers[racer]
        let jittered = ch05_adam.raceStarts(jittered: 3, seed: seed)
        let full = grid.map { a in ([ch05_adam.raceStart] + jittered).map {
            ch05_adam.stepsToTarget(r, rate: a, from: $0, steps: steps, target: target)
        } }
        let best = grid.indices.min { ch05_adam.raceKey(full[$0], index: $0) < ch05_adam.raceKey(full[$1], index: $1) }!
        let pruned = ch05_adam.race(r, grid: grid, first: full.map { $0[0] }, jittered: jittered, steps: steps,
                                    target: target)
        #expect(pruned.gridIndex == best && pruned.startSteps == full[best], "\(r.name): \(pruned.startSteps) vs \(full[best])")
        // Adam and momentum reach every start in 3000 steps (the pruned path); SGD reaches none (the full one).
        #expect((pruned.worst != nil) == (racer != 0))
    }

    @Test("RMSprop's settled rate solves η = (α/σ)√(1 − ηh/2)",
          arguments: [(0.5, 1.0, 4.0), (0.1, 2.0, 4.0), (0.5, 1.0, 0.2)])
    func settledRate(alpha: Double, sigma: Double, h: Double) {
        let eta = ch04_rmsprop.settledRate(alpha: alpha, sigma: sigma, curvature: h)
        #expect(abs(eta - alpha / sigma * (1 - eta * h / 2).squareRoot()) < 1e-12)
        #expect(eta > 0 && eta <= alpha / sigma)
    }
}
