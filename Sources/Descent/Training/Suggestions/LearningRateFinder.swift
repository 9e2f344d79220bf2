/// The learning-rate finder on a data set: the range test on the training split's mini-batches,
/// and the trials of ``VerifiedSearch`` — each full-budget trial exactly the run `lab train` makes
/// with that rate, each screening run the same run on an inner split of the training rows.
///
/// Both start from the same state: a generator seeded with `seed` draws the initial weights θ₀
/// (replaced by `initialParameters` when given, with `initialStatistics` as the batch-norm
/// running averages) and then the batch order. The sweep moves a copy
/// of that state and restores the parameters and optimizer afterwards (``RangeTest/run(parameters:optimizer:objective:)``);
/// every trial starts again from θ₀, a fresh copy of the optimizer as given, and the generator
/// as it was after θ₀ — so a sweep changes nothing that a later training sees.
public struct LearningRateFinder: Sendable {
    /// Which loss the sweep records after each update.
    public enum SweepLoss: String, Sendable, CaseIterable {
        /// The loss of the next training mini-batch at the new point (fastai; the default).
        case train
        /// The loss of the whole validation split at the new point, as `lab train` reports
        /// `val_loss` (batch norm: the running averages; pytorch-lr-finder's `val_loader` mode).
        case validation
    }

    public let data: PreparedData
    public let network: MLP
    public let initializer: Initializer
    public let initialParameters: [Double]?
    /// The batch-norm running averages to start from (nil: PyTorch's 0 and 1).
    public let initialStatistics: MLP.RunningStatistics?
    /// Mini-batch size; 0 (or ≥ the training rows) = full batch.
    public let batchSize: Int
    public let seed: UInt64

    public init(data: PreparedData, network: MLP, initializer: Initializer, initialParameters: [Double]? = nil,
                initialStatistics: MLP.RunningStatistics? = nil, batchSize: Int, seed: UInt64) {
        self.data = data
        self.network = network
        self.initializer = initializer
        self.initialParameters = initialParameters
        self.initialStatistics = initialStatistics
        self.batchSize = batchSize
        self.seed = seed
    }

    /// The range test: update i uses the next mini-batch of the training split (epoch-wise
    /// shuffles, as in training) and the loss Lᵢ is that of the next batch at the new point
    /// (`recording` `.train`), or that of the validation split at the new point θᵢ₊₁
    /// (`.validation`): exactly the `val_loss` of the last row of `lab train` run for the i + 1
    /// updates so far (batch norm: the running averages of those i + 1 batches).
    ///
    /// - Precondition: `.validation` needs a validation split.
    public func sweep<O: Optimizer>(_ optimizer: O, test: RangeTest, recording: SweepLoss = .train) -> RangeTest.Result {
        precondition(recording == .train || data.validation != nil, "the validation loss needs a validation split")
        var rng = SeededGenerator(seed: seed)
        let drawn = network.initialParameters(initializer, using: &rng)
        var theta = initialParameters ?? drawn
        var opt = optimizer
        let training = data.training
        let n = training.count
        var batches = MiniBatches(rows: n, size: batchSize, fullBatchInOrder: true)
        let b = batches.isFullBatch ? n : batchSize
        let workspace = MLP.Workspace(network: network, batchSize: b)
        if let initialStatistics { workspace.runningStatistics = initialStatistics }
        let hasBatchNorm = network.statisticsCount > 0
        let validation = recording == .validation ? data.validation.map { Evaluator(network: network, data: $0, loss: data.loss) } : nil
        var buffer = BatchBuffer(for: training)
        let loss = data.loss
        return test.run(parameters: &theta, optimizer: &opt) { p, evaluation, g in
            // Before the next batch's pass, which moves the running averages on.
            let recorded = evaluation > 0 ? validation?.loss(p, statistics: hasBatchNorm ? workspace.runningStatistics : nil) : nil
            let l = workspace.lossAndGradient(p, rows: batches.next(using: &rng), of: training, loss: loss, buffer: &buffer)
            for j in g.indices { g[j] = workspace.gradient[j] }
            return recorded ?? l
        }
    }

    /// One trial: `steps` updates at the constant `rate`, exactly as `lab train --lr rate --steps
    /// steps`; returns the validation loss at the end (the training loss without a validation
    /// split; +∞ if it diverged) and the steps run.
    public func trial<O: Optimizer>(_ optimizer: O, rate: Double, steps: Int) -> (loss: Double, stepsTrained: Int) {
        var opt = optimizer
        opt.learningRate = rate
        var last: EvaluationRow?
        let run = data.train(network, initializer: initializer, initialParameters: initialParameters,
                             initialStatistics: initialStatistics, optimizer: opt, steps: steps, batchSize: batchSize, evaluateEvery: max(steps, 1),
                             seed: seed, onRow: { last = $0 })
        if let d = run.divergence { return (.infinity, d.step) }
        let l = last.map { $0.validationLoss ?? $0.trainingLoss } ?? .infinity
        return (l.isFinite ? l : .infinity, steps)
    }

