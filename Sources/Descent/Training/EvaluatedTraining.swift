/// One row of an evaluated training run: the state *before* update `step`.
public struct EvaluationRow: Sendable, Equatable {
    /// k = 0, E, 2E, …, N.
    public let step: Int
    /// The rate of update k (for row N: the rate the schedule would give next).
    public let learningRate: Double
    /// The loss of θ_k on the whole training split.
    public let trainingLoss: Double
    /// The loss of θ_k on the validation split, if there is one.
    public let validationLoss: Double?
    /// The fraction of validation rows whose largest output is the target class (classification
    /// with a validation split only).
    public let validationAccuracy: Double?
}

/// How an evaluated run ended.
public struct EvaluatedRun: Sendable {
    /// θ after the last update (or at the row where the run diverged).
    public var parameters: [Double]
    /// Set when a loss met the divergence criterion; the run stopped at that row (which was reported).
    public var divergence: Divergence?
    /// The batch-norm running averages at the same point (nil without batch norm).
    public var runningStatistics: MLP.RunningStatistics? = nil
}

/// The loss (and accuracy) of a network on a whole data set, with buffers reused across calls so
/// an evaluation allocates nothing but the accuracy's copy of the outputs.
public final class Evaluator {
    /// The network evaluated.
    public let network: MLP
    /// The rows it is evaluated on.
    public let data: Dataset
    /// The loss reported.
    public let loss: Loss
    private let workspace: MLP.Workspace

    public init(network: MLP, data: Dataset, loss: Loss) {
        self.network = network
        self.data = data
        self.loss = loss
        workspace = MLP.Workspace(network: network, batchSize: data.count)
    }

    /// The mean loss of `parameters` over all rows. Batch-normalised layers use these rows'
    /// statistics when `statistics` is nil (training mode, nothing updated), the given running
    /// averages otherwise (evaluation mode, as `model.eval()`).
    public func loss(_ parameters: [Double], statistics: MLP.RunningStatistics? = nil) -> Double {
        if let statistics { workspace.runningStatistics = statistics }
        return workspace.lossAndGradient(parameters, input: data.inputs, target: data.targets, loss: loss,
                                         mode: statistics == nil ? .training : .evaluation, updatingStatistics: false)
    }

    /// The loss, and the fraction of rows whose arg-max output is the arg-max target (one-hot targets).
    public func lossAndAccuracy(_ parameters: [Double], statistics: MLP.RunningStatistics? = nil)
        -> (loss: Double, accuracy: Double)
    {
        let l = loss(parameters, statistics: statistics)
        let out = workspace.output
        let k = out.columns
        var correct = 0
        for i in 0..<out.rows {
            var best = 0, label = 0
            for j in 1..<max(k, 1) {
                if out[i, j] > out[i, best] { best = j }
                if data.targets[i, j] > data.targets[i, label] { label = j }
            }
            if best == label { correct += 1 }
        }
        return (l, Double(correct) / Double(max(out.rows, 1)))
    }
}

/// Mini-batch training that reports the full training loss (and validation loss and accuracy)
/// every `evaluateEvery` steps — the loop behind `lab train`: the one training loop
/// (`runTrainingLoop`, TrainingLoop.swift) with a report on every E-th step.
///
/// Step k: the loss and gradient of batch k at θ_k; the scheduler picks the rate of update k
/// (seeing that batch loss); the optimizer updates θ_k → θ_{k+1}. Batches: each epoch visits the
/// training rows in a fresh order from `rng`, `batchSize` at a time (the last batch of an epoch
/// may be smaller); `batchSize` 0 or ≥ the row count is full-batch gradient descent, rows in
/// order, and draws nothing from `rng`.
///
/// Rows are reported at k = 0, E, 2E, … and always at N, each with the state *before* update k
/// and the rate of update k; row N's rate is the one the schedule would give next (a loss-driven
/// schedule sees the next batch's loss, without consuming it). When a batch loss or a reported
/// training loss meets `divergence`, that step's row is reported and the run stops. `progress`,
/// if given, is called with k before every update (for a progress bar).
///
/// Batch-normalised layers (starting from `runningStatistics`, PyTorch's initial values when nil)
/// train on each batch's statistics and update the running averages once per step; the reported
/// training loss uses the whole training split's statistics without touching the averages, the
/// validation loss and accuracy use the running averages (evaluation mode).
///
/// The variant with `onState` shows it every reported row with the state it describes (θ_k and
/// the running averages, nil without batch norm), e.g. to keep the parameters of the best
/// validation row.
///
/// - Complexity: per step one forward and backward pass on a batch, allocation-free; per
///   reported row one pass over each split.
public func trainEvaluating(
    _ network: MLP, parameters: [Double], training: Dataset, validation: Dataset?, loss: Loss,
    optimizer: some Optimizer, schedule: Schedule = .constant, steps: Int, batchSize: Int,
    evaluateEvery: Int, accuracy: Bool, divergence: DivergenceCriterion = .nonFinite,
    rng: inout SeededGenerator, onRow: (EvaluationRow) throws -> Void, progress: ((_ step: Int) -> Void)? = nil,
    runningStatistics: MLP.RunningStatistics? = nil
) rethrows -> EvaluatedRun {
    try trainEvaluating(network, parameters: parameters, training: training, validation: validation, loss: loss,
                        optimizer: optimizer, schedule: schedule, steps: steps, batchSize: batchSize,
                        evaluateEvery: evaluateEvery, accuracy: accuracy, divergence: divergence, rng: &rng,
                        onRow: onRow, progress: progress, runningStatistics: runningStatistics, onState: { _, _, _ in })
}

