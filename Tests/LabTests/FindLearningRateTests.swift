import Foundation
import Testing

@Suite("lab find-lr --data")
struct FindLearningRateDataTests {
    static let small = ["--data", "digits", "--layers", "16", "--batch-size", "64", "--seed", "3"]

    /// "lr X, N steps → validation loss (…) Y" lines of the verified rule's full-budget trials.
    static func trials(_ stderr: String) -> [(rate: String, steps: String, loss: String)] {
        stderr.split(separator: "\n").filter { ($0.contains("verified trial (full)") || $0.contains("verified trial (refine)"))
                                                && $0.contains("→ validation loss (cross-entropy) ") }.map { line in
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
        #expect(tried.count == 3)
        // The full-budget trials, retrained without any sweep.
        for t in tried {
            let train = try lab(["train"] + Self.small + ["--optimizer", "adam", "--lr", t.rate, "--steps", t.steps,
                                                           "--eval-every", t.steps])
            let last = train.lines.last!.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(last[0] == t.steps && last[3] == t.loss, "lab train --lr \(t.rate): \(last) vs trial loss \(t.loss)")
        }
        let suggested = run.stderr.split(separator: "\n").first { $0.hasPrefix("suggested lr (verified): ") }
        let best = tried.min { Double($0.loss)! < Double($1.loss)! }!
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

@Suite("lab find-lr: the verified rule's robustness")
struct FindLearningRateVerifiedTests {
    static let small = FindLearningRateDataTests.small

    /// 60 rows of noise: y has nothing to do with a and b, so training only overfits and no rate
    /// beats the untrained network on the validation rows.
    static func noise() throws -> (Scratch, String) {
        var state: UInt64 = 1
        func u() -> Double {  // a 64-bit LCG (Knuth's MMIX constants), top bits
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 40) / Double(1 << 24)
        }
        var text = "a,b,y\n"
        for _ in 0..<60 { text += "\(u()),\(u()),\(u() * 2 - 1)\n" }
        let s = try Scratch()
        return (s, try s.file("noise.csv", text))
    }

    static func noiseArguments(_ path: String) -> [String] {
        ["find-lr", "--data", path, "--layers", "32,32", "--optimizer", "adam", "--train-steps", "200", "--seed", "5"]
    }

    @Test("the trial lines name their loss: screening on the inner split, full trials on the validation split")
    func trialWording() throws {
        let run = try lab(["find-lr"] + Self.small + ["--optimizer", "adam", "--train-steps", "40"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n").map(String.init)
        let screens = lines.filter { $0.contains("verified trial (screen)") }
        #expect(!screens.isEmpty)
        #expect(screens.allSatisfy { $0.contains(", 5 steps → inner-split validation loss (cross-entropy) ") || $0.contains("diverged") },
                "\(screens)")
        let full = lines.filter { $0.contains("verified trial (full)") || $0.contains("verified trial (refine)") }
        #expect(full.count == 3 && full.allSatisfy { $0.contains(", 40 steps → validation loss (cross-entropy) ") }, "\(full)")
        #expect(lines.contains { $0.hasPrefix("  verified baseline: the untrained network → validation loss (cross-entropy) ") })
        // Regression says its unit.
        let (scratch, path) = try Self.noise()
        defer { _ = scratch }
        let reg = try lab(Self.noiseArguments(path))
        #expect(reg.stderr.contains("inner-split validation loss (MSE, standardised units, mean of 5 draws of 10 rows) "), "\(reg.stderr)")
        #expect(reg.stderr.contains("warning: the verified rule's inner hold-out has 10 rows, fewer than 100: its screening averages 5 draws"),
                "\(reg.stderr)")
    }

    @Test("no trial beats the untrained network: the 'none' line names the baseline and valley, exit 0; --strict exits 1 after printing it")
    func noneAndStrict() throws {
        let (scratch, path) = try Self.noise()
        defer { _ = scratch }
        for strict in [false, true] {
            let run = try lab(Self.noiseArguments(path) + (strict ? ["--strict"] : []))
            #expect(run.status == (strict ? 1 : 0), "\(run.stderr)")
            let none = run.stderr.split(separator: "\n").first { $0.hasPrefix("suggested lr (verified): ") }.map(String.init) ?? ""
            #expect(none.hasPrefix("suggested lr (verified): none — no trial beat the untrained network (validation loss (MSE, standardised units) "),
                    "\(none)")
            let valley = try lab(Self.noiseArguments(path) + ["--suggest", "valley"])
            let rate = valley.stderr.split(separator: "\n").first { $0.hasPrefix("suggested lr (valley): ") }!.split(separator: " ").last!
            #expect(none.hasSuffix("); best fastai rule: valley \(rate)"), "\(none) vs valley \(rate)")
            // Everything was printed: the curve, the trials, the cost.
            #expect(run.lines.first == "step,lr,loss,smoothed" && run.lines.count > 50)
            #expect(run.stderr.contains("verified cost: "))
        }
        // --strict with a rate found: exit 0.
        let found = try lab(["find-lr"] + Self.small + ["--optimizer", "adam", "--train-steps", "40", "--strict"])
        #expect(found.status == 0, "\(found.stderr)")
    }

    @Test("no candidate below --min-lr: every trial rate lies in the sweep's trusted range")
    func neverBelowMinimum() throws {
        let run = try lab(["find-lr"] + Self.small + ["--optimizer", "adam", "--train-steps", "16", "--min-lr", "1e-3",
                                                      "--max-lr", "10"])
        #expect(run.status == 0, "\(run.stderr)")
        let rates = run.stderr.split(separator: "\n").filter { $0.contains("verified trial") }.map { line in
            let w = line.split(separator: " ")
            return Double(w[w.firstIndex(of: "lr")! + 1].trimmingCharacters(in: [","]))!
        }
        #expect(rates.count >= 3)
        #expect(rates.allSatisfy { $0 >= 1e-3 && $0 <= 10 }, "\(rates)")
    }

    @Test("--repeats K: the usual output for --seed, then each rule's spread over seeds --seed … --seed+K−1")
    func repeats() throws {
        let base = ["find-lr"] + Self.small + ["--optimizer", "adam", "--train-steps", "16", "--suggest", "all"]
        let one = try lab(base)
        let three = try lab(base + ["--repeats", "3"])
        #expect(three.status == 0, "\(three.stderr)")
        #expect(three.stdout == one.stdout)
        #expect(one.stderr.split(separator: "\n").allSatisfy { three.stderr.contains($0) })
        let spread = three.stderr.split(separator: "\n").filter { $0.hasPrefix("spread of ") }.map(String.init)
        #expect(spread.map { $0.split(separator: " ")[2] } == ["valley", "steep", "minimum", "slide", "verified"], "\(spread)")
        // Each line's numbers are the picks of the three single-seed runs.
        var picks: [String: [Double]] = [:]
        for s in 3...5 {
            let run = try lab(base.map { $0 == "3" ? "\(s)" : $0 })
            for line in run.stderr.split(separator: "\n") where line.hasPrefix("suggested lr (") {
                let rule = String(line.dropFirst("suggested lr (".count).prefix { $0 != ")" })
                picks[rule, default: []].append(Double(line.split(separator: " ").last!)!)
            }
        }
        for line in spread {
            let rule = String(line.split(separator: " ")[2])
            let p = picks[rule]!.sorted()
            func g(_ x: Double) -> String { String(format: "%.4g", x) }
            #expect(line == "spread of \(rule) over 3 seeds (3…5): min \(g(p[0])), median \(g(p[1])), max \(g(p[2])), "
                             + "max/min \(g(p[2] / p[0]))", "\(line) vs \(p)")
        }
    }

    @Test("--repeats is validated: 1…1000, and the seeds must not overflow", arguments: [
        (["--repeats", "0"], "--repeats must be in 1…1000"),
        (["--repeats", "1001"], "--repeats must be in 1…1000"),
        (["--repeats", "-2"], "--repeats must be in 1…1000"),
        (["--repeats", "2", "--seed", "18446744073709551615"], "overflows"),
    ])
    func repeatsRefused(_ c: (arguments: [String], message: String)) throws {
        let run = try lab(["find-lr", "--data", "digits", "--optimizer", "adam"] + c.arguments)
        #expect(run.status == 64 && run.stdout.isEmpty, "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").first!.contains(c.message), "\(run.stderr)")
    }
}
