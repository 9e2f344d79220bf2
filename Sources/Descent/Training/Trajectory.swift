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
    var run = OptimizationSteps(function, from: start, optimizer: optimizer, schedule: schedule,
                                divergence: divergence, noise: noise)
    for _ in 0...steps {
        guard let point = run.next() else { break }
        try row(point)
        if let stop = run.divergence { return stop }
    }
    return nil
}

/// The rows of ``optimize(_:from:steps:optimizer:schedule:divergence:noise:)`` computed one at a time,
/// as they are asked for: a lazy sequence of optimizer steps that a caller can cut short (`prefix`,
/// `first(where:)`, a `break`). Row k is θ_k, f(θ_k) and the rate the schedule gives update k, seeing
/// f(θ_k); asking for row k + 1 makes update k (gradient, noise, step). The sequence ends after the
/// row whose loss meets `divergence` (then ``divergence`` says where) and does not end otherwise.
public struct OptimizationSteps: Sequence, IteratorProtocol {
    private let function: any TestFunction
    private var optimizer: any Optimizer
    private var scheduler: Scheduler
    private let criterion: DivergenceCriterion
    private let noise: GradientNoise?
    private var rng: SeededGenerator
    private var theta: [Double]
    private var gradient: [Double]
    private var step = 0
    private var rate = 0.0
    private var firstLoss = Double.nan
    /// Set when a row's loss met the divergence criterion: the sequence ended with that row.
    public private(set) var divergence: Divergence?

    public init(_ function: any TestFunction, from start: [Double], optimizer: some Optimizer,
                schedule: Schedule = .constant, divergence: DivergenceCriterion = .nonFinite, noise: GradientNoise? = nil) {
        self.function = function
        self.optimizer = optimizer
        scheduler = Scheduler(schedule, baseRate: optimizer.learningRate)
        criterion = divergence
        self.noise = noise
        rng = SeededGenerator(seed: noise?.seed ?? 0)
        theta = start
        gradient = [Double](repeating: 0, count: start.count)
    }

    public mutating func next() -> TrajectoryPoint? {
        guard divergence == nil else { return nil }
        if step > 0 {
            function.gradient(theta, into: &gradient)
            if let noise {
                for i in gradient.indices { gradient[i] += noise.sigma * rng.gaussian() }
            }
            optimizer.learningRate = rate
            optimizer.step(&theta, gradient: gradient)
        }
        let loss = function.value(theta)
        if step == 0 { firstLoss = loss }
        rate = scheduler.rate(at: step, loss: loss)
        let point = TrajectoryPoint(step: step, learningRate: rate, loss: loss, point: theta)
        if criterion.isDiverged(loss, firstLoss: firstLoss) { divergence = Divergence(step: step, loss: loss) }
        step += 1
        return point
    }
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
