import Descent
import Figures
import RealModule

/// One entrant of the Rosenbrock race.
struct Racer {
    let name: String
    let make: @Sendable (Double) -> any Optimizer
}

let racers: [Racer] = [
    Racer(name: "SGD") { SGD(learningRate: $0) },
    Racer(name: "momentum 0.9") { SGD(learningRate: $0, momentum: 0.9) },
    Racer(name: "Nesterov 0.9") { SGD(learningRate: $0, momentum: 0.9, nesterov: true) },
    Racer(name: "AdaGrad") { AdaGrad(learningRate: $0) },
    Racer(name: "RMSprop") { RMSprop(learningRate: $0) },
    Racer(name: "Adam") { Adam(learningRate: $0) },
    Racer(name: "AMSGrad") { Adam(learningRate: $0, amsgrad: true) },
]

/// The first step with f < `target`, or nil.
func stepsToTarget(_ t: Trajectory, target: Double) -> Int? {
    t.points.first { $0.loss < target }?.step
}

struct RaceResult {
    let racer: Racer
    let rate: Double
    let trajectory: Trajectory
    let steps: Int?
    /// Steps to the target from jittered starts (one per seed), nil where not reached.
    let seedSteps: [Int?]
}

/// Each racer at its best rate from `grid` (fewest steps to f < target from (−1.5, 2)), then
/// re-run from starts jittered by N(0, 0.05²) for each seed.
func race(grid: [Double], steps: Int, target: Double, seeds: [UInt64]) -> [RaceResult] {
    let f = Rosenbrock(), start = [-1.5, 2.0]
    return racers.map { r in
        var best: (Double, Trajectory, Int?)?
        for a in grid {
            let t = optimize(f, from: start, steps: steps, optimizer: r.make(a), divergence: .standard)
            guard t.divergence == nil else { continue }
            let s = stepsToTarget(t, target: target)
            if let b = best {
                let better: Bool
                switch (s, b.2) {
                case let (x?, y?): better = x < y
                case (_?, nil): better = true
                case (nil, _?): better = false
                case (nil, nil): better = t.points.last!.loss < b.1.points.last!.loss
                }
                if better { best = (a, t, s) }
            } else {
                best = (a, t, s)
            }
        }
        let (rate, traj, s) = best!
        let seedSteps = seeds.map { seed -> Int? in
            var rng = SeededGenerator(seed: seed)
            let jittered = start.map { $0 + 0.05 * rng.gaussian() }
            return stepsToTarget(optimize(f, from: jittered, steps: steps, optimizer: r.make(rate), divergence: .standard), target: target)
        }
        return RaceResult(racer: r, rate: rate, trajectory: traj, steps: s, seedSteps: seedSteps)
    }
}

/// Reddi et al.'s counterexample run with rate α/√t from x₁ = 0.
func counterexample(amsgrad: Bool, steps: Int, alpha: Double = 0.5) -> (recorded: [(step: Int, x: Double, averageRegret: Double)], averageRegret: Double, final: Double) {
    let problem = OnlineCounterexample(c: 3)
    let record = logSpacedIndices(steps, points: 300).map { $0 + 1 }
    let opt = Adam(learningRate: alpha, beta1: 0, beta2: problem.criticalBeta2, amsgrad: amsgrad)
    let r = problem.run(optimizer: opt, steps: steps, start: 0, learningRate: { alpha / Double($0).squareRoot() }, record: record)
    return (r.recorded, r.averageRegret, r.recorded.last!.x)
}
