import Descent

/// Gradient descent on the quadratic: the experiments behind section 1 of chapter 2.
enum QuadraticGD {
    static let f = Quadratic()
    static let start = [-5.0, -2.0]

    static func run(_ alpha: Double, steps: Int) -> Trajectory {
        optimize(f, from: start, steps: steps, optimizer: SGD(learningRate: alpha), divergence: .standard)
    }

    /// Whether a run at `alpha` ends below its starting loss after `steps` steps.
    static func isStable(_ alpha: Double, steps: Int) -> Bool {
        let r = run(alpha, steps: steps)
        return r.divergence == nil && r.points.last!.loss < r.points[0].loss
    }

    /// The divergence threshold found by bisection on the runs themselves: the largest α that
    /// still ends below the starting loss, between `low` (stable) and `high` (unstable).
    static func divergenceThreshold(low: Double = 0.1, high: Double = 1, steps: Int = 2000,
                                    iterations: Int = 40) -> Double {
        var lo = low, hi = high
        precondition(isStable(lo, steps: steps) && !isStable(hi, steps: steps),
                     "the bracket must straddle the threshold")
        for _ in 0..<iterations {
            let mid = (lo + hi) / 2
            if isStable(mid, steps: steps) { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// The fixed α with the lowest loss after `steps` steps, by golden-section search on (low, high).
    static func bestFixedRate(low: Double = 0.3, high: Double = 0.5, steps: Int = 100) -> Double {
        let g = (5.0.squareRoot() - 1) / 2
        var a = low, b = high
        var c = b - g * (b - a), d = a + g * (b - a)
        func loss(_ x: Double) -> Double { run(x, steps: steps).points.last!.loss }
        for _ in 0..<80 {
            if loss(c) < loss(d) { b = d } else { a = c }
            c = b - g * (b - a)
            d = a + g * (b - a)
        }
        return (a + b) / 2
    }
}

/// Held-out points from the teacher of ``SupervisedTask/teacherStudent(seed:)``: the same teacher
/// network (its weights are the first draws of the task's generator, see
/// `Datasets.teacherRegression`), fresh Gaussian inputs, and the teacher's noise-free outputs.
/// The mean of (student − teacher)² over them is the student's excess error: its best possible
/// value is 0, and it carries no sampling noise from the labels.
struct HeldOutTeacher {
    let inputs: Matrix
    let clean: Matrix
    let teacher: MLP
    let weights: [Double]

    init(taskSeed: UInt64, count: Int, seed: UInt64) {
        var rng = SeededGenerator(seed: taskSeed)
        teacher = MLP(inputs: 2, hidden: [16], outputs: 1, activation: .tanh)
        weights = teacher.initialParameters(.xavierNormal, using: &rng)
        var fresh = SeededGenerator(seed: seed)
        inputs = Matrix(rows: count, columns: 2, elements: (0..<(count * 2)).map { _ in fresh.gaussian() })
        clean = teacher.predict(weights, inputs)
    }

    /// The teacher's noise-free output at `x`.
    func teach(_ x: Matrix) -> Matrix { teacher.predict(weights, x) }

    /// Mean of (student(x) − teacher(x))² over the held-out inputs, computed in `workspace`
    /// (one per run: a fresh one per call re-allocates and re-faults megabytes at every evaluation).
    func excess(_ task: SupervisedTask, _ parameters: [Double], workspace: MLP.Workspace) -> Double {
        workspace.forward(parameters, input: inputs, mode: .training, updatingStatistics: false)
        let out = workspace.output
        var s = 0.0
        for i in 0..<inputs.rows { let d = out[i, 0] - clean[i, 0]; s += d * d }
        return s / Double(inputs.rows)
    }
}

/// The schedules compared, all starting from the same base rate.
func comparedSchedules(steps: Int) -> [(name: String, schedule: Schedule)] {
    let t = steps
    return [
        ("constant", .constant),
        ("polynomial, power 1", .polynomial(PolynomialDecay(totalSteps: t, power: 1))),
        ("exponential", .exponential(ExponentialDecay(gamma: Double.exp(Double.log(0.01) / Double(t))))),
        ("step", .step(StepDecay(size: t / 3, gamma: 0.2))),
        ("cosine", .cosine(CosineAnnealing(period: t))),
        // 1 + 2 + 4 cycles of T₀ end exactly at the last step, at the bottom of a cosine.
        ("SGDR (warm restarts)", .warmRestarts(CosineWarmRestarts(firstPeriod: (t + 6) / 7, multiplier: 2))),
        ("warm-up + cosine", .warmup(LinearWarmup(steps: t / 10, then: .cosine(CosineAnnealing(period: t - t / 10))))),
        ("article's restart rule", .restart(ThresholdRestart(threshold: 0.02, factor: 0.8,
                                                             gamma: Double.exp(Double.log(0.01) / Double(t / 3))))),
        ("reduce on plateau", .plateau(ReduceOnPlateau(factor: 0.5, patience: t / 20))),
    ]
}

import RealModule

/// The mean of a run's evaluations (step, value) at steps ≥ `from`: the score of a schedule over the
/// end of its run rather than at one checkpoint, which can land in a lucky dip (mean over the points
/// tᵢ ≥ from of vᵢ). NaN when no evaluation falls in the window.
func tailMean(_ curve: [(Int, Double)], from: Int) -> Double {
    let late = curve.filter { $0.0 >= from }.map(\.1)
    return late.isEmpty ? .nan : late.reduce(0, +) / Double(late.count)
}
