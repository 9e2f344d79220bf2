import Benchmark
import Descent

/// 10⁶ steps of every schedule form, run through a `Scheduler` as training runs them (the
/// loss-driven ones see a slowly falling synthetic loss). Every schedule is O(1) per step, so
/// each row should take a few milliseconds; `warm-restarts:T0=1` was O(t) per step before
/// (10⁶ steps ≈ 7 minutes).
let steps = 1_000_000

let specs = [
    "constant", "polynomial:T=1000000,power=2", "exponential:gamma=0.999999", "step:size=1000,gamma=0.99",
    "cosine:T=1000", "warm-restarts:T0=1", "warm-restarts:T0=10,mult=2", "one-cycle:T=1000000",
    "warmup:steps=1000+cosine:T=999000", "plateau:factor=0.5,patience=10", "restart:threshold=0.5,factor=0.5,gamma=0.99",
]

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
        warmupIterations: 1,
        maxDuration: .seconds(3),
        maxIterations: 20
    )
    for spec in specs {
        let schedule = try! Schedule(parsing: spec)
        Benchmark("10^6 steps of \(spec)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                var scheduler = Scheduler(schedule, baseRate: 0.1)
                var sum = 0.0
                for t in 0..<steps { sum += scheduler.rate(at: t, loss: 1 / Double(t + 1).squareRoot()) }
                blackHole(sum)
            }
        }
    }
}
