import Foundation
import Testing

@Suite("lab find-lr --data")
struct FindLearningRateDataTests {
    static let small = ["--data", "digits", "--layers", "16", "--batch-size", "64", "--seed", "3"]

    /// "lr X, N steps → loss Y" lines of the verified rule.
    static func trials(_ stderr: String) -> [(rate: String, steps: String, loss: String)] {
        stderr.split(separator: "\n").filter { $0.contains("verified trial") && $0.contains("→ loss") }.map { line in
            let w = line.split(separator: " ").map(String.init)
            let lr = w[w.firstIndex(of: "lr")! + 1].trimmingCharacters(in: [","])
            return (lr, w[w.firstIndex(of: "steps")! - 1], w.last!)
        }
    }

    @Test("a sweep changes nothing a later training sees: each verified trial equals 'lab train' with its rate, digit for digit")
    func trialsAreTrainRuns() throws {
        let run = try lab(["find-lr"] + Self.small + ["--optimizer", "adam", "--train-steps", "40", "--suggest", "verified"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.lines.first == "step,lr,loss,smoothed")
        let tried = Self.trials(run.stderr)
        #expect(tried.count >= 8)
        // The full-budget trials and one screening trial, retrained without any sweep.
        for t in tried.suffix(3) + [tried[3]] {
            let train = try lab(["train"] + Self.small + ["--optimizer", "adam", "--lr", t.rate, "--steps", t.steps,
                                                           "--eval-every", t.steps])
            let last = train.lines.last!.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(last[0] == t.steps && last[3] == t.loss, "lab train --lr \(t.rate): \(last) vs trial loss \(t.loss)")
        }
        let suggested = run.stderr.split(separator: "\n").first { $0.hasPrefix("suggested lr (verified): ") }
        let best = tried.suffix(3).min { Double($0.loss)! < Double($1.loss)! }!
        #expect(suggested.map(String.init) == "suggested lr (verified): \(best.rate)")
        #expect(run.stderr.contains("verified cost: "))
    }

    @Test("--suggest all: one line per rule, in order, each a positive rate inside the sweep")
    func allRules() throws {
        let run = try lab(["find-lr"] + Self.small + ["--optimizer", "sgd", "--momentum", "0.9", "--train-steps", "16",
                                                      "--suggest", "all", "--min-lr", "1e-5", "--max-lr", "10"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n").filter { $0.hasPrefix("suggested lr") }
        #expect(lines.map { $0.split(separator: ":")[0] } == ["suggested lr (valley)", "suggested lr (steep)",
                                                              "suggested lr (minimum)", "suggested lr (slide)",
                                                              "suggested lr (verified)"])
        for line in lines {
            let v = Double(line.split(separator: " ").last!)!
            #expect(v >= 1e-6 && v <= 10, "\(line)")
        }
        #expect(run.lines.count > 20)
    }

    @Test("bad combinations are refused with a clear message and nothing on stdout", arguments: [
        (["find-lr", "--optimizer", "sgd"], "give --data"),
        (["find-lr", "--data", "digits", "--function", "quadratic", "--optimizer", "sgd"], "either --data or --function"),
        (["find-lr", "--function", "quadratic", "--start", "1,1", "--optimizer", "sgd", "--suggest", "verified"],
         "verified trains on data"),
        (["find-lr", "--data", "digits", "--optimizer", "sgd", "--train-steps", "4"], "--train-steps must be ≥ 8"),
        (["find-lr", "--data", "/nonexistent.csv", "--optimizer", "sgd"], "no such file"),
        (["find-lr", "--data", "digits", "--optimizer", "sgd", "--steps", "1000001"], "at most 1000000"),
    ])
    func refused(_ c: (arguments: [String], message: String)) throws {
        let run = try lab(c.arguments)
        #expect(run.status != 0)
        #expect(run.stderr.contains(c.message), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }
}
