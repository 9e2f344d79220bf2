/// The one training loop: ``train(_:parameters:on:loss:optimizer:schedule:steps:batchSize:clipping:divergence:recording:rng:observer:runningStatistics:statisticsObserver:)``
/// and ``trainEvaluating(_:parameters:training:validation:loss:optimizer:schedule:steps:batchSize:evaluateEvery:accuracy:divergence:rng:onRow:progress:runningStatistics:onState:)``
/// are this loop with different observers (fastai's callbacks are the model).
///
/// Step k = 0 … N−1, on θ_k:
///
///     willStep(k, θ_k)
///     ℓ_k, g_k = loss and gradient of batch k (MiniBatches)    batchLoss(k, ℓ_k)
///     stop if ℓ_k meets the divergence criterion (relative to ℓ_0)
///     if reported(k): L_k = the loss on all rows (ℓ_k for a full batch); stop if it diverges
///     α_k = the schedule's rate, seeing ℓ_k                     report(k, α_k, L_k, θ_k)
///     progress(k); gradient(k, g_k) may change g_k (clipping); rate(k, α_k)
///     θ_{k+1} = the optimizer's update of θ_k with g_k at rate α_k
///
/// and at k = N: willStep(N, θ_N), and if reported(N) the loss on all rows and the rate the
/// schedule would give next (a loss-driven one seeing the next batch's loss, without consuming it).
/// A stop reports its row (when there is a report) and ends the run at θ_k.
struct TrainingObservers {
    /// θ_k before step k's batch (and θ_N at the end), with the workspace (batch-norm averages).
    var willStep: ((_ step: Int, _ parameters: [Double], _ workspace: MLP.Workspace) -> Void)?
    /// Step k's batch loss, as soon as it is computed.
    var batchLoss: ((_ step: Int, _ loss: Double) -> Void)?
    /// Step k's gradient just before the update; may change it.
    var gradient: ((_ step: Int, _ gradient: inout [Double]) -> Void)?
    /// The rate update k is made with.
    var rate: ((_ step: Int, _ rate: Double) -> Void)?
    /// Before update k.
    var progress: ((_ step: Int) -> Void)?
    /// Whether step k is reported (evaluated on all rows and handed to `report`); nil: never.
    var reported: ((_ step: Int) -> Bool)?

    init(willStep: ((_ step: Int, _ parameters: [Double], _ workspace: MLP.Workspace) -> Void)? = nil,
         batchLoss: ((_ step: Int, _ loss: Double) -> Void)? = nil,
         gradient: ((_ step: Int, _ gradient: inout [Double]) -> Void)? = nil,
         rate: ((_ step: Int, _ rate: Double) -> Void)? = nil,
         progress: ((_ step: Int) -> Void)? = nil, reported: ((_ step: Int) -> Bool)? = nil) {
        self.willStep = willStep
        self.batchLoss = batchLoss
        self.gradient = gradient
        self.rate = rate
        self.progress = progress
        self.reported = reported
    }
}

/// Where the loop ended.
struct TrainingLoopEnd {
    var parameters: [Double]
    var divergence: Divergence?
    var runningStatistics: MLP.RunningStatistics?
}

/// Runs the loop above; `report` sees each reported step (and a step that stopped the run) with its
/// rate, the loss on all rows (NaN when not evaluated), θ_k and the running averages.
func runTrainingLoop(
    _ network: MLP, parameters: [Double], data: Dataset, loss: Loss, optimizer: some Optimizer, schedule: Schedule,
    steps: Int, batches: MiniBatches, divergence: DivergenceCriterion, rng: inout SeededGenerator,
    runningStatistics: MLP.RunningStatistics?, observers: TrainingObservers,
    report: (_ step: Int, _ rate: Double, _ loss: Double, _ parameters: [Double], _ statistics: MLP.RunningStatistics?) throws -> Void
) rethrows -> TrainingLoopEnd {
    var optimizer = optimizer
    var scheduler = Scheduler(schedule, baseRate: optimizer.learningRate)
    var theta = parameters
    var batches = batches
    let n = data.count
    let workspace = MLP.Workspace(network: network, batchSize: batches.isFullBatch ? n : min(batches.size, n))
    if let runningStatistics { workspace.runningStatistics = runningStatistics }
    func statistics() -> MLP.RunningStatistics? { network.statisticsCount > 0 ? workspace.runningStatistics : nil }
    let evaluator = observers.reported == nil ? nil : Evaluator(network: network, data: data, loss: loss)
    var buffer = BatchBuffer(for: data)
    // A copy of the gradient only for an observer that may change it (clipping); otherwise the
    // optimizer reads the workspace's.
    var gradient = observers.gradient == nil ? [] : [Double](repeating: 0, count: network.parameterCount)
    var firstLoss = Double.nan

    func batchLoss(_ theta: [Double], _ batches: inout MiniBatches, _ rng: inout SeededGenerator) -> Double {
        workspace.lossAndGradient(theta, rows: batches.next(using: &rng), of: data, loss: loss, buffer: &buffer)
    }

    for k in 0...steps {
        observers.willStep?(k, theta, workspace)
        var value = Double.nan
        if k < steps {
            value = batchLoss(theta, &batches, &rng)
            if k == 0 { firstLoss = value }
            observers.batchLoss?(k, value)
        }
        let batchDiverged = k < steps && divergence.isDiverged(value, firstLoss: firstLoss)
        let reported = observers.reported?(k) ?? false
        var allRows = Double.nan
        if let evaluator, reported || batchDiverged {
            allRows = batches.isFullBatch && k < steps ? value : evaluator.loss(theta)
            if k == 0 && steps == 0 { firstLoss = allRows }
        }
        let diverged = batchDiverged || (reported && divergence.isDiverged(allRows, firstLoss: firstLoss))
        if k == steps && !reported { break }
        let rate: Double
        if k < steps {
            rate = scheduler.rate(at: k, loss: value)
        } else {
            var next = scheduler, peek = batches, peekRng = rng
            let nextLoss = schedule.isLossDriven && !batches.isFullBatch ? batchLoss(theta, &peek, &peekRng) : allRows
            rate = next.rate(at: k, loss: nextLoss)
        }
        if reported || (diverged && evaluator != nil) { try report(k, rate, allRows, theta, statistics()) }
        if diverged {
            return TrainingLoopEnd(parameters: theta, divergence: Divergence(step: k, loss: batchDiverged ? value : allRows),
                                   runningStatistics: statistics())
        }
        if k == steps { break }
        observers.progress?(k)
        optimizer.learningRate = rate
        if let change = observers.gradient {
            gradient.withUnsafeMutableBufferPointer { g in
                workspace.gradient.withUnsafeBufferPointer { w in g.baseAddress!.update(from: w.baseAddress!, count: w.count) }
            }
            change(k, &gradient)
            observers.rate?(k, rate)
            optimizer.step(&theta, gradient: gradient)
        } else {
            observers.rate?(k, rate)
            optimizer.step(&theta, gradient: workspace.gradient)
        }
    }
    return TrainingLoopEnd(parameters: theta, divergence: nil, runningStatistics: statistics())
}
