import Descent
import Foundation
import Testing

/// The sentences of chapters 7–9 that a fresh reader found unsupported, pinned to the tables and
/// formulas they now quote (quick runs). A chapter that quotes a factor from the wrong run, or
/// reads a measured cell against the wrong formula, fails here.
@Suite("Chapters 7–9: the reviewed sentences quote their own tables", .serialized)
struct Chapter6to9ReviewTests {
    /// The cells of every row of table `table` (header and rule lines excluded).
    func rows(_ page: String, table: Int) -> [[String]] {
        let lines = page.split(separator: "\n", omittingEmptySubsequences: false)
        guard let caption = lines.firstIndex(where: { $0.hasPrefix("**Table \(table).**") }) else { return [] }
        return lines[(caption + 1)...].drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }.dropFirst(2)
            .map { $0.dropFirst(2).dropLast(2).components(separatedBy: " | ") }
    }

    /// The number a text starts with ("0.642. Inside…" → 0.642), or nil.
    func leadingNumber(_ text: some StringProtocol) -> Double? {
        var token = String(text.prefix { $0.isNumber || "e.-+".contains($0) })
        while token.hasSuffix(".") { token.removeLast() }
        return Double(token)
    }

    @Test("ch07: the recipe's edge factor is table 1's smallest first-rate-above-the-untrained-loss ÷ best")
    func edgeFactors() throws {
        let run = try runChapter("ch07-finding-the-learning-rate")
        #expect(run.status == 0, "\(run.stderr)")
        let table = rows(run.page, table: 1)
        #expect(table.count == 5)
        let recipe = try #require(run.page.components(separatedBy: "**Stay under the edge**").last)
        // "… sat at least one step of the grid (half a decade) above that seed's best rate, on every seed, for momentum,
        // AdaGrad, RMSprop and Adam (32× or more on these seeds, table 1) …"
        let quoted = try #require(recipe.firstMatch(of: /\(([0-9.]+)× or more on these seeds, table 1\)/))
        // Column 5: "32×", "32× – 100×", "none ≤ 10", or "32× – 100× (none ≤ 10 on 1)" — per seed, edge ÷ best.
        var smallest: [Double] = []
        for cells in table where !cells[4].hasPrefix("none") {
            let factors = cells[4].matches(of: /([0-9.]+)×/).compactMap { Double($0.output.1) }
            let low = try #require(factors.first, "\(cells)")
            smallest.append(low)
        }
        #expect(smallest.count >= 2, "too few optimizers with an edge to check: \(table)")
        #expect(Double(quoted.output.1) == smallest.min(), "recipe \(quoted.output.1), table \(smallest)")
    }

    @Test("ch08: table 3's clipping row is the baseline's; the step-0 sentence quotes table 3, not table 1")
    func clippingAndStepZero() throws {
        let run = try runChapter("ch08-fixing-vanishing-gradients")
        #expect(run.status == 0, "\(run.stderr)")
        let three = rows(run.page, table: 3)
        let base = try #require(three.first { $0[0] == "sigmoid, PyTorch default init" })
        let clip = try #require(three.first { $0[0] == "sigmoid + clipping (‖g‖ ≤ 1)" })
        #expect(Array(base.dropFirst()) == Array(clip.dropFirst()), "\(base) vs \(clip)")
        // "…(sigmoid with the default init: <table 1> against <table 3's step 0>; …"
        let sentence = try #require(run.page.components(separatedBy: "sigmoid with the default init:").dropFirst().first)
        let parts = sentence.components(separatedBy: " against ")
        let table1 = try #require(Double(parts[0].trimmingCharacters(in: .whitespaces)))
        let table3 = try #require(leadingNumber(parts[1]))
        let one = rows(run.page, table: 1).first { $0[0] == "sigmoid, PyTorch default init" }
        // Table 3 prints one significant digit (3e-08), the sentence two (3.3e-08).
        #expect(abs(table1 / (Double(one?[3] ?? "") ?? .nan) - 1) < 0.05, "table 1 \(one ?? [])")
        #expect(abs(table3 / (Double(base[3]) ?? .nan) - 1) < 0.2, "table 3 \(base)")
    }

    @Test("ch08: table 3 is over the seed set — each accuracy cell is the mean (min–max) of the runs printed, and the tanh sentence quotes the default init's range")
    func seedSet() throws {
        let run = try runChapter("ch08-fixing-vanishing-gradients")
        #expect(run.status == 0, "\(run.stderr)")
        // "accuracies: sigmoid, PyTorch default init 0.092 0.086 0.108; sigmoid, Xavier init …": every run's accuracy.
        let line = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("accuracies: ") })
        var printed: [String: [Double]] = [:]
        for part in line.dropFirst("accuracies: ".count).components(separatedBy: "; ") {
            let words = part.split(separator: " ")
            let name = try #require(words.lastIndex { Double($0) == nil })
            printed[words[...name].joined(separator: " ")] = words[(name + 1)...].compactMap { Double($0) }
        }
        let three = rows(run.page, table: 3)
        #expect(three.count == 11 && printed.count == 11, "\(three.count) rows, \(printed.keys)")
        for cells in three {
            let runs = try #require(printed[cells[0]], "no runs printed for \(cells[0])")
            // A quick run trains every configuration once per seed of its set of 3.
            #expect(runs.count == 3, "\(cells[0]): \(runs)")
            // "0.089 (0.07–0.11)"
            let numbers = cells[1].split { "()– ".contains($0) }.compactMap { Double($0) }
            #expect(numbers.count == 3, "\(cells[1])")
            guard numbers.count == 3 else { continue }
            let mean = runs.reduce(0, +) / Double(runs.count)
            #expect(abs(numbers[0] - mean) < 1.5e-3 && abs(numbers[1] - runs.min()!) < 1e-3
                        && abs(numbers[2] - runs.max()!) < 1e-3, "\(cells[0]): \(cells[1]) vs runs \(runs)")
        }
        // "… tanh is slow and erratic: 0.60 on average, from 0.40 to 0.75, …"
        let tanh = try #require(printed["tanh, PyTorch default init"])
        let from = try #require(number(after: "on average, from ", in: run.page))
        let to = try #require(number(after: "on average, from \(String(format: "%.2f", from)) to ", in: run.page))
        #expect(abs(from - tanh.min()!) < 6e-3 && abs(to - tanh.max()!) < 6e-3, "\(from)–\(to) vs \(tanh)")
    }

    @Test("ch09: the fastest cell of the (α, β) plane is read against the formula at that cell")
    func fastestCell() throws {
        let run = try runChapter("ch09-momentum")
        #expect(run.status == 0, "\(run.stderr)")
        let text = try #require(run.page.components(separatedBy: "the fastest, (").dropFirst().first)
        let pair = text.prefix { $0 != ")" }.components(separatedBy: ", ").compactMap(Double.init)
        #expect(pair.count == 2)
        let formula = try #require(leadingNumber(text.components(separatedBy: "where the formula gives ")[1]))
        let q = Quadratic()
        let expected = HeavyBall.rate(learningRate: pair[0], momentum: pair[1],
                                      eigenvalues: [q.smallestEigenvalue, q.largestEigenvalue])
        // α and β are printed to 3 digits: the formula at the rounded cell agrees to about 1e-3.
        #expect(abs(formula - expected) < 2e-3, "page \(formula), formula at (\(pair[0]), \(pair[1])) \(expected)")
    }
}
