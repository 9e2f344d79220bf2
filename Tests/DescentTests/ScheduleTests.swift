import Foundation
import Testing
@testable import Descent

@Suite("Schedules")
struct ScheduleTests {
    @Test("each formula at hand-checked points")
    func formulas() throws {
        let a = 0.1
        #expect(try Schedule(parsing: "polynomial:T=100,power=2").rate(at: 50, base: a) == a * 0.25)
        #expect(try Schedule(parsing: "polynomial:T=100").rate(at: 150, base: a) == 0)
        #expect(close(try Schedule(parsing: "exponential:gamma=0.5").rate(at: 3, base: a), a / 8, rel: 1e-15))
        #expect(close(try Schedule(parsing: "step:size=10").rate(at: 25, base: a), a * 0.01, rel: 1e-15))
        let cosine = try Schedule(parsing: "cosine:T=100,min=0.01")
        #expect(close(cosine.rate(at: 50, base: a), 0.01 + 0.09 / 2, rel: 1e-15))
        #expect(close(cosine.rate(at: 100, base: a), 0.01, rel: 1e-14))
        #expect(close(cosine.rate(at: 200, base: a), a, rel: 1e-14))  // rises again after T
        let sgdr = CosineWarmRestarts(firstPeriod: 10, multiplier: 2)
        #expect(sgdr.position(at: 9) == (9, 10) && sgdr.position(at: 10) == (0, 20) && sgdr.position(at: 30) == (0, 40))
        let warm = try Schedule(parsing: "warmup:steps=4+constant")
        #expect((0..<6).map { warm.rate(at: $0, base: 1) } == [0.25, 0.5, 0.75, 1, 1, 1])
    }

    @Test("the article's restart rule: decay by γ, reset to α when the loss first drops under τ, τ ← τ·f")
    func thresholdRestart() {
        var s = Scheduler(.restart(ThresholdRestart(threshold: 1, factor: 0.5, gamma: 0.5)), baseRate: 8)
        let losses = [3.0, 2.0, 0.9, 0.8, 0.6, 0.4, 0.45]
        let rates = losses.enumerated().map { s.rate(at: $0.offset, loss: $0.element) }
        // t=2: 0.9 < 1 → reset (τ = 0.5); t=5: 0.4 < 0.5 → reset (τ = 0.25).
        #expect(rates == [8, 4, 8, 4, 2, 8, 4])
    }

    @Test("ReduceOnPlateau: cuts by factor after more than `patience` steps without a 1e-4 relative gain")
    func plateau() {
        var s = Scheduler(.plateau(ReduceOnPlateau(factor: 0.5, patience: 2)), baseRate: 1)
        let losses = [5.0, 4.0, 4.0, 4.0, 4.0, 3.9999, 3.0, 3.0, 3.0, 3.0]
        let rates = losses.enumerated().map { s.rate(at: $0.offset, loss: $0.element) }
        #expect(rates == [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25])
    }

    /// PyTorch 2.15 (ReduceLROnPlateau(factor=0.5, patience=2), step(loss) per t) gives lr 1, 1, 1,
    /// 1, 0.5: 3.9999 is not below 4·(1 − 1e-4) = 3.9996, so t = 3 and t = 4 are bad steps.
    @Test("ReduceOnPlateau's 1e-4 relative threshold: 5, 4, 4, 3.9999, 3.9999 with patience 2 cuts at t = 4")
    func plateauRelativeThreshold() {
        var s = Scheduler(.plateau(ReduceOnPlateau(factor: 0.5, patience: 2)), baseRate: 1)
        let rates = [5.0, 4, 4, 3.9999, 3.9999].enumerated().map { s.rate(at: $0.offset, loss: $0.element) }
        #expect(rates == [1, 1, 1, 1, 0.5])
    }

