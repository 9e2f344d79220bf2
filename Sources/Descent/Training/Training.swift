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
/// This is the one training loop (`runTrainingLoop`, TrainingLoop.swift) with observers that record
/// and clip; ``trainEvaluating(_:parameters:training:validation:loss:optimizer:schedule:steps:batchSize:evaluateEvery:accuracy:divergence:rng:onRow:progress:runningStatistics:onState:)``
/// is the same loop reporting evaluated rows.
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
    var result = TrainingResult()
    result.losses.reserveCapacity(steps)
    let observers = TrainingObservers(
        willStep: { t, theta, workspace in
            observer?(t, theta)
            statisticsObserver?(t, theta, workspace.runningStatistics)
        },
        batchLoss: { _, value in result.losses.append(value) },
        gradient: { _, gradient in
            if recording.contains(.layerNorms) { result.layerNorms.append(network.layerGradientNorms(gradient)) }
            let norm = clipping?.apply(to: &gradient) ?? (recording.contains(.gradientNorms) ? globalNorm(gradient) : 0)
            if recording.contains(.gradientNorms) { result.gradientNorms.append(norm) }
        },
        rate: { _, rate in if recording.contains(.learningRates) { result.learningRates.append(rate) } })
    let end = runTrainingLoop(network, parameters: parameters, data: data, loss: loss, optimizer: optimizer,
                              schedule: schedule, steps: steps, batches: MiniBatches(rows: data.count, size: batchSize),
                              divergence: divergence, rng: &rng, runningStatistics: runningStatistics,
                              observers: observers, report: { _, _, _, _, _ in })
    result.divergence = end.divergence
    result.parameters = end.parameters
    if network.statisticsCount > 0 { result.runningStatistics = end.runningStatistics }
    return result
}
