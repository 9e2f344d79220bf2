import Foundation
import Testing
@testable import ch07_finding_the_learning_rate

/// Chapter 7 prints the fair finder benchmark's summary from `FairBenchmark.swift`; these numbers must be
/// the committed benchmark's (`Benchmarks/finder/fair-after/results.json`), not hand-edited or stale.
@Suite("Chapter 7: the fair benchmark's numbers")
struct FairBenchmarkTests {
    @Test("FairBenchmark.swift equals Benchmarks/finder/fair-after/results.json")
    func matchesResults() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("Benchmarks/finder/fair-after/results.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let summary = try #require(json["summary"] as? [String: Any])
        let rules = try #require(summary["rules"] as? [String: [String: Any]])
        let seeds = try #require(summary["seeds"] as? [Int])
        let units = try #require(json["units"] as? [[String: Any]])
        #expect(FairBenchmark.seeds == seeds.count)
        var cases: [String] = []
        for u in units { if let c = u["case"] as? String, !cases.contains(c) { cases.append(c) } }
        #expect(FairBenchmark.caseNames == cases)
        #expect(FairBenchmark.cases == cases.count)
        #expect(Set(FairBenchmark.rules.map(\.name)) == Set(rules.keys))
        for rule in FairBenchmark.rules {
            let r = try #require(rules[rule.name])
            #expect(rule.hits == r["hits"] as? Int, "\(rule.name) hits")
            #expect(rule.fewestHitsOnASeed == r["min_hits_per_seed"] as? Int, "\(rule.name) fewest")
            #expect(rule.nothingBetter == r["nothing"] as? Int, "\(rule.name) nothing")
            #expect(rule.worseThanUntrained == r["worse_than_untrained"] as? Int, "\(rule.name) worse")
            // Foundation's JSON reader can differ from Python's shortest repr in the last bit.
            let spread = try #require(r["median_std_log10"] as? Double), cost = try #require(r["cost_trainings"] as? Double)
            #expect(abs(rule.spread - spread) <= 1e-12 * spread, "\(rule.name) spread \(rule.spread) vs \(spread)")
            #expect(abs(rule.cost - cost) <= 1e-12 * cost, "\(rule.name) cost \(rule.cost) vs \(cost)")
        }
    }
}
