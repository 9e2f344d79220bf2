import Descent
import Notebook
import RealModule

/// The best rate of a small grid for `make(α)` on `function` from `start`: the lowest loss
/// after `steps` steps (diverged runs excluded). Losses below `zero` count as reaching the
/// minimum: among the runs that do, the smallest rate wins (a larger one only jumps about more
/// wildly on its way to the same floating-point zero).
func bestRate(_ grid: [Double], on function: any TestFunction, from start: [Double], steps: Int, zero: Double = 1e-30,
              _ make: (Double) -> any Optimizer) -> (rate: Double, trajectory: Trajectory) {
    let grid = grid.sorted()
    func run(_ a: Double) -> Trajectory { optimize(function, from: start, steps: steps, optimizer: make(a), divergence: .standard) }
    let best = Measure.bestOnGrid(grid) { a in
        let t = run(a)
        return t.divergence == nil ? (max(t.points.last!.loss, zero), t) : nil
    }
    return best.map { ($0.rate, $0.result) } ?? (grid[0], run(grid[0]))
}

/// ``bestRate(_:on:from:steps:_:)`` on a grid that is widened (×3 above its top, ÷3 below its
/// bottom) until the best rate is not at either edge, so "best" is not an artefact of where the
/// grid stopped. Returns the best rate, its run and the grid finally searched.
func bestInteriorRate(_ grid: [Double], on function: any TestFunction, from start: [Double], steps: Int,
                      _ make: (Double) -> any Optimizer) -> (rate: Double, trajectory: Trajectory, grid: [Double]) {
    var grid = grid.sorted()
    for _ in 0..<12 {
        let best = bestRate(grid, on: function, from: start, steps: steps, make)
        if best.rate == grid.last! {
            grid.append(grid.last! * 3)
        } else if best.rate == grid.first! {
            grid.insert(grid.first! / 3, at: 0)
        }
        else { return (best.rate, best.trajectory, grid) }
    }
    let best = bestRate(grid, on: function, from: start, steps: steps, make)
    return (best.rate, best.trajectory, grid)
}

/// A linear model on sparse binary features: feature j is on with probability pⱼ (half the
/// features frequent, p = 0.5, half rare, p = 0.02); y = w*·x + N(0, 0.1²).
struct SparseTask {
    static let features = 40
    let data: Dataset
    let trueWeights: [Double]
    let rare: [Int]
    let frequent: [Int]
    let model = MLP(sizes: [SparseTask.features, 1], activations: [.identity])

    init(seed: UInt64, count: Int = 2000) {
        var rng = SeededGenerator(seed: seed)
        let d = Self.features
        let w = (0..<d).map { _ in rng.uniform(-2, 2) }
        trueWeights = w
        frequent = Array(0..<(d / 2))
        rare = Array((d / 2)..<d)
        var x = [Double](repeating: 0, count: count * d), y = [Double](repeating: 0, count: count)
        for i in 0..<count {
            for j in 0..<d where rng.uniform() < (j < d / 2 ? 0.5 : 0.02) { x[i * d + j] = 1 }
            var s = 0.0
            for j in 0..<d { s += x[i * d + j] * w[j] }
            y[i] = s + 0.1 * rng.gaussian()
        }
        data = Dataset(inputs: Matrix(rows: count, columns: d, elements: x),
                       targets: Matrix(rows: count, columns: 1, elements: y))
    }

    /// One point of a weight-error curve.
    struct Point { let step: Int; let rare: Double; let frequent: Double }

    /// Mean |wⱼ − w*ⱼ| over the rare and the frequent features, every `every` steps.
    func train(_ optimizer: some Optimizer, steps: Int, every: Int, seed: UInt64) -> [Point] {
        var rng = SeededGenerator(seed: seed)
        var curve: [Point] = []
        let zero = [Double](repeating: 0, count: model.parameterCount)
        let range = model.layers[0].weightRange
        _ = Descent.train(model, parameters: zero, on: data, loss: .meanSquaredError, optimizer: optimizer,
                          steps: steps, batchSize: 16, rng: &rng) { t, p in
            guard t % every == 0 || t == steps else { return }
            let w = Array(p[range])
            func err(_ idx: [Int]) -> Double { idx.reduce(0) { $0 + abs(w[$1] - trueWeights[$1]) } / Double(idx.count) }
            curve.append(Point(step: t, rare: err(rare), frequent: err(frequent)))
        }
        return curve
    }
}


