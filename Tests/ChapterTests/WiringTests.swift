import Descent
import Foundation
import Testing

/// The cells of the first Markdown table row of `page` whose leading cells are `key`.
func row(_ key: [String], in page: String) -> [String]? {
    for line in page.split(separator: "\n") where line.hasPrefix("|") {
        let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if cells.count >= key.count && Array(cells.prefix(key.count)) == key { return cells }
    }
    return nil
}

/// Each chapter run in quick mode, its printed key values pinned: a chapter that feeds the
/// wrong run into a table or a sentence fails here.
@Suite("Chapter wiring: quick runs print the right numbers")
struct WiringTests {
    @Test("ch00: the three rates' factors, and α = 0.51's loss grows while α = 0.4's falls")
    func ch00() throws {
        let run = try runChapter("ch00-tour")
        #expect(run.status == 0, "\(run.stderr)")
        let good = try #require(row(["0.4"], in: run.page)), over = try #require(row(["0.51"], in: run.page))
        #expect(good[1] == "0.92, -0.6" && over[1] == "0.898, -1.04")
        let f04 = try #require(Double(good[2])), f051 = try #require(Double(over[2]))
        #expect(f04 < 1e-1 && f051 > 10.5, "f(0.4) = \(f04), f(0.51) = \(f051)")
        #expect(run.page.contains("claims checked"))
    }

    @Test("ch01: Table 1 is per-weight RMS over the draws — sigmoid + standard vanishes, ReLU + He and tanh + Xavier are balanced")
    func ch01() throws {
        let run = try runChapter("ch01-vanishing-gradients")
        #expect(run.status == 0, "\(run.stderr)")
        // A cell is "median (smallest – largest)" over the quick run's 8 draws (seeds 42–49).
        func spread(_ cell: String) throws -> (median: Double, min: Double, max: Double) {
            let numbers = cell.split(whereSeparator: { " ()–".contains($0) }).compactMap { Double($0) }
            try #require(numbers.count == 3, "cell \(cell)")
            return (numbers[0], numbers[1], numbers[2])
        }
        #expect(run.page.contains("**8 draws** (seeds 42–49"))
        let sig = try spread(try #require(row(["sigmoid", "standard"], in: run.page))[4])  // RMS₁₀ / RMS₁
        #expect(sig.min > 1e4 && sig.median > 1e6 && sig.min <= sig.median && sig.median <= sig.max, "\(sig)")
        let he = try #require(row(["relu", "He"], in: run.page))
        let heSpread = try spread(he[5])  // max/min over hidden layers
        #expect(heSpread.max < 10 && heSpread.median < 3, "\(heSpread)")
        // RMS, not Frobenius: the first layer's RMS is its norm / √128, so RMS₁ < RMS₁₀ for ReLU + He only by
        // a small factor; with Frobenius norms the shape alone would make it √32 ≈ 5.7 smaller.
        let ratio = try spread(he[4])
        #expect(ratio.median > 0.5 && ratio.median < 2, "ReLU + He RMS₁₀/RMS₁ = \(ratio)")
    }

    @Test("ch02: 2/L = 0.5 found by bisection, best rate ≈ 2/(μ+L), and the restart count matches the steps listed")
    func ch02() throws {
        let run = try runChapter("ch02-fixed-vs-decayed-rates")
        #expect(run.status == 0, "\(run.stderr)")
        let threshold = try #require(number(after: "divergence threshold (bisection, 2000 steps)", in: run.stdout))
        #expect(abs(threshold - 0.5) < 1e-3, "threshold \(threshold)")
        let best = try #require(number(after: "best fixed rate (lowest loss after 100 steps)", in: run.stdout))
        #expect(abs(best / (2 / 4.2) - 1) < 0.02, "best \(best)")
        #expect(run.page.contains("2/L = 0.5**") && run.page.contains("2/(λmin + λmax) = 0.4762**"))
        let text = run.page.replacingOccurrences(of: "\n", with: " ")
        let fired = try #require(number(after: "the restart rule fired", in: text))
        let tail = try #require(text.range(of: "the restart rule fired"))
        let list = text[tail.upperBound...].components(separatedBy: "at steps ").dropFirst().first?
            .components(separatedBy: " (").first ?? ""
        #expect(Double(list.split(separator: ",").count) == fired, "fired \(fired), listed \(list)")
        // Independent count: replay the rule's threshold over the same run's mini-batch losses (quick: 300 steps,
        // seed 42, batches from seed 52, base α = 0.2); every dip under the current threshold is one reset.
        let task = SupervisedTask.teacherStudent(seed: 42)
        let replay = task.train(SGD(learningRate: 0.2), schedule: .restart(ThresholdRestart(threshold: 0.05, factor: 0.7, gamma: 0.995)),
                                steps: 300, seed: 52, recording: [.learningRates])
        var tau = 0.05, resets = 0
        for (t, loss) in replay.losses.enumerated() where loss < tau {
            tau *= 0.7
            if t > 0 { resets += 1 }
        }
        #expect(Double(resets) == fired, "replayed \(resets) resets, the page says \(fired)")
    }

    @Test("ch03: neither best rate sits on the grid's edge; the ε table shows g/√(g² + ε) = 1/√2 at g = √ε")
    func ch03() throws {
        let run = try runChapter("ch03-adagrad")
        #expect(run.status == 0, "\(run.stderr)")
        let text = run.page.replacingOccurrences(of: "\n", with: " ")
        let gridText = try #require(text.components(separatedBy: "from the grid {").dropFirst().first?.components(separatedBy: "}").first)
        let grid = gridText.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        let sgd = try #require(number(after: "SGD (α = ", in: text)), ada = try #require(number(after: "AdaGrad (α = ", in: text))
        #expect(grid.contains(sgd) && grid.contains(ada))
        #expect(![grid.first!, grid.last!].contains(sgd) && ![grid.first!, grid.last!].contains(ada), "grid \(grid), \(sgd), \(ada)")
        let eps = try #require(row(["1e-05"], in: run.page))
        #expect(eps[1] == "0.7071" && eps[2] == "1")
    }
}