    @Test("warm-restarts position by integer arithmetic: mult 1 is t mod T0, mult 2 doubles, huge t does not overflow")
    func warmRestartPositions() {
        let one = CosineWarmRestarts(firstPeriod: 1)
        // O(1): the old cycle-by-cycle loop took ~10¹² passes here (hours), not a remainder.
        #expect(one.position(at: 0) == (0, 1) && one.position(at: 1_000_000_000_000) == (0, 1))
        #expect(one.rate(at: 123_456_789, base: 0.1) == 0.1)
        let seven = CosineWarmRestarts(firstPeriod: 7)
        #expect((0..<50).allSatisfy { seven.position(at: $0) == ($0 % 7, 7) })
        let doubling = CosineWarmRestarts(firstPeriod: 3, multiplier: 2)  // cycles 3, 6, 12, 24, …
        #expect(doubling.position(at: 2) == (2, 3) && doubling.position(at: 3) == (0, 6) && doubling.position(at: 20) == (11, 12))
        let p = doubling.position(at: Int.max)
        #expect(p.sinceRestart >= 0 && p.sinceRestart < p.cycleLength)
        let big = CosineWarmRestarts(firstPeriod: Int.max / 2, multiplier: 3)
        #expect(big.position(at: Int.max) == (Int.max - Int.max / 2, Int.max))
    }

    @Test("rates never overflow: cosine forms stay between min and α; growing schedules report the first non-finite step")
    func overflow() throws {
        let cosine = try Schedule(parsing: "cosine:T=10,min=1e308")
        #expect((0..<40).allSatisfy { cosine.rate(at: $0, base: 0.1).isFinite })
        #expect(cosine.rate(at: 0, base: 0.1) == 0.1 && cosine.rate(at: 10, base: 0.1) == 1e308)
        #expect(cosine.firstNonFiniteRate(base: 0.1, steps: 1000) == nil)
        let sgdr = try Schedule(parsing: "warm-restarts:T0=3,min=1.7e308")
        #expect((0..<10).allSatisfy { sgdr.rate(at: $0, base: 1.7e308).isFinite })
        // 0.1·(1e308)² = inf at t = 2.
        #expect(try Schedule(parsing: "exponential:gamma=1e308").firstNonFiniteRate(base: 0.1, steps: 10) == 2)
        #expect(try Schedule(parsing: "exponential:gamma=1e308").firstNonFiniteRate(base: 0.1, steps: 2) == nil)
        // 1.1^t first overflows near t = log(1.8e308)/log 1.1 ≈ 7447.
        let growing = try Schedule(parsing: "exponential:gamma=1.1")
        let t = try #require(growing.firstNonFiniteRate(base: 1, steps: 100_000_000))
        #expect((7440...7450).contains(t) && !growing.rate(at: t, base: 1).isFinite && growing.rate(at: t - 1, base: 1).isFinite)
        #expect(try Schedule(parsing: "step:size=10,gamma=1e300").firstNonFiniteRate(base: 1, steps: 100) == 20)
        #expect(try Schedule(parsing: "warmup:steps=5+exponential:gamma=1e308").firstNonFiniteRate(base: 0.1, steps: 10) == 7)
        #expect(try Schedule(parsing: "one-cycle:T=10,div=1e-310").firstNonFiniteRate(base: 0.1, steps: 10) == 0)
        // Peak at p·T − 1 = 2; the second phase, from t = 3, heads for α/(div·final) = inf.
        #expect(try Schedule(parsing: "one-cycle:T=10,final=1e-320").firstNonFiniteRate(base: 0.1, steps: 10) == 3)
        #expect(try Schedule(parsing: "exponential:gamma=0.5").firstNonFiniteRate(base: 0.1, steps: Int.max) == nil)
        #expect(try Schedule(parsing: "warmup:steps=2+cosine:T=5").rate(at: 1, base: 1.7e308) == 1.7e308)
    }

    @Test("a ':' with nothing after it is refused", arguments: ["constant:", "cosine:", "plateau: ", "warm-restarts:"])
    func emptyParameters(spec: String) {
        #expect(throws: ScheduleSpecError.self) { try Schedule(parsing: spec) }
    }