    /// The loss the trials are judged by, before any update (validation, else training).
    public func initialLoss<O: Optimizer>(_ optimizer: O) -> Double {
        trial(optimizer, rate: optimizer.learningRate, steps: 0).loss
    }

    /// The inner splits the verified rule's screening is scored on (step 2 of ``VerifiedSearch``):
    /// for draw d = 0 … D−1 a permutation of the n_T training rows, drawn by a generator seeded
    /// with (seed + d) XOR a constant of its own (not the outer split's or the weights' stream);
    /// its last v = min(⌈f·n_T⌉, n_T − 1) rows are the hold-out, the rest train. Indices are rows of
    /// the training split (0 ..< n_T), each list sorted; no validation row is ever among them.
    /// Empty when the training split has fewer than 2 rows (then screening is scored like a trial).
    public func screeningSplits(_ search: VerifiedSearch = VerifiedSearch()) -> [(training: [Int], holdOut: [Int])] {
        let n = data.training.count
        guard n >= 2 else { return [] }
        let v = min(Int((search.innerFraction * Double(n)).rounded(.up)), n - 1)
        let draws = v >= search.minimumScreenRows
            ? 1 : min(search.maximumDraws, (search.minimumScreenRows + v - 1) / v)
        return (0..<draws).map { d in
            var rng = SeededGenerator(seed: (seed &+ UInt64(d)) ^ 0x1A4E_5C4E_E41A_4E5C)
            let p = rng.permutation(n)
            return (p[0..<(n - v)].sorted(), p[(n - v)...].sorted())
        }
    }

    /// One screening run: `steps` updates at `rate` from the trial's initial weights and batch
    /// generator, on the training rows of `split` only; returns the loss on its hold-out rows
    /// (+∞ if it diverged) and the steps run.
    public func screen<O: Optimizer>(_ optimizer: O, rate: Double, steps: Int,
                                     split: (training: [Int], holdOut: [Int])) -> (loss: Double, stepsTrained: Int) {
        func rows(_ r: [Int]) -> Dataset {
            var x = Matrix(rows: 0, columns: data.training.inputs.columns)
            var y = Matrix(rows: 0, columns: data.training.targets.columns)
            data.training.inputs.gatherRows(r, into: &x)
            data.training.targets.gatherRows(r, into: &y)
            return Dataset(inputs: x, targets: y)
        }
        var opt = optimizer
        opt.learningRate = rate
        var rng = SeededGenerator(seed: seed)
        let drawn = network.initialParameters(initializer, using: &rng)
        var last: EvaluationRow?
        let run = trainEvaluating(network, parameters: initialParameters ?? drawn, training: rows(split.training),
                                  validation: rows(split.holdOut), loss: data.loss, optimizer: opt, steps: steps,
                                  batchSize: batchSize, evaluateEvery: max(steps, 1), accuracy: false, rng: &rng,
                                  onRow: { last = $0 }, runningStatistics: initialStatistics)
        if let d = run.divergence { return (.infinity, d.step) }
        let l = last?.validationLoss ?? .infinity
        return (l.isFinite ? l : .infinity, steps)
    }

    /// ``VerifiedSearch`` in the trusted range of `sweep` (a run of `test`), for a budget of
    /// `budget` steps: screening on the inner splits of ``screeningSplits(_:)`` (mean over the
    /// draws), full-budget trials by ``trial(_:rate:steps:)``, judged against ``initialLoss(_:)``.
    public func verified<O: Optimizer>(_ optimizer: O, sweep: RangeTest.Result, test: RangeTest, budget: Int,
                                       search: VerifiedSearch = VerifiedSearch()) -> VerifiedSearch.Result {
        let range = VerifiedSearch.trusted(sweep, iterations: test.steps, minimumRate: test.minimumRate)
            ?? test.minimumRate...test.minimumRate
        let splits = screeningSplits(search)
        var result = search.run(range: range, budget: budget, untrainedLoss: initialLoss(optimizer), screen: { rate, steps in
            if splits.isEmpty { return trial(optimizer, rate: rate, steps: steps) }
            var total = 0.0, ran = 0
            for split in splits {
                let (l, n) = screen(optimizer, rate: rate, steps: steps, split: split)
                total += l
                ran += n
            }
            return (total / Double(splits.count), ran)
        }, train: { rate, steps in trial(optimizer, rate: rate, steps: steps) })
        result.screening = VerifiedSearch.Screening(rows: splits.first?.holdOut.count ?? 0, draws: max(splits.count, 1))
        return result
    }
}
