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
