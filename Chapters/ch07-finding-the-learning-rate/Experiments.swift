import Descent
import RealModule

/// The task of chapter 2's schedule comparison: a teacher network (2 → 16 → 1, tanh) labels
/// 512 points plus N(0, 0.1²) noise, so the best possible mean squared error is 0.01; the
/// student is the book's 2 × 32 tanh MLP, trained on mini-batches of 64.
struct Task {
    static let loss = Loss.meanSquaredError
    let data: Dataset
    let network = MLP(inputs: 2, hidden: [32, 32], outputs: 1, activation: .tanh)
    static let batch = 64

    init(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        data = Datasets.teacherRegression(count: 512, inputs: 2, hidden: [16], noise: 0.1, rng: &rng)
    }

    func initialParameters(seed: UInt64) -> [Double] {
        var rng = SeededGenerator(seed: seed)
        return network.initialParameters(.xavierUniform, using: &rng)
    }

    func fullLoss(_ p: [Double]) -> Double {
        Self.loss.value(output: network.predict(p, data.inputs), target: data.targets)
    }

    /// Full-batch loss after `steps` mini-batch steps, or NaN if the run diverged.
    func finalLoss(_ optimizer: some Optimizer, schedule: Schedule = .constant, steps: Int, seed: UInt64) -> Double {
        trainRun(optimizer, schedule: schedule, steps: steps, seed: seed).final
    }

    func trainRun(_ optimizer: some Optimizer, schedule: Schedule = .constant, steps: Int, seed: UInt64) -> (final: Double, losses: [Double]) {
        var rng = SeededGenerator(seed: seed &+ 1000)
        let r = train(network, parameters: initialParameters(seed: seed), on: data, loss: Self.loss,
                      optimizer: optimizer, schedule: schedule, steps: steps, batchSize: Self.batch, rng: &rng)
        guard r.divergence == nil else { return (.nan, r.losses) }
        let l = fullLoss(r.parameters)
        return (l.isFinite ? l : .nan, r.losses)
    }

    /// The range test on mini-batches: evaluation i uses batch i of a seeded shuffle.
    func rangeTest(_ optimizer: some Optimizer, test: RangeTest, seed: UInt64) -> RangeTest.Result {
        var opt = optimizer
        var theta = initialParameters(seed: seed)
        var rng = SeededGenerator(seed: seed &+ 2000)
        var order: [Int] = []
        let ws = MLP.Workspace(network: network, batchSize: Self.batch)
        var bx = Matrix(rows: 0, columns: 2), by = Matrix(rows: 0, columns: 1)
        return test.run(parameters: &theta, optimizer: &opt) { p, i, g in
            let perEpoch = data.count / Self.batch
            if i % perEpoch == 0 { order = rng.permutation(data.count) }
            let k = i % perEpoch
            let rows = order[(k * Self.batch)..<((k + 1) * Self.batch)]
            data.inputs.gatherRows(rows, into: &bx)
            data.targets.gatherRows(rows, into: &by)
            let l = ws.lossAndGradient(p, input: bx, target: by, loss: Self.loss)
            for j in g.indices { g[j] = ws.gradient[j] }
            return l
        }
    }
}

/// The optimizers of the grid search, by name, as functions of the rate.
let contenders: [(name: String, make: @Sendable (Double) -> any Optimizer)] = [
    ("SGD", { SGD(learningRate: $0) }),
    ("momentum 0.9", { SGD(learningRate: $0, momentum: 0.9) }),
    ("AdaGrad", { AdaGrad(learningRate: $0) }),
    ("RMSprop", { RMSprop(learningRate: $0) }),
    ("Adam", { Adam(learningRate: $0) }),
]

/// Final losses on a log grid: [optimizer][rate][seed].
func gridSearch(_ task: Task, exponents: [Double], seeds: [UInt64], steps: Int, progress: () -> Void) -> [[[Double]]] {
    contenders.map { c in
        exponents.map { e in
            seeds.map { s -> Double in
                defer { progress() }
                return task.finalLoss(c.make(Double.pow(10, e)), steps: steps, seed: s)
            }
        }
    }
}

/// Range-test suggestions on the quadratic from (−5, −2) with plain SGD.
func quadraticSuggestions(steps: Int, smoothing: Double, minimum: Double = 1e-6, maximum: Double = 10) -> RangeTest.Result {
    let test = RangeTest(minimumRate: minimum, maximumRate: maximum, steps: steps, smoothing: smoothing)
    var theta = [-5.0, -2.0]
    var sgd = SGD(learningRate: minimum)
    return test.run(parameters: &theta, optimizer: &sgd) { p, _, g in
        Quadratic().gradient(p, into: &g)
        return Quadratic().value(p)
    }
}
