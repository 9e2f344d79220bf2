/// A network-training problem: a data set, a network shape, a loss and a batch size. The
/// chapters that compare optimizers, schedules and rates on the same problem share these.
///
/// Every run takes a seed: the initial weights are drawn first from `SeededGenerator(seed)`,
/// and the same generator then draws the mini-batch order, so two runs with the same seed and
/// different optimizers see the same weights and the same batches.
public struct SupervisedTask: Sendable {
    public let data: Dataset
    public let network: MLP
    public let loss: Loss
    public let batchSize: Int
    public let initializer: Initializer

    public init(data: Dataset, network: MLP, loss: Loss, batchSize: Int, initializer: Initializer) {
        precondition(batchSize >= 1 && batchSize <= data.count, "batch size must be in 1…\(data.count)")
        self.data = data
        self.network = network
        self.loss = loss
        self.batchSize = batchSize
        self.initializer = initializer
    }

    /// The book's running example: the two-class spirals (512 points), a 2 × 32 tanh MLP with
    /// Xavier-uniform weights, binary cross-entropy on one logit, batches of 64.
    public static func spirals(seed: UInt64) -> SupervisedTask {
        var rng = SeededGenerator(seed: seed)
        return SupervisedTask(data: Datasets.spirals(count: 512, rng: &rng),
                              network: MLP(inputs: 2, hidden: [32, 32], outputs: 1, activation: .tanh),
                              loss: .binaryCrossEntropyWithLogits, batchSize: 64, initializer: .xavierUniform)
    }

    /// The noise standard deviation of ``teacherStudent(seed:)``; its square is the best
    /// possible mean squared error.
    public static let teacherNoise = 0.1

    /// A teacher network (2 → 16 → 1, tanh) labels 512 Gaussian points plus N(0, 0.1²) noise;
    /// the student is the 2 × 32 tanh MLP with Xavier-uniform weights, mean squared error,
    /// batches of 64. No student can beat the noise variance, 0.01: a known floor.
    public static func teacherStudent(seed: UInt64) -> SupervisedTask {
        var rng = SeededGenerator(seed: seed)
        return SupervisedTask(data: Datasets.teacherRegression(count: 512, inputs: 2, hidden: [16], noise: teacherNoise, rng: &rng),
                              network: MLP(inputs: 2, hidden: [32, 32], outputs: 1, activation: .tanh),
                              loss: .meanSquaredError, batchSize: 64, initializer: .xavierUniform)
    }

    /// The loss of `parameters` on the whole data set.
    public func fullLoss(_ parameters: [Double]) -> Double {
        loss.value(output: network.predict(parameters, data.inputs), target: data.targets)
    }

    /// Mini-batch training from the weights drawn by `seed` (see `train(_:parameters:on:loss:optimizer:schedule:steps:batchSize:clipping:divergence:recording:rng:observer:)`).
    public func train(_ optimizer: some Optimizer, schedule: Schedule = .constant, steps: Int, seed: UInt64,
                      recording: TrainingRecording = [],
                      observer: ((_ step: Int, _ parameters: [Double]) -> Void)? = nil) -> TrainingResult {
        var rng = SeededGenerator(seed: seed)
        let theta = network.initialParameters(initializer, using: &rng)
        return Descent.train(network, parameters: theta, on: data, loss: loss, optimizer: optimizer, schedule: schedule,
                             steps: steps, batchSize: batchSize, recording: recording, rng: &rng, observer: observer)
    }

    /// Updates in one epoch (one pass over the data): ⌈n/B⌉ for n examples in batches of B, the
    /// last batch of an epoch holding the n − B·⌊n/B⌋ left over when B does not divide n.
    ///
    /// Comparing batch sizes at the same number of epochs compares them at the same number of
    /// examples seen (the same computation), not at the same number of updates: B = 8 makes 8×
    /// as many updates as B = 64.
    public var stepsPerEpoch: Int { (data.count + batchSize - 1) / batchSize }

    /// Mini-batch training for `epochs` passes over the data: ``train(_:schedule:steps:seed:recording:observer:)``
    /// with `epochs` × ``stepsPerEpoch`` updates, so each example is used exactly `epochs` times.
    public func train(_ optimizer: some Optimizer, schedule: Schedule = .constant, epochs: Int, seed: UInt64,
                      recording: TrainingRecording = []) -> TrainingResult {
        precondition(epochs >= 0, "epochs must be ≥ 0")
        return train(optimizer, schedule: schedule, steps: epochs * stepsPerEpoch, seed: seed, recording: recording)
    }

    /// The full-batch loss after training, or NaN if the run diverged.
    public func finalLoss(_ optimizer: some Optimizer, schedule: Schedule = .constant, steps: Int, seed: UInt64) -> Double {
        finalLoss(of: train(optimizer, schedule: schedule, steps: steps, seed: seed))
    }

    /// The full-batch loss at the end of `run`, or NaN if it diverged.
    public func finalLoss(of run: TrainingResult) -> Double {
        guard run.divergence == nil else { return .nan }
        let l = fullLoss(run.parameters)
        return l.isFinite ? l : .nan
    }

    /// A learning-rate range test on mini-batches: the weights drawn by `seed`, then evaluation
    /// i uses batch i of epoch-wise shuffles from the same generator, every batch full (``MiniBatches``
    /// with `dropLast`).
    public func rangeTest(_ optimizer: some Optimizer, test: RangeTest, seed: UInt64) -> RangeTest.Result {
        var opt = optimizer
        var rng = SeededGenerator(seed: seed)
        var theta = network.initialParameters(initializer, using: &rng)
        let workspace = MLP.Workspace(network: network, batchSize: batchSize)
        var batches = MiniBatches(rows: data.count, size: batchSize, dropLast: true)
        var buffer = BatchBuffer(for: data)
        return test.run(parameters: &theta, optimizer: &opt) { p, _, g in
            let l = workspace.lossAndGradient(p, rows: batches.next(using: &rng), of: data, loss: loss, buffer: &buffer)
            for j in g.indices { g[j] = workspace.gradient[j] }
            return l
        }
    }
}