extension SparseTask {
    /// The least-squares fit of the whole training set, weights and bias: the minimiser of the
    /// mean squared error that every optimizer here descends, from the normal equations
    /// [X 1]ᵀ[X 1]·(w, b) = [X 1]ᵀy solved by Gaussian elimination with partial pivoting.
    /// Its weights differ from w* by the label noise: with 0.1 noise and a rare feature on in
    /// about 40 of the 2000 examples, by roughly 0.1/√40 per rare weight. Returns the weights.
    func leastSquaresWeights() -> [Double] {
        let d = Self.features, n = data.inputs.rows, m = d + 1
        let x = data.inputs.elements, y = data.targets.elements
        // Augmented normal equations, m × (m + 1); column d is the bias.
        var a = [[Double]](repeating: [Double](repeating: 0, count: m + 1), count: m)
        for i in 0..<n {
            let row = Array(x[(i * d)..<((i + 1) * d)]) + [1]
            for r in 0..<m where row[r] != 0 {
                for c in 0..<m { a[r][c] += row[r] * row[c] }
                a[r][m] += row[r] * y[i]
            }
        }
        for k in 0..<m {
            let p = (k..<m).max { abs(a[$0][k]) < abs(a[$1][k]) }!
            a.swapAt(k, p)
            for r in (k + 1)..<m where a[r][k] != 0 {
                let f = a[r][k] / a[k][k]
                for c in k...m { a[r][c] -= f * a[k][c] }
            }
        }
        var solution = [Double](repeating: 0, count: m)
        for k in stride(from: m - 1, through: 0, by: -1) {
            let s = ((k + 1)..<m).reduce(a[k][m]) { $0 - a[k][$1] * solution[$1] }
            solution[k] = s / a[k][k]
        }
        return Array(solution[0..<d])
    }

    /// Mean |ŵⱼ − w*ⱼ| over the rare and over the frequent features, for weights `w`.
    func weightError(_ w: [Double]) -> (rare: Double, frequent: Double) {
        func err(_ idx: [Int]) -> Double { idx.reduce(0) { $0 + abs(w[$1] - trueWeights[$1]) } / Double(idx.count) }
        return (err(rare), err(frequent))
    }
}

// MARK: The rare-features seed set

/// One seed of the rare-features experiment: its own data (``SparseTask``), its own batches, and a
/// weight-error curve for every rate of both grids, all runs of the seed on the same batches.
struct SparseSeedRun {
    static let sgdGrid = [0.02, 0.05, 0.1, 0.2]
    static let adaGrid = [0.1, 0.2, 0.3, 0.5, 1, 2]

    let seed: UInt64
    /// How many examples the seed's data set has.
    let examples: Int
    /// Mean |ŵⱼ − w*ⱼ| of the least-squares fit of this seed's examples.
    let fit: (rare: Double, frequent: Double)
    let sgd: [Double: [SparseTask.Point]]
    let ada: [Double: [SparseTask.Point]]

    /// The batches' generator: a seed of its own, not the data seed of the set's next run.
    static func batchSeed(_ seed: UInt64) -> UInt64 { seed ^ 0x9E37_79B9_7F4A_7C15 }

    init(seed: UInt64, steps: Int, every: Int) {
        self.seed = seed
        let task = SparseTask(seed: seed), batches = Self.batchSeed(seed)
        examples = task.data.inputs.rows
        fit = task.weightError(task.leastSquaresWeights())
        sgd = Dictionary(uniqueKeysWithValues: Self.sgdGrid.map { a in
            (a, task.train(SGD(learningRate: a), steps: steps, every: every, seed: batches))
        })
        ada = Dictionary(uniqueKeysWithValues: Self.adaGrid.map { a in
            (a, task.train(AdaGrad(learningRate: a), steps: steps, every: every, seed: batches))
        })
    }
}