    @Test("spec text round-trips", arguments: [
        "constant", "polynomial:T=100,power=2.0", "exponential:gamma=0.99", "step:size=30,gamma=0.1",
        "cosine:T=300,min=0.0", "warm-restarts:T0=10,mult=2,min=0.001", "warmup:steps=10+cosine:T=290,min=0.0",
        "plateau:factor=0.1,patience=10", "restart:threshold=0.5,factor=0.5,gamma=0.99", "one-cycle:T=300,pct=0.3,div=25.0,final=10000.0",
    ])
    func roundTrip(spec: String) throws {
        let s = try Schedule(parsing: spec)
        #expect(s.description == spec)
        #expect(try Schedule(parsing: s.description) == s)
    }

    @Test("bad specs name the bad part and list the valid forms", arguments: [
        ("cosin:T=10", "unknown schedule 'cosin'"),
        ("cosine", "cosine needs T="),
        ("cosine:T=ten", "T=ten in cosine: expected an integer"),
        ("cosine:T=0", "T=0 in cosine: must be ≥ 1"),
        ("cosine:T=10,foo=1", "unknown parameter 'foo' for cosine"),
        ("step:size=10,size=20", "parameter 'size' given twice"),
        ("exponential:gamma=-1", "gamma=-1 in exponential: must be > 0"),
        ("exponential:gamma=nan", "expected a finite number"),
        ("warmup:steps=10", "warmup needs the schedule that follows"),
        ("warmup:steps=10+bogus", "unknown schedule 'bogus'"),
        ("plateau:factor=2", "factor=2 in plateau: must be < 1"),
        ("restart:factor=0.5", "restart needs threshold="),
        ("constant:T=1", "unknown parameter 'T' for constant"),
        ("", "empty schedule spec"),
        ("cosine:T", "'T' in cosine: expected key=value"),
    ])
    func errors(spec: String, fragment: String) {
        #expect {
            _ = try Schedule(parsing: spec)
        } throws: { error in
            let text = "\(error)"
            return text.contains(fragment) && text.contains("valid schedules:") && text.contains("warm-restarts:T0=")
        }
    }

    @Test("loss-driven schedules are flagged")
    func lossDriven() throws {
        #expect(try Schedule(parsing: "plateau").isLossDriven)
        #expect(try Schedule(parsing: "warmup:steps=3+restart:threshold=1").isLossDriven)
        #expect(!(try Schedule(parsing: "warmup:steps=3+cosine:T=5").isLossDriven))
    }

    @Test("fuzz: random spec strings never crash; accepted ones give finite, non-negative rates")
    func fuzz() {
        var rng = SeededGenerator(seed: 2024)
        let names = ["constant", "polynomial", "exponential", "step", "cosine", "warm-restarts", "warmup", "plateau", "restart", "x", ""]
        let keys = ["T", "power", "gamma", "size", "min", "T0", "mult", "steps", "factor", "patience", "threshold", "q", ""]
        let values = ["0", "1", "-1", "2.5", "1e300", "-0", "nan", "inf", "abc", "", "10", "0.5", "99999999999999999999", "+3"]
        var accepted = 0
        for _ in 0..<5000 {
            var spec = names[rng.integer(below: names.count)]
            let n = rng.integer(below: 4)
            if n > 0 || rng.uniform() < 0.3 { spec += ":" }
            spec += (0..<n).map { _ in "\(keys[rng.integer(below: keys.count)])=\(values[rng.integer(below: values.count)])" }
                .joined(separator: rng.uniform() < 0.9 ? "," : ";")
            if rng.uniform() < 0.2 { spec += "+" + names[rng.integer(below: names.count)] }
            guard let s = try? Schedule(parsing: spec) else { continue }
            accepted += 1
            var scheduler = Scheduler(s, baseRate: 0.1)
            for t in 0..<50 {
                let r = scheduler.rate(at: t, loss: 1 / Double(t + 1))
                #expect(r.isFinite && r >= 0, "\(spec) at t=\(t): \(r)")
            }
        }
        #expect(accepted > 50)
    }
}
