import Foundation
import Testing

/// Chapters 8 and 9 in quick mode: the printed key values come from the right runs.
@Suite("Chapter wiring: ch08 and ch09")
struct Chapter8and9WiringTests {
    @Test("ch09: bisection matches 2(1+β)/L, (α*, β*) = (0.6679, 0.4026) and the measured rate ≈ 0.6345")
    func ch09() throws {
        let run = try runChapter("ch09-momentum")
        #expect(run.status == 0, "\(run.stderr)")
        // Read from the page (the chapter no longer prints these to stdout): table 1's last column.
        let lines = run.page.split(separator: "\n").map(String.init)
        let table = try #require(lines.firstIndex { $0.hasPrefix("**Table 1.**") })
        let gaps = lines[(table + 1)...].prefix { $0.hasPrefix("|") }.dropFirst(2)
            .compactMap { Double($0.dropLast(2).components(separatedBy: " | ").last ?? "") }
        #expect(gaps.count == 6 && gaps.allSatisfy { $0 < 1e-3 }, "\(gaps)")
        let alpha = try #require(number(after: "Here α* =", in: run.page))
        // "… and β* = 0.4026." — the sentence's full stop is not part of the number.
        let betaText = try #require(run.page.components(separatedBy: "and β* = ").dropFirst().first)
        let beta = try #require(Double(betaText.prefix { $0.isNumber || $0 == "." }.trimmingCharacters(in: ["."])))
        #expect(abs(alpha - 4 / ((2 + 0.2.squareRoot()) * (2 + 0.2.squareRoot()))) < 1e-5)
        let rho = (20.0.squareRoot() - 1) / (20.0.squareRoot() + 1)
        #expect(abs(beta - rho * rho) < 1e-5)
        let measured = try #require(number(after: "At (α*, β*) the measured rate,", in: run.page))
        #expect(abs(measured / rho - 1) < 0.02, "measured \(measured) vs \(rho)")
        #expect(run.page.contains("claims checked"))
    }

    @Test("ch09: the noise floors of the seed set sit on the AR(2) closed form; momentum ends below gradient descent on Rosenbrock in every run")
    func ch09SeedSets() throws {
        let run = try runChapter("ch09-momentum")
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.page.split(separator: "\n").map(String.init)
        // Table 4: run | mean (min–max) | closed form | ratio of the means, one row per setting.
        let noise = lines.filter { $0.hasPrefix("| SGD, α = 0.05 |") || $0.hasPrefix("| momentum β = 0.9") }
        #expect(noise.count == 3)
        for row in noise {
            let cells = row.dropFirst(2).dropLast(2).components(separatedBy: " | ")
            let ratio = try #require(Double(cells[3]))
            // 8 runs of 45 000 steps after the burn-in (quick): the set's mean is within a few % of the formula.
            #expect(abs(ratio - 1) < 0.06, "\(row)")
            let formula = try #require(Double(cells[2]))
            let mean = try #require(Double(cells[1].components(separatedBy: " (")[0]))
            #expect(abs(mean / formula - ratio) < 0.01, "\(row)")
        }
        #expect(noise[2].contains("2.57e-01") && noise[0].contains("2.65e-02"), "closed forms: \(noise)")
        // Table 3: gradient descent's median final loss above both momentum methods' largest.
        func finals(_ method: String) throws -> [Double] {
            let table = try #require(lines.firstIndex { $0.hasPrefix("**Table 3.**") })
            let row = try #require(lines[table...].first { $0.hasPrefix("| \(method)") })
            let cell = row.dropFirst(2).dropLast(2).components(separatedBy: " | ")[2]
            return cell.split { " ()–".contains($0) }.compactMap { Double($0) }
        }
        let gd = try finals("gradient descent"), hb = try finals("heavy ball"), n = try finals("Nesterov")
        #expect(gd.count == 3 && hb.count == 3 && n.count == 3)
        #expect(gd[1] > 100 * hb[2] && gd[1] > 100 * n[2], "gd \(gd), heavy ball \(hb), Nesterov \(n)")
    }

    @Test("ch08: sigmoid with the default init vanishes (layer 1 ÷ layer 10 < 1e-3), batch norm does not (> 0.1)")
    func ch08() throws {
        let run = try runChapter("ch08-fixing-vanishing-gradients")
        #expect(run.status == 0, "\(run.stderr)")
        let base = try #require(number(after: "init ratios: base", in: run.stdout))
        let bn = try #require(number(after: ", bn", in: run.stdout))
        #expect(base < 1e-3 && bn > 0.1, "base \(base), bn \(bn)")
        #expect(run.page.contains("claims checked"))
    }
}
