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

    @Test("ch01: Table 1 is per-weight RMS — sigmoid + standard vanishes, ReLU + He and tanh + Xavier are balanced")
    func ch01() throws {
        let run = try runChapter("ch01-vanishing-gradients")
        #expect(run.status == 0, "\(run.stderr)")
        let sig = try #require(row(["sigmoid", "standard"], in: run.page))
        #expect(try #require(Double(sig[4])) > 1e6)  // RMS₁₀ / RMS₁
        let he = try #require(row(["relu", "He"], in: run.page))
        #expect(try #require(Double(he[5])) < 2)  // max/min over hidden layers
        // RMS, not Frobenius: the first layer's RMS is its norm / √128, so RMS₁ < RMS₁₀ for ReLU + He only by
        // a small factor; with Frobenius norms the shape alone would make it √32 ≈ 5.7 smaller.
        let ratio = try #require(Double(he[4]))
        #expect(ratio > 0.5 && ratio < 2, "ReLU + He RMS₁₀/RMS₁ = \(ratio)")
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
        let fired = try #require(number(after: "The restart rule fired", in: text))
        let tail = try #require(text.range(of: "The restart rule fired"))
        let list = text[tail.upperBound...].components(separatedBy: "at steps ").dropFirst().first?
            .components(separatedBy: " (").first ?? ""
        #expect(Double(list.split(separator: ",").count) == fired, "fired \(fired), listed \(list)")
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