/// `trainEvaluating(_:parameters:training:validation:loss:optimizer:schedule:steps:batchSize:evaluateEvery:accuracy:divergence:rng:onRow:progress:runningStatistics:)`
/// with `onState`, which sees every reported row with the state it describes.
public func trainEvaluating(
    _ network: MLP, parameters: [Double], training: Dataset, validation: Dataset?, loss: Loss,
    optimizer: some Optimizer, schedule: Schedule = .constant, steps: Int, batchSize: Int,
    evaluateEvery: Int, accuracy: Bool, divergence: DivergenceCriterion = .nonFinite,
    rng: inout SeededGenerator, onRow: (EvaluationRow) throws -> Void, progress: ((_ step: Int) -> Void)? = nil,
    runningStatistics: MLP.RunningStatistics?,
    onState: (_ row: EvaluationRow, _ parameters: [Double], _ statistics: MLP.RunningStatistics?) throws -> Void
) rethrows -> EvaluatedRun {
    precondition(steps >= 0 && batchSize >= 0 && evaluateEvery >= 1, "steps ≥ 0, batch size ≥ 0, evaluateEvery ≥ 1")
    precondition(training.count >= 1, "the training split is empty")
    let validationEvaluator = validation.map { Evaluator(network: network, data: $0, loss: loss) }
    let end = try runTrainingLoop(
        network, parameters: parameters, data: training, loss: loss, optimizer: optimizer, schedule: schedule,
        steps: steps, batches: MiniBatches(rows: training.count, size: batchSize, fullBatchInOrder: true),
        divergence: divergence, rng: &rng, runningStatistics: runningStatistics,
        observers: TrainingObservers(progress: progress, reported: { k in k == steps || k % evaluateEvery == 0 }),
        report: { k, rate, trainingLoss, theta, statistics in
            var validationLoss: Double?, validationAccuracy: Double?
            if let v = validationEvaluator {
                if accuracy {
                    let (l, a) = v.lossAndAccuracy(theta, statistics: statistics)
                    validationLoss = l
                    validationAccuracy = a
                } else {
                    validationLoss = v.loss(theta, statistics: statistics)
                }
            }
            let row = EvaluationRow(step: k, learningRate: rate, trainingLoss: trainingLoss,
                                    validationLoss: validationLoss, validationAccuracy: validationAccuracy)
            try onRow(row)
            try onState(row, theta, statistics)
        })
    return EvaluatedRun(parameters: end.parameters, divergence: end.divergence, runningStatistics: end.runningStatistics)
}

extension PreparedData {
    /// Trains `network` on the training split, reporting rows as `trainEvaluating(_:parameters:training:validation:loss:optimizer:schedule:steps:batchSize:evaluateEvery:accuracy:divergence:rng:onRow:progress:)`
    /// does (accuracy for a classification with a validation split).
    ///
    /// A generator seeded with `seed` first draws the initial weights with `initializer`, then the
    /// batch order; given `initialParameters`, those replace the drawn weights (which are still
    /// drawn, so the batch order is the same either way).
    public func train(
        _ network: MLP, initializer: Initializer, initialParameters: [Double]? = nil,
        initialStatistics: MLP.RunningStatistics? = nil,
        optimizer: some Optimizer, schedule: Schedule = .constant, steps: Int, batchSize: Int,
        evaluateEvery: Int, seed: UInt64, divergence: DivergenceCriterion = .nonFinite,
        onRow: (EvaluationRow) throws -> Void = { _ in }, progress: ((_ step: Int) -> Void)? = nil
    ) rethrows -> EvaluatedRun {
        try train(network, initializer: initializer, initialParameters: initialParameters, initialStatistics: initialStatistics,
                  optimizer: optimizer, schedule: schedule, steps: steps, batchSize: batchSize, evaluateEvery: evaluateEvery,
                  seed: seed, divergence: divergence, onRow: onRow, progress: progress, onState: { _, _, _ in })
    }

    /// `train(_:initializer:initialParameters:initialStatistics:optimizer:schedule:steps:batchSize:evaluateEvery:seed:divergence:onRow:progress:)`
    /// with `onState`, which sees each reported row with its parameters and running averages.
    public func train(
        _ network: MLP, initializer: Initializer, initialParameters: [Double]? = nil,
        initialStatistics: MLP.RunningStatistics? = nil,
        optimizer: some Optimizer, schedule: Schedule = .constant, steps: Int, batchSize: Int,
        evaluateEvery: Int, seed: UInt64, divergence: DivergenceCriterion = .nonFinite,
        onRow: (EvaluationRow) throws -> Void, progress: ((_ step: Int) -> Void)?,
        onState: (_ row: EvaluationRow, _ parameters: [Double], _ statistics: MLP.RunningStatistics?) throws -> Void
    ) rethrows -> EvaluatedRun {
        var rng = SeededGenerator(seed: seed)
        let drawn = network.initialParameters(initializer, using: &rng)
        return try trainEvaluating(network, parameters: initialParameters ?? drawn, training: training,
                                   validation: validation, loss: loss, optimizer: optimizer, schedule: schedule,
                                   steps: steps, batchSize: batchSize, evaluateEvery: evaluateEvery,
                                   accuracy: task == .classification, divergence: divergence, rng: &rng, onRow: onRow,
                                   progress: progress, runningStatistics: initialStatistics, onState: onState)
    }
}
