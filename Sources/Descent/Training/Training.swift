/// A supervised data set: one example per row of `inputs`, its target in the same row of
/// `targets`.
public struct Dataset: Sendable, Equatable {
    public let inputs: Matrix
    public let targets: Matrix
    public init(inputs: Matrix, targets: Matrix) {
        precondition(inputs.rows == targets.rows, "inputs and targets must have the same number of rows")
        self.inputs = inputs
        self.targets = targets
    }
    /// Number of examples.
    public var count: Int { inputs.rows }
}

/// What to record while training; off by default so a sweep pays only for the losses.
public struct TrainingRecording: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// ‖∂ℓ/∂Wᵢ‖₂ per layer at every step (before clipping).
    public static let layerNorms = TrainingRecording(rawValue: 1)
    /// The global gradient norm at every step (before clipping).
    public static let gradientNorms = TrainingRecording(rawValue: 2)
    /// The learning rate used at every step.
    public static let learningRates = TrainingRecording(rawValue: 4)
}

/// The record of a training run.
public struct TrainingResult: Sendable {
    /// The mini-batch loss at each step, before that step's update.
    public var losses: [Double] = []
    /// The rate used at each step (when recorded).
    public var learningRates: [Double] = []
    /// The global gradient norm at each step, before clipping (when recorded).
    public var gradientNorms: [Double] = []
    /// Per step, ‖∂ℓ/∂Wᵢ‖₂ for every layer i (when recorded).
    public var layerNorms: [[Double]] = []
    /// Set when the run diverged; training stopped there.
    public var divergence: Divergence?
    /// The parameters at the end (or where the run stopped).
    public var parameters: [Double] = []
    /// The batch-norm running averages at the end (nil for a network without batch norm).
    public var runningStatistics: MLP.RunningStatistics?
}

/// Mini-batch training: each epoch visits the examples in a fresh random order (drawn
/// from `rng`) in batches of `batchSize` (the last batch of an epoch may be smaller): ``MiniBatches``.
///
/// At step t: loss and gradient on batch t; clip if asked; the scheduler picks the rate
/// (seeing that loss); the optimizer updates. Stops after `steps` updates or when the
/// loss meets `divergence`. `observer`, if given, sees θ_t before every update t and the final
/// parameters with t = `steps` (e.g. to evaluate a full-batch loss every so often).
///
/// Batch-normalised layers train in training mode (each batch's statistics) and update the
/// running averages once per step, starting from `runningStatistics` (mean 0, variance 1 when
/// nil); `statisticsObserver`, if given, sees them next to θ_t (for an evaluation-mode loss).
///
/// - Complexity: one forward and one backward pass per step; no allocation per step
///   beyond the records asked for.
public func train(
    _ network: MLP, parameters: [Double], on data: Dataset, loss: Loss,
    optimizer: some Optimizer, schedule: Schedule = .constant,
    steps: Int, batchSize: Int, clipping: GradientClipping? = nil,
    divergence: DivergenceCriterion = .standard, recording: TrainingRecording = [],
    rng: inout SeededGenerator, observer: ((_ step: Int, _ parameters: [Double]) -> Void)? = nil,
    runningStatistics: MLP.RunningStatistics? = nil,
    statisticsObserver: ((_ step: Int, _ parameters: [Double], _ statistics: MLP.RunningStatistics) -> Void)? = nil
) -> TrainingResult {
    precondition(steps >= 0 && batchSize >= 1, "steps ≥ 0 and batch size ≥ 1")
    var optimizer = optimizer
    var scheduler = Scheduler(schedule, baseRate: optimizer.learningRate)
    var theta = parameters
    let workspace = MLP.Workspace(network: network, batchSize: min(batchSize, data.count))
    if let runningStatistics { workspace.runningStatistics = runningStatistics }
    var result = TrainingResult()
    result.losses.reserveCapacity(steps)
    var batches = MiniBatches(rows: data.count, size: batchSize)
    var buffer = BatchBuffer(for: data)
    var gradient = [Double](repeating: 0, count: network.parameterCount)
    var firstLoss = Double.nan
    for t in 0..<steps {
        observer?(t, theta)
        statisticsObserver?(t, theta, workspace.runningStatistics)
        let value = workspace.lossAndGradient(theta, rows: batches.next(using: &rng), of: data, loss: loss, buffer: &buffer)
        if t == 0 { firstLoss = value }
        result.losses.append(value)
        if divergence.isDiverged(value, firstLoss: firstLoss) {
            result.divergence = Divergence(step: t, loss: value)
            break
        }
        gradient.withUnsafeMutableBufferPointer { g in
            workspace.gradient.withUnsafeBufferPointer { w in g.baseAddress!.update(from: w.baseAddress!, count: w.count) }
        }
        if recording.contains(.layerNorms) { result.layerNorms.append(network.layerGradientNorms(gradient)) }
        let norm = clipping?.apply(to: &gradient) ?? (recording.contains(.gradientNorms) ? globalNorm(gradient) : 0)
        if recording.contains(.gradientNorms) { result.gradientNorms.append(norm) }
        let rate = scheduler.rate(at: t, loss: value)
        if recording.contains(.learningRates) { result.learningRates.append(rate) }
        optimizer.learningRate = rate
        optimizer.step(&theta, gradient: gradient)
    }
    if result.divergence == nil {
        observer?(steps, theta)
        statisticsObserver?(steps, theta, workspace.runningStatistics)
    }
    result.parameters = theta
    if network.statisticsCount > 0 { result.runningStatistics = workspace.runningStatistics }
    return result
}
