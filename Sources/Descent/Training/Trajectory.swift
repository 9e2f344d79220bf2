/// One row of an optimizer run on a test function: the point *before* update `step`,
/// its loss, and the rate used for that update.
public struct TrajectoryPoint: Sendable, Equatable {
    /// k = 0, 1, …, N.
    public let step: Int
    /// The rate for update k → k+1 (for the last row: the rate the schedule would give next).
    public let learningRate: Double
    /// f(θ_k).
    public let loss: Double
    /// θ_k.
    public let point: [Double]
}

/// The rows of a run and, if it diverged, where.
public struct Trajectory: Sendable, Equatable {
    /// Rows 0…N, or 0…k when the run diverged at row k (that row included).
    public let points: [TrajectoryPoint]
    /// Set when a loss met the divergence criterion; the run stopped at that row.
    public let divergence: Divergence?
}

/// Runs `optimizer` on `function` from `start` for `steps` updates with the rate given
/// by `schedule` (base rate = the optimizer's ``Optimizer/learningRate``).
///
/// With `noise` (σ, seed), every update sees ∇f(θ) + σξ, ξ ~ N(0, I) drawn from the seed's
/// stream (one draw per coordinate, in order), while rows record the exact f(θ): the noisy
/// gradient of a mini-batch, on a function whose noise floor has a closed form
/// (``HeavyBall/stationaryVariance(learningRate:momentum:eigenvalue:noise:)``).
///
/// Row k records θ_k and f(θ_k) *before* update k, and the rate used for that update; a
/// loss-driven schedule sees f(θ_k) before choosing it. The run stops at the first row
/// whose loss meets `divergence`.
public func optimize(
    _ function: any TestFunction, from start: [Double], steps: Int,
    optimizer: some Optimizer, schedule: Schedule = .constant,
    divergence: DivergenceCriterion = .nonFinite, noise: GradientNoise? = nil
) -> Trajectory {
    var rows: [TrajectoryPoint] = []
    rows.reserveCapacity(steps + 1)
    let stop = optimize(function, from: start, steps: steps, optimizer: optimizer, schedule: schedule,
                        divergence: divergence, noise: noise) { rows.append($0) }
    return Trajectory(points: rows, divergence: stop)
}

/// The same run as ``optimize(_:from:steps:optimizer:schedule:divergence:noise:)``, handing each row
/// to `row` as soon as it is computed instead of keeping it: memory stays constant however
/// many steps are taken. Returns where the run diverged, if it did; an error thrown by `row`
/// stops the run and is passed on.
public func optimize(
    _ function: any TestFunction, from start: [Double], steps: Int,
    optimizer: some Optimizer, schedule: Schedule = .constant,
    divergence: DivergenceCriterion = .nonFinite, noise: GradientNoise? = nil,
    row: (TrajectoryPoint) throws -> Void
) rethrows -> Divergence? {
    precondition(steps >= 0, "steps must be ≥ 0")
    var rng = SeededGenerator(seed: noise?.seed ?? 0)
    var optimizer = optimizer
    var scheduler = Scheduler(schedule, baseRate: optimizer.learningRate)
    var theta = start
    var gradient = [Double](repeating: 0, count: start.count)
    var firstLoss = Double.nan
    for k in 0...steps {
        let loss = function.value(theta)
        if k == 0 { firstLoss = loss }
        let rate = scheduler.rate(at: k, loss: loss)
        try row(TrajectoryPoint(step: k, learningRate: rate, loss: loss, point: theta))
        if divergence.isDiverged(loss, firstLoss: firstLoss) {
            return Divergence(step: k, loss: loss)
        }
        if k == steps { break }
        function.gradient(theta, into: &gradient)
        if let noise {
            for i in gradient.indices { gradient[i] += noise.sigma * rng.gaussian() }
        }
        optimizer.learningRate = rate
        optimizer.step(&theta, gradient: gradient)
    }
    return nil
}

/// Gaussian gradient noise for ``optimize(_:from:steps:optimizer:schedule:divergence:noise:)``:
/// standard deviation σ per coordinate, drawn from `seed`'s ``SeededGenerator`` stream.
public struct GradientNoise: Sendable, Equatable {
    public var sigma: Double
    public var seed: UInt64
    /// - Precondition: σ is finite and ≥ 0.
    public init(sigma: Double, seed: UInt64) {
        precondition(sigma.isFinite && sigma >= 0, "gradient noise σ must be finite and ≥ 0")
        self.sigma = sigma
        self.seed = seed
    }
}
