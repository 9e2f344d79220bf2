import Foundation
import Testing
@testable import Descent

/// One row of Tests/Golden/fastai/suggestions.tsv: what fastai's rule picked on one curve.
struct FastaiGolden: CustomStringConvertible, Sendable {
    let curve: String
    let iterations: Int
    let rule: String
    let index: Int?
    let rate: Double, pointRate: Double, pointLoss: Double
    var description: String { "\(curve) \(rule)" }
}

/// The rows of suggestions.tsv (made by Tests/Golden/fastai/make_fastai_golden.py).
func fastaiGoldens() -> [FastaiGolden] {
    let url = goldenDirectory.appendingPathComponent("fastai/suggestions.tsv")
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
    return text.split(separator: "\n").dropFirst().map { line in
        let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        return FastaiGolden(curve: f[0], iterations: Int(f[1])!, rule: f[2], index: Int(f[3]),
                            rate: Double(f[4]) ?? .nan, pointRate: Double(f[5]) ?? .nan,
                            pointLoss: Double(f[6]) ?? .nan)
    }
}

/// A recorded curve (lr,smoothed; float32-exact values, as fastai's tensors hold them).
func fastaiCurve(_ name: String, iterations: Int) throws -> FastaiCurve {
    let url = goldenDirectory.appendingPathComponent("fastai/curves/\(name).csv")
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        .filter { !$0.hasPrefix("#") }.dropFirst()
    let rows = lines.map { $0.split(separator: ",").map { Double($0)! } }
    return FastaiCurve(rates: rows.map { $0[0] }, smoothed: rows.map { $0[1] }, iterations: iterations)
}

@Suite("fastai's suggestion rules, against fastai 2.8")
struct FastaiSuggestionTests {
    @Test("the golden file covers every rule on every curve")
    func coverage() {
        let g = fastaiGoldens()
        #expect(g.count >= 4 * 14)
        #expect(Set(g.map(\.rule)) == ["valley", "steep", "minimum", "slide"])
    }

    @Test("each rule picks fastai's point and rate exactly", arguments: fastaiGoldens())
    func matchesFastai(_ g: FastaiGolden) throws {
        let curve = try fastaiCurve(g.curve, iterations: g.iterations)
        let mine: RateSuggestion? = switch g.rule {
        case "valley": curve.valley()
        case "steep": curve.steep()
        case "minimum": curve.minimum()
        default: curve.slide()
        }
        guard let index = g.index else {
            #expect(mine == nil, "fastai raised on \(g.curve); Descent should return nil")
            return
        }
        let s = try #require(mine)
        #expect(s.index == index)
        #expect(s.rate == g.rate)
        #expect(s.pointRate == g.pointRate)
        // slide's point is np.interp at log10 of the rate, computed in float32 by fastai: it
        // lands a rounding error off the grid point, so its loss agrees to float32 precision only.
        #expect(close(s.pointLoss, g.pointLoss, rel: g.rule == "slide" ? 1e-6 : 0))
    }

    @Test("trimming: drops ⌊num_it/10⌋ in front, 5 at the end, and everything from the first NaN")
    func trimming() {
        let rates = (0..<30).map { Double($0 + 1) }
        var losses = (0..<30).map { 100 - Double($0) }
        losses[20] = .nan
        let c = FastaiCurve(rates: rates, smoothed: losses, iterations: 40)
        #expect(c.offset == 4)
        #expect(c.rates == Array(rates[4..<20]))
        #expect(FastaiCurve(rates: [1, 2, 3], smoothed: [3, 2, 1], iterations: 100).losses.isEmpty)
    }
}
